"""Survey results pages, downloads: protected figures only, for every role.

Views are thin: they pick rows of `figures.published_tables` (never recompute for a filter)
and render them with a chart and the table beside it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.core.charts import line_chart
from equitable.core.models import AuditEvent
from equitable.files import tabular
from equitable.metrics.labels import AGGREGATE_LABEL, ETHNIC_GROUPS
from equitable.surveys import charts, figures
from equitable.surveys.models import QuestionBankItem, Survey

SURVEY_ROLES = R.DASHBOARD_ROLES
COMMENT_EXPORT_ROLES = frozenset({R.Role.EDI_OFFICER})
RESULT_COLUMNS = [
    ("respondents", "Respondents", "count"),
    ("percent_favourable", "Favourable (%)", "percent"),
    ("ci_low", "95% CI from (%)", "percent"),
    ("ci_high", "95% CI to (%)", "percent"),
    ("percent_neutral", "Neutral (%)", "percent"),
    ("percent_unfavourable", "Unfavourable (%)", "percent"),
    ("mean_score", "Mean score", "ratio"),
    ("why_withheld", "Why withheld", "text"),
]
COMPARISON_COLUMNS = [
    ("percent_favourable", "Favourable (%)", "percent"),
    ("reference_percent_favourable", "Reference (%)", "percent"),
    ("difference_points", "Difference (points)", "points"),
    ("ci_low", "95% CI from", "points"),
    ("ci_high", "95% CI to", "points"),
    ("significant", "Significant after Holm correction", "text"),
    ("reading", "Reading", "text"),
]


def _survey(request, pk: int) -> Survey:
    return get_for_user(Survey, request.user, pk)


@role_required(SURVEY_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    return render(
        request,
        "surveys/index.html",
        {
            "surveys": figures.surveys_for(organisation),
            "can_import": request.user.role in R.IMPORT_ROLES,
        },
    )


def _question_rows(tables) -> list[dict]:
    questions = tables.get("questions")
    if questions is None:
        return []
    rows = questions.to_dicts()
    for row in rows:
        row["label"] = row["text"]
    return rows


@role_required(SURVEY_ROLES)
def survey_page(request, pk: int):
    survey = _survey(request, pk)
    tables = figures.published_tables(survey)
    rows = [r for r in _question_rows(tables) if r["kind"] == "scaled"]
    overall = (
        {r["question"]: r for r in tables["results_overall"].to_dicts()}
        if "results_overall" in tables
        else {}
    )
    scales = {q.code: q.scale for q in survey.questions.all() if q.scale}
    by_scale: dict[str, list[dict]] = {}
    for row in rows:
        key = json.dumps(scales.get(row["question"]), sort_keys=True)
        by_scale.setdefault(key, []).append(
            {**overall.get(row["question"], {}), "label": row["text"]}
        )
    chart_groups = [
        charts.diverging_bars(
            group_rows,
            label="label",
            scale=json.loads(key),
            title=f"{survey.title}: answers to each question",
            description="Each bar is one question: unfavourable answers to the left of the "
            "centre line, favourable to the right, neutral split across it. The table below "
            "gives the figures.",
        )
        for key, group_rows in by_scale.items()
        if key != "null"
    ]
    other = [r for r in _question_rows(tables) if r["kind"] != "scaled"]
    return render(
        request,
        "surveys/survey.html",
        {
            "survey": survey,
            "rows": rows,
            "other": other,
            "charts": [c for c in chart_groups if c is not None],
            "tables": tables,
            "comment_questions": figures.comment_questions(survey),
            "rates": tables["response_rates"].to_dicts() if "response_rates" in tables else [],
            "wres": figures.wres_rows(survey),
            "can_import": request.user.role in R.IMPORT_ROLES,
            "indices": tables["indices"]
            .filter(tables["indices"]["characteristic"] == "overall")
            .to_dicts()
            if "indices" in tables and tables["indices"].height
            else [],
            "columns": RESULT_COLUMNS,
        },
    )


@role_required(SURVEY_ROLES)
def question_page(request, pk: int, code: str):
    survey = _survey(request, pk)
    question = survey.questions.filter(code=code).first()
    if question is None or question.kind != "scaled":
        raise Http404
    breakdown = request.GET.get("breakdown", "ethnic_group")
    filter_by = next((f for f in figures.FILTERS if request.GET.get(f)), None)
    filter_value = request.GET.get(filter_by) if filter_by else None
    if breakdown not in figures.BREAKDOWNS:
        raise Http404
    try:
        result = figures.question_result(
            survey, code, breakdown=breakdown, filter_by=filter_by, filter_value=filter_value
        )
    except ValueError as error:
        raise Http404 from error
    tables = figures.published_tables(survey)
    group_column = "ethnic_group" if breakdown == "ethnicity_and_sex" else breakdown
    rows = result.to_dicts()
    for row in rows:
        row["label"] = (
            f"{row['ethnic_group']}, {row['sex']}"
            if breakdown == "ethnicity_and_sex"
            else row[group_column]
        )
    chart = charts.diverging_bars(
        rows,
        label="label",
        scale=question.scale or {},
        title=f"“{question.text}” by {figures.BREAKDOWNS[breakdown][1].lower()}",
        description="Each bar is one group: unfavourable answers to the left of the centre "
        "line, favourable to the right. A withheld group is a labelled gap saying why.",
    )
    favourable_chart = charts.favourable_bars(
        rows,
        label="label",
        title=f"Favourable answers to “{question.text}” with 95% intervals",
        description="One bar per group: the percentage answering favourably, the whisker its "
        "95% confidence interval. A withheld group is a labelled gap saying why.",
    )
    white = tables.get("comparison_with_white")
    rest = tables.get("comparison_with_rest")
    change = tables.get("change_since_previous")
    comparisons_white = (
        white.filter(white["question"] == code).to_dicts()
        if white is not None and not filter_by and breakdown == "ethnic_group"
        else []
    )
    characteristic = "ethnic_group" if breakdown == "ethnic_group" else breakdown
    comparisons_rest = (
        rest.filter(
            (rest["question"] == code) & (rest["characteristic"] == characteristic)
        ).to_dicts()
        if rest is not None and not filter_by
        else []
    )
    changes = (
        change.filter(
            (change["question"] == code)
            & change["characteristic"].is_in(["overall", characteristic])
        ).to_dicts()
        if change is not None and not filter_by
        else []
    )
    for found in (*comparisons_white, *comparisons_rest):
        found["significant"] = (
            None if found.get("significant") is None else ("Yes" if found["significant"] else "No")
        )
    return render(
        request,
        "surveys/question.html",
        {
            "survey": survey,
            "question": question,
            "breakdown": breakdown,
            "breakdowns": [(k, v[1]) for k, v in figures.BREAKDOWNS.items() if v[0] in tables],
            "filter_by": filter_by,
            "filter_value": filter_value,
            "filter_options": {f: figures.filter_values(survey, f) for f in figures.FILTERS},
            "filterable": breakdown in figures.FILTERED_BREAKDOWNS,
            "rows": rows,
            "chart": chart,
            "favourable_chart": favourable_chart,
            "columns": [("label", figures.BREAKDOWNS[breakdown][1], "text"), *RESULT_COLUMNS],
            "comparisons_white": comparisons_white,
            "comparisons_rest": comparisons_rest,
            "changes": changes,
            "comparison_columns": COMPARISON_COLUMNS,
            "threshold": survey.threshold,
        },
    )


@role_required(SURVEY_ROLES)
def comments_page(request, pk: int, code: str):
    survey = _survey(request, pk)
    question = survey.questions.filter(code=code, kind="free_text").first()
    if question is None:
        raise Http404
    breakdown = request.GET.get("breakdown") or None
    group = request.GET.get("group") or None
    texts = figures.comments(survey, code, breakdown=breakdown, group=group)
    if request.GET.get("format") == "csv":
        if request.user.role not in COMMENT_EXPORT_ROLES:
            raise Http404
        audit.record(
            request.user,
            AuditEvent.Action.EXPORT,
            "survey_comments",
            survey.pk,
            f"{len(texts)} comments to {code}",
        )
        return HttpResponse(
            tabular.csv_bytes(["comment"], [[t] for t in texts]),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{slugify(survey.title)}-{code}-comments.csv"'
            },
        )
    return render(
        request,
        "surveys/comments.html",
        {
            "survey": survey,
            "question": question,
            "comments": texts,
            "group": group,
            "can_export": request.user.role in COMMENT_EXPORT_ROLES,
            "groups": [*ETHNIC_GROUPS, AGGREGATE_LABEL],
        },
    )


@role_required(SURVEY_ROLES)
def trends_page(request, bank_code: str):
    organisation = organisation_for(request.user)
    item = QuestionBankItem.objects.filter(organisation=organisation, code=bank_code).first()
    if item is None:
        raise Http404
    groups = ["White", AGGREGATE_LABEL, *[g for g in ETHNIC_GROUPS if g != "White"]]
    waves = figures.trend(organisation, bank_code, groups)
    rows = []
    for wave in waves:
        row: dict[str, Any] = {
            "wave": f"{wave['survey'].title} ({wave['survey'].fieldwork_month:%b %Y})"
        }
        for group, found in wave["values"].items():
            row[group] = (
                None if not found or found.get("suppressed") else found.get("percent_favourable")
            )
        row["suppressed"] = any(v is None for k, v in row.items() if k != "wave")
        rows.append(row)
    columns = [
        ("wave", "Survey", "text"),
        *((g, f"{g} (% favourable)", "percent") for g in ["All staff", *groups]),
    ]
    return render(
        request,
        "surveys/trends.html",
        {"item": item, "rows": rows, "columns": columns, "chart": _trend_chart(item, waves)},
    )


TREND_SERIES = ("All staff", "White", AGGREGATE_LABEL)


def _trend_chart(item: QuestionBankItem, waves: list[dict]):
    """One line per headline group across the waves; a withheld point is left out (the table
    beside the chart marks it [c])."""
    points = [
        {
            "fieldwork": wave["survey"].fieldwork_month.isoformat(),
            "group": group,
            "favourable": found["percent_favourable"],
        }
        for wave in waves
        for group, found in wave["values"].items()
        if group in TREND_SERIES
        and found
        and not found.get("suppressed")
        and found.get("percent_favourable") is not None
    ]
    if len({p["fieldwork"] for p in points}) < 2:
        return None
    return line_chart(
        points,
        x="fieldwork",
        y="favourable",
        series="group",
        series_title="Group",
        title=f"{item.text}: favourable answers by survey",
        x_title="Fieldwork",
        y_title="Favourable (%)",
        description="Favourable answers (%) in each survey that asked the question, for all "
        "staff, White staff and Black, Asian and Multi-ethnic staff. The table below gives "
        "every group, withheld figures marked [c].",
    )


@role_required(SURVEY_ROLES)
def download(request, pk: int, fmt: str):
    """Every protected table of the wave, inert (no cell becomes a formula), audited."""
    survey = _survey(request, pk)
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    tables = figures.published_tables(survey)
    audit.record(request.user, AuditEvent.Action.EXPORT, "survey_figures", survey.pk, f"as {fmt}")
    name = slugify(f"{survey.organisation.slug} {survey.title}")
    if fmt == "json":
        body = json.dumps(
            {"tables": {n: t.to_dicts() for n, t in tables.items()}},
            default=str,
            ensure_ascii=False,
        )
        return HttpResponse(body, content_type="application/json")
    if fmt == "csv":
        table_name = request.GET.get("table", "results_by_ethnic_group")
        table = tables.get(table_name)
        if table is None:
            raise Http404
        response = HttpResponse(
            tabular.csv_bytes(table.columns, table.rows()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{table_name}.csv"'
        return response
    titles = tabular.unique_sheet_titles(list(tables))
    sheets = [(titles[n], t.columns, t.rows()) for n, t in tables.items()]
    response = HttpResponse(
        tabular.xlsx_bytes(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


urlpatterns = [
    path("", index, name="index"),
    path("<int:pk>/", survey_page, name="survey"),
    path("<int:pk>/questions/<slug:code>/", question_page, name="question"),
    path("<int:pk>/questions/<slug:code>/comments/", comments_page, name="comments"),
    path("trends/<slug:bank_code>/", trends_page, name="trends"),
    path("<int:pk>/download/<slug:fmt>/", download, name="download"),
]
