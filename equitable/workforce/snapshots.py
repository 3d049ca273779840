"""Managing stored snapshots: what a new extract's headline figures will be before it is stored,
whether it is the same workforce as the snapshot before, and what deleting or replacing a
snapshot changes (computed measures, projections, board reports), then doing it, audited.

Why a module apart from `services`: these are the decisions a person takes about a whole
snapshot, each shown to them before it happens; `services` stores and reads. Replacing goes
through the normal import flow (upload, match, check, confirm) and `services.store_snapshot`
swaps the old snapshot for the new one in one transaction; deleting is here. Both send
`core.signals.figures_changed`, so the actions app recomputes its measures from what is left.

Everything here is shown only to the roles that import (EDI officer, HR analyst), who see exact
figures: the preview and the impact are exact, and hold no personal values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.db import transaction

from equitable.actions import board_reports
from equitable.actions import measures as computed
from equitable.actions.models import BoardReport, Measure, MeasureValue
from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.signals import figures_changed
from equitable.metrics import continuity
from equitable.workforce import services
from equitable.workforce.models import Snapshot

Tables = Mapping[str, list[dict]]


# --- headline figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    unit: str  # "%" or "" (a count)
    read: Callable[[Tables, int], float | None]
    figure: str  # the workforce figure page that shows it in full


# The figures a board reads first, read by the same functions as the computed measures
# (`actions.measures`) so the preview shows what the measures will become.
HEADLINES: tuple[Headline, ...] = (
    Headline(
        "overall",
        "Black, Asian and Multi-ethnic staff (of all staff)",
        "%",
        computed.overall_share,
        "representation_overall",
    ),
    Headline(
        "leadership",
        "Black, Asian and Multi-ethnic staff in the leadership tiers",
        "%",
        computed.reader("leadership_black_asian_multi_ethnic_share"),
        "representation_in_leadership_tiers",
    ),
    Headline(
        "unknown",
        "Staff whose ethnicity is not known or not disclosed",
        "%",
        computed.reader("unknown_ethnicity_rate"),
        "disclosure",
    ),
    Headline(
        "pay_gap",
        "Median ethnicity pay gap (Black, Asian and Multi-ethnic compared with White)",
        "%",
        computed.reader("ethnicity_median_pay_gap"),
        "pay_gap_ethnicity",
    ),
)


def headline_values(tables: Tables, headcount: int) -> dict[str, float | None]:
    """Headcount and each headline figure (exact) from one snapshot's tables as rows."""
    values: dict[str, float | None] = {"headcount": float(headcount)}
    for headline in HEADLINES:
        values[headline.key] = headline.read(tables, 0)
    return values


def neighbour_snapshot(organisation: Organisation, on: date) -> Snapshot | None:
    """The snapshot a new extract dated `on` is compared with: the newest one before it, or,
    for an extract older than every snapshot, the oldest one after it (never one of that date,
    which the extract would replace)."""
    earlier = Snapshot.objects.filter(organisation=organisation, snapshot_date__lt=on)
    found = earlier.order_by("-snapshot_date").first()
    if found is None:
        later = Snapshot.objects.filter(organisation=organisation, snapshot_date__gt=on)
        found = later.order_by("snapshot_date").first()
    return found


