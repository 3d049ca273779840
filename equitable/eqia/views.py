"""EqIA register pages: the register, an assessment, its screening and full assessment, the
workforce evidence, sign-off, mitigations made actions, the PDF, and the organisation's
additional characteristics.

Every view reaches assessments through `get_for_user` (another organisation's is a 404);
editing also passes `services.require_edit` (a champion outside their directorate is a 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from equitable.actions.forms import ErrorSummary
from equitable.core import documents
from equitable.core.access import directorates_for, get_for_user, organisation_for, role_required
from equitable.eqia import evidence as evidence_service
from equitable.eqia import mitigations, quality, services
from equitable.eqia.forms import (
    AssessmentForm,
    CharacteristicsForm,
    ConclusionForm,
    MitigationActionsForm,
    RegisterFilterForm,
    ScopeForm,
    ScreeningForm,
    SignOffForm,
    impact_formset,
)
from equitable.eqia.models import Assessment, CharacteristicImpact, IllegalTransition
from equitable.metrics.eqia.evidence import ScopeError
from equitable.service_users import services as service_user_services
from equitable.service_users.models import Service

READ_ROLES = services.READ_ROLES
EDIT_ROLES = services.EDIT_ROLES
SIGN_OFF_ROLES = services.SIGN_OFF_ROLES
SETTINGS_ROLES = services.SETTINGS_ROLES
Stage = CharacteristicImpact.Stage


def _posted(request):
    """The form data of a POST, even an empty one (an empty submission shows its errors)."""
    return request.POST if request.method == "POST" else None


def _assessment(request, pk) -> Assessment:
    return get_for_user(
        Assessment.objects.select_related(
            "directorate", "organisation", "signed_off_by", "submitted_by", "created_by"
        ),
        request.user,
        pk,
    )


def _editable(request, pk) -> Assessment:
    assessment = _assessment(request, pk)
    services.require_edit(request.user, assessment)
    return assessment


@role_required(READ_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    directorates = list(organisation.directorates.order_by("name"))
    form = RegisterFilterForm(request.GET or None, directorates=directorates)
    chosen = form.cleaned_data if form.is_valid() else {}
    items = services.filtered_register(
        request.user,
        status=chosen.get("status", ""),
        proposal_type=chosen.get("proposal_type", ""),
        directorate=chosen.get("directorate", ""),
    )
    on = services.today()
    return render(
        request,
        "eqia/index.html",
        {
            "form": form,
            "assessments": list(items),
            "today": on,
            "measures": quality.measures_for(organisation, on),
            "can_create": services.can_edit(request.user),
            "can_edit_characteristics": request.user.role in SETTINGS_ROLES,
        },
    )


def _assessment_form(request, instance=None):
    user = request.user
    champion = user.role == "champion"
    return AssessmentForm(
        _posted(request),
        instance=instance,
        directorates=directorates_for(user).order_by("name"),
        corporate_allowed=not champion,
        services=Service.objects.filter(organisation=organisation_for(user)),
    )


@role_required(EDIT_ROLES)
def create(request):
    organisation = organisation_for(request.user)
    form = _assessment_form(request)
    if request.method == "POST" and form.is_valid():
        assessment = services.create_assessment(form, organisation, request.user)
        messages.success(request, f"Assessment {assessment.ref} created: screen it next")
        return redirect("eqia:screening", assessment.pk)
    return render(request, "eqia/edit.html", {"form": form, "error_form": form, "assessment": None})


@role_required(READ_ROLES)
def detail(request, pk):
    assessment = _assessment(request, pk)
    return render(
        request,
        "eqia/assessment.html",
        {
            "assessment": assessment,
            "screening_rows": services.rows_for(assessment, Stage.SCREENING),
            "full_rows": services.rows_for(assessment, Stage.FULL)
            if assessment.full_assessment_needed
            else [],
            "today": services.today(),
            "can_edit": services.can_edit(request.user, assessment),
            "can_sign_off": services.can_sign_off(request.user),
            "moves": services.available_moves(assessment, request.user),
            "problems": assessment.submission_problems(),
            "actions_made": mitigations.done(assessment),
            "pending_mitigations": mitigations.pending(assessment),
        },
    )


@role_required(EDIT_ROLES)
def edit(request, pk):
    assessment = _editable(request, pk)
    form = _assessment_form(request, instance=assessment)
    if request.method == "POST" and form.is_valid():
        services.save_details(form, request.user)
        messages.success(request, "Assessment saved")
        return redirect("eqia:assessment", assessment.pk)
    return render(
        request, "eqia/edit.html", {"form": form, "error_form": form, "assessment": assessment}
    )


@role_required(EDIT_ROLES)
def screening(request, pk):
    assessment = _editable(request, pk)
    if assessment.status not in (Assessment.Status.SCREENING, Assessment.Status.UNDER_REVIEW):
        messages.error(request, "The screening can be changed only while screening or reviewing")
        return redirect("eqia:assessment", assessment.pk)
    rows = services.rows_for(assessment, Stage.SCREENING)
    initial = {}
    if assessment.full_assessment_needed is not None:
        initial = {
            "needed": "yes" if assessment.full_assessment_needed else "no",
            "reason": assessment.screening_reason,
        }
    form = ScreeningForm(_posted(request), initial=initial)
    formset = impact_formset(_posted(request), rows, full=False, prefix="c")
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            services.record_screening(
                assessment,
                request.user,
                needed=form.cleaned_data["needed"],
                reason=form.cleaned_data["reason"],
                answers=formset.answers(),
            )
            if assessment.full_assessment_needed:
                messages.success(request, "Screening saved: the full assessment comes next")
                return redirect("eqia:full", assessment.pk)
            messages.success(request, "Screening saved: no full assessment is needed")
            return redirect("eqia:assessment", assessment.pk)
    errors = ErrorSummary(ErrorSummary.of_form(form) + formset.error_items())
    return render(
        request,
        "eqia/screening.html",
        {"assessment": assessment, "form": form, "formset": formset, "error_form": errors},
    )


@role_required(EDIT_ROLES)
def full(request, pk):
    assessment = _editable(request, pk)
    if (
        assessment.status
        not in (
            Assessment.Status.FULL,
            Assessment.Status.CONSULTATION,
            Assessment.Status.UNDER_REVIEW,
        )
        or not assessment.full_assessment_needed
    ):
        messages.error(
            request,
            "The full assessment is open once the screening finds it is needed, until it is "
            "submitted for sign-off",
        )
        return redirect("eqia:assessment", assessment.pk)
    rows = services.rows_for(assessment, Stage.FULL)
    if request.method != "POST":
        # Start from the screening's answers the first time.
        screened = {r.characteristic: r for r in services.rows_for(assessment, Stage.SCREENING)}
        for row in rows:
            if row.pk is None and row.characteristic in screened:
                source = screened[row.characteristic]
                row.affected, row.evidence = source.affected, source.evidence
                row.impact, row.size, row.mitigation = source.impact, source.size, source.mitigation
    form = ConclusionForm(_posted(request), instance=assessment)
    formset = impact_formset(_posted(request), rows, full=True, prefix="c")
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            services.save_details(form, request.user, "full assessment")
            services.save_rows(assessment, Stage.FULL, formset.answers(), request.user)
            messages.success(request, "Full assessment saved")
            return redirect("eqia:assessment", assessment.pk)
    errors = ErrorSummary(ErrorSummary.of_form(form) + formset.error_items())
    return render(
        request,
        "eqia/full.html",
        {"assessment": assessment, "form": form, "formset": formset, "error_form": errors},
    )


@role_required(READ_ROLES)
def evidence(request, pk):
    assessment = _assessment(request, pk)
    found = evidence_service.evidence_for(assessment, request.user)
    return render(
        request,
        "eqia/evidence.html",
        {
            "assessment": assessment,
            "evidence": found,
            "service_evidence": evidence_service.service_evidence(assessment, request.user),
            # Link to a service's own page only for those who may open it (not the admin).
            "service_links": request.user.role in service_user_services.READ_ROLES,
            "can_edit": services.can_edit(request.user, assessment) and assessment.is_editable,
        },
    )


@role_required(EDIT_ROLES)
def scope(request, pk):
    assessment = _editable(request, pk)
    form = ScopeForm(
        _posted(request),
        request.FILES or None,
        choices=evidence_service.scope_choices(assessment),
        initial_scope=assessment.scope_filter,
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = form.scope()
        except ScopeError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            evidence_service.save_scope(
                assessment,
                request.user,
                scope=chosen,
                in_scope_ids=form.cleaned_data.get("in_scope_list"),
                affected_ids=form.cleaned_data.get("affected_list"),
                clear_lists=form.cleaned_data.get("clear_lists", False),
            )
            messages.success(request, "Workforce scope saved")
            return redirect("eqia:evidence", assessment.pk)
    return render(
        request, "eqia/scope.html", {"assessment": assessment, "form": form, "error_form": form}
    )


@role_required(EDIT_ROLES)
@require_POST
def status(request, pk):
    assessment = _editable(request, pk)
    try:
        services.move(assessment, request.POST.get("move", ""), request.user)
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The assessment is now: {assessment.get_status_display()}")
    return redirect("eqia:assessment", assessment.pk)


@role_required(SIGN_OFF_ROLES)
def sign_off(request, pk):
    assessment = _assessment(request, pk)
    if assessment.status != Assessment.Status.AWAITING_SIGN_OFF:
        messages.error(request, "This assessment is not awaiting sign-off")
        return redirect("eqia:assessment", assessment.pk)
    form = SignOffForm(_posted(request))
    own = assessment.submitted_by_id == request.user.pk
    if request.method == "POST" and form.is_valid():
        try:
            services.move(assessment, form.cleaned_data["decision"], request.user)
        except IllegalTransition as error:
            form.add_error("decision", str(error))
        else:
            messages.success(
                request,
                "Assessment signed off"
                if assessment.status == Assessment.Status.SIGNED_OFF
                else "Assessment returned for changes",
            )
            return redirect("eqia:assessment", assessment.pk)
    return render(
        request,
        "eqia/sign_off.html",
        {"assessment": assessment, "form": form, "error_form": form, "own": own},
    )


@role_required(EDIT_ROLES)
def make_actions(request, pk):
    assessment = _editable(request, pk)
    rows = mitigations.pending(assessment)
    plans = mitigations.plans_for(request.user)
    form = MitigationActionsForm(_posted(request), plans=plans, rows=rows)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["rows"]}
        made = mitigations.create_actions(
            assessment,
            form.cleaned_data["plan"],
            [row for row in rows if row.pk in chosen],
            request.user,
        )
        messages.success(request, f"{len(made)} action(s) added to {form.cleaned_data['plan']}")
        return redirect("eqia:assessment", assessment.pk)
    return render(
        request,
        "eqia/actions.html",
        {
            "assessment": assessment,
            "form": form,
            "error_form": form,
            "rows": rows,
            "has_plans": plans.exists(),
        },
    )


@role_required(READ_ROLES)
def assessment_pdf(request, pk):
    assessment = _assessment(request, pk)
    job = documents.request(
        request.user,
        "eqia.assessment",
        f"{assessment.ref}: {assessment.title}",
        pk=assessment.pk,
        back=reverse("eqia:assessment", args=[assessment.pk]),
    )
    return documents.respond(job)


@role_required(SETTINGS_ROLES)
def characteristics(request):
    organisation = organisation_for(request.user)
    current = services.additional_characteristics(organisation)
    form = CharacteristicsForm(
        _posted(request), initial={"names": "\n".join(c.name for c in current)}
    )
    if request.method == "POST" and form.is_valid():
        services.save_additional_characteristics(
            organisation, form.cleaned_data["names"], request.user
        )
        messages.success(request, "Additional characteristics saved")
        return redirect("eqia:index")
    return render(
        request,
        "eqia/characteristics.html",
        {"form": form, "error_form": form, "protected": services.PROTECTED},
    )
