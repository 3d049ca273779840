"""Service monitoring pages: the register, each service's profile against residents with its
completeness and quarters, uploads and the census tables.

Exact figures for the EDI officer and HR analyst; everyone else sees the organisation's
protected publication (`services.tables_for(published=True)`), whatever page they open;
`services.page_tables` decides which and audits exact views.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required, scoped
from equitable.lifecycle.forms import LifecycleMappingForm, ValueMappingForm
from equitable.metrics.service_users.records import (
    CHARACTERISTIC_LABELS,
    mappable_columns,
    shape_of,
    suggest_value,
    value_vocabulary,
)
from equitable.service_users import services
from equitable.service_users.charts import profile_chart
from equitable.service_users.forms import CensusForm, ExtractForm, ServiceForm
from equitable.service_users.models import CensusTable, Service, ServiceImport

VIEW_ROLES = services.READ_ROLES


def _published(user) -> bool:
    return not user.has_personal_access


def _posted(request):
    """The submitted data, or None on GET: an empty submission is still a submission, whose
    errors are shown (an empty QueryDict is falsy, so `or None` would lose it)."""
    return request.POST if request.method == "POST" else None


def _labelled(rows: list[dict]) -> list[dict]:
    return [{**r, "characteristic_label": CHARACTERISTIC_LABELS[r["characteristic"]]} for r in rows]


@role_required(VIEW_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    service_list = scoped(Service.objects.all(), request.user)
    with_data = services.services_with_data(organisation)
    tables, exact = services.overview_tables(organisation, request.user)
    completeness = tables.get("completeness")
    rows = [] if completeness is None else _labelled(completeness.to_dicts())
    return render(
        request,
        "service_users/index.html",
        {
            "services": [{"service": s, "has_data": s.pk in with_data} for s in service_list],
            "completeness": rows,
            "labels": CHARACTERISTIC_LABELS,
            "can_import": request.user.role in R.IMPORT_ROLES,
            "exact": exact,
        },
    )


@role_required(R.IMPORT_ROLES)
def service_new(request):
    organisation = organisation_for(request.user)
    form = ServiceForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        service = services.create_service(
            organisation,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            user=request.user,
        )
        messages.success(request, f"{service.name} added")
        return redirect("service_users:upload", service.pk)
    return render(request, "service_users/service_form.html", {"form": form, "error_form": form})


@role_required(VIEW_ROLES)
def service_detail(request, pk: int):
    service = get_for_user(Service.objects.all(), request.user, pk)
    tables, exact = services.page_tables(service, request.user)
    profiles = services.profiles(tables)
    for p in profiles:
        p["chart"] = profile_chart(p["rows"], p["label"], service)
    return render(
        request,
        "service_users/service.html",
        {
            "service": service,
            "profiles": profiles,
            "completeness": services.completeness_rows(tables),
            "quarterly": tables["quarterly"].to_dicts() if tables else [],
            "quarterly_ethnicity": tables["quarterly_ethnicity"].to_dicts()
            if "quarterly_ethnicity" in tables
            else [],
            "labels": CHARACTERISTIC_LABELS,
            "exact": exact,
            "can_import": request.user.role in R.IMPORT_ROLES,
        },
    )


@role_required(R.IMPORT_ROLES)
def upload(request, pk: int):
    service = get_for_user(Service.objects.all(), request.user, pk)
    form = ExtractForm(_posted(request), request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        step = services.start_import(service, form.cleaned_data["extract"], user=request.user)
        if step.outcome == "stored":
            return _stored(request, service, step)
        if step.outcome == "mapping" and step.job is not None:
            return redirect("service_users:import-mapping", step.job.pk)
        problems = step.result.problems
    return _upload_page(request, service, form, problems)


def _upload_page(request, service, form, problems):
    return render(
        request,
        "service_users/upload.html",
        {"service": service, "form": form, "error_form": form, "problems": problems},
    )


def _stored(request, service, step):
    messages.success(request, f"{step.result.row_count:,} rows imported for {service.name}")
    return redirect("service_users:service", service.pk)


def _waiting_import(request, pk: int) -> ServiceImport:
    """The organisation's import (another's is a 404), still waiting on the mapping page."""
    job = get_for_user(ServiceImport.objects.select_related("service"), request.user, pk)
    if job.status != ServiceImport.Status.WAITING or not Path(job.upload_path or "/").is_file():
        raise Http404("This import has ended: upload the file again")
    return job


@role_required(R.IMPORT_ROLES)
def import_mapping(request, pk: int):
    """Match the file's columns and its unplaced values, then check and store (or refuse)."""
    job = _waiting_import(request, pk)
    service = job.service
    preview = services.preview_import(job)
    shape = shape_of(job.source_columns, job.column_mapping)
    columns_form = LifecycleMappingForm(
        _posted(request),
        source_columns=job.source_columns,
        canonical=mappable_columns(shape),
        initial_mapping=job.column_mapping,
        required=(),
    )
    values_form = ValueMappingForm(
        _posted(request),
        unmapped=preview.unmapped_values,
        vocabularies=value_vocabulary,
        suggest=suggest_value,
    )
    if request.method == "POST" and columns_form.is_valid() and values_form.is_valid():
        step = services.check_import(
            job, columns_form.mapping(), values_form.value_mapping(), user=request.user
        )
        if step.outcome == "stored":
            return _stored(request, service, step)
        if step.outcome == "mapping":
            return redirect("service_users:import-mapping", job.pk)
        return _upload_page(request, service, ExtractForm(), step.result.problems)
    waiting_on_values = {(c, v) for c, values in preview.unmapped_values.items() for v in values}
    remaining = [
        p
        for p in preview.problems
        if not (p.column in preview.unmapped_values and (p.column, p.value) in waiting_on_values)
    ]
    return render(
        request,
        "service_users/import_mapping.html",
        {
            "job": job,
            "service": service,
            "columns_form": columns_form,
            "values_form": values_form,
            "error_form": columns_form if columns_form.errors else values_form,
            "problems": remaining,
            "shape": shape,
            "labels": CHARACTERISTIC_LABELS,
        },
    )


@role_required(R.IMPORT_ROLES)
@require_POST
def import_cancel(request, pk: int):
    job = _waiting_import(request, pk)
    services.cancel_import(job, user=request.user)
    messages.success(request, "Import cancelled; nothing was stored and the file is deleted")
    return redirect("service_users:upload", job.service_id)


@role_required(R.IMPORT_ROLES)
def census(request):
    organisation = organisation_for(request.user)
    form = CensusForm(_posted(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["table"]
        problems = services.save_census_table(
            organisation,
            form.cleaned_data["characteristic"],
            table,
            table.name,
            local_authority=form.cleaned_data["local_authority"],
            user=request.user,
        )
        if not problems:
            messages.success(request, "Census table saved")
            return redirect("service_users:census")
    return render(
        request,
        "service_users/census.html",
        {
            "form": form,
            "error_form": form,
            "problems": problems,
            "tables": list(CensusTable.objects.filter(organisation=organisation)),
            "has_ethnicity": services.residents(organisation)
            .filter(characteristic="ethnicity")
            .height
            > 0,
        },
    )


@role_required(VIEW_ROLES)
def download(request, pk: int, table: str):
    """One table of the service as inert CSV (exact or protected as the page), audited."""
    service = get_for_user(Service.objects.all(), request.user, pk)
    name = table.replace("-", "_")
    try:
        body = services.download_csv(
            service, name, published=_published(request.user), user=request.user
        )
    except KeyError:
        raise Http404 from None
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"{service.organisation.slug}-service-{service.pk}-{table}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
