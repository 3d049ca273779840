"""Action-plan pages: plans, actions and progress, measures and targets, the recommendations
register, the workbook export and import, and the quarterly board report.

Every view reaches objects through `get_for_user` (another organisation's object is a 404);
editing also passes `services.require_edit` (a champion outside their directorate is a 403).
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from equitable.actions import services, spreadsheet
from equitable.actions.forms import (
    ActionForm,
    MeasureValueForm,
    ProgressUpdateForm,
    QuarterForm,
    TargetForm,
    UploadForm,
)
from equitable.actions.models import Action, ActionPlan, Measure, MeasureValue, ProgressUpdate
from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.models import AuditEvent

READ_ROLES = R.DASHBOARD_ROLES
EDIT_ROLES = services.EDIT_ROLES
WORKBOOK_ROLES = R.PROGRAMME_ROLES
ACTION_FIELD = "objective__theme__plan__organisation"
IMPORT_SESSION_KEY = "actions_import_workbook"
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024


def _action(request, pk) -> Action:
    return get_for_user(
        Action.objects.select_related("objective__theme__plan__directorate"),
        request.user,
        pk,
        field=ACTION_FIELD,
    )


def _measure(request, pk) -> Measure:
    return get_for_user(
        Measure.objects.select_related("objective__theme__plan__directorate"),
        request.user,
        pk,
        field=ACTION_FIELD,
    )


# --- plans ----------------------------------------------------------------------------------


@role_required(READ_ROLES)
def index(request):
    on = services.today()
    plans = [(plan, services.plan_counts(plan, on)) for plan in services.plans_for(request.user)]
    return render(
        request,
        "actions/index.html",
        {
            "plans": plans,
            "can_use_workbook": request.user.role in WORKBOOK_ROLES,
            "quarter": services.latest_complete_quarter(on),
        },
    )


@role_required(READ_ROLES)
def plan_detail(request, pk):
    plan = get_for_user(ActionPlan.objects.select_related("directorate"), request.user, pk)
    on = services.today()
    themes = services.plan_tree(plan)
    attention = [
        action
        for theme in themes
        for objective in theme.objectives.all()
        for action in objective.actions.all()
        if action.needs_attention(on)
    ]
    return render(
        request,
        "actions/plan.html",
        {
            "plan": plan,
            "themes": themes,
            "today": on,
            "attention": attention,
            "can_edit": services.can_edit(request.user, plan),
        },
    )


# --- actions --------------------------------------------------------------------------------


@role_required(READ_ROLES)
def action_detail(request, pk):
    action = _action(request, pk)
    return render(
        request,
        "actions/action.html",
        {
            "action": action,
            "plan": action.plan,
            "updates": action.updates.all(),
            "recommendations": action.recommendations.all(),
            "today": services.today(),
            "can_edit": services.can_edit(request.user, action.plan),
        },
    )


@role_required(EDIT_ROLES)
def action_edit(request, pk):
    action = _action(request, pk)
    services.require_edit(request.user, action.plan)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        previous = Action.objects.get(pk=action.pk).status
        if previous != action.status:
            services.set_status(action, action.status)
        action.save()
        audit.record(request.user, AuditEvent.Action.CHANGE, "action", action.pk, "edited")
        messages.success(request, "Action saved")
        return redirect("actions:action", action.pk)
    return render(
        request,
        "actions/action_edit.html",
        {"action": action, "plan": action.plan, "form": form, "error_form": form},
    )


@role_required(EDIT_ROLES)
def update_new(request, pk):
    action = _action(request, pk)
    services.require_edit(request.user, action.plan)
    form = ProgressUpdateForm(
        request.POST or None, request.FILES or None, initial={"on": services.today()}
    )
    if request.method == "POST" and form.is_valid():
        update = form.save(commit=False)
        update.action = action
        update.author = request.user
        if update.file:
            update.original_name = Path(update.file.name).name[:200]
        update.save()
        audit.record(
            request.user,
            AuditEvent.Action.CREATE,
            "progress_update",
            update.pk,
            f"action {action.pk}",
        )
        messages.success(request, "Progress update added")
        return redirect("actions:action", action.pk)
    return render(
        request,
        "actions/update_new.html",
        {"action": action, "plan": action.plan, "form": form, "error_form": form},
    )


@role_required(READ_ROLES)
def update_file(request, pk):
    update = get_for_user(
        ProgressUpdate.objects.select_related("action"),
        request.user,
        pk,
        field="action__" + ACTION_FIELD,
    )
    if not update.file:
        raise Http404
    try:
        handle = update.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename=update.original_name or Path(update.file.name).name
    )


# --- measures and targets -------------------------------------------------------------------


@role_required(READ_ROLES)
def measure_list(request):
    organisation = organisation_for(request.user)
    published = not request.user.has_personal_access
    statuses = [
        services.measure_status(m, published=published) for m in services.measures_of(organisation)
    ]
    return render(
        request,
        "actions/measures.html",
        {
            "with_targets": [s for s in statuses if s.target],
            "without_targets": [s for s in statuses if not s.target],
        },
    )


@role_required(READ_ROLES)
def measure_detail(request, pk):
    measure = _measure(request, pk)
    status = services.measure_status(
        measure, with_projection=True, published=not request.user.has_personal_access
    )
    can_enter = (
        services.can_edit(request.user, measure.plan) and measure.kind == Measure.Kind.MANUAL
    )
    return render(
        request,
        "actions/measure.html",
        {
            "status": status,
            "measure": measure,
            "plan": measure.plan,
            "chart": services.measure_chart(status),
            "table": services.table_rows(status),
            "form": MeasureValueForm(initial={"on": services.today()}) if can_enter else None,
            "can_edit": services.can_edit(request.user, measure.plan),
        },
    )


@role_required(EDIT_ROLES)
def measure_value_new(request, pk):
    """POST a value; a GET (a bookmarked or reloaded form address) goes back to the measure."""
    measure = _measure(request, pk)
    services.require_edit(request.user, measure.plan)
    if request.method != "POST":
        return redirect("actions:measure", measure.pk)
    if measure.kind != Measure.Kind.MANUAL:
        messages.error(request, "This measure is computed from the workforce snapshots")
        return redirect("actions:measure", measure.pk)
    form = MeasureValueForm(request.POST, unit=measure.unit)
    if form.is_valid():
        MeasureValue.objects.update_or_create(
            measure=measure,
            on=form.cleaned_data["on"],
            defaults={
                "value": form.cleaned_data["value"],
                "note": form.cleaned_data["note"],
                "origin": MeasureValue.Origin.MANUAL,
            },
        )
        audit.record(request.user, AuditEvent.Action.CHANGE, "measure", measure.pk, "value entered")
        messages.success(request, "Value saved")
        return redirect("actions:measure", measure.pk)
    status = services.measure_status(measure, with_projection=True)
    return render(
        request,
        "actions/measure.html",
        {
            "status": status,
            "measure": measure,
            "plan": measure.plan,
            "chart": services.measure_chart(status),
            "table": services.table_rows(status),
            "form": form,
            "error_form": form,
            "can_edit": services.can_edit(request.user, measure.plan),
        },
    )


@role_required(EDIT_ROLES)
def measure_target(request, pk):
    measure = _measure(request, pk)
    services.require_edit(request.user, measure.plan)
    target = measure.targets.prefetch_related("points").first()
    initial = {
        "points": "\n".join(f"{p.on:%Y-%m-%d} {p.value:g}" for p in target.points.all())
        if target
        else "",
        "tolerance": target.tolerance if target else 5,
    }
    form = TargetForm(request.POST or None, initial=initial, unit=measure.unit)
    if request.method == "POST" and form.is_valid():
        services.set_target(measure, form.cleaned_data["points"], form.cleaned_data["tolerance"])
        audit.record(request.user, AuditEvent.Action.CHANGE, "measure", measure.pk, "target set")
        messages.success(request, "Target saved")
        return redirect("actions:measure", measure.pk)
    return render(
        request,
        "actions/measure_target.html",
        {"measure": measure, "plan": measure.plan, "form": form, "error_form": form},
    )


# --- recommendations ------------------------------------------------------------------------


@role_required(READ_ROLES)
def recommendations(request):
    organisation = organisation_for(request.user)
    items = organisation.recommendations.prefetch_related("actions")
    themes: dict[str, list] = {}
    for item in items:
        themes.setdefault(item.theme, []).append(item)
    return render(request, "actions/recommendations.html", {"themes": themes})


# --- workbook -------------------------------------------------------------------------------


@role_required(WORKBOOK_ROLES)
def export_xlsx(request):
    organisation = organisation_for(request.user)
    content = services.export_workbook(organisation)
    audit.record(request.user, AuditEvent.Action.EXPORT, "action_plan", "", "workbook")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{organisation.slug}-action-plan-{services.today():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(WORKBOOK_ROLES)
def import_xlsx(request):
    """Upload → every problem listed, or a summary of what would change and a confirm button."""
    organisation = organisation_for(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "error_form": form, "problems": [], "summary": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        if upload.size > MAX_WORKBOOK_BYTES:
            form.add_error("workbook", "The workbook must be smaller than 5 MB")
        else:
            data = upload.read()
            try:
                book = services.read_upload(organisation, data)
            except spreadsheet.WorkbookRefused as refused:
                context["problems"] = refused.problems
            else:
                request.session[IMPORT_SESSION_KEY] = base64.b64encode(data).decode()
                context["summary"] = services.apply_workbook(organisation, book, dry_run=True)
    return render(request, "actions/import.html", context)


@role_required(WORKBOOK_ROLES)
def import_confirm(request):
    """POST confirms the checked upload; a GET goes back to the import page."""
    organisation = organisation_for(request.user)
    if request.method != "POST":
        return redirect("actions:import")
    encoded = request.session.pop(IMPORT_SESSION_KEY, None)
    if not encoded:
        messages.error(request, "Nothing to import: upload the workbook again")
        return redirect("actions:import")
    try:
        book = services.read_upload(organisation, base64.b64decode(encoded))
    except spreadsheet.WorkbookRefused:
        messages.error(request, "The workbook could not be read again: upload it again")
        return redirect("actions:import")
    summary = services.apply_workbook(organisation, book)
    audit.record(
        request.user, AuditEvent.Action.IMPORT, "action_plan", "", "; ".join(summary.lines())
    )
    messages.success(request, "Workbook imported. " + "; ".join(summary.lines()))
    return redirect("actions:index")


# --- board report ---------------------------------------------------------------------------


@role_required(READ_ROLES)
def board_report_choose(request):
    form = QuarterForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("actions:board-report", form.cleaned_data["quarter"])
    return render(
        request,
        "actions/board_report_choose.html",
        {
            "form": form,
            "error_form": form if request.GET else None,
            "suggested": services.latest_complete_quarter(),
        },
    )


def _quarter(quarter: str) -> str:
    try:
        services.parse_quarter(quarter)
    except ValueError as error:
        raise Http404 from error
    return quarter


@role_required(READ_ROLES)
def board_report(request, quarter: str):
    quarter = _quarter(quarter)
    organisation = organisation_for(request.user)
    context = services.board_report(organisation, quarter, request.user.role)
    for status in context["targets"]:
        status.chart = services.measure_chart(status)
        status.table = services.table_rows(status)
    return render(request, "actions/board_report.html", context)


@role_required(READ_ROLES)
def board_report_pdf(request, quarter: str):
    quarter = _quarter(quarter)
    organisation = organisation_for(request.user)
    content = services.board_report_pdf(organisation, quarter, request.user.role)
    audit.record(request.user, AuditEvent.Action.EXPORT, "board_report", "", quarter)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-board-report-{quarter}.pdf"'
    )
    return response
