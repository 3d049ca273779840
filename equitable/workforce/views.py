"""Workforce pages: dashboards per figure, downloads, the import flow and the population benchmark.

Views parse, call `services` and render. Who sees what is decided in one place,
`services.dashboard_view`: exact counts for personal-data roles, protected figures for others.
"""

from __future__ import annotations

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.charts import bar_chart, line_chart
from equitable.core.models import AuditEvent
from equitable.files import tabular
from equitable.metrics import classification
from equitable.metrics import figures as metric_figures
from equitable.workforce import catalogue, import_checks, services, snapshots
from equitable.workforce.forms import (
    COMMA,
    POINT,
    ConfirmForm,
    ConfirmPayForm,
    DetailedPopulationForm,
    HandPopulationForm,
    MappingForm,
    NomisPopulationForm,
    UploadForm,
    ValueMappingForm,
)
from equitable.workforce.models import ImportJob, Snapshot

POPULATION_ROLES = R.IMPORT_ROLES | R.ADMIN_ROLES


def _chosen_snapshot(request, snapshots: list[Snapshot]) -> Snapshot | None:
    wanted = request.GET.get("snapshot")
    if wanted:
        for snapshot in snapshots:
            if snapshot.snapshot_date.isoformat() == wanted:
                return snapshot
        raise Http404
    return snapshots[-1] if snapshots else None


