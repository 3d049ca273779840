"""Councils side by side: the published figures of every organisation's newest published
annual report (and pay gap report), read from what was stored at publication, never from
live data. Public figures are public, so the public index and the London-wide coordinator see
the same comparison; the coordinator also sees the Standard levels of the councils that agreed
to share them (as standard benchmarking does), the public never does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from equitable.core.models import Organisation, User
from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.publications.models import Kind, Publication
from equitable.workforce.services import decode_tables


@dataclass
class Row:
    organisation: Organisation
    snapshot_date: Any
    publication: Publication
    figures: dict[str, float | None] = field(default_factory=dict)
    standard_level: str | None = None


COLUMNS = (
    ("aggregate_staff", "Black, Asian and Multi-ethnic staff (share of those known)", "percent"),
    ("aggregate_residents", "Black, Asian and Multi-ethnic residents", "percent"),
    ("ethnicity_known", "Ethnicity known", "percent"),
    ("ethnicity_median_gap", "Median ethnicity pay gap, against White", "percent"),
    ("ethnicity_mean_gap", "Mean ethnicity pay gap, against White", "percent"),
    ("sex_median_gap", "Median gender pay gap", "percent"),
    ("disability_median_gap", "Median disability pay gap", "percent"),
)


def _value(frame: pl.DataFrame | None, column: str, **where: str) -> float | None:
    if frame is None or column not in frame.columns:
        return None
    for key, wanted in where.items():
        if key not in frame.columns:
            return None
        frame = frame.filter(pl.col(key) == wanted)
    values = frame[column].drop_nulls().to_list()
    return float(values[0]) if values else None


def figures_of(tables: dict[str, pl.DataFrame]) -> dict[str, float | None]:
    representation = tables.get("representation_overall")
    gaps = tables.get("pay_gap_ethnicity")
    return {
        "aggregate_staff": _value(representation, "percent_of_known", ethnic_group=AGGREGATE_LABEL),
        "aggregate_residents": _value(
            representation, "population_percent", ethnic_group=AGGREGATE_LABEL
        ),
        "ethnicity_known": _value(
            tables.get("disclosure"), "percent_known", characteristic="ethnicity"
        ),
        "ethnicity_median_gap": _value(
            gaps, "median_gap_percent", grouping="wres", ethnic_group=AGGREGATE_LABEL
        ),
        "ethnicity_mean_gap": _value(
            gaps, "mean_gap_percent", grouping="wres", ethnic_group=AGGREGATE_LABEL
        ),
        "sex_median_gap": _value(tables.get("pay_gap_sex"), "median_gap_percent"),
        "disability_median_gap": _value(tables.get("pay_gap_disability"), "median_gap_percent"),
    }


def _newest(kind: str) -> dict[int, Publication]:
    newest: dict[int, Publication] = {}
    published = (
        Publication.objects.filter(kind=kind, status=Publication.Status.PUBLISHED)
        .select_related("organisation")
        .defer("pdf", "body_html")
        .order_by("-snapshot_date", "-version")
    )
    for publication in published:
        newest.setdefault(publication.organisation_id, publication)
    return newest


def comparison(viewer: User | None) -> list[Row]:
    """One row per organisation with a published annual report: its newest one's figures, with
    the pay gap report's where the annual report has none."""
    pay_gap = _newest(Kind.PAY_GAP)
    shared: dict[int, str] = {}
    if viewer is not None and viewer.role == "coordinator":
        from equitable.standard.services import shared_results

        shared = {organisation.pk: result.level for organisation, result in shared_results()}
    rows = []
    for organisation_id, report in _newest(Kind.ANNUAL_REPORT).items():
        tables = decode_tables(report.tables)
        gap_report = pay_gap.get(organisation_id)
        if gap_report is not None and gap_report.snapshot_date == report.snapshot_date:
            tables = {**decode_tables(gap_report.tables), **tables}
        rows.append(
            Row(
                report.organisation,
                report.snapshot_date,
                report,
                figures_of(tables),
                shared.get(organisation_id),
            )
        )
    rows.sort(key=lambda row: row.organisation.name)
    return rows
