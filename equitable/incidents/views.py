"""Case handling for the EDI team, and protected trends for board members.

Only CASE_HANDLER_ROLES (the EDI officer) ever see report content; every opening of a report or
an attachment is written to the audit log. Board members see trends only.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required, scoped
from equitable.core.charts import line_chart
from equitable.core.models import AuditEvent
from equitable.incidents import services
from equitable.incidents.dates import parse_quarter, quarter_of, week_of
from equitable.incidents.forms import (
    CaseForm,
    NoteForm,
    PaperReportForm,
    ReplyForm,
    clean_uploads,
)
from equitable.incidents.models import Attachment, Message, Report, Sender, Source, Status

TREND_ROLES = R.INCIDENT_TREND_ROLES


@role_required(TREND_ROLES)
def index(request):
    if request.user.role not in R.CASE_HANDLER_ROLES:
        return redirect("incidents:trends")
    status = request.GET.get("status", "open")
    last_sender = Message.objects.filter(report=OuterRef("pk")).order_by("-id").values("sender")[:1]
    reports = scoped(
        Report.objects.select_related("handler", "directorate").annotate(
            last_sender=Subquery(last_sender)
        ),
        request.user,
    )
    if status == "open":
        reports = reports.exclude(status=Status.CLOSED)
    elif status in Status.values:
        reports = reports.filter(status=status)
    return render(
        request,
        "incidents/inbox.html",
        {
            "reports": reports[:500],
            "status": status,
            "statuses": Status.choices,
            "today": services.today(),
        },
    )


@role_required(R.CASE_HANDLER_ROLES)
def detail(request, pk: int):
    report = get_for_user(Report.objects.select_related("directorate", "handler"), request.user, pk)
    audit.record(
        request.user, AuditEvent.Action.VIEW, "incident_report", report.pk, "opened report"
    )
    case_form = CaseForm(
        organisation=report.organisation,
        initial={
            "status": report.status,
            "outcome": report.outcome,
            "category": report.category,
            "severity": report.severity,
            "handler": str(report.handler_id or ""),
            "first_response_due": report.first_response_due,
        },
    )
    return _render_detail(request, report, case_form, NoteForm(), ReplyForm())


def _render_detail(request, report, case_form, note_form, reply_form, status=200):
    return render(
        request,
        "incidents/detail.html",
        {
            "report": report,
            "content": services.content(report),
            "notes": services.notes(report),
            "case_form": case_form,
            "note_form": note_form,
            "reply_form": reply_form,
            "status_label": Status(report.status).label,
        },
        status=status,
    )


@role_required(R.CASE_HANDLER_ROLES)
@require_POST
def update(request, pk: int):
    report = get_for_user(Report, request.user, pk)
    form = CaseForm(request.POST, organisation=report.organisation)
    if not form.is_valid():
        return _render_detail(request, report, form, NoteForm(), ReplyForm(), status=400)
    changed = services.update_case(report, form.changes())
    audit.record(
        request.user,
        AuditEvent.Action.CHANGE,
        "incident_report",
        report.pk,
        "changed: " + ", ".join(changed),
    )
    messages.success(request, "Case updated")
    return redirect("incidents:detail", pk=report.pk)


@role_required(R.CASE_HANDLER_ROLES)
@require_POST
def note(request, pk: int):
    report = get_for_user(Report, request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_detail(
            request,
            report,
            CaseForm(organisation=report.organisation),
            form,
            ReplyForm(),
            status=400,
        )
    services.add_note(report, request.user, form.cleaned_data["text"])
    audit.record(
        request.user, AuditEvent.Action.CREATE, "incident_note", report.pk, "added internal note"
    )
    messages.success(request, "Note added")
    return redirect("incidents:detail", pk=report.pk)


@role_required(R.CASE_HANDLER_ROLES)
@require_POST
def reply(request, pk: int):
    report = get_for_user(Report, request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_detail(
            request,
            report,
            CaseForm(organisation=report.organisation),
            NoteForm(),
            form,
            status=400,
        )
    services.add_message(report, Sender.TEAM, form.cleaned_data["text"])
    if report.status == Status.NEW:
        services.update_case(report, {"status": Status.ACKNOWLEDGED})
    audit.record(
        request.user, AuditEvent.Action.CREATE, "incident_message", report.pk, "replied to reporter"
    )
    messages.success(
        request, "Reply sent. The reporter sees it when they come back with their receipt"
    )
    return redirect("incidents:detail", pk=report.pk)


@role_required(R.CASE_HANDLER_ROLES)
def attachment(request, pk: int):
    item = get_for_user(
        Attachment.objects.select_related("report"), request.user, pk, field="report__organisation"
    )
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "incident_attachment",
        item.pk,
        f"report {item.report_id}",
    )
    response = HttpResponse(services.attachment_bytes(item), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(R.CASE_HANDLER_ROLES)
def paper(request):
    organisation = organisation_for(request.user)
    form = PaperReportForm(request.POST or None, organisation=organisation, today=services.today())
    problems: list[str] = []
    if request.method == "POST":
        cleaned_files, problems = clean_uploads(request.FILES.getlist("attachments"))
        if form.is_valid() and not problems:
            report, _ = services.submit_report(
                organisation,
                form.answers(),
                cleaned_files,
                source=Source.PAPER,
                received=week_of(form.cleaned_data["box_emptied"]),
            )
            audit.record(
                request.user,
                AuditEvent.Action.CREATE,
                "incident_report",
                report.pk,
                "keyed in paper report",
            )
            messages.success(request, f"Paper report {report.reference} added")
            return redirect("incidents:detail", pk=report.pk)
    return render(
        request, "incidents/paper.html", {"form": form, "error_form": form, "problems": problems}
    )


@role_required(TREND_ROLES)
def trends(request):
    organisation = organisation_for(request.user)
    quarter = request.GET.get("quarter") or quarter_of(services.today())
    try:
        parse_quarter(quarter)
    except ValueError as error:
        raise Http404 from error
    data = services.incident_trends(organisation, quarter)
    chart_rows = [row for row in data["trend"] if row["count"] is not None]
    chart = line_chart(
        chart_rows,
        x="quarter",
        y="count",
        series="type",
        x_type="O",
        title="Reports received per quarter, last 12 months",
        x_title="Quarter",
        y_title="Reports",
        description="Number of reports by type in each of the last four quarters; small numbers are withheld.",
    )
    return render(request, "incidents/trends.html", {"data": data, "chart": chart})
