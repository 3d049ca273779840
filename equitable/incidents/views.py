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
from equitable.incidents.dates import week_of
from equitable.incidents.forms import (
    CaseForm,
    NoteForm,
    PaperReportForm,
    ReplyForm,
    SupportContactForm,
    TargetsForm,
    clean_uploads,
)
from equitable.incidents.models import (
    Attachment,
    IncidentSettings,
    Message,
    Report,
    Sender,
    Source,
    Status,
    SupportContact,
)
from equitable.metrics.quarters import Quarter

TREND_ROLES = R.INCIDENT_TREND_ROLES
# Response targets and the support signposted to reporters: the EDI officer and the
# organisation admin (the admin sets the organisation's policies, without reading any case).
SETTINGS_ROLES = R.CASE_HANDLER_ROLES | R.ADMIN_ROLES


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
    """Case handlers (who can read every report) see exact counts and the response times;
    board members see protected counts only."""
    organisation = organisation_for(request.user)
    try:
        chosen = request.GET.get("quarter")
        quarter = (Quarter.parse(chosen) if chosen else Quarter.of(services.today())).dashed
    except ValueError as error:
        raise Http404 from error
    exact = request.user.role in R.CASE_HANDLER_ROLES
    data = services.incident_trends(organisation, quarter, exact=exact)
    series = services.trend_chart_series(data["trend"])
    chart = (
        line_chart(
            series["rows"],
            x="quarter",
            y="count",
            series="type",
            series_title="Type of incident",
            x_type="O",
            title="Reports received per quarter, last 12 months",
            x_title="Quarter",
            y_title="Reports",
            description="Number of reports by type in each of the last four quarters"
            + ("." if exact else "; types with withheld counts are not drawn."),
        )
        if series["rows"]
        else None
    )
    return render(
        request,
        "incidents/trends.html",
        {
            "data": data,
            "chart": chart,
            "series": series,
            "response": services.response_time_table(organisation) if exact else None,
        },
    )


def _settings_page(request, organisation, targets_form, contact_form, status=200):
    return render(
        request,
        "incidents/settings.html",
        {
            "targets_form": targets_form,
            "contact_form": contact_form,
            "contacts": services.support_contacts(organisation),
            "error_form": targets_form if targets_form.errors else contact_form,
            "organisation": organisation,
        },
        status=status,
    )


@role_required(SETTINGS_ROLES)
def settings_page(request):
    """Response targets, and the support services signposted on the report form."""
    organisation = organisation_for(request.user)
    current = IncidentSettings.for_organisation(organisation)
    targets_form = TargetsForm(instance=current)
    contact_form = SupportContactForm()
    if request.method == "POST":
        if request.POST.get("action") == "add-contact":
            contact_form = SupportContactForm(request.POST)
            if contact_form.is_valid():
                contact = contact_form.save(commit=False)
                contact.organisation = organisation
                contact.position = len(services.support_contacts(organisation))
                contact.save()
                audit.record(
                    request.user,
                    AuditEvent.Action.CREATE,
                    "support_contact",
                    contact.pk,
                    f"added {contact.kind_label}: {contact.name}",
                )
                messages.success(request, f"{contact.name} added")
                return redirect("incidents:settings")
        else:
            targets_form = TargetsForm(request.POST, instance=current)
            if targets_form.is_valid():
                saved = targets_form.save(commit=False)
                saved.organisation = organisation
                saved.save()
                audit.record(
                    request.user,
                    AuditEvent.Action.CHANGE,
                    "incident_settings",
                    saved.pk,
                    f"targets: first response {saved.first_response_working_days} working "
                    f"days, close {saved.close_days} days",
                )
                messages.success(request, "Targets saved")
                return redirect("incidents:settings")
        return _settings_page(request, organisation, targets_form, contact_form, status=400)
    return _settings_page(request, organisation, targets_form, contact_form)


@role_required(SETTINGS_ROLES)
def contact(request, pk: int):
    item = get_for_user(SupportContact, request.user, pk)
    form = SupportContactForm(request.POST or None, instance=item)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            audit.record(
                request.user,
                AuditEvent.Action.CHANGE,
                "support_contact",
                item.pk,
                f"changed {item.kind_label}: {item.name}",
            )
            messages.success(request, f"{item.name} saved")
            return redirect("incidents:settings")
    return render(
        request,
        "incidents/contact.html",
        {"form": form, "error_form": form, "contact": item},
        status=400 if form.errors else 200,
    )


@role_required(SETTINGS_ROLES)
@require_POST
def contact_delete(request, pk: int):
    item = get_for_user(SupportContact, request.user, pk)
    audit.record(
        request.user,
        AuditEvent.Action.DELETE,
        "support_contact",
        item.pk,
        f"removed {item.kind_label}: {item.name}",
    )
    item.delete()
    messages.success(request, f"{item.name} removed")
    return redirect("incidents:settings")
