"""Board reports as the EDI officer keeps them: a draft per quarter (the key messages; figures
follow the live data) and issued reports, frozen.

Issuing renders the board's report once (`services.board_report` with the board member's
reading: protected figures, whoever issues it) and keeps what it showed: the PDF bytes, the
page body and the figures as JSON. Those are served as stored ever after, so an issued report
downloads byte for byte the same however the snapshots, measures or actions change later. A
correction is issued as a new version; the old one stays listed, marked superseded. Every
issue is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from equitable.actions import report_text, services
from equitable.actions.models import BoardReport
from equitable.core import audit
from equitable.core import roles as R
from equitable.core.models import AuditEvent, Organisation, User
from equitable.surveys import summary as survey_summary

# Who writes the key messages and issues the report: the EDI officer (the report carries the
# incident trends, which the org admin may not read).
WRITE_ROLES = frozenset({R.Role.EDI_OFFICER})
# Who may read the frozen incidents section and download an issued PDF (which contains it):
# the roles of /incidents/trends/.
FULL_READ_ROLES = R.INCIDENT_TREND_ROLES
BOARD_READER = R.Role.BOARD_MEMBER
MAX_CORRECTION = 500


class IssueConflict(Exception):
    """Someone issued this quarter's report while this one was being rendered."""


def require_write(user: User) -> None:
    if user.role not in WRITE_ROLES:
        raise PermissionDenied


# --- reading --------------------------------------------------------------------------------


def reports_of(organisation: Organisation) -> QuerySet[BoardReport]:
    return BoardReport.objects.filter(organisation=organisation).select_related("issued_by")


def draft_for(organisation: Organisation, quarter: str) -> BoardReport | None:
    return reports_of(organisation).filter(quarter=quarter, status=BoardReport.Status.DRAFT).first()


def issued_for(organisation: Organisation, quarter: str) -> BoardReport | None:
    """The quarter's current issued version (not a superseded one), if any."""
    return (
        reports_of(organisation).filter(quarter=quarter, status=BoardReport.Status.ISSUED).first()
    )


def versions_for(organisation: Organisation, quarter: str) -> list[BoardReport]:
    """Every issued version of a quarter, newest first (the current one, then superseded)."""
    return list(
        reports_of(organisation)
        .filter(quarter=quarter)
        .exclude(status=BoardReport.Status.DRAFT)
        .defer("pdf")
        .order_by("-version")
    )


def key_messages_for(organisation: Organisation, quarter: str) -> str:
    """The draft's key messages; with no draft, the issued version's (a correction starts
    from what was issued)."""
    draft = draft_for(organisation, quarter)
    if draft is not None:
        return draft.key_messages
    issued = issued_for(organisation, quarter)
    return issued.key_messages if issued else ""


@dataclass
class QuarterRow:
    """One line of the "Board reports" page."""

    quarter: str
    draft: BoardReport | None = None
    issued: BoardReport | None = None
    superseded: list[BoardReport] = field(default_factory=list)


def quarter_rows(organisation: Organisation, current: str) -> list[QuarterRow]:
    """Every quarter with a draft or an issued report, newest first; the current quarter is
    always listed (its draft follows the live data even before anyone writes in it)."""
    rows: dict[str, QuarterRow] = {current: QuarterRow(current)}
    for report in reports_of(organisation).defer("pdf", "body_html", "incidents_html"):
        row = rows.setdefault(report.quarter, QuarterRow(report.quarter))
        if report.status == BoardReport.Status.DRAFT:
            row.draft = report
        elif report.status == BoardReport.Status.ISSUED:
            row.issued = report
        else:
            row.superseded.append(report)
    for row in rows.values():
        row.superseded.sort(key=lambda r: -r.version)
    return [rows[q] for q in sorted(rows, reverse=True)]


# --- the draft ------------------------------------------------------------------------------


def save_key_messages(user: User, organisation: Organisation, quarter: str, text: str) -> None:
    """Keep the quarter's key messages on its draft (made on first save). An issued report is
    never touched: writing after issue starts the draft of a corrected version."""
    require_write(user)
    services.parse_quarter(quarter)
    problems = report_text.key_message_problems(text)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        draft = draft_for(organisation, quarter) or BoardReport(
            organisation=organisation, quarter=quarter
        )
        draft.key_messages = text
        draft.save()
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "board_report",
        draft.pk,
        f"key messages of the {quarter} draft ({len(text)} characters)",
    )


def report_context(
    organisation: Organisation, quarter: str, reader: str, *, key_messages: str | None = None
) -> dict[str, Any]:
    """The live report (the board's protected figures) with the quarter's key messages and
    the charts, for the page and the PDF."""
    if key_messages is None:
        key_messages = key_messages_for(organisation, quarter)
    context = services.board_report(organisation, quarter, reader, key_messages=key_messages)
    for status in context["targets"]:
        status.chart = services.measure_chart(status)
    # Survey figures are protected for every role, so the panel is the same whoever reads;
    # the wave is the newest closed by the quarter's end, as the headline's snapshot is.
    context["survey"] = survey_summary.board_panel(organisation, on=context["end"])
    return context


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("actions/board_report_pdf.html", context)
    return HTML(string=html).write_pdf(pdf_tags=True)


def draft_pdf(organisation: Organisation, quarter: str, reader: str = BOARD_READER) -> bytes:
    """The draft as PDF, marked DRAFT on every page: it follows the live data."""
    return render_pdf(report_context(organisation, quarter, reader))


