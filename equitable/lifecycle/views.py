"""Lifecycle pages: overview, one page per family, the WRES report and the Social Care WRES
return, downloads, the import flow and the social care setting.

Who sees what is decided here once (`_tables_for`): exact figures for the EDI officer and HR
analyst, the family's protected publication for everyone else, a champion only the rows of
their own directorates in the `_by_directorate` tables. Filters choose rows
(`catalogue.choose`), never recompute.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.models import AuditEvent
from equitable.files import tabular
from equitable.lifecycle import catalogue, figures, imports, storage
from equitable.lifecycle.charts import funnel_chart, relative_likelihood_chart
from equitable.lifecycle.forms import (
    LifecycleMappingForm,
    LifecycleUploadForm,
    SocialCareForm,
    ValueMappingForm,
)
from equitable.lifecycle.models import Kind, LifecycleImport
from equitable.metrics import classification
from equitable.metrics.intervals import CONVENTION_NOTE
from equitable.metrics.labels import ETHNIC_GROUPS
from equitable.surveys import figures as survey_figures
from equitable.workforce import import_checks

LIFECYCLE_ROLES = frozenset(
    {R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}
)
# The WRES report and the Social Care WRES return are organisation-wide: not for champions.
REPORT_ROLES = frozenset({R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER})
SETTINGS_ROLES = frozenset({R.Role.EDI_OFFICER})

FAMILY_WORDS = {
    "recruitment": "Rates and relative likelihoods at each recruitment stage, applied to "
    "appointed, by ethnic group, sex and disability, with internal and external applicants "
    "apart and together.",
    "movements": "Starters, leavers (by reason), promotions, regrades, moves between "
    "directorates and entries into the leadership tiers, from consecutive workforce snapshots.",
    "casework": "Entering formal processes (disciplinary, capability, grievance …) against the "
    "same period's headcount, single years and two-year rolling windows (WRES 3, WDES 3).",
    "development": "Accessing non-mandatory training and development (WRES 4, Social Care WRES 5).",
}
WHAT_TO_IMPORT = {
    "recruitment": "Import a recruitment file: one row per application, or counts per stage "
    "and group.",
    "movements": "Import at least two workforce snapshots (for example 31 March of two "
    "years); a leavers file adds the reasons for leaving.",
    "casework": "Import a casework file (one row per case) and at least one workforce "
    "snapshot, whose headcount is the denominator.",
    "development": "Import a training and development file and at least one workforce snapshot.",
}


def _exact(user) -> bool:
    return user.has_personal_access


def _own_directorates(user) -> list[str] | None:
    if user.role != R.Role.CHAMPION:
        return None
    return list(user.directorates.values_list("name", flat=True))


def _tables_for(request, family: str):
    organisation = organisation_for(request.user)
    exact = _exact(request.user)
    return organisation, exact, figures.family_tables(organisation, family, published=not exact)


def _view_for(request, family: str):
    if family not in figures.FAMILIES:
        raise Http404
    organisation, exact, tables = _tables_for(request, family)
    try:
        view = catalogue.choose(
            family, tables, request.GET, own_directorates=_own_directorates(request.user)
        )
    except catalogue.NoSuchView as error:
        raise Http404 from error
    return organisation, exact, tables, view


@role_required(LIFECYCLE_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    sets = storage.record_sets(organisation)
    families = [
        {
            "name": name,
            "title": spec.title,
            "words": FAMILY_WORDS[name],
            "available": figures.has_data(organisation, name),
            "what_to_import": WHAT_TO_IMPORT[name],
        }
        for name, spec in figures.FAMILIES.items()
    ]
    return render(
        request,
        "lifecycle/index.html",
        {
            "families": families,
            "record_sets": [sets[k] for k in Kind.values if k in sets],
            "kinds": Kind,
            "can_import": request.user.role in R.IMPORT_ROLES,
            "can_see_reports": request.user.role in REPORT_ROLES,
            "exact": _exact(request.user),
        },
    )


def _chart(view):
    frame = view.frame
    if catalogue.is_likelihood(frame):
        group = catalogue.group_column(frame)
        if group is None:
            return None
        rows = frame.to_dicts()
        if "sex" in frame.columns and group == "ethnic_group":
            rows = [
                {**r, "ethnic_group": f"{r['ethnic_group']} ({r['sex'].lower()})"} for r in rows
            ]
        return relative_likelihood_chart(
            rows,
            group=group,
            title=view.caption,
            group_title=catalogue.column_label(group),
        )
    spec = catalogue.funnel_spec(view)
    if spec is not None:
        # The five groups only: every category as a line would be unreadable (the table has them).
        rows = [
            r
            for r in frame.to_dicts()
            if spec["group"] != "ethnic_group" or r[spec["group"]] in ETHNIC_GROUPS
        ]
        return funnel_chart(
            rows,
            stage=spec["stage"],
            share=spec["share"],
            group=spec["group"],
            title=view.caption,
            stage_title="Stage",
            share_title="Share of the people at this stage (%)",
            group_title=catalogue.column_label(spec["group"]),
        )
    return None


@role_required(LIFECYCLE_ROLES)
def family_page(request, family: str):
    organisation, exact, tables, view = _view_for(request, family)
    context = {
        "family": figures.FAMILIES[family],
        "words": FAMILY_WORDS[family],
        "what_to_import": WHAT_TO_IMPORT[family],
        "view": view,
        "exact": exact,
        "threshold": organisation.suppression_threshold,
        "tables": [
            (n, catalogue.table_title(n))
            for n in catalogue.offered_tables(tables, champion=view is not None and view.champion)
        ],
        "convention_note": CONVENTION_NOTE,
        "can_import": request.user.role in R.IMPORT_ROLES,
        "chart": None,
        "rows": [],
        "columns": [],
        "any_suppressed": False,
        "query": request.GET.urlencode(),
        "notes": catalogue.notes(tables),
        "likelihood": False,
    }
    if view is not None:
        rows = catalogue.display_rows(view)
        context.update(
            chart=_chart(view),
            rows=rows,
            columns=catalogue.shown_columns(view),
            any_suppressed=any(row.get("suppressed") for row in rows),
            likelihood=catalogue.is_likelihood(view.frame),
        )
        if exact:
            audit.record(
                request.user,
                AuditEvent.Action.VIEW,
                "lifecycle_figures",
                family,
                f"exact figures: {view.name}",
            )
    return render(request, "lifecycle/family.html", context)


def _download_response(organisation, name: str, frame, fmt: str, title: str) -> HttpResponse:
    headers, rows, formats = catalogue.download_table(frame)
    filename = "-".join(slugify(p) for p in (organisation.slug, name)) + f".{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            tabular.csv_bytes(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        sheet = title[:31]
        response = HttpResponse(
            tabular.xlsx_bytes([(sheet, headers, rows)], number_formats={sheet: formats}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(LIFECYCLE_ROLES)
def download(request, family: str, fmt: str):
    """The chosen view's rows (every column) as CSV or XLSX, inert, audited."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    organisation, exact, _, view = _view_for(request, family)
    if view is None:
        return redirect(f"lifecycle:{family}")
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "lifecycle_figures",
        family,
        f"{view.name} as {fmt} ({'exact' if exact else 'protected'})",
    )
    return _download_response(
        organisation, view.caption, view.frame, fmt, catalogue.table_title(view.base)
    )


