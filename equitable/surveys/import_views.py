"""Import, mapping, question bank, indices and settings pages (EDI officer and HR analyst)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from equitable.actions import survey_sources
from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.models import AuditEvent
from equitable.files.limits import UnsafeFile
from equitable.metrics.surveys import mapping as survey_mapping
from equitable.metrics.surveys.model import (
    DEMOGRAPHIC,
    SCALED,
    ColumnMapping,
    SurveyFileError,
    SurveyMapping,
)
from equitable.surveys import bank, imports, storage
from equitable.surveys.forms import (
    ColumnForm,
    IndexForm,
    IndicatorForm,
    SettingsForm,
    SurveyUploadForm,
)
from equitable.surveys.models import (
    QuestionBankItem,
    Survey,
    SurveyIndex,
    SurveyQuestion,
    SurveySettings,
    SurveyUpload,
)

SCALES = {
    "agreement5": survey_mapping.AGREEMENT_5,
    "agreement7": survey_mapping.AGREEMENT_7,
    "frequency": survey_mapping.FREQUENCY,
    "experience": survey_mapping.EXPERIENCE,
}
SAMPLE_ANSWERS = 8


def _yes_no(favourable: str):
    other = "No" if favourable == "Yes" else "Yes"
    return survey_mapping.Scale(
        points=(favourable, other),
        favourable=frozenset({favourable}),
        neutral=frozenset(),
        unfavourable=frozenset({other}),
        kind="yes_no",
    )


def _scale_name(scale) -> str:
    if scale is None:
        return ""
    for name, known in SCALES.items():
        if known.points == scale.points:
            return name
    if scale.kind == "yes_no":
        return "yes" if "Yes" in scale.favourable else "no"
    return ""


@role_required(R.IMPORT_ROLES)
def import_start(request):
    organisation = organisation_for(request.user)
    surveys = Survey.objects.filter(organisation=organisation)
    posted = request.method == "POST"
    form = SurveyUploadForm(
        request.POST if posted else None, request.FILES if posted else None, surveys=surveys
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        upload_file = data["export"]
        try:
            upload = imports.start_upload(
                organisation,
                upload_file.read(imports.MAX_EXPORT_BYTES + 1),
                upload_file.name or "export.csv",
                details={
                    "title": data["title"],
                    "kind": data["kind"],
                    "fieldwork_month": data["fieldwork_month"].isoformat(),
                    "previous": int(data["previous"]) if data["previous"] else None,
                },
                user=request.user,
            )
        except SurveyFileError as error:
            form.add_error("export", "; ".join(str(p) for p in error.problems[:5]))
        except UnsafeFile as error:
            form.add_error("export", str(error))
        else:
            return redirect("surveys:import-mapping", upload.pk)
    return render(request, "surveys/import_start.html", {"form": form, "error_form": form})


def _upload(request, pk: int) -> SurveyUpload:
    upload = get_for_user(SurveyUpload, request.user, pk)
    if upload.status != SurveyUpload.Status.MAPPING or not upload.ciphertext:
        raise Http404
    return upload


def _mapping_from_forms(file, forms_by_key, suggested: SurveyMapping) -> SurveyMapping:
    chosen = []
    for column in file.columns:
        form = forms_by_key[column.key]
        data = form.cleaned_data
        before = suggested.for_key(column.key) or ColumnMapping(column.key, "ignore")
        role = data["role"]
        code = before.code or survey_mapping._code(column, set())
        if role == DEMOGRAPHIC:
            characteristic = data["characteristic"] or before.characteristic
            chosen.append(
                ColumnMapping(
                    column.key,
                    role,
                    characteristic=characteristic,
                    values=before.values if characteristic == before.characteristic else {},
                )
            )
        elif role == SCALED:
            name = data["scale"] or _scale_name(before.scale) or "agreement5"
            scale = SCALES.get(name) or _yes_no("Yes" if name == "yes" else "No")
            chosen.append(
                ColumnMapping(
                    column.key, role, scale=scale, code=code, text=before.text or column.question
                )
            )
        else:
            options = before.options or tuple(survey_mapping._distinct(file, column.key)[:50])
            chosen.append(
                ColumnMapping(
                    column.key,
                    role,
                    options=options if role in ("choice", "multiple") else (),
                    code=code,
                    text=before.text or column.question,
                )
            )
    return SurveyMapping(tuple(chosen))


@role_required(R.IMPORT_ROLES)
def import_mapping(request, pk: int):
    upload = _upload(request, pk)
    try:
        file = imports.upload_file(upload)
    except SurveyFileError as error:
        messages.error(request, str(error))
        return redirect("surveys:import")
    suggested = SurveyMapping.from_json(upload.mapping or {"columns": []})
    posted = request.method == "POST"
    forms_by_key = {}
    for index, column in enumerate(file.columns):
        entry = suggested.for_key(column.key)
        initial = {
            "role": entry.role if entry else "ignore",
            "characteristic": (entry.characteristic or "") if entry else "",
            "scale": _scale_name(entry.scale) if entry else "",
        }
        forms_by_key[column.key] = ColumnForm(
            request.POST if posted else None, prefix=f"c{index}", initial=initial
        )
    problems = upload.problems
    if posted and all(f.is_valid() for f in forms_by_key.values()):
        chosen = _mapping_from_forms(file, forms_by_key, suggested)
        outcome = imports.complete(upload, chosen, user=request.user)
        if isinstance(outcome, Survey):
            messages.success(
                request, f"{outcome.title}: {outcome.respondent_count} responses imported."
            )
            return redirect("surveys:survey", outcome.pk)
        problems = upload.problems
    columns = [
        {
            "column": column,
            "form": forms_by_key[column.key],
            "answers": survey_mapping._distinct(file, column.key)[:SAMPLE_ANSWERS],
        }
        for column in file.columns
    ]
    return render(
        request,
        "surveys/import_mapping.html",
        {
            "upload": upload,
            "file": file,
            "columns": columns,
            "problems": problems,
        },
    )


@role_required(R.IMPORT_ROLES)
@require_POST
def import_cancel(request, pk: int):
    upload = _upload(request, pk)
    imports.cancel(upload, user=request.user)
    messages.success(request, "The import was cancelled and the file is no longer held.")
    return redirect("surveys:index")


@role_required(R.IMPORT_ROLES)
def bank_page(request):
    organisation = organisation_for(request.user)
    items = QuestionBankItem.objects.filter(organisation=organisation).prefetch_related(
        "asked__survey"
    )
    waiting = SurveyQuestion.objects.filter(
        survey__organisation=organisation, link_confirmed=False, bank_item__isnull=False
    ).select_related("survey", "bank_item")
    return render(request, "surveys/bank.html", {"items": items, "waiting": waiting})


@role_required(R.IMPORT_ROLES)
def bank_item(request, pk: int):
    item = get_for_user(QuestionBankItem, request.user, pk)
    form = IndicatorForm(request.POST or None, initial={"indicator": item.indicator})
    if request.method == "POST":
        action = request.POST.get("action", "")
        question_pk = request.POST.get("question")
        question = (
            SurveyQuestion.objects.filter(
                pk=question_pk, survey__organisation=item.organisation
            ).first()
            if question_pk
            else None
        )
        if action == "confirm" and question is not None:
            bank.confirm_link(question, user=request.user)
            survey_sources.refresh_survey_values(item.organisation)
            messages.success(request, "Link confirmed.")
        elif action == "unlink" and question is not None:
            bank.unlink(question, user=request.user)
            survey_sources.refresh_survey_values(item.organisation)
            messages.success(request, "The question is now an item of its own.")
        elif action == "indicator" and form.is_valid():
            bank.set_indicator(item, form.cleaned_data["indicator"], user=request.user)
            messages.success(request, "Indicator saved.")
        return redirect("surveys:bank-item", item.pk)
    asked = item.asked.select_related("survey").order_by("survey__fieldwork_month")
    return render(request, "surveys/bank_item.html", {"item": item, "asked": asked, "form": form})


@role_required(R.IMPORT_ROLES)
def indices_page(request):
    organisation = organisation_for(request.user)
    form = IndexForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        bank.create_index(
            organisation,
            form.cleaned_data["name"],
            list(form.cleaned_data["items"]),
            user=request.user,
        )
        messages.success(request, "Index created.")
        return redirect("surveys:indices")
    indices = SurveyIndex.objects.filter(organisation=organisation).prefetch_related("items")
    return render(
        request, "surveys/indices.html", {"form": form, "error_form": form, "indices": indices}
    )


@role_required(R.IMPORT_ROLES)
def settings_page(request):
    organisation = organisation_for(request.user)
    current = SurveySettings.objects.filter(organisation=organisation).first()
    form = SettingsForm(
        request.POST or None, initial={"threshold": current.threshold if current else 10}
    )
    if request.method == "POST" and form.is_valid():
        SurveySettings.objects.update_or_create(
            organisation=organisation, defaults={"threshold": form.cleaned_data["threshold"]}
        )
        audit.record(
            request.user,
            AuditEvent.Action.CHANGE,
            "survey_settings",
            organisation.pk,
            f"minimum reporting group {form.cleaned_data['threshold']}",
        )
        messages.success(request, "Saved. Surveys already imported keep their minimum.")
        return redirect("surveys:settings")
    return render(request, "surveys/settings.html", {"form": form, "error_form": form})


@role_required(R.IMPORT_ROLES)
def delete_page(request, pk: int):
    survey = get_for_user(Survey, request.user, pk)
    if request.method == "POST":
        storage.delete_survey(survey, user=request.user)
        survey_sources.refresh_survey_values(survey.organisation)
        messages.success(request, "The survey and its responses were deleted.")
        return redirect("surveys:index")
    return render(request, "surveys/delete.html", {"survey": survey})


urlpatterns = [
    path("import/", import_start, name="import"),
    path("import/<int:pk>/mapping/", import_mapping, name="import-mapping"),
    path("import/<int:pk>/cancel/", import_cancel, name="import-cancel"),
    path("bank/", bank_page, name="bank"),
    path("bank/<int:pk>/", bank_item, name="bank-item"),
    path("indices/", indices_page, name="indices"),
    path("settings/", settings_page, name="settings"),
    path("<int:pk>/delete/", delete_page, name="delete"),
]
