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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from equitable.core.models import Directorate, Organisation, User
from equitable.incidents import receipts
from equitable.incidents.attachments import CleanFile
from equitable.incidents.dates import add_working_days, previous_quarters, quarter_of, week_of
from equitable.incidents.keys import cipher
from equitable.incidents.models import (
    Attachment,
    Characteristic,
    IncidentType,
    InternalNote,
    Message,
    Report,
    Sender,
    Source,
    Status,
    TrendCount,
)

FIRST_RESPONSE_WORKING_DAYS = 5
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
    receipt = receipts.generate() if source == Source.ONLINE else None
    receipt_hash = receipts.hash_secret(receipt, receipt_cost()) if receipt else ""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    organisation=organisation,
                    reference=_new_reference(),
                    submitted_week=week,
                    source=source,
                    incident_type=answers.incident_type,
                    characteristics=sorted(set(answers.characteristics)),
                    directorate=answers.directorate,
                    happened_month=answers.happened_month,
                    what_happened=box.encrypt_text(answers.what_happened),
                    reported_elsewhere=answers.reported_elsewhere,
                    desired_outcome=box.encrypt_text(answers.desired_outcome),
                    receipt_lookup=receipt.lookup if receipt else None,
                    receipt_hash=receipt_hash,
                    first_response_due=add_working_days(week, FIRST_RESPONSE_WORKING_DAYS),
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
                content=box.encrypt(clean.content),
                content_type=clean.content_type,
                extension=clean.extension,
                size=clean.size,
            )
            for clean in files
        ]
    )


def _count(report: Report) -> None:
    quarter = quarter_of(report.submitted_week)
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
            report=report, sender=sender, body=cipher().encrypt_text(text), week=week_of(today())
        )
        _store_files(report, files, sender)
    return message


def add_note(report: Report, author: User, text: str) -> InternalNote:
    return InternalNote.objects.create(
        report=report, author=author, body=cipher().encrypt_text(text), created_on=today()
    )


def update_case(report: Report, changes: dict) -> list[str]:
    """Apply status/outcome/category/severity/handler/due date; returns the changed fields."""
    changed = []
    for field, value in changes.items():
        if getattr(report, field) != value:
            setattr(report, field, value)
            changed.append(field)
    if report.status == Status.CLOSED and report.closed_at is None:
        report.closed_at = today()
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
            "text": box.decrypt_text(m.body),
        }
        for m in report.messages.all()
    ]


def content(report: Report) -> dict:
    """Decrypted content for the reporter (with receipt) or an EDI case handler."""
    box = cipher()
    return {
        "what_happened": box.decrypt_text(report.what_happened),
        "desired_outcome": box.decrypt_text(report.desired_outcome),
        "messages": conversation(report),
        "attachments": list(report.attachments.all().defer("content")),
    }


def notes(report: Report) -> list[dict]:
    box = cipher()
    return [
        {
            "author": n.author.username if n.author else "",
            "on": n.created_on,
            "text": box.decrypt_text(n.body),
        }
        for n in report.notes.select_related("author")
    ]


def attachment_bytes(attachment: Attachment) -> bytes:
    return cipher().decrypt(attachment.content)


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


def rotate_encryption() -> int:
    """Re-encrypt every encrypted value under the newest key; returns how many were rewritten."""
    box = cipher()
    rewritten = 0
    with transaction.atomic():
        for model, fields in (
            (Report, ("what_happened", "desired_outcome")),
            (Message, ("body",)),
            (InternalNote, ("body",)),
            (Attachment, ("content",)),
        ):
            for row in model.objects.all().only("pk", *fields).iterator():
                updates = {f: box.rotate(getattr(row, f)) for f in fields if getattr(row, f)}
                if updates:
                    model.objects.filter(pk=row.pk).update(**updates)
                    rewritten += len(updates)
    return rewritten


# ---------------------------------------------------------------------------------------------
# Trends


