"""Domain operations of the incident channel: submit, find by receipt, converse, handle, purge,
count trends. Views, the CLI and the board report call these; content is decrypted only here,
and only for the reporter holding the receipt or an EDI case handler (views check the role).
"""

from __future__ import annotations

import os
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from equitable.core.models import Directorate, Organisation, User
from equitable.incidents import receipts
from equitable.incidents.attachments import CleanFile
from equitable.incidents.crypto import context
from equitable.incidents.dates import add_working_days, week_of
from equitable.incidents.keys import cipher
from equitable.incidents.models import (
    Attachment,
    Characteristic,
    IncidentSettings,
    IncidentType,
    InternalNote,
    Message,
    Report,
    Sender,
    Source,
    Status,
    SupportContact,
    TrendCount,
)
from equitable.metrics.disclosure_control import protect
from equitable.metrics.layout import Count, Layout, key, of, open_value
from equitable.metrics.quarters import Quarter
from equitable.metrics.response_times import response_times

FIRST_RESPONSE_WORKING_DAYS = IncidentSettings.DEFAULT_FIRST_RESPONSE_WORKING_DAYS
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def receipt_cost() -> dict:
    """Argon2id cost for receipts: production parameters unless a setting or the environment
    variable EQUITABLE_RECEIPT_ARGON2 ("time,memory_kib,parallelism") lowers it (tests)."""
    configured = getattr(settings, "EQUITABLE_RECEIPT_ARGON2", None) or os.environ.get(
        "EQUITABLE_RECEIPT_ARGON2", ""
    )
    if not configured:
        return receipts.PRODUCTION_COST
    if isinstance(configured, dict):
        return configured
    time_cost, memory_cost, parallelism = (int(part) for part in configured.split(","))
    return {"time_cost": time_cost, "memory_cost": memory_cost, "parallelism": parallelism}


def today() -> date:
    return timezone.localdate()


@dataclass
class NewReport:
    incident_type: str
    characteristics: list[str]
    directorate: Directorate | None
    happened_month: date | None
    what_happened: str
    reported_elsewhere: str
    desired_outcome: str


def _new_reference() -> str:
    return "IR-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def submit_report(
    organisation: Organisation,
    answers: NewReport,
    files: list[CleanFile] = (),  # type: ignore[assignment]
    *,
    source: str = Source.ONLINE,
    received: date | None = None,
) -> tuple[Report, receipts.Receipt | None]:
    """Store a report (encrypted) and count it in the trends. Online reports get a receipt;
    paper reports (keyed in by the EDI team) do not: nobody could give it to the reporter."""
    box = cipher()
    week = week_of(received or today())
    target = IncidentSettings.for_organisation(organisation).first_response_working_days
    receipt = receipts.generate() if source == Source.ONLINE else None
    receipt_hash = receipts.hash_secret(receipt, receipt_cost()) if receipt else ""
    for _attempt in range(5):
        reference = _new_reference()
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    organisation=organisation,
                    reference=reference,
                    submitted_week=week,
                    source=source,
                    incident_type=answers.incident_type,
                    characteristics=sorted(set(answers.characteristics)),
                    directorate=answers.directorate,
                    happened_month=answers.happened_month,
                    what_happened=box.encrypt_text(
                        answers.what_happened, context("report.what_happened", reference)
                    ),
                    reported_elsewhere=answers.reported_elsewhere,
                    desired_outcome=box.encrypt_text(
                        answers.desired_outcome, context("report.desired_outcome", reference)
                    ),
                    receipt_lookup=receipt.lookup if receipt else None,
                    receipt_hash=receipt_hash,
                    first_response_due=add_working_days(week, target),
                )
                _store_files(report, files, Sender.REPORTER)
                _count(report)
            return report, receipt
        except IntegrityError:
            # A lookup part or reference already in use (rare): draw new ones and try again.
            if receipt:
                receipt = receipts.generate()
                receipt_hash = receipts.hash_secret(receipt, receipt_cost())
    raise RuntimeError("Could not store the report; please try again")


def _store_files(report: Report, files, sender: str) -> None:
    box = cipher()
    Attachment.objects.bulk_create(
        [
            Attachment(
                report=report,
                sender=sender,
                content=box.encrypt(clean.content, context("attachment.content", report.reference)),
                content_type=clean.content_type,
                extension=clean.extension,
                size=clean.size,
            )
            for clean in files
        ]
    )


