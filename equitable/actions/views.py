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

from equitable.actions import services, spreadsheet, survey_sources
from equitable.actions.forms import (
    ActionForm,
    ErrorSummary,
    MeasureValueForm,
    ProgressUpdateForm,
    RecommendationFilterForm,
    RecommendationForm,
    SurveySourceForm,
    TargetRowFormSet,
    TargetSettingsForm,
    UploadForm,
    WithdrawUpdateForm,
)
from equitable.actions.models import (
    Action,
    ActionPlan,
    Measure,
    MeasureValue,
    ProgressUpdate,
    Recommendation,
)
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


def _posted(request):
    """The form data of a POST, even an empty one (`request.POST or None` would treat an empty
    submission as no submission and show no errors)."""
    return request.POST if request.method == "POST" else None


def _update(request, pk) -> ProgressUpdate:
    return get_for_user(
        ProgressUpdate.objects.select_related(
            "action__objective__theme__plan__directorate", "author"
        ),
        request.user,
        pk,
        field="action__" + ACTION_FIELD,
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
    history = services.update_history(action)
    return render(
        request,
        "actions/action.html",
        {
            "action": action,
            "plan": action.plan,
            "updates": [u for u in history if u.is_current],
            "history": history,
            "recommendations": action.recommendations.all(),
            "today": services.today(),
            "can_edit": services.can_edit(request.user, action.plan),
        },
    )


@role_required(EDIT_ROLES)
def action_edit(request, pk):
    action = _action(request, pk)
    services.require_edit(request.user, action.plan)
    form = ActionForm(_posted(request), instance=action, organisation=action.plan.organisation)
    if request.method == "POST" and form.is_valid():
        action = form.save()
        audit.record(request.user, AuditEvent.Action.CHANGE, "action", action.pk, "edited")
        messages.success(request, "Action saved")
        return redirect("actions:action", action.pk)
    return render(
        request,
        "actions/action_edit.html",
        {"action": action, "plan": action.plan, "form": form, "error_form": form},
    )


def _update_page(request, action, form, *, original=None):
    return render(
        request,
        "actions/update_new.html",
        {
            "action": action,
            "plan": action.plan,
            "form": form,
            "error_form": form,
            "original": original,
            "today": services.today(),
        },
    )


@role_required(EDIT_ROLES)
def update_new(request, pk):
    """One form: the status and the progress note together."""
    action = _action(request, pk)
    services.require_edit(request.user, action.plan)
    form = ProgressUpdateForm(
        _posted(request),
        request.FILES or None,
        initial={"on": services.today(), "status": action.status},
    )
    if request.method == "POST" and form.is_valid():
        services.add_update(action, request.user, form.cleaned_data, form.cleaned_data.get("file"))
        messages.success(request, "Progress updated")
        return redirect("actions:action", action.pk)
    return _update_page(request, action, form)


@role_required(EDIT_ROLES)
def update_correct(request, pk):
    """Correct a mistaken update: a new update replaces it; the original stays in the history."""
    original = _update(request, pk)
    action = original.action
    services.require_edit(request.user, action.plan)
    if not original.is_current:
        messages.error(request, "That update has already been corrected or withdrawn")
        return redirect("actions:action", action.pk)
    form = ProgressUpdateForm(
        _posted(request),
        request.FILES or None,
        initial={
            "on": original.on,
            "status": original.status or action.status,
            "note": original.note,
            "link": original.link,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.correct_update(
            original, request.user, form.cleaned_data, form.cleaned_data.get("file")
        )
        messages.success(request, "Update corrected. The original is kept in the history")
        return redirect("actions:action", action.pk)
    return _update_page(request, action, form, original=original)


@role_required(EDIT_ROLES)
def update_withdraw(request, pk):
    """Withdraw a mistaken update (with a reason): hidden from the current view, kept in the
    history marked withdrawn."""
    update = _update(request, pk)
    action = update.action
    services.require_edit(request.user, action.plan)
    if not update.is_current:
        messages.error(request, "That update has already been corrected or withdrawn")
        return redirect("actions:action", action.pk)
    form = WithdrawUpdateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.withdraw_update(update, request.user, form.cleaned_data["reason"])
        messages.success(request, "Update withdrawn. It is kept in the history")
        return redirect("actions:action", action.pk)
    return render(
        request,
        "actions/update_withdraw.html",
        {"action": action, "plan": action.plan, "update": update, "form": form, "error_form": form},
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
    can_enter = (
        services.can_edit(request.user, measure.plan) and measure.kind == Measure.Kind.MANUAL
    )
    form = MeasureValueForm(initial={"on": services.today()}) if can_enter else None
    return _measure_page(request, measure, form=form)


def _measure_page(
    request,
    measure: Measure,
    *,
    form: MeasureValueForm | None = None,
    survey_form: SurveySourceForm | None = None,
    error_form=None,
):
    """The measure page, as read and after a refused form (with that form's errors)."""
    measure_status = services.measure_status(
        measure, with_projection=True, published=not request.user.has_personal_access
    )
    return render(
        request,
        "actions/measure.html",
        {
            "status": measure_status,
            "measure": measure,
            "plan": measure.plan,
            "chart": services.measure_chart(measure_status),
            "table": services.table_rows(measure_status),
            "form": form,
            "error_form": error_form,
            "can_edit": services.can_edit(request.user, measure.plan),
            "not_available": services.lifecycle_availability(measure),
            **_survey_context(request, measure, survey_form),
        },
    )


def _survey_context(request, measure: Measure, form: SurveySourceForm | None = None) -> dict:
    """The survey question a measure reads (or the form to choose one, for its editors)."""
    source = survey_sources.source_of(measure)
    editable = services.can_edit(request.user, measure.plan) and (
        source is not None or measure.kind == Measure.Kind.MANUAL
    )
    items = survey_sources.measurable_items(measure.plan.organisation) if editable else []
    if editable and items and form is None:
        item = survey_sources.item_of(measure)
        form = SurveySourceForm(
            items=items,
            initial={"item": item.pk if item else None, "group": source.group if source else None},
        )
    return {
        "survey_source": source,
        "survey_definition": survey_sources.definition_of(measure),
        "survey_notes": survey_sources.survey_notes(measure),
        "survey_form": form if editable and items else None,
    }


@role_required(EDIT_ROLES)
def measure_survey_source(request, pk):
    """POST: compute the measure from a survey question and group, or (stop) go back to
    values entered by hand."""
    measure = _measure(request, pk)
    services.require_edit(request.user, measure.plan)
    if request.method != "POST":
        return redirect("actions:measure", measure.pk)
    source = survey_sources.source_of(measure)
    if measure.kind != Measure.Kind.MANUAL and source is None:
        messages.error(request, "This measure is computed from the workforce or lifecycle data")
        return redirect("actions:measure", measure.pk)
    if "stop" in request.POST and source is not None:
        survey_sources.stop_survey_question(request.user, measure)
        messages.success(request, "The measure now takes values entered by hand")
        return redirect("actions:measure", measure.pk)
    items = survey_sources.measurable_items(measure.plan.organisation)
    form = SurveySourceForm(request.POST, items=items)
    if form.is_valid():
        written = survey_sources.use_survey_question(
            request.user, measure, form.cleaned_data["item"], form.cleaned_data["group"]
        )
        messages.success(
            request,
            f"The measure is now computed from the staff surveys ({written} "
            f"value{'' if written == 1 else 's'} so far)",
        )
        return redirect("actions:measure", measure.pk)
    return _measure_page(request, measure, survey_form=form, error_form=form)


@role_required(EDIT_ROLES)
def measure_value_new(request, pk):
    """POST a value; a GET (a bookmarked or reloaded form address) goes back to the measure."""
    measure = _measure(request, pk)
    services.require_edit(request.user, measure.plan)
    if request.method != "POST":
        return redirect("actions:measure", measure.pk)
    if measure.kind != Measure.Kind.MANUAL:
        messages.error(
            request, "This measure is computed from the workforce, lifecycle or survey data"
        )
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
    return _measure_page(request, measure, form=form, error_form=form)


@role_required(EDIT_ROLES)
def measure_target(request, pk):
    """The target as rows of date and value (a formset), with its tolerance and an optional
    baseline. The page always offers a few blank rows; saving gives a few more."""
    measure = _measure(request, pk)
    services.require_edit(request.user, measure.plan)
    target = measure.targets.prefetch_related("points").first()
    points = list(target.points.all()) if target else []
    baseline = next((p for p in points if p.is_baseline), None)
    settings_initial = {
        "tolerance": f"{target.tolerance:g}" if target else "5",
        "baseline_on": baseline.on if baseline else None,
        "baseline_value": f"{baseline.value:g}" if baseline else None,
    }
    rows_initial = [{"on": p.on, "value": f"{p.value:g}"} for p in points if not p.is_baseline]
    summary = None
    if request.method == "POST":
        settings_form = TargetSettingsForm(request.POST, unit=measure.unit)
        baseline_on = (
            settings_form.cleaned_data.get("baseline_on") if settings_form.is_valid() else None
        )
        formset = TargetRowFormSet(
            request.POST, prefix="rows", unit=measure.unit, baseline_on=baseline_on
        )
        if settings_form.is_valid() and formset.is_valid():
            data = settings_form.cleaned_data
            services.set_target(
                measure,
                formset.points(),
                data["tolerance"],
                (data["baseline_on"], data["baseline_value"])
                if data["baseline_on"] is not None
                else None,
            )
            audit.record(
                request.user, AuditEvent.Action.CHANGE, "measure", measure.pk, "target set"
            )
            messages.success(request, "Target saved")
            return redirect("actions:measure", measure.pk)
        summary = ErrorSummary(ErrorSummary.of_form(settings_form) + formset.error_items())
    else:
        settings_form = TargetSettingsForm(initial=settings_initial, unit=measure.unit)
        formset = TargetRowFormSet(initial=rows_initial, prefix="rows", unit=measure.unit)
    return render(
        request,
        "actions/measure_target.html",
        {
            "measure": measure,
            "plan": measure.plan,
            "form": settings_form,
            "formset": formset,
            "error_form": summary,
        },
    )


# --- recommendations ------------------------------------------------------------------------


@role_required(READ_ROLES)
def recommendations(request):
    """The register, filterable by theme, status and owner (GET, so a filtered view can be
    bookmarked), grouped by theme."""
    organisation = organisation_for(request.user)
    themes, owners = services.register_filters(organisation)
    form = RecommendationFilterForm(request.GET or None, themes=themes, owners=owners)
    filters = form.cleaned_data if form.is_valid() else {}
    items = services.filtered_register(
        organisation,
        theme=filters.get("theme", ""),
        status=filters.get("status", ""),
        who=filters.get("who", ""),
    )
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.theme, []).append(item)
    return render(
        request,
        "actions/recommendations.html",
        {
            "themes": grouped,
            "form": form,
            "filtered": any(filters.values()),
            "count": sum(len(v) for v in grouped.values()),
            "can_edit": request.user.role in R.PROGRAMME_ROLES,
            "error_form": form if request.GET else None,
        },
    )


def _recommendation(request, pk) -> Recommendation:
    return get_for_user(Recommendation.objects.all(), request.user, pk)


@role_required(READ_ROLES)
def recommendation_detail(request, pk):
    recommendation = _recommendation(request, pk)
    actions = list(
        services.actions_of(recommendation.organisation).filter(recommendations=recommendation)
    )
    return render(
        request,
        "actions/recommendation.html",
        {
            "recommendation": recommendation,
            "actions": actions,
            "today": services.today(),
            "can_edit": request.user.role in R.PROGRAMME_ROLES,
        },
    )


def _recommendation_form(request, recommendation: Recommendation | None):
    organisation = organisation_for(request.user)
    form = RecommendationForm(_posted(request), instance=recommendation, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = services.save_recommendation(form, organisation, request.user)
        messages.success(request, "Recommendation saved")
        return redirect("actions:recommendation", saved.pk)
    return render(
        request,
        "actions/recommendation_edit.html",
        {"recommendation": recommendation, "form": form, "error_form": form},
    )


@role_required(R.PROGRAMME_ROLES)
def recommendation_new(request):
    return _recommendation_form(request, None)


@role_required(R.PROGRAMME_ROLES)
def recommendation_edit(request, pk):
    return _recommendation_form(request, _recommendation(request, pk))


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


# The board report's pages are in board_report_views.py.
