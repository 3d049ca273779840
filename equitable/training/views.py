"""Training pages: compliance (charts and tables), the import (upload, preview, confirm) and
the overdue list.

Who sees what: exact figures for the EDI officer and HR analyst, the protected tables for
board members and champions, a champion only their own directorates' rows of the directorate
table (the other breakdowns are organisation-wide). The overdue list is personal-level data:
personal-access roles only, every view and download audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.charts import bar_chart
from equitable.core.models import AuditEvent
from equitable.files import tabular
from equitable.metrics.training import compliance
from equitable.metrics.training.records import PANEL, TRAINING
from equitable.training import services, storage
from equitable.training.forms import TrainingUploadForm
from equitable.training.models import Kind, TrainingImport
from equitable.workforce import services as workforce

TRAINING_ROLES = frozenset(
    {R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}
)
OVERDUE_HEADERS = (
    "Employee (keyed id)",
    "Directorate",
    "Pay band",
    "Overdue",
    "Overdue since",
    "Last mandatory completion",
)


def _rate_columns(count: str, pool: str) -> list[tuple[str, str, str]]:
    return [
        (pool, compliance.POOL_LABELS[pool], "count"),
        (count, "Completed", "count"),
        (f"{count}_percent", "Per cent", "percent"),
        (f"{count}_percent_ci_low", "95% CI from", "percent"),
        (f"{count}_percent_ci_high", "95% CI to", "percent"),
    ]


def _measure_rows(row: dict) -> list[dict]:
    """The all-staff row as one row per measure (chart and table)."""
    rows = []
    for measure, (count, pool, _, _) in compliance.MEASURES.items():
        rows.append(
            {
                "measure": compliance.MEASURE_LABELS[measure],
                "pool": row[pool],
                "count": row[count],
                "percent": row[f"{count}_percent"],
                "ci_low": row[f"{count}_percent_ci_low"],
                "ci_high": row[f"{count}_percent_ci_high"],
                # An empty pool is "–", not withheld.
                "suppressed": bool(row.get("suppressed")) and row[pool] != 0,
            }
        )
    return rows


def _chart(rows: list[dict], x: str, x_title: str, title: str):
    shown = [r for r in rows if r.get("percent") is not None]
    return bar_chart(
        shown,
        x=x,
        y="percent",
        title=title,
        x_title=x_title,
        y_title="Per cent",
        description=title + ". The table beside the chart gives every figure.",
    )


def _breakdown(table, column: str, count: str) -> list[dict]:
    return [
        {
            "label": r[column],
            "percent": r[f"{count}_percent"],
            **r,
        }
        for r in table.to_dicts()
    ]


@role_required(TRAINING_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    exact = request.user.has_personal_access
    snapshot = workforce.latest_snapshot(organisation)
    tables = services.tables_for(organisation, snapshot, published=not exact)
    context = {
        "exact": exact,
        "threshold": organisation.suppression_threshold,
        "snapshot": snapshot,
        "has_records": services.has_records(organisation),
        "can_import": request.user.role in R.IMPORT_ROLES,
        "panel_given": storage.stored_file(organisation, Kind.PANEL) is not None,
        "sections": [],
        "summaries": [],
        "trend": [],
    }
    if tables:
        own = None
        if request.user.role == R.Role.CHAMPION:
            own = sorted(request.user.directorates.values_list("name", flat=True))
        if own is None:
            summaries = [("All staff", "all-staff", tables["all_staff"].to_dicts()[0])]
        else:  # a champion: their own directorates' rows, never the whole council's
            mine = tables["by_directorate"].filter(
                tables["by_directorate"]["directorate"].is_in(own)
            )
            summaries = [
                (f"Staff in {r['directorate']}", f"directorate-{i}", r)
                for i, r in enumerate(mine.to_dicts())
            ]
        context["summaries"] = []
        for heading, anchor, row in summaries:
            summary_rows = _measure_rows(row)
            context["summaries"].append(
                {
                    "heading": heading,
                    "id": anchor,
                    "svg": _chart(
                        summary_rows, "measure", "Duty", f"{heading}: training duties met"
                    ),
                    "rows": summary_rows,
                }
            )
        for name, (column, label) in compliance.DIMENSIONS.items():
            if name == "all_staff" or own is not None:
                continue
            table = tables[name]
            rows = _breakdown(table, column, "mandatory_completed")
            columns = [
                ("label", label, "text"),
                ("staff", "Staff", "count"),
                ("mandatory_completed", "Completed", "count"),
                ("mandatory_completed_percent", "Completed %", "percent"),
                ("mandatory_completed_percent_ci_low", "95% CI from", "percent"),
                ("mandatory_completed_percent_ci_high", "95% CI to", "percent"),
                ("up_to_date_percent", "Up to date %", "percent"),
                ("inducted_in_8_weeks_percent", "New starters in 8 weeks %", "percent"),
                ("senior_face_to_face_percent", "Senior leaders face to face %", "percent"),
                ("panel_trained_percent", "Panel members trained %", "percent"),
            ]
            context["sections"].append(
                {
                    "id": name.replace("_", "-"),
                    "heading": f"By {label.lower()}",
                    "svg": _chart(
                        rows,
                        "label",
                        label,
                        f"Staff who completed mandatory EDI training, by {label.lower()}",
                    ),
                    "caption": f"Training duties by {label.lower()}",
                    "columns": columns,
                    "rows": rows,
                }
            )
        if own is None:
            context["trend"] = services.trend(organisation, published=not exact)
    return render(request, "training/index.html", context)


@role_required(R.IMPORT_ROLES)
def upload(request):
    organisation = organisation_for(request.user)
    form = TrainingUploadForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        checked = services.check_upload(
            organisation, request.user, form.cleaned_data["kind"], form.cleaned_data["extract"]
        )
        if checked.pending is not None:
            return redirect("training:preview", checked.pending.pk)
        problems = checked.problems
    return render(
        request,
        "training/upload.html",
        {
            "form": form,
            "error_form": form,
            "problems": problems,
            "specs": [TRAINING, PANEL],
            "max_mb": settings.EQUITABLE_MAX_IMPORT_BYTES // (1024 * 1024),
            "files": [f for k in Kind.values if (f := storage.stored_file(organisation, k))],
        },
    )


@role_required(R.IMPORT_ROLES)
def preview(request, pk: int):
    pending = get_for_user(TrainingImport.objects.defer("parquet"), request.user, pk)
    replaces = storage.stored_file(pending.organisation, pending.kind)
    summary = pending.summary
    span = (
        (date.fromisoformat(summary["first"]), date.fromisoformat(summary["last"]))
        if "first" in summary
        else None
    )
    return render(
        request,
        "training/preview.html",
        {"pending": pending, "replaces": replaces, "span": span},
    )


@role_required(R.IMPORT_ROLES)
@require_POST
def confirm(request, pk: int):
    pending = get_for_user(TrainingImport.objects.all(), request.user, pk)
    stored = services.confirm(pending, request.user)
    messages.success(request, f"Stored {stored.row_count:,} rows from {stored.source_filename}.")
    return redirect("training:index")


def _overdue_rows(frame) -> list[tuple]:
    return [
        (
            r["employee_key"][:12],
            r["directorate"],
            r["pay_band"],
            r["overdue"],
            r["since"],
            r["last_completed"],
        )
        for r in frame.to_dicts()
    ]


ROWS_SHOWN = 100


def _chosen(frame, request) -> tuple[Any, dict[str, str]]:
    """The overdue rows the GET filters choose (directorate, duty); unknown values choose
    nothing rather than everything."""
    chosen = {
        "directorate": request.GET.get("directorate", ""),
        "duty": request.GET.get("duty", ""),
    }
    if chosen["directorate"]:
        frame = frame.filter(frame["directorate"] == chosen["directorate"])
    if chosen["duty"]:
        frame = frame.filter(frame["overdue"] == chosen["duty"])
    return frame, chosen


@role_required(R.PERSONAL_DATA_ROLES)
def overdue(request):
    organisation = organisation_for(request.user)
    as_of, everyone = services.overdue_for(organisation)
    frame, chosen = _chosen(everyone, request)
    audit.record(
        request.user,
        AuditEvent.Action.VIEW,
        "training_overdue",
        "",
        f"overdue list at {as_of}: {frame.height} rows"
        + (f" (directorate {chosen['directorate'][:60]})" if chosen["directorate"] else "")
        + (f" ({chosen['duty'][:60]})" if chosen["duty"] else ""),
        organisation=organisation,
    )
    counts = (
        everyone.group_by("overdue").len().sort("overdue").to_dicts() if everyone.height else []
    )
    query = "&".join(f"{k}={quote(v)}" for k, v in chosen.items() if v)
    return render(
        request,
        "training/overdue.html",
        {
            "as_of": as_of,
            "counts": counts,
            "rows": [
                dict(zip(OVERDUE_HEADERS, r, strict=True))
                for r in _overdue_rows(frame.head(ROWS_SHOWN))
            ],
            "headers": OVERDUE_HEADERS,
            "total": everyone.height,
            "chosen_total": frame.height,
            "rows_shown": ROWS_SHOWN,
            "chosen": chosen,
            "directorates": sorted(everyone.get_column("directorate").unique().to_list()),
            "duties": [c["overdue"] for c in counts],
            "query": query,
        },
    )


@role_required(R.PERSONAL_DATA_ROLES)
def overdue_download(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    organisation = organisation_for(request.user)
    as_of, everyone = services.overdue_for(organisation)
    frame, _ = _chosen(everyone, request)
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "training_overdue",
        "",
        f"overdue list at {as_of}: {frame.height} rows as {fmt}",
        organisation=organisation,
    )
    rows = [(r["employee_key"], *list(r.values())[1:]) for r in frame.to_dicts()]
    filename = f"{organisation.slug}-training-overdue-{as_of}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            tabular.csv_bytes(OVERDUE_HEADERS, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            tabular.xlsx_bytes([("Overdue", OVERDUE_HEADERS, rows)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