def preview(
    organisation: Organisation, frame: pl.DataFrame, present_columns, snapshot_date: date
) -> dict:
    """What storing a validated frame would show, and how it compares with its neighbour
    snapshot: JSON for `ImportJob.options["preview"]` (aggregates only, no personal values).

    {"compared_with": "2024-03-31" | None, "figures": [{key, label, unit, value, previous,
    change}], "continuity": {previous_headcount, headcount, in_both, seen_before, still_here,
    headcount_change, reasons, unrelated} | None}
    """
    tables = services.compute_tables(frame, organisation, present_columns)
    current = headline_values(
        {name: table.to_dicts() for name, table in tables.items()}, frame.height
    )
    neighbour = neighbour_snapshot(organisation, snapshot_date)
    previous: dict[str, float | None] = {}
    check = None
    if neighbour is not None:
        previous = headline_values(
            services.figures_for(organisation, neighbour, published=False), neighbour.row_count
        )
        check = continuity.compare(
            services.snapshot_frame(neighbour).get_column("employee_key").to_list(),
            frame.get_column("employee_key").to_list(),
        )
    rows = [("headcount", "Staff in the extract", "", "")] + [
        (h.key, h.label, h.unit, h.figure) for h in HEADLINES
    ]
    figures = []
    for key, label, unit, figure in rows:
        value, before = current.get(key), previous.get(key)
        change = round(value - before, 2) if value is not None and before is not None else None
        figures.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "figure": figure,
                "value": value,
                "previous": before,
                "change": change,
            }
        )
    return {
        "compared_with": neighbour.snapshot_date.isoformat() if neighbour else None,
        "later": bool(neighbour and neighbour.snapshot_date > snapshot_date),
        "figures": figures,
        "continuity": None
        if check is None
        else {
            "previous_headcount": check.previous_headcount,
            "headcount": check.headcount,
            "in_both": check.in_both,
            "seen_before": check.seen_before,
            "still_here": check.still_here,
            "headcount_change": check.headcount_change,
            "reasons": check.reasons,
            "unrelated": check.looks_unrelated,
        },
    }