def _count(report: Report) -> None:
    quarter = Quarter.of(report.submitted_week).dashed
    for characteristic in [TrendCount.ALL, *report.characteristics]:
        cell = dict(
            organisation=report.organisation,
            quarter=quarter,
            incident_type=report.incident_type,
            characteristic=characteristic,
            directorate=report.directorate,
        )
        if not TrendCount.objects.filter(**cell).update(count=F("count") + 1):
            TrendCount.objects.create(**cell, count=1)


def find_by_receipt(receipt: receipts.Receipt) -> Report | None:
    """One indexed lookup, then one slow verify (or an equally slow dummy verify)."""
    report = Report.objects.filter(receipt_lookup=receipt.lookup).first()
    if report is None:
        receipts.burn_equal_time(receipt, receipt_cost())
        return None
    if receipts.verify_secret(receipt, report.receipt_hash, receipt_cost()):
        return report
    return None


def add_message(report: Report, sender: str, text: str, files=()) -> Message:
    with transaction.atomic():
        message = Message.objects.create(
            report=report,
            sender=sender,
            body=cipher().encrypt_text(text, context("message.body", report.reference)),
            week=week_of(today()),
        )
        _store_files(report, files, sender)
        if sender == Sender.TEAM and report.first_response_week is None:
            report.first_response_week = message.week
            report.save(update_fields=["first_response_week"])
    return message


def add_note(report: Report, author: User, text: str) -> InternalNote:
    """Notes carry the week they were written, like messages: a note written the day a report
    arrived would otherwise date the report to the day."""
    return InternalNote.objects.create(
        report=report,
        author=author,
        body=cipher().encrypt_text(text, context("note.body", report.reference)),
        created_on=week_of(today()),
    )


def update_case(report: Report, changes: dict) -> list[str]:
    """Apply status/outcome/category/severity/handler/due date; returns the changed fields."""
    changed = []
    was_new = report.status == Status.NEW
    for field, value in changes.items():
        if getattr(report, field) != value:
            setattr(report, field, value)
            changed.append(field)
    if was_new and report.status != Status.NEW and report.first_response_week is None:
        report.first_response_week = week_of(today())  # acknowledged: the first response
        changed.append("first_response_week")
    if report.status == Status.CLOSED and report.closed_at is None:
        report.closed_at = week_of(today())  # the week, like every date the channel keeps
        changed.append("closed_at")
    if report.status != Status.CLOSED and report.closed_at is not None:
        report.closed_at = None
        report.outcome = ""
        changed.append("closed_at")
    if changed:
        report.save(update_fields=sorted(set(changed)))
    return changed


def conversation(report: Report) -> list[dict]:
    box = cipher()
    return [
        {
            "sender": m.sender,
            "label": Sender(m.sender).label,
            "week": m.week,
            "text": box.decrypt_text(m.body, context("message.body", report.reference)),
        }
        for m in report.messages.all()
    ]


def content(report: Report) -> dict:
    """Decrypted content for the reporter (with receipt) or an EDI case handler."""
    box = cipher()
    return {
        "what_happened": box.decrypt_text(
            report.what_happened, context("report.what_happened", report.reference)
        ),
        "desired_outcome": box.decrypt_text(
            report.desired_outcome, context("report.desired_outcome", report.reference)
        ),
        "messages": conversation(report),
        "attachments": list(report.attachments.all().defer("content")),
    }


def notes(report: Report) -> list[dict]:
    box = cipher()
    return [
        {
            "author": n.author.username if n.author else "",
            "on": n.created_on,
            "text": box.decrypt_text(n.body, context("note.body", report.reference)),
        }
        for n in report.notes.select_related("author")
    ]


def attachment_bytes(attachment: Attachment) -> bytes:
    return cipher().decrypt(
        attachment.content, context("attachment.content", attachment.report.reference)
    )


# ---------------------------------------------------------------------------------------------
# Retention


def purge_closed(on: date | None = None) -> dict[str, int]:
    """Delete closed reports (content, messages, notes, attachments) older than each
    organisation's retention period. TrendCount rows are separate and stay."""
    on = on or today()
    deleted = {}
    for organisation in Organisation.objects.all():
        cutoff = on - timedelta(days=organisation.report_retention_days)
        expired = Report.objects.filter(
            organisation=organisation, status=Status.CLOSED, closed_at__lte=cutoff
        )
        count = expired.count()
        if count:
            expired.delete()
            deleted[organisation.slug] = count
    return deleted


