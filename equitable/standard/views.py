"""Pages of the Standard app: parse, call `services`, render. Every view declares its roles.

Reading an assessment is open to every role of the organisation; changing it (and sharing,
pairing, the Statement) needs a programme role. The coordinator sees only the benchmark.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from equitable.core import audit, documents
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required, scoped
from equitable.core.charts import line_chart
from equitable.core.models import AuditEvent
from equitable.eqia import quality as eqia_quality
from equitable.mentoring import services as mentoring_services
from equitable.service_users import services as service_user_services
from equitable.standard import exports, services, survey_evidence, training_evidence
from equitable.standard import library as lib
from equitable.standard.forms import (
    CommitmentProgressForm,
    PairingRequestForm,
    SharingForm,
    StartAssessmentForm,
    StatementAdoptionForm,
)
from equitable.standard.models import Assessment, EvidenceFile, Pairing
from equitable.training import services as training_services

READ_ROLES = R.DASHBOARD_ROLES
EDIT_ROLES = R.PROGRAMME_ROLES


def _require_edit(request) -> None:
    if request.user.role not in EDIT_ROLES:
        raise PermissionDenied


def _can_edit(request) -> bool:
    return request.user.role in EDIT_ROLES


def _assessment(request, pk) -> Assessment:
    return get_for_user(Assessment, request.user, pk)


@role_required(R.ALL_ROLES)
def index(request):
    if request.user.role == R.Role.COORDINATOR:
        return redirect("standard:coordinator")
    assessments = scoped(Assessment.objects.all(), request.user)
    return render(
        request,
        "standard/index.html",
        {
            "assessments": assessments,
            "form": StartAssessmentForm(assessments=list(assessments)),
            "can_edit": _can_edit(request),
            "standard": lib.get_standard(),
            "sharing": services.is_sharing(organisation_for(request.user)),
        },
    )


@role_required(R.ALL_ROLES)
def about(request):
    """The Standard itself: levels, every category's criteria and ranges, and the glossary."""
    standard = lib.get_standard()
    return render(
        request,
        "standard/about.html",
        {
            "standard": standard,
            "disagreements": {d.category_id: d for d in lib.range_disagreements(standard)},
            "level_names": lib.LEVEL_NAMES,
            "level_points": lib.LEVEL_POINTS,
        },
    )


@role_required(EDIT_ROLES)
@require_POST
def start(request):
    organisation = organisation_for(request.user)
    assessments = scoped(Assessment.objects.all(), request.user)
    form = StartAssessmentForm(request.POST, assessments=list(assessments))
    if form.is_valid():
        source_pk = form.source_pk()
        try:
            if source_pk is None:
                assessment = services.start_assessment(
                    organisation, form.cleaned_data["period"], request.user
                )
            else:
                source = get_for_user(Assessment, request.user, source_pk)
                assessment, _copied, _files = services.copy_forward(
                    source, form.cleaned_data["period"], request.user
                )
        except ValidationError as error:
            form.add_error("period", error.message_dict["period"])
        else:
            if source_pk is not None:
                messages.success(
                    request,
                    f"Answers and evidence copied from {source.period}. Review each one and "
                    "confirm it is still true before submitting",
                )
            return redirect("standard:assessment", assessment.pk)
    return render(
        request,
        "standard/index.html",
        {
            "assessments": assessments,
            "form": form,
            "error_form": form,
            "can_edit": True,
            "standard": lib.get_standard(),
            "sharing": services.is_sharing(organisation),
        },
        status=400,
    )


@role_required(READ_ROLES)
def assessment_detail(request, pk):
    assessment = _assessment(request, pk)
    return render(
        request,
        "standard/assessment.html",
        {
            "assessment": assessment,
            "result": services.result_of(assessment),
            "level_names": lib.LEVEL_NAMES,
            "can_edit": _can_edit(request),
            "unreviewed": services.unreviewed(assessment),
        },
    )