class LooksUnrelated(Exception):
    """The extract looks unrelated to its neighbour snapshot and nobody confirmed it."""

    def __init__(self, compared_with: str, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.compared_with = compared_with
        self.reasons = reasons


def continuity_gate(
    organisation: Organisation, snapshot_date: date, *, accept: bool, report: Callable[[str], None]
) -> Callable[[pl.DataFrame, set[str]], None]:
    """For `services.import_file(before_storing=…)` on the command line: say how the extract
    compares with its neighbour snapshot, and stop (LooksUnrelated) when it looks unrelated
    unless `accept` (--accept-unrelated) was given after checking it."""

    def gate(frame: pl.DataFrame, _present_columns: set[str]) -> None:
        neighbour = neighbour_snapshot(organisation, snapshot_date)
        if neighbour is None:
            return
        check = continuity.compare(
            services.snapshot_frame(neighbour).get_column("employee_key").to_list(),
            frame.get_column("employee_key").to_list(),
        )
        seen = check.seen_before or 0.0
        report(
            f"Continuity: {seen:.0%} of the employee ids ({check.in_both:,} of "
            f"{check.headcount:,}) were in the snapshot of {neighbour.snapshot_date}"
        )
        if check.looks_unrelated:
            if not accept:
                raise LooksUnrelated(neighbour.snapshot_date.isoformat(), check.reasons)
            report("It looks unrelated (" + "; ".join(check.reasons) + "): stored as confirmed")

    return gate


def looks_unrelated(job_options: Mapping) -> bool:
    """Whether the job's preview found the extract unlike its neighbour snapshot."""
    check = (job_options.get("preview") or {}).get("continuity") or {}
    return bool(check.get("unrelated"))


# --- what deleting or replacing a snapshot changes -------------------------------------------


def _quarter(on: date) -> tuple[int, int]:
    return on.year, (on.month - 1) // 3 + 1


def quarter_words(quarter: tuple[int, int]) -> str:
    year, number = quarter
    months = ("January to March", "April to June", "July to September", "October to December")
    return f"{year} Q{number} ({months[number - 1]})"


@dataclass
class Impact:
    """What depends on one snapshot, said before it is deleted or replaced."""

    snapshot: Snapshot
    measure_values: list[MeasureValue]  # computed measure values taken from this snapshot
    projections: list[Measure]  # measures whose projection uses every snapshot
    snapshots_left: int  # snapshots there would be after deleting it
    first_quarter: tuple[int, int] | None  # draft board reports that read it, from …
    last_quarter: tuple[int, int] | None  # … to (None: every later quarter)
    previous: Snapshot | None
    following: Snapshot | None
    # Issued (frozen) board reports of those quarters: they keep the figures they were issued
    # with, so they are unaffected, and no longer match the data.
    issued_reports: list[BoardReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def quarters_text(self) -> str:
        if self.first_quarter is None:
            return ""
        if self.last_quarter is None:
            return f"from {quarter_words(self.first_quarter)} on"
        if self.last_quarter == self.first_quarter:
            return f"for {quarter_words(self.first_quarter)}"
        return f"from {quarter_words(self.first_quarter)} to {quarter_words(self.last_quarter)}"

    def audit_text(self, done: str) -> str:
        """One line for the audit log: what was done and what it changed (no personal values)."""
        s = self.snapshot
        parts = [
            f"{done} snapshot {s.snapshot_date.isoformat()} ({s.row_count} rows from "
            f"{s.source_filename[:80] or 'an unnamed file'})",
            f"{len(self.measure_values)} computed measure values "
            + ("removed" if done == "deleted" else "recomputed")
            + (
                ": " + ", ".join(sorted({v.measure.name[:40] for v in self.measure_values}))
                if self.measure_values
                else ""
            ),
        ]
        if self.projections:
            parts.append(f"{len(self.projections)} projections recomputed")
        if self.first_quarter is not None:
            parts.append(f"draft board reports {self.quarters_text} follow the data")
        if self.issued_reports:
            parts.append(
                "issued board reports unchanged: "
                + ", ".join(f"{r.quarter} v{r.version}" for r in self.issued_reports)
            )
        return "; ".join(parts)


def impact_of(snapshot: Snapshot) -> Impact:
    """Which measure values, projections and draft board reports rest on this snapshot.

    A draft board report for a quarter reads the newest snapshot on or before the quarter's end
    and the newest before its start (`actions.services.board_report`), so a snapshot dated d,
    with the next one dated n, is read by the reports from d's quarter to n's quarter (every
    later quarter when it is the newest; none when n falls in d's own quarter)."""
    organisation = snapshot.organisation
    on = snapshot.snapshot_date
    others = Snapshot.objects.filter(organisation=organisation).exclude(pk=snapshot.pk)
    previous = others.filter(snapshot_date__lt=on).order_by("-snapshot_date").first()
    following = others.filter(snapshot_date__gt=on).order_by("snapshot_date").first()
    values = list(
        MeasureValue.objects.filter(
            measure__objective__theme__plan__organisation=organisation,
            origin=MeasureValue.Origin.SNAPSHOT,
            on=on,
        )
        .select_related("measure")
        .order_by("measure__position", "measure__id")
    )
    projections = list(
        Measure.objects.filter(
            objective__theme__plan__organisation=organisation,
            kind=Measure.Kind.COMPUTED,
            computed_key__in=sorted(computed.PROJECTABLE),
            targets__isnull=False,
        ).distinct()
    )
    first = _quarter(on)
    last: tuple[int, int] | None = None
    if following is not None:
        last = _quarter(following.snapshot_date)
        if last == first:
            first = last = None  # type: ignore[assignment]
    # Issued reports are frozen; those whose headline figures came from this snapshot are named
    # (their figures then differ from the live data), read from what each report stored.
    issued = board_reports.issued_showing_snapshot(organisation, on)
    impact = Impact(
        snapshot=snapshot,
        issued_reports=issued,
        measure_values=values,
        projections=projections,
        snapshots_left=others.count(),
        first_quarter=first,
        last_quarter=last,
        previous=previous,
        following=following,
    )
    if following is not None:
        impact.notes.append(
            f"The snapshot of {following} is compared with "
            + (f"the one of {previous}" if previous else "no earlier snapshot")
            + " once this one is deleted, on the home page, in the trends and in board reports."
        )
    return impact


def delete_snapshot(snapshot: Snapshot, user: User) -> Impact:
    """Delete a snapshot and its employee rows, audited with what it changed; measures are
    recomputed from the snapshots left (`figures_changed`)."""
    organisation = snapshot.organisation
    impact = impact_of(snapshot)
    pk = snapshot.pk
    with transaction.atomic():
        Snapshot.objects.filter(pk=pk, organisation=organisation).delete()
        audit.record(
            user,
            AuditEvent.Action.DELETE,
            "workforce_snapshot",
            pk,
            impact.audit_text("deleted"),
            organisation=organisation,
        )
    figures_changed.send(sender=Snapshot, organisation=organisation)
    return impact


def replacing(organisation: Organisation, wanted: str | None) -> Snapshot | None:
    """The snapshot a "Replace" link names (?replace=2025-03-31), or None for anything else."""
    if not wanted:
        return None
    try:
        on = date.fromisoformat(wanted)
    except ValueError:
        return None
    return Snapshot.objects.filter(organisation=organisation, snapshot_date=on).first()
