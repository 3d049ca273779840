"""Programme pages: the register, a programme and its cohorts, a cohort's figures, and the
cohort's list (typed ids or a file).

Exact figures for the EDI officer and HR analyst; board members see the cohort's tables as
protected together; champions see only the participation rows of their own directorates
(`services.page_tables` decides and audits exact views).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core.access import get_for_user, organisation_for, role_required, scoped
from equitable.metrics.intervals import CONVENTION_NOTE
from equitable.metrics.programmes.figures import ALL_GROUPS
from equitable.programmes import charts, services
from equitable.programmes.forms import CohortForm, EnterIdsForm, ListFileForm, ProgrammeForm
from equitable.programmes.models import Cohort, Participant, Programme

COHORT_PATH = "programme__organisation"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _can_edit(user) -> bool:
    return user.role in services.EDIT_ROLES


@role_required(services.READ_ROLES)
def index(request):
    programmes = scoped(Programme.objects.all(), request.user).prefetch_related("cohorts")
    return render(
        request,
        "programmes/index.html",
        {"programmes": list(programmes), "can_edit": _can_edit(request.user)},
    )


@role_required(services.EDIT_ROLES)
def programme_new(request):
    organisation = organisation_for(request.user)
    form = ProgrammeForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        programme = form.save(commit=False)
        programme.organisation = organisation
        programme.save()
        messages.success(request, f"{programme.name} added")
        return redirect("programmes:programme", programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "error_form": form})


@role_required(services.READ_ROLES)
def programme_detail(request, pk: int):
    programme = get_for_user(Programme.objects.all(), request.user, pk)
    cohorts = list(programme.cohorts.all())
    exact = request.user.has_personal_access
    listed = {}
    if exact:
        for cohort in cohorts:
            listed[cohort.pk] = cohort.participants.count()
    return render(
        request,
        "programmes/programme.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "listed": listed,
            "exact": exact,
            "can_edit": _can_edit(request.user),
        },
    )


@role_required(services.EDIT_ROLES)
def cohort_new(request, pk: int):
    programme = get_for_user(Programme.objects.all(), request.user, pk)
    form = CohortForm(_posted(request), programme=programme)
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, f"Cohort {cohort.name} added")
        return redirect("programmes:cohort-people", cohort.pk)
    return render(
        request,
        "programmes/cohort_form.html",
        {"form": form, "error_form": form, "programme": programme},
    )


def _rows(tables, name: str) -> list[dict]:
    table = tables.get(name)
    return [] if table is None else table.to_dicts()


@role_required(services.READ_ROLES)
def cohort_detail(request, pk: int):
    cohort = get_for_user(
        Cohort.objects.select_related("programme"), request.user, pk, field=COHORT_PATH
    )
    tables, exact, figures = services.page_tables(cohort, request.user)
    label = f"{cohort.programme.name}, cohort {cohort.name}"
    participation = _rows(tables, "participation_by_ethnicity")
    horizons = _rows(tables, "horizons")
    outcomes = _rows(tables, "outcomes")
    by_horizon = []
    for horizon in horizons:
        rows = [r for r in outcomes if r["horizon_months"] == horizon["horizon_months"]]
        by_horizon.append(
            {
                **horizon,
                "rows": rows,
                "chart": charts.outcome_chart(
                    [r for r in rows if r["ethnic_group"] != ALL_GROUPS],
                    horizon["horizon_months"],
                    label,
                )
                if rows
                else None,
            }
        )
    return render(
        request,
        "programmes/cohort.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "exact": exact,
            "champion": services.own_directorates(request.user) is not None,
            "start_snapshot": figures.start_snapshot,
            "notes": figures.notes if exact else [],
            "participation": participation,
            "overall": [
                {**row, "who": "All eligible staff"}
                for row in _rows(tables, "participation_overall")
            ],
            "participation_chart": charts.participation_chart(participation, label)
            if participation
            else None,
            "participation_by_sex": _rows(tables, "participation_by_sex"),
            "participation_by_disability": _rows(tables, "participation_by_disability"),
            "participation_by_directorate": _rows(tables, "participation_by_directorate"),
            "selection": _rows(tables, "selection_by_ethnic_group"),
            "selection_by_sex": _rows(tables, "selection_by_sex"),
            "selection_by_disability": _rows(tables, "selection_by_disability"),
            "status": _rows(tables, "cohort_status"),
            "horizons": by_horizon,
            "convention_note": CONVENTION_NOTE,
            "can_edit": _can_edit(request.user),
        },
    )


@role_required(services.EDIT_ROLES)
def cohort_people(request, pk: int):
    """The cohort's list: type ids with one status, or upload a file that replaces it."""
    cohort = get_for_user(
        Cohort.objects.select_related("programme"), request.user, pk, field=COHORT_PATH
    )
    which = request.POST.get("form") if request.method == "POST" else None
    enter = EnterIdsForm(request.POST if which == "enter" else None, prefix="enter")
    upload = ListFileForm(
        request.POST if which == "upload" else None,
        request.FILES if which == "upload" else None,
        prefix="upload",
    )
    problems: list[services.Problem] = []
    if which == "enter" and enter.is_valid():
        problems = services.enter_ids(
            cohort, enter.cleaned_data["ids"], enter.cleaned_data["status"], user=request.user
        )
        if not problems:
            messages.success(request, "The list is updated")
            return redirect("programmes:cohort-people", cohort.pk)
    if which == "upload" and upload.is_valid():
        file = upload.cleaned_data["extract"]
        problems = services.import_list(cohort, file.read(), file.name, user=request.user)
        if not problems:
            messages.success(request, "The list is replaced by the file's")
            return redirect("programmes:cohort-people", cohort.pk)
    counts = {
        label: cohort.participants.filter(status=value).count()
        for value, label in Participant.Status.choices
    }
    return render(
        request,
        "programmes/cohort_people.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "enter": enter,
            "upload": upload,
            "error_form": enter if enter.errors else upload,
            "problems": problems,
            "counts": counts,
            "total": sum(counts.values()),
        },
    )


@role_required(services.EDIT_ROLES)
@require_POST
def cohort_clear(request, pk: int):
    cohort = get_for_user(
        Cohort.objects.select_related("programme"), request.user, pk, field=COHORT_PATH
    )
    removed = services.clear_list(cohort, user=request.user)
    messages.success(request, f"{removed} people removed from the list")
    return redirect("programmes:cohort-people", cohort.pk)