def _report_context(tables: dict, exact: bool) -> dict:
    sections = [
        {
            "name": name,
            "title": catalogue.table_title(name),
            "columns": [
                (c, catalogue.column_label(c), catalogue.column_kind(c, table))
                for c in table.columns
                if c != "suppressed"
            ],
            "rows": table.to_dicts(),
        }
        for name, table in tables.items()
    ]
    return {"sections": sections, "exact": exact}


@role_required(REPORT_ROLES)
def wres(request):
    organisation = organisation_for(request.user)
    exact = _exact(request.user)
    tables = figures.wres_tables(organisation, published=not exact)
    if exact and tables:
        audit.record(
            request.user, AuditEvent.Action.VIEW, "lifecycle_figures", "wres", "exact WRES"
        )
    context = _report_context(tables, exact)
    context["threshold"] = organisation.suppression_threshold
    # Indicators 5-8: the newest staff survey's published figures (the same for every reader).
    context["wres_wave"], context["wres"] = survey_figures.latest_wres(organisation)
    return render(request, "lifecycle/wres.html", context)


@role_required(REPORT_ROLES)
def social_care_wres(request):
    organisation = organisation_for(request.user)
    exact = _exact(request.user)
    tables = figures.social_care_wres_tables(organisation, published=not exact)
    if exact and tables:
        audit.record(
            request.user,
            AuditEvent.Action.VIEW,
            "lifecycle_figures",
            "social-care-wres",
            "exact Social Care WRES",
        )
    context = _report_context(tables, exact)
    context.update(
        threshold=organisation.suppression_threshold,
        directorates=figures.social_care_directorates(organisation),
        default_rule=figures.social_care_is_default(organisation),
        can_change=request.user.role in SETTINGS_ROLES,
    )
    return render(request, "lifecycle/social_care_wres.html", context)