@role_required(READ_ROLES)
def category(request, pk, category_id):
    assessment = _assessment(request, pk)
    standard = assessment.standard
    try:
        chosen = standard.category(category_id)
    except KeyError as error:
        raise Http404 from error
    shown = [criterion.id for criterion in chosen.criteria]
    # The survey figures are read once: shown beside 2c.5 and 4.2, and suggested from.
    surveys = (
        services.survey_figures_for(assessment.organisation, assessment.period)
        if set(shown) & set(survey_evidence.CRITERIA)
        else None
    )
    survey_tables = surveys.tables if surveys is not None else {}
    suggestions = services.suggest_levels(
        assessment.organisation, period=assessment.period, criteria=shown, surveys=surveys
    )
    errors: list[dict] = []
    values: dict = {}
    if request.method == "POST":
        _require_edit(request)
        if assessment.is_submitted:
            messages.error(request, "Reopen the assessment before changing it")
            return redirect("standard:assessment", assessment.pk)
        form = services.parse_category(chosen, request.POST, request.FILES, suggestions)
        if not form.errors:
            added = services.save_category(
                assessment, chosen, form, request.FILES, suggestions, request.user
            )
            confirmed = services.confirm_reviewed(
                assessment,
                [c.id for c in chosen.criteria if request.POST.get(f"confirm-{c.id}")],
            )
            audit.record(
                request.user,
                AuditEvent.Action.CHANGE,
                "assessment",
                assessment.pk,
                f"category {chosen.id} saved"
                + (f", {added} evidence file(s)" if added else "")
                + (f", copied answers confirmed: {', '.join(confirmed)}" if confirmed else ""),
            )
            messages.success(request, f"Category {chosen.id} saved")
            following = _next_category(standard, chosen.id)
            if following and "save_and_next" in request.POST:
                return redirect("standard:category", assessment.pk, following)
            return redirect("standard:category", assessment.pk, chosen.id)
        errors, values = form.errors, form.values
    responses = services.responses_by_id(assessment)
    files: dict[str, list] = {}
    for evidence in assessment.evidence_files.all():
        files.setdefault(evidence.criterion_id, []).append(evidence)
    score = lib.score_category(chosen, {cid: r.level for cid, r in responses.items()})
    # The EqIA register's quality measures beside 1.2 and 4.2 (equitable/eqia/quality.py).
    eqia_measures = (
        eqia_quality.measures_for(assessment.organisation)
        if set(shown) & set(eqia_quality.CRITERIA)
        else []
    )
    # 3.5: how complete the services' monitoring data is (protected: every role reads this).
    completeness = (
        service_user_services.published_completeness(assessment.organisation)
        if eqia_quality.DATA_CRITERION in shown
        else []
    )
    # 2c.1: the council's mentoring schemes, protected counts (equitable/mentoring).
    mentoring_evidence = (
        mentoring_services.standard_evidence(assessment.organisation)
        if mentoring_services.STANDARD_CRITERION in shown
        else {}
    )
    # 2b.2, 2c.4, 2c.6: the training records' protected figures (equitable/training).
    training = (
        training_services.standard_evidence(assessment.organisation)
        if set(shown) & set(training_evidence.CRITERIA)
        else {}
    )
    rows = []
    for criterion in chosen.criteria:
        response = responses.get(criterion.id)
        entered = values.get(criterion.id) or {
            "level": response.level if response else "none",
            "notes": response.evidence_notes if response else "",
            "links": response.links if response else "",
            "owner": response.owner if response else "",
            "next": response.next_steps if response else "",
            "reason": response.overruled_reason if response else "",
        }
        rows.append(
            {
                "criterion": criterion,
                "values": entered,
                "suggestion": suggestions.get(criterion.id),
                "survey_tables": survey_tables.get(criterion.id, ()),
                "eqia_measures": eqia_measures if criterion.id in eqia_quality.CRITERIA else [],
                "service_completeness": (
                    completeness if criterion.id == eqia_quality.DATA_CRITERION else []
                ),
                "mentoring": (
                    mentoring_evidence
                    if criterion.id == mentoring_services.STANDARD_CRITERION
                    else {}
                ),
                "training_figures": training.get(criterion.id, []),
                "files": files.get(criterion.id, []),
                "needs_review": bool(response and response.needs_review),
                "next_level": criterion.next_level(
                    entered["level"] if entered["level"] in lib.LEVEL_POINTS else "none"
                ),
            }
        )
    return render(
        request,
        "standard/category.html",
        {
            "assessment": assessment,
            "category": chosen,
            "rows": rows,
            "score": score,
            "errors": errors,
            "field_errors": {e["href"][1:]: e["text"] for e in errors},
            "level_names": lib.LEVEL_NAMES,
            "level_points": lib.LEVEL_POINTS,
            "editable": _can_edit(request) and not assessment.is_submitted,
            "next_category": _next_category(standard, chosen.id),
        },
        status=400 if errors else 200,
    )


