"""Service monitoring pages: the register, each service's profile against residents with its
completeness and quarters, uploads and the census tables.

Exact figures for the EDI officer and HR analyst; everyone else sees the organisation's
protected publication (`services.tables_for(published=True)`), whatever page they open;
`services.page_tables` decides which and audits exact views.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required, scoped
from equitable.metrics.service_users.records import CHARACTERISTIC_LABELS
from equitable.service_users import services
from equitable.service_users.charts import profile_chart
from equitable.service_users.forms import CensusForm, ExtractForm, ServiceForm
from equitable.service_users.models import CensusTable, Service

VIEW_ROLES = R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION}


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
        upload_file = form.cleaned_data["extract"]
        result = services.import_extract(service, upload_file, upload_file.name, user=request.user)
        if result.ok:
            messages.success(request, f"{result.row_count:,} rows imported for {service.name}")
            return redirect("service_users:service", service.pk)
        problems = result.problems
    return render(
        request,
        "service_users/upload.html",
        {"service": service, "form": form, "error_form": form, "problems": problems},
    )


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