ENCRYPTED_FIELDS = (
    (Report, "report", "reference", ("what_happened", "desired_outcome")),
    (Message, "message", "report__reference", ("body",)),
    (InternalNote, "note", "report__reference", ("body",)),
    (Attachment, "attachment", "report__reference", ("content",)),
)


def rotate_encryption() -> int:
    """Re-encrypt every encrypted value under the newest key (fresh nonce; legacy Fernet tokens
    come out in the current format); returns how many were rewritten."""
    box = cipher()
    rewritten = 0
    with transaction.atomic():
        for model, kind, reference_path, fields in ENCRYPTED_FIELDS:
            # Primary keys first, then one row at a time: attachments are up to 10 MB each,
            # and no cursor stays open over a table while it is rewritten.
            for pk in list(model.objects.order_by("pk").values_list("pk", flat=True)):
                reference, *tokens = model.objects.values_list(reference_path, *fields).get(pk=pk)
                updates = {
                    field: box.rotate(token, context(f"{kind}.{field}", reference))
                    for field, token in zip(fields, tokens, strict=True)
                    if token
                }
                if updates:
                    model.objects.filter(pk=pk).update(**updates)
                    rewritten += len(updates)
    return rewritten


# ---------------------------------------------------------------------------------------------
# Trends


# The trend tables' layouts, declared where they are computed (equitable.metrics.layout), so
# the one disclosure-control step knows their sums: the types and the directorates of a
# quarter add up to its reports; a report can name several characteristics, so each
# characteristic is a yes-or-no of its own and they do not add up.
_QUARTER = key("quarter", open_value("quarter"))
_TYPE = key("label", open_value("incident_type"))
TREND_LAYOUTS = {
    "incidents_total": Layout(keys=("quarter",), columns=(Count("count", of(_QUARTER)),)),
    "incidents_by_type": Layout(
        keys=("quarter", "label"), columns=(Count("count", of(_QUARTER, _TYPE)),)
    ),
    "incidents_by_characteristic": Layout(
        keys=("quarter", "label"),
        columns=(
            Count(
                "count",
                of(_QUARTER, key("label", lambda c: {f"names {c}": frozenset({"yes"})})),
            ),
        ),
        universes={f"names {c.value}": ("yes", "no") for c in Characteristic},
    ),
    "incidents_by_directorate": Layout(
        keys=("quarter", "label"),
        columns=(Count("count", of(_QUARTER, key("label", open_value("directorate")))),),
    ),
}


def _counts_frame(quarter: str, counts: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {"quarter": [quarter] * len(counts), "label": list(counts), "count": list(counts.values())},
        schema={"quarter": pl.String, "label": pl.String, "count": pl.Int64},
    )