def _protect_counts(
    counts: dict[str, int], threshold: int, round_to_5: bool
) -> dict[str, int | None]:
    """Small-number suppression for a one-way breakdown shown with its total.

    Counts of 1 to threshold-1 are withheld (zeros are shown, as for the workforce figures).
    If exactly one cell is withheld, the total would give it away, so the smallest other
    non-zero cell is withheld too. Then optional rounding to 5. (A one-dimensional special case
    of metrics.disclosure_control, whose `protect` expects workforce table shapes.)"""
    shown: dict[str, int | None] = {
        k: (None if 0 < v < threshold else v) for k, v in counts.items()
    }
    withheld = [k for k, v in shown.items() if v is None]
    if len(withheld) == 1:
        others = sorted((v, k) for k, v in shown.items() if v)
        if others:
            shown[others[0][1]] = None
    if round_to_5:
        shown = {k: (None if v is None else 5 * round(v / 5)) for k, v in shown.items()}
    return shown


def _total(organisation, quarter: str, threshold: int, round_to_5: bool) -> int | None:
    total = (
        TrendCount.objects.filter(
            organisation=organisation, quarter=quarter, characteristic=TrendCount.ALL
        ).aggregate(n=Sum("count"))["n"]
        or 0
    )
    if 0 < total < threshold:
        return None
    return 5 * round(total / 5) if round_to_5 else total


def incident_trends(organisation: Organisation, quarter: str) -> dict:
    """Protected counts for one quarter and the 12 months to it (for board members and the
    board report). Keys: quarter, threshold, total, by_type, by_characteristic, by_directorate
    (lists of {label, count, suppressed}), trend (4 quarters x type: {quarter, type, count})."""
    threshold = organisation.suppression_threshold
    rounding = organisation.round_counts_to_5
    rows = TrendCount.objects.filter(organisation=organisation, quarter=quarter)

    def breakdown(filters: dict, key: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in rows.filter(**filters).values(key).annotate(n=Sum("count")):
            counts[row[key] if row[key] is not None else ""] += row["n"]
        return counts

    by_type_raw = {t.value: 0 for t in IncidentType}
    by_type_raw.update(breakdown({"characteristic": TrendCount.ALL}, "incident_type"))
    by_char_raw = {c.value: 0 for c in Characteristic}
    by_char_raw.update(
        {k: v for k, v in breakdown({}, "characteristic").items() if k != TrendCount.ALL}
    )
    directorates = {d.pk: d.name for d in Directorate.objects.filter(organisation=organisation)}
    by_dir_raw = {str(pk): 0 for pk in directorates}
    by_dir_raw[""] = 0
    by_dir_raw.update(
        {
            str(k) if k else "": v
            for k, v in breakdown({"characteristic": TrendCount.ALL}, "directorate").items()
        }
    )

    def listed(shown: dict[str, int | None], label) -> list[dict]:
        return [{"label": label(k), "count": v, "suppressed": v is None} for k, v in shown.items()]

    trend = []
    for q in previous_quarters(quarter, 4):
        counts = {t.value: 0 for t in IncidentType}
        for row in (
            TrendCount.objects.filter(
                organisation=organisation, quarter=q, characteristic=TrendCount.ALL
            )
            .values("incident_type")
            .annotate(n=Sum("count"))
        ):
            counts[row["incident_type"]] = row["n"]
        for key, value in _protect_counts(counts, threshold, rounding).items():
            trend.append(
                {
                    "quarter": q,
                    "type": IncidentType(key).label,
                    "count": value,
                    "suppressed": value is None,
                }
            )
    return {
        "quarter": quarter,
        "threshold": threshold,
        "total": _total(organisation, quarter, threshold, rounding),
        "by_type": listed(
            _protect_counts(by_type_raw, threshold, rounding), lambda k: IncidentType(k).label
        ),
        "by_characteristic": listed(
            _protect_counts(by_char_raw, threshold, rounding), lambda k: Characteristic(k).label
        ),
        "by_directorate": listed(
            _protect_counts(by_dir_raw, threshold, rounding),
            lambda k: directorates.get(int(k), "Not given") if k else "Not given",
        ),
        "trend": trend,
    }