def draft_document(job) -> tuple[bytes, str]:
    """The draft PDF as the person who asked reads it (core.documents)."""
    quarter = job.arguments["quarter"]
    content = draft_pdf(job.organisation, quarter, job.requested_by.role)
    return content, f"{job.organisation.slug}-board-report-{quarter}-draft.pdf"


# --- issuing --------------------------------------------------------------------------------


def figures_of(context: dict[str, Any]) -> dict[str, Any]:
    """The figures a report shows, as JSON: kept with an issued report so that what the board
    read can be checked later without opening the PDF."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    def actions(items) -> list[dict]:
        return [
            {
                "ref": a.ref,
                "text": a.text,
                "status": a.status,
                "due": day(a.due),
                "completed_on": day(a.completed_on),
            }
            for a in items
        ]

    incidents = context["incidents"]
    return {
        "quarter": context["quarter"],
        "generated": day(context["generated"]),
        "key_messages": context["key_messages"],
        "headline": [
            {
                "name": row["name"],
                "value": row["value"],
                "withheld": row["withheld"],
                "as_at": day(row["as_at"]),
                "age": row["age"],
                "previous": row["previous"],
                "previous_withheld": row["previous_withheld"],
                "previous_as_at": day(row["previous_as_at"]),
                "movement": row["movement"],
            }
            for row in context["headline"]
        ],
        "targets": [
            {
                "measure": s.measure.name,
                "ref": s.measure.ref,
                "unit": s.measure.unit,
                "rag": s.rag.value if s.rag else None,
                "latest": s.latest_value,
                "latest_on": day(s.latest.on) if s.latest else None,
                "age": s.age,
                "expected": s.expected,
                "withheld_on": day(s.withheld_on),
            }
            for s in context["targets"]
        ],
        "actions": {
            "completed": actions(context["completed"]),
            "due": actions(context["due"]),
            "overdue": actions(context["overdue"]),
            "attention": actions(context["attention"]),
        },
        "levels": [
            {k: c.get(k) for k in ("category", "title", "points", "max_points", "level", "period")}
            for c in context["levels"] or []
        ],
        "incidents": (
            {"total": incidents.get("total"), "trend": incidents.get("trend")}
            if isinstance(incidents, dict)
            else None
        ),
        # Already plain JSON (equitable/surveys/summary.py); None with no survey by then.
        "survey": context.get("survey"),
    }


def issue(
    user: User, organisation: Organisation, quarter: str, *, correction: str = ""
) -> BoardReport:
    """Freeze the quarter's report as the board reads it now and list it as issued.

    With a report already issued for the quarter this is a corrected version: `correction`
    (required) says what it corrects, and the old version is kept, marked superseded. The
    rendering runs before the write transaction (a PDF takes seconds; SQLite would be locked
    meanwhile); if someone issued in between, `IssueConflict`."""
    require_write(user)
    services.parse_quarter(quarter)
    correction = correction.strip()
    current = issued_for(organisation, quarter)
    if current is not None and not correction:
        raise ValidationError("Say what this version corrects")
    if len(correction) > MAX_CORRECTION:
        raise ValidationError(f"Say what it corrects in {MAX_CORRECTION} characters or fewer")
    latest = (
        BoardReport.objects.filter(organisation=organisation, quarter=quarter)
        .exclude(status=BoardReport.Status.DRAFT)
        .aggregate(v=Max("version"))["v"]
        or 0
    )
    version = latest + 1
    key_messages = key_messages_for(organisation, quarter)
    context = report_context(organisation, quarter, BOARD_READER, key_messages=key_messages)
    context["issued"] = {"version": version, "correction": correction}
    pdf = render_pdf(context)
    body = render_to_string("actions/_board_body.html", context)
    incidents = render_to_string("actions/_board_incidents.html", context)
    figures = figures_of(context)

    with transaction.atomic():
        now_latest = (
            BoardReport.objects.filter(organisation=organisation, quarter=quarter)
            .exclude(status=BoardReport.Status.DRAFT)
            .aggregate(v=Max("version"))["v"]
            or 0
        )
        if now_latest != latest:
            raise IssueConflict(quarter)
        previous = issued_for(organisation, quarter)
        if previous is not None:
            previous.status = BoardReport.Status.SUPERSEDED
            previous.save()
        report = draft_for(organisation, quarter) or BoardReport(
            organisation=organisation, quarter=quarter, key_messages=key_messages
        )
        report.status = BoardReport.Status.ISSUED
        report.version = version
        report.correction = correction
        report.issued_at = timezone.now()
        report.issued_by = user
        report.pdf = pdf
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.body_html = body
        report.incidents_html = incidents
        report.figures = figures
        report.save()
        if previous is not None:
            previous.superseded_by = report
            previous.save()
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "board_report",
        report.pk,
        f"issued the {quarter} board report, version {version}"
        + (f", superseding version {previous.version}" if previous else "")
        + f" (PDF SHA-256 {report.pdf_sha256[:16]}…)",
    )
    return report


def issued_pdf(report: BoardReport) -> bytes:
    """The bytes stored when the report was issued, exactly."""
    return bytes(report.pdf)


def issued_showing_snapshot(organisation: Organisation, on: date) -> list[BoardReport]:
    """Issued (or superseded) reports whose headline figures came from the snapshot of `on`:
    deleting or replacing that snapshot leaves them as they are (they are frozen), but they
    then show figures the live data no longer hold, which the snapshot page should say."""
    day = on.isoformat()
    return [
        report
        for report in reports_of(organisation)
        .exclude(status=BoardReport.Status.DRAFT)
        .defer("pdf", "body_html", "incidents_html")
        if any(
            day in (row.get("as_at"), row.get("previous_as_at"))
            for row in report.figures.get("headline", [])
        )
    ]