def incident_trends(organisation: Organisation, quarter: str, *, exact: bool = False) -> dict:
    """Counts for one quarter and the 12 months to it. Keys: quarter, threshold, exact, total,
    by_type, by_characteristic, by_directorate (lists of {label, count, suppressed}), trend
    (4 quarters x type: {quarter, type, count, suppressed}).

    Protected by default (board members, the board report): every count goes through
    `metrics.disclosure_control.protect`, all tables together (the quarter's breakdowns and the
    four quarters' types share totals). `exact=True` only for CASE_HANDLER_ROLES, who may read
    every report itself (the view checks the role), so nothing is withheld from them. The
    quarter may be spelled either way (`metrics.quarters`); counts are kept as `2025-Q1`."""
    quarter = Quarter.parse(quarter).dashed
    rows = TrendCount.objects.filter(organisation=organisation, quarter=quarter)

    def breakdown(filters: dict, field: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in rows.filter(**filters).values(field).annotate(n=Sum("count")):
            counts[row[field] if row[field] is not None else ""] += row["n"]
        return counts

    by_type = {t.value: 0 for t in IncidentType}
    by_type.update(breakdown({"characteristic": TrendCount.ALL}, "incident_type"))
    by_characteristic = {c.value: 0 for c in Characteristic}
    by_characteristic.update(
        {k: v for k, v in breakdown({}, "characteristic").items() if k != TrendCount.ALL}
    )
    directorates = {d.pk: d.name for d in Directorate.objects.filter(organisation=organisation)}
    by_directorate = {str(pk): 0 for pk in directorates}
    by_directorate[""] = 0
    by_directorate.update(
        {
            str(k) if k else "": v
            for k, v in breakdown({"characteristic": TrendCount.ALL}, "directorate").items()
        }
    )
    quarters = [q.dashed for q in Quarter.parse(quarter).last(4)]
    trend_counts: dict[str, dict[str, int]] = {}
    for q in quarters:
        counts = {t.value: 0 for t in IncidentType}
        for row in (
            TrendCount.objects.filter(
                organisation=organisation, quarter=q, characteristic=TrendCount.ALL
            )
            .values("incident_type")
            .annotate(n=Sum("count"))
        ):
            counts[row["incident_type"]] = row["n"]
        trend_counts[q] = counts
    if quarter not in trend_counts:
        trend_counts[quarter] = by_type
    tables = {
        "incidents_total": pl.DataFrame(
            {"quarter": [quarter], "count": [sum(by_type.values())]},
            schema={"quarter": pl.String, "count": pl.Int64},
        ),
        "incidents_by_type": pl.concat(
            [_counts_frame(q, counts) for q, counts in trend_counts.items()]
        ),
        "incidents_by_characteristic": _counts_frame(quarter, by_characteristic),
        "incidents_by_directorate": _counts_frame(quarter, by_directorate),
    }
    published = (
        tables
        if exact
        else protect(
            tables,
            threshold=organisation.suppression_threshold,
            round_to=5 if organisation.round_counts_to_5 else None,
            layouts=TREND_LAYOUTS,
        )
    )

    def listed(name: str, label, of_quarter: str = quarter) -> list[dict]:
        frame = published[name].filter(pl.col("quarter") == of_quarter)
        return [
            {"label": label(k), "count": v, "suppressed": v is None}
            for k, v in frame.select("label", "count").iter_rows()
        ]

    trend = [
        {
            "quarter": q,
            "type": IncidentType(row["label"]).label,
            "count": row["count"],
            "suppressed": row["count"] is None,
        }
        for q in quarters
        for row in (
            {"label": k, "count": v}
            for k, v in published["incidents_by_type"]
            .filter(pl.col("quarter") == q)
            .select("label", "count")
            .iter_rows()
        )
    ]
    return {
        "quarter": quarter,
        "threshold": organisation.suppression_threshold,
        "exact": exact,
        "total": published["incidents_total"]["count"][0],
        "by_type": listed("incidents_by_type", lambda k: IncidentType(k).label),
        "by_characteristic": listed(
            "incidents_by_characteristic", lambda k: Characteristic(k).label
        ),
        "by_directorate": listed(
            "incidents_by_directorate",
            lambda k: directorates.get(int(k), "Not given") if k else "Not given",
        ),
        "trend": trend,
    }


def trend_chart_series(trend: list[dict]) -> dict:
    """Which incident types the 12-month chart draws, and why the others are left out.

    A line with a withheld point would be drawn as if the count were missing or zero, and a
    chart of only zero lines says "nothing happened" when counts were in fact withheld. So a
    type with any withheld count is not drawn (`withheld`), a type with no reports in any of
    the quarters is not drawn (`empty`), and when nothing is left there is no chart at all
    (`rows` empty): the page says why, and the table beside it has every count."""
    types = list(dict.fromkeys(row["type"] for row in trend))
    withheld = [t for t in types if any(r["suppressed"] for r in trend if r["type"] == t)]
    empty = [
        t
        for t in types
        if t not in withheld and not any(r["count"] for r in trend if r["type"] == t)
    ]
    drawn = [t for t in types if t not in withheld and t not in empty]
    return {
        "rows": [row for row in trend if row["type"] in drawn],
        "withheld": withheld,
        "empty": empty,
    }


# ---------------------------------------------------------------------------------------------
# Response times and the organisation's settings


def response_time_table(organisation: Organisation, on: date | None = None) -> dict:
    """Response times by quarter of receipt against the organisation's targets, exact: for
    CASE_HANDLER_ROLES only (the view checks). Reads only the coarse weeks kept in clear
    (received, first response, closed), never content. See metrics/response_times.py."""
    on = on or today()
    targets = IncidentSettings.for_organisation(organisation)
    rows = Report.objects.filter(organisation=organisation).values_list(
        "submitted_week", "first_response_week", "closed_at"
    )
    frame = pl.DataFrame(
        list(rows),
        schema={"received": pl.Date, "first_response": pl.Date, "closed": pl.Date},
        orient="row",
    )
    table = response_times(
        frame,
        on=on,
        first_response_working_days=targets.first_response_working_days,
        close_days=targets.close_days,
    )
    return {"targets": targets, "rows": table.to_dicts()}


def support_contacts(organisation: Organisation) -> list[SupportContact]:
    return list(SupportContact.objects.filter(organisation=organisation))