@role_required(R.DASHBOARD_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    snapshots = services.snapshots_of(organisation)
    latest = snapshots[-1] if snapshots else None
    skipped = {}
    available = set()
    if latest is not None:
        tables = services.exact_tables(latest)
        available = set(tables)
        skipped = metric_figures.skipped(tables)
    sections = [
        {
            "title": section,
            "figures": [
                {
                    "figure": figure,
                    "available": figure.name in available,
                    "reason": skipped.get(figure.name, ""),
                }
                for figure in catalogue.FIGURES
                if figure.section == section
            ],
        }
        for section in catalogue.SECTIONS
    ]
    return render(
        request,
        "workforce/index.html",
        {
            "organisation": organisation,
            "snapshots": list(reversed(snapshots)),
            "latest": latest,
            "sections": sections,
            "population": services.current_population(organisation),
            "can_import": request.user.role in R.IMPORT_ROLES,
            "can_set_population": request.user.role in POPULATION_ROLES,
            "exact": services.has_personal_access(request.user),
        },
    )


def _figure_context(request, name: str):
    figure = catalogue.BY_NAME.get(name)
    if figure is None:
        raise Http404
    organisation = organisation_for(request.user)
    snapshots = services.snapshots_of(organisation)
    snapshot = _chosen_snapshot(request, snapshots)
    if snapshot is None:
        return figure, organisation, snapshots, None, None
    view = services.dashboard_view(
        request.user, organisation, snapshot, request.GET.get("directorate") or None
    )
    return figure, organisation, snapshots, snapshot, view


def _audit_exact(request, snapshot, what: str, action=AuditEvent.Action.VIEW) -> None:
    audit.record(request.user, action, "workforce_snapshot", snapshot.pk, what)


@role_required(R.DASHBOARD_ROLES)
def figure(request, name: str):
    figure, organisation, snapshots, snapshot, view = _figure_context(request, name)
    context = {
        "figure": figure,
        "snapshots": list(reversed(snapshots)),
        "snapshot": snapshot,
        "view": view,
    }
    if snapshot is None:
        return render(request, "workforce/figure.html", context)
    table = view.tables.get(name)
    notes = view.tables.get("notes")
    table_notes = (
        [row["message"] for row in notes.iter_rows(named=True) if row["table"] == name]
        if notes is not None
        else []
    )
    needs = metric_figures.FIGURE_REQUIREMENTS.get(name, ())
    if table is not None:
        rows = catalogue.display_rows(table.to_dicts())
        chart = None
        spec = catalogue.chart_spec(figure, table)
        if spec["rows"]:
            chart = bar_chart(
                catalogue.display_rows(spec["rows"]),
                x=spec["x"],
                y=spec["y"],
                colour=spec["colour"],
                stacked=figure.stacked,
                title=figure.title,
                x_title=catalogue.column_label(figure.x),
                y_title=figure.y_title,
                colour_title=spec["colour_title"],
                description=f"{figure.title}, {snapshot}. The figures are in the table.",
            )
        context.update(
            chart=chart,
            rows=rows,
            columns=catalogue.table_columns(table),
            any_suppressed=any(row.get("suppressed") for row in rows),
        )
        if view.exact:
            _audit_exact(request, snapshot, f"exact figures: {name}")
    context.update(
        table=table,
        table_notes=table_notes,
        needs=needs,
        directorate_tables=name in services.DIRECTORATE_TABLES,
        threshold=organisation.suppression_threshold,
    )
    return render(request, "workforce/figure.html", context)


def download_name(organisation, name: str, snapshot, directorate: str | None, fmt: str) -> str:
    """What the file holds, filters included: demo-borough-representation-by-directorate-
    2025-03-31-people.csv."""
    parts = [organisation.slug, name, snapshot.snapshot_date.isoformat()]
    if directorate:
        parts.append(directorate)
    return "-".join(slugify(part).replace("_", "-") for part in parts) + f".{fmt}"


@role_required(R.DASHBOARD_ROLES)
def download(request, name: str, fmt: str):
    """The table of a figure as shown to this person, in the page's words and rounding, made
    inert (equitable.files.tabular): CSV or XLSX."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    figure, organisation, snapshots, snapshot, view = _figure_context(request, name)
    if snapshot is None or name not in view.tables:
        return redirect("workforce:figure", name)
    headers, rows, formats = catalogue.download_table(view.tables[name])
    filename = download_name(organisation, name, snapshot, view.directorate, fmt)
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "workforce_snapshot",
        snapshot.pk,
        f"{name} as {fmt} ({'exact' if view.exact else 'protected'})",
    )
    if fmt == "csv":
        response = HttpResponse(
            tabular.csv_bytes(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            tabular.xlsx_bytes(
                [(figure.title, headers, rows)], number_formats={figure.title: formats}
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(R.DASHBOARD_ROLES)
def trends(request):
    """Each figure across snapshots (protected for those without personal-data access)."""
    organisation = organisation_for(request.user)
    name = request.GET.get("figure", "representation_overall")
    if name not in catalogue.BY_NAME:
        raise Http404
    exact = services.has_personal_access(request.user)
    stacked = services.trend_tables(organisation, published=not exact)
    if request.user.role == R.Role.CHAMPION:
        own = list(request.user.directorates.values_list("name", flat=True))
        stacked = services.champion_view(stacked, own)
    table = stacked.get(name)
    figure = catalogue.BY_NAME[name]
    chart = None
    too_many_lines = False
    rows: list[dict] = []
    columns: list = []
    if table is not None and table.height:
        table = table.with_columns(pl.col("snapshot_date").cast(pl.String))
        rows = catalogue.display_rows(table.to_dicts())
        columns = catalogue.table_columns(table)
        spec = catalogue.trend_spec(figure, table)
        too_many_lines = spec is None and catalogue.too_many_lines(figure, table)
        if spec is not None:
            chart = line_chart(
                catalogue.display_rows(spec["rows"]),
                x="snapshot_date",
                y=spec["y"],
                series=spec["series"],
                series_title=catalogue.column_label(spec["series"]),
                title=f"{figure.title} over time",
                x_title="Snapshot",
                y_title=catalogue.column_label(spec["y"]),
                description=f"{figure.title} at each snapshot. The figures are in the table.",
            )
    return render(
        request,
        "workforce/trends.html",
        {
            "name": name,
            "figures": catalogue.FIGURES,
            "figure": catalogue.BY_NAME[name],
            "chart": chart,
            "rows": rows,
            "columns": columns,
            "exact": exact,
            "too_many_lines": too_many_lines,
            "max_lines": catalogue.MAX_LINES,
        },
    )


# --- import ---------------------------------------------------------------------------------


@role_required(R.IMPORT_ROLES)
def import_start(request):
    organisation = organisation_for(request.user)
    replacing = snapshots.replacing(organisation, request.GET.get("replace"))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"snapshot_date": replacing.snapshot_date.isoformat()} if replacing else None,
    )
    if request.method == "POST" and form.is_valid():
        job = services.start_job(
            organisation,
            request.user,
            form.cleaned_data["extract"],
            snapshot_date=form.cleaned_data["snapshot_date"],
        )
        if job.status == ImportJob.Status.FAILED:
            form.add_error("extract", job.stage)
        else:
            return redirect("workforce:import-mapping", job.pk)
    return render(
        request,
        "workforce/import_start.html",
        {
            "form": form,
            "error_form": form,
            "max_mb": settings.EQUITABLE_MAX_IMPORT_BYTES // (1024 * 1024),
            "replacing": replacing,
        },
    )


def _job(request, pk) -> ImportJob:
    return get_for_user(ImportJob.objects.select_related("organisation"), request.user, pk)


@role_required(R.IMPORT_ROLES)
def import_mapping(request, pk: int):
    job = _job(request, pk)
    if job.status in {ImportJob.Status.DONE, ImportJob.Status.FAILED} or job.busy:
        return redirect("workforce:import-job", job.pk)
    if not job.upload_path:  # the job ended and its file is gone
        return redirect("workforce:import-job", job.pk)
    form = MappingForm(
        request.POST or None,
        source_columns=job.source_columns,
        canonical=services.canonical_columns(),
        initial_mapping=job.column_mapping,
        hints=services.column_hints(job),
        initial={"decimal_separator": COMMA if job.decimal_comma else POINT},
    )
    if request.method == "POST" and form.is_valid():
        job.column_mapping = form.mapping()
        services.set_job_options(job, decimal_comma=form.decimal_comma())
        services.start_validation(job)
        return redirect("workforce:import-job", job.pk)
    plan = services.column_plan(job)
    return render(
        request,
        "workforce/import_mapping.html",
        {
            "job": job,
            "form": form,
            "error_form": form,
            "look_alikes": [column for column in plan.left_out if column.looks_like],
            "missing": _missing_fields(plan),
            "left_out_plain": [column.column for column in plan.left_out if not column.looks_like],
        },
    )


@role_required(R.IMPORT_ROLES)
def import_values(request, pk: int):
    job = _job(request, pk)
    if job.busy or not job.unmapped_values or not job.upload_path:
        return redirect("workforce:import-job", job.pk)
    form = ValueMappingForm(
        request.POST or None,
        unmapped=job.unmapped_values,
        vocabularies=classification.accepted_values,
        suggest=classification.suggest,
    )
    if request.method == "POST" and form.is_valid():
        mapping = {column: dict(v) for column, v in job.value_mapping.items()}
        for column, pairs in form.value_mapping().items():
            mapping.setdefault(column, {}).update(pairs)
        job.value_mapping = mapping
        services.start_validation(job)
        return redirect("workforce:import-job", job.pk)
    counts = job.options.get("unmapped_counts", {})
    not_listed = {
        column: counts[column] - len(values)
        for column, values in job.unmapped_values.items()
        if counts.get(column, 0) > len(values)
    }
    return render(
        request,
        "workforce/import_values.html",
        {"job": job, "form": form, "error_form": form, "not_listed": not_listed},
    )


@role_required(R.IMPORT_ROLES)
def import_job(request, pk: int, confirm_form=None, pay_form=None):
    job = _job(request, pk)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("workforce:import-mapping", job.pk)
    date_taken = services.snapshot_date_taken(job)
    groups = []
    if job.status == ImportJob.Status.INVALID:
        groups = import_checks.group_problems(job.problems, job.column_mapping)
    unrelated = snapshots.looks_unrelated(job.options)
    form = confirm_form or ConfirmForm(date_taken=date_taken, unrelated=unrelated)
    plan = services.column_plan(job)
    replaced = None
    if date_taken and job.status == ImportJob.Status.VALID:
        replaced = snapshots.impact_of(
            Snapshot.objects.get(organisation=job.organisation, snapshot_date=job.snapshot_date)
        )
    return render(
        request,
        "workforce/import_job.html",
        {
            "job": job,
            "date_taken": date_taken,
            "groups": groups,
            "rows_listed": import_checks.ROWS_LISTED,
            "preview": job.options.get("preview") if job.status == ImportJob.Status.VALID else None,
            "unrelated": unrelated,
            "replaced": replaced,
            "missing": _missing_fields(plan) if job.status == ImportJob.Status.VALID else [],
            "form": form,
            "pay_form": pay_form or ConfirmPayForm(),
            "error_form": confirm_form or pay_form,
            "left_out": [str(column) for column in plan.left_out],
            "dropped": plan.dropped,
            "refresh": job.busy,
        },
    )


@role_required(R.IMPORT_ROLES)
@require_POST
def import_confirm_pay(request, pk: int):
    """The person confirms the hourly rates flagged for confirmation; the file is checked again
    with them accepted (the confirmation holds until the columns or decimal separator change)."""
    job = _job(request, pk)
    if job.status != ImportJob.Status.INVALID or not job.confirmable_count or not job.upload_path:
        return redirect("workforce:import-job", job.pk)
    form = ConfirmPayForm(request.POST)
    if not form.is_valid():
        return import_job.__wrapped__(request, pk, pay_form=form)
    services.set_job_options(job, confirm_pay=True)
    services.start_validation(job)
    return redirect("workforce:import-job", job.pk)


@role_required(R.IMPORT_ROLES)
@require_POST
def import_confirm(request, pk: int):
    job = _job(request, pk)
    if job.status != ImportJob.Status.VALID:
        return redirect("workforce:import-job", job.pk)
    form = ConfirmForm(
        request.POST,
        date_taken=services.snapshot_date_taken(job),
        unrelated=snapshots.looks_unrelated(job.options),
    )
    if not form.is_valid():
        return import_job.__wrapped__(request, pk, confirm_form=form)
    services.start_storing(job, replace=bool(form.cleaned_data.get("replace")))
    return redirect("workforce:import-job", job.pk)


@role_required(R.IMPORT_ROLES)
@require_POST
def import_cancel(request, pk: int):
    job = _job(request, pk)
    if not job.busy:
        services.finish_job(job, ImportJob.Status.FAILED, "Cancelled", problems=[])
        messages.success(request, "Import cancelled; nothing was stored and the file is deleted")
    return redirect("workforce:import")


def _missing_fields(plan) -> list[import_checks.MissingField]:
    return import_checks.missing_fields(
        plan.assignment, [(column.column, column.looks_like) for column in plan.left_out]
    )


@role_required(R.IMPORT_ROLES)
def import_problems_csv(request, pk: int):
    """Every problem the check found, as CSV (inert: `files.tabular`), audited. Values of
    special category columns are not copied into the file (`import_checks.problem_rows`)."""
    job = _job(request, pk)
    if job.status != ImportJob.Status.INVALID:
        return redirect("workforce:import-job", job.pk)
    rows = import_checks.problem_rows(job.problems, job.column_mapping)
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "workforce_import",
        job.pk,
        f"problems of {job.source_filename[:200]} for {job.snapshot_date.isoformat()} as csv "
        f"({len(rows)} rows)",
    )
    response = HttpResponse(
        tabular.csv_bytes(import_checks.CSV_HEADERS, rows), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"{job.organisation.slug} import problems {job.snapshot_date.isoformat()}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- managing snapshots ---------------------------------------------------------------------


@role_required(R.IMPORT_ROLES)
def snapshot_list(request):
    """The stored snapshots, each with replace and delete (the roles that import)."""
    organisation = organisation_for(request.user)
    return render(
        request,
        "workforce/snapshots.html",
        {"snapshots": list(reversed(services.snapshots_of(organisation)))},
    )


@role_required(R.IMPORT_ROLES)
def snapshot_delete(request, pk: int):
    """GET: what deleting the snapshot changes; POST: delete it (audited, measures recomputed)."""
    snapshot = get_for_user(Snapshot.objects.select_related("organisation"), request.user, pk)
    if request.method == "POST":
        impact = snapshots.delete_snapshot(snapshot, request.user)
        messages.success(
            request,
            f"The snapshot of {impact.snapshot} is deleted; the measures are recomputed from "
            f"the {impact.snapshots_left} snapshots left",
        )
        return redirect("workforce:snapshots")
    return render(
        request,
        "workforce/snapshot_delete.html",
        {"snapshot": snapshot, "impact": snapshots.impact_of(snapshot)},
    )


# --- population benchmark -------------------------------------------------------------------


@role_required(POPULATION_ROLES)
def population(request):
    """The resident population benchmark: from a TS021 file (either layout), the 19 categories'
    counts typed in, or the five groups' percentages typed in."""
    from equitable.metrics import population as metrics_population

    organisation = organisation_for(request.user)
    nomis_form = NomisPopulationForm(prefix="nomis")
    counts_form = DetailedPopulationForm(prefix="counts")
    hand_form = HandPopulationForm(prefix="hand")
    error_form = None
    if request.method == "POST":
        source = request.POST.get("source")
        if source == "nomis":
            nomis_form = NomisPopulationForm(request.POST, request.FILES, prefix="nomis")
            error_form = nomis_form
            if nomis_form.is_valid():
                authority = nomis_form.cleaned_data["local_authority"].strip()
                try:
                    frame = metrics_population.read_population_file(
                        nomis_form.cleaned_data["census_file"].read(), authority or None
                    )
                except metrics_population.PopulationError as error:
                    for problem in error.problems:
                        nomis_form.add_error("census_file", problem)
                else:
                    where = authority or nomis_form.cleaned_data["census_file"].name[:120]
                    services.save_population(
                        organisation,
                        frame,
                        source=f"Census 2021 TS021 {where}",
                        user=request.user,
                    )
                    messages.success(request, f"Resident population of {where} saved")
                    return redirect("workforce:population")
        elif source == "counts":
            counts_form = DetailedPopulationForm(request.POST, prefix="counts")
            error_form = counts_form
            if counts_form.is_valid():
                try:
                    frame = metrics_population.population_from_counts(counts_form.counts())
                except metrics_population.PopulationError as error:
                    for problem in error.problems:
                        counts_form.add_error(None, problem)
                else:
                    services.save_population(
                        organisation,
                        frame,
                        source="the 19 categories entered by hand",
                        user=request.user,
                    )
                    messages.success(request, "Resident population saved")
                    return redirect("workforce:population")
        elif source == "hand":
            hand_form = HandPopulationForm(request.POST, prefix="hand")
            error_form = hand_form
            if hand_form.is_valid():
                try:
                    frame = metrics_population.population_from_percentages(hand_form.percentages())
                except metrics_population.PopulationError as error:
                    for problem in error.problems:
                        hand_form.add_error(None, problem)
                else:
                    services.save_population(
                        organisation, frame, source="entered by hand", user=request.user
                    )
                    messages.success(request, "Resident population saved")
                    return redirect("workforce:population")
        else:
            raise PermissionDenied
    benchmark = services.current_population(organisation)
    return render(
        request,
        "workforce/population.html",
        {
            "benchmark": benchmark,
            "rows": services.population_table(benchmark),
            "detailed": services.population_is_detailed(benchmark),
            "nomis_form": nomis_form,
            "counts_form": counts_form,
            "hand_form": hand_form,
            "error_form": error_form,
            "nomis_action": reverse("workforce:population"),
        },
    )