@role_required(REPORT_ROLES)
def report_download(request, report: str, fmt: str):
    """Every table of the WRES report or the Social Care WRES return as one XLSX (a sheet
    each) or, for one table (?table=), CSV."""
    if report not in {"wres", "social-care-wres"} or fmt not in {"csv", "xlsx"}:
        raise Http404
    organisation = organisation_for(request.user)
    exact = _exact(request.user)
    compute = figures.wres_tables if report == "wres" else figures.social_care_wres_tables
    tables = compute(organisation, published=not exact)
    if not tables:
        return redirect("lifecycle:wres" if report == "wres" else "lifecycle:social-care-wres")
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "lifecycle_figures",
        report,
        f"{report} as {fmt} ({'exact' if exact else 'protected'})",
    )
    if fmt == "csv":
        name = request.GET.get("table") or next(iter(tables))
        if name not in tables:
            raise Http404
        return _download_response(organisation, f"{report} {name}", tables[name], fmt, name)
    sheets = []
    formats: dict[str, Sequence[str | None]] = {}
    titles = tabular.unique_sheet_titles(tables)
    for name, table in tables.items():
        headers, rows, number_formats = catalogue.download_table(table)
        sheets.append((titles[name], headers, rows))
        formats[titles[name]] = number_formats
    response = HttpResponse(
        tabular.xlsx_bytes(sheets, number_formats=formats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-{report}.xlsx"'
    return response


@role_required(SETTINGS_ROLES)
def social_care_settings(request):
    organisation = organisation_for(request.user)
    choices = figures.directorate_names(organisation)
    initial = {
        "directorates": figures.social_care_directorates(organisation),
        "use_default": figures.social_care_is_default(organisation),
    }
    form = SocialCareForm(
        request.POST if request.method == "POST" else None, choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        figures.set_social_care_directorates(organisation, form.chosen(), user=request.user)
        messages.success(request, "The social care directorates are saved")
        return redirect("lifecycle:social-care-wres")
    return render(
        request, "lifecycle/settings.html", {"form": form, "error_form": form, "choices": choices}
    )


# --- import ---------------------------------------------------------------------------------


@role_required(R.IMPORT_ROLES)
def import_start(request):
    organisation = organisation_for(request.user)
    posted = request.method == "POST"
    form = LifecycleUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_job(
            organisation, request.user, form.cleaned_data["kind"], form.cleaned_data["extract"]
        )
        if job.status == LifecycleImport.Status.FAILED:
            form.add_error("extract", job.stage)
        else:
            return redirect("lifecycle:import-mapping", job.pk)
    from django.conf import settings

    sets = storage.record_sets(organisation)
    return render(
        request,
        "lifecycle/import_start.html",
        {
            "form": form,
            "error_form": form,
            "max_mb": settings.EQUITABLE_MAX_IMPORT_BYTES // (1024 * 1024),
            "record_sets": [sets[k] for k in Kind.values if k in sets],
            "specs": [(kind, imports.spec_for(kind)) for kind in Kind.values],
        },
    )


def _job(request, pk) -> LifecycleImport:
    return get_for_user(LifecycleImport.objects.select_related("organisation"), request.user, pk)


def _waiting(job: LifecycleImport) -> bool:
    return bool(job.upload_path) and job.status in {
        LifecycleImport.Status.UPLOADED,
        LifecycleImport.Status.INVALID,
    }


@role_required(R.IMPORT_ROLES)
def import_mapping(request, pk: int):
    job = _job(request, pk)
    if not _waiting(job):
        return redirect("lifecycle:import-job", job.pk)
    spec = imports.spec_for(job.kind)
    descriptions = {c.name: c.description for c in spec.columns}
    form = LifecycleMappingForm(
        request.POST or None,
        source_columns=job.source_columns,
        canonical=imports.canonical_columns(job.kind),
        initial_mapping=job.column_mapping,
        required=tuple(imports.required_columns(job.kind)),
    )
    if request.method == "POST" and form.is_valid():
        job.column_mapping = form.mapping()
        job.save()
        imports.check_and_store(job)
        return redirect("lifecycle:import-job", job.pk)
    return render(
        request,
        "lifecycle/import_mapping.html",
        {
            "job": job,
            "form": form,
            "error_form": form,
            "spec": spec,
            "descriptions": descriptions,
        },
    )


@role_required(R.IMPORT_ROLES)
def import_values(request, pk: int):
    job = _job(request, pk)
    if not _waiting(job) or not job.unmapped_values:
        return redirect("lifecycle:import-job", job.pk)
    form = ValueMappingForm(
        request.POST or None,
        unmapped=job.unmapped_values,
        vocabularies=lambda column: imports.vocabulary_for(job.kind, column),
        suggest=classification.suggest,
    )
    if request.method == "POST" and form.is_valid():
        mapping = {column: dict(v) for column, v in job.value_mapping.items()}
        for column, pairs in form.value_mapping().items():
            mapping.setdefault(column, {}).update(pairs)
        job.value_mapping = mapping
        job.save()
        imports.check_and_store(job)
        return redirect("lifecycle:import-job", job.pk)
    return render(
        request, "lifecycle/import_values.html", {"job": job, "form": form, "error_form": form}
    )


@role_required(R.IMPORT_ROLES)
def import_job(request, pk: int):
    job = _job(request, pk)
    if job.status == LifecycleImport.Status.UPLOADED and job.upload_path:
        return redirect("lifecycle:import-mapping", job.pk)
    groups = []
    if job.status == LifecycleImport.Status.INVALID:
        groups = import_checks.group_problems(job.problems, job.column_mapping)
    return render(
        request,
        "lifecycle/import_job.html",
        {
            "job": job,
            "groups": groups,
            "rows_listed": import_checks.ROWS_LISTED,
            "kind_label": Kind(job.kind).label,
        },
    )


@role_required(R.IMPORT_ROLES)
@require_POST
def import_cancel(request, pk: int):
    job = _job(request, pk)
    imports.finish_job(job, LifecycleImport.Status.FAILED, "Cancelled", problems=[])
    messages.success(request, "Import cancelled; nothing was stored and the file is deleted")
    return redirect("lifecycle:import")


@role_required(R.IMPORT_ROLES)
def import_problems_csv(request, pk: int):
    """Every problem as CSV (inert), audited; special category values are not copied."""
    job = _job(request, pk)
    if job.status != LifecycleImport.Status.INVALID:
        return redirect("lifecycle:import-job", job.pk)
    rows = import_checks.problem_rows(job.problems, job.column_mapping)
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "lifecycle_import",
        job.pk,
        f"problems of {job.source_filename[:200]} as csv ({len(rows)} rows)",
    )
    response = HttpResponse(
        tabular.csv_bytes(import_checks.CSV_HEADERS, rows), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"{job.organisation.slug} {job.kind} import problems")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