def _next_category(standard: lib.Standard, category_id: str) -> str | None:
    ids = [c.id for c in standard.categories]
    position = ids.index(category_id)
    return ids[position + 1] if position + 1 < len(ids) else None


@role_required(READ_ROLES)
def evidence_file(request, pk):
    evidence = get_for_user(EvidenceFile, request.user, pk, field="assessment__organisation")
    audit.record(
        request.user, AuditEvent.Action.VIEW, "evidence_file", evidence.pk, evidence.criterion_id
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@role_required(EDIT_ROLES)
@require_POST
def submit(request, pk):
    assessment = _assessment(request, pk)
    try:
        services.submit(assessment, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("standard:assessment", assessment.pk)
    audit.record(request.user, AuditEvent.Action.CHANGE, "assessment", assessment.pk, "submitted")
    messages.success(request, "Assessment submitted")
    return redirect("standard:assessment", assessment.pk)


@role_required(EDIT_ROLES)
@require_POST
def reopen(request, pk):
    assessment = _assessment(request, pk)
    services.reopen(assessment)
    audit.record(request.user, AuditEvent.Action.CHANGE, "assessment", assessment.pk, "reopened")
    messages.success(request, "Assessment reopened as a draft")
    return redirect("standard:assessment", assessment.pk)


@role_required(READ_ROLES)
def export_pdf(request, pk):
    assessment = _assessment(request, pk)
    job = documents.request(
        request.user,
        "standard.assessment",
        f"Standard self-assessment: {assessment}",
        pk=assessment.pk,
        back=reverse("standard:assessment", args=[assessment.pk]),
    )
    audit.record(request.user, AuditEvent.Action.EXPORT, "assessment", assessment.pk, "PDF")
    return documents.respond(job)


@role_required(READ_ROLES)
def export_xlsx(request, pk):
    assessment = _assessment(request, pk)
    audit.record(request.user, AuditEvent.Action.EXPORT, "assessment", assessment.pk, "XLSX")
    response = HttpResponse(
        exports.assessment_xlsx(assessment),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="standard-self-assessment-{assessment.pk}.xlsx"'
    )
    return response


@role_required(READ_ROLES)
def compare(request):
    """Submitted assessments over time: one row per category, one column per period.

    The chart plots each category's share of its maximum points, so that categories of very
    different sizes (22 points in category 1, 76 in category 2) can be read on one axis.
    """
    organisation = organisation_for(request.user)
    history = services.history(organisation)
    standard = lib.get_standard()
    columns = [("category", "Category")] + [
        (f"p{index}", assessment.period) for index, (assessment, _) in enumerate(history)
    ]
    table_rows = []
    for category in standard.categories:
        row = {"category": f"{category.id}. {category.title}"}
        for index, (_, result) in enumerate(history):
            try:
                scored = result.category(category.id)
            except StopIteration:
                row[f"p{index}"] = None
                continue
            row[f"p{index}"] = (
                f"{scored.points} of {scored.max_points} ({lib.LEVEL_NAMES[scored.level]})"
            )
        table_rows.append(row)
    chart_rows = [
        {
            "period": assessment.period,
            "category": f"Category {scored.id}",
            "percent": round(100 * scored.points / scored.max_points, 1),
        }
        for assessment, result in history
        for scored in result.categories
    ]
    chart = (
        line_chart(
            chart_rows,
            x="period",
            y="percent",
            series="category",
            x_type="O",
            title="Share of each category's maximum points, by submitted assessment",
            x_title="Period",
            y_title="Share of maximum points (%)",
            description="One line per category of the Standard: the points scored as a share of "
            "the category's maximum, in each submitted assessment. The table gives the figures.",
        )
        if history
        else None
    )
    return render(
        request,
        "standard/compare.html",
        {"history": history, "columns": columns, "rows": table_rows, "chart": chart},
    )


@role_required(READ_ROLES)
def statement(request):
    organisation = organisation_for(request.user)
    adoption = services.statement_adoption(organisation)
    form = StatementAdoptionForm(instance=adoption, prefix="adoption")
    if request.method == "POST":
        _require_edit(request)
        if "commitment" in request.POST:
            progress_form = CommitmentProgressForm(request.POST)
            if progress_form.is_valid():
                try:
                    services.save_commitment(
                        organisation,
                        request.POST["commitment"],
                        progress_form.cleaned_data["status"],
                        progress_form.cleaned_data["evidence"],
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    audit.record(
                        request.user,
                        AuditEvent.Action.CHANGE,
                        "statement_commitment",
                        request.POST["commitment"][:30],
                    )
                    messages.success(request, "Progress saved")
            else:
                messages.error(request, "Choose the progress made on the commitment")
            return redirect("standard:statement")
        form = StatementAdoptionForm(request.POST, instance=adoption, prefix="adoption")
        if form.is_valid():
            saved = form.save(commit=False)
            saved.organisation = organisation
            saved.save()
            audit.record(request.user, AuditEvent.Action.CHANGE, "statement_adoption", saved.pk)
            messages.success(request, "Adoption recorded")
            return redirect("standard:statement")
    commitments = services.statement_progress(organisation)
    standard = lib.get_standard()
    return render(
        request,
        "standard/statement.html",
        {
            "form": form,
            "error_form": form,
            "adoption": adoption,
            "commitments": commitments,
            "statement": standard.statement,
            "can_edit": _can_edit(request),
            "progress_form": CommitmentProgressForm,
        },
        status=400 if form.errors else 200,
    )


@role_required(READ_ROLES)
def benchmarking(request):
    organisation = organisation_for(request.user)
    sharing = services.is_sharing(organisation)
    form = SharingForm(initial={"share": "yes" if sharing else "no"})
    if request.method == "POST":
        _require_edit(request)
        form = SharingForm(request.POST)
        if form.is_valid():
            opted_in = form.cleaned_data["share"] == "yes"
            services.set_sharing(organisation, opted_in, request.user)
            audit.record(
                request.user,
                AuditEvent.Action.CHANGE,
                "benchmarking_consent",
                organisation.pk,
                f"opted_in={opted_in}",
            )
            messages.success(request, "Sharing preference saved")
            return redirect("standard:benchmarking")
    return render(
        request,
        "standard/benchmarking.html",
        {
            "form": form,
            "error_form": form,
            "sharing": sharing,
            "position": services.position(organisation),
            "can_edit": _can_edit(request),
            "level_names": lib.LEVEL_NAMES,
        },
        status=400 if form.errors else 200,
    )


@role_required({R.Role.COORDINATOR})
def coordinator(request):
    return render(
        request,
        "standard/coordinator.html",
        {
            "distribution": services.distribution(),
            "level_names": lib.LEVEL_NAMES,
            "levels": lib.LEVELS,
        },
    )


@role_required(READ_ROLES)
def pairing(request):
    organisation = organisation_for(request.user)
    form = PairingRequestForm(organisation=organisation)
    if request.method == "POST":
        _require_edit(request)
        form = PairingRequestForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                created = services.request_pairing(organisation, form.cleaned_data["partner"])
            except ValidationError as error:
                form.add_error("partner", error.messages[0])
            else:
                audit.record(request.user, AuditEvent.Action.CREATE, "pairing", created.pk)
                messages.success(
                    request, f"Pairing requested: {created.partner.name} must accept it"
                )
                return redirect("standard:pairing")
    return render(
        request,
        "standard/pairing.html",
        {
            "form": form,
            "error_form": form,
            "pairings": services.pairings_of(organisation),
            "organisation": organisation,
            "can_edit": _can_edit(request),
        },
        status=400 if form.errors else 200,
    )


@role_required(EDIT_ROLES)
@require_POST
def pairing_answer(request, pk):
    organisation = organisation_for(request.user)
    try:
        chosen = services.pairings_of(organisation).get(pk=pk)
    except (Pairing.DoesNotExist, ValueError) as error:
        raise Http404 from error
    action = request.POST.get("action")
    if action in ("accept", "decline"):
        services.answer_pairing(chosen, organisation, accept=action == "accept")
    elif action == "end":
        services.end_pairing(chosen, organisation)
    else:
        raise PermissionDenied
    audit.record(request.user, AuditEvent.Action.CHANGE, "pairing", chosen.pk, action)
    messages.success(
        request,
        f"Pairing with {chosen.other(organisation).name}: {chosen.get_status_display().lower()}",
    )
    return redirect("standard:pairing")


@role_required(READ_ROLES)
def paired(request, pk):
    organisation = organisation_for(request.user)
    chosen = services.active_pairing(organisation, pk)
    if chosen is None:
        raise Http404
    return render(
        request,
        "standard/paired.html",
        {
            "comparison": services.side_by_side(chosen, organisation),
            "organisation": organisation,
            "level_names": lib.LEVEL_NAMES,
        },
    )
