"""The staff survey panel of the quarterly board report: a few headline questions of the
newest wave, read only from its published (protected) tables.

The board reads what everybody reads (docs/decisions.md 29): figures come from
`figures.published_tables`, never from responses, and a withheld figure is carried as
withheld with the reason the tables give, so the report can say why instead of leaving a
blank. The panel is plain JSON (strings, numbers, booleans, None) because an issued report
keeps it in `BoardReport.figures` as it was shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from equitable.core.models import Organisation
from equitable.metrics.labels import AGGREGATE_LABEL, WHITE
from equitable.metrics.surveys.model import SCALED
from equitable.surveys import bank
from equitable.surveys.figures import published_tables
from equitable.surveys.models import Survey, SurveyQuestion

# A board page, not the survey's own pages: a handful of questions (the survey page has all).
MAX_QUESTIONS = 8
ALL_STAFF = "All staff"


def board_panel(organisation: Organisation, on: date | None = None) -> dict[str, Any] | None:
    """The newest wave whose fieldwork closed on or before `on` (any wave when `on` is None)
    with its headline questions; None when there is no such wave. A report for an earlier
    quarter so shows the survey the board could have had then, as its headline figures show
    the snapshot of then."""
    survey = _wave(organisation, on)
    if survey is None:
        return None
    tables = published_tables(survey)
    notes: list[str] = []
    questions = [_question_row(q, tables, notes) for q in headline_questions(survey)]
    previous = survey.previous
    return {
        "survey_id": survey.pk,
        "title": survey.title,
        "month": survey.fieldwork_month.strftime("%Y-%m"),
        "month_label": survey.fieldwork_month.strftime("%B %Y"),
        "respondents": survey.respondent_count,
        "threshold": survey.threshold,
        "response_rate": _response_rate(tables, notes),
        "previous": (
            {"title": previous.title, "month_label": previous.fieldwork_month.strftime("%B %Y")}
            if previous is not None
            else None
        ),
        "questions": questions,
        "any_change": any(q["change"] is not None for q in questions),
        "notes": notes,
    }


def _wave(organisation: Organisation, on: date | None) -> Survey | None:
    waves = Survey.objects.filter(organisation=organisation)
    if on is not None:
        waves = waves.filter(fieldwork_month__lte=on)
    return waves.order_by("-fieldwork_month", "-id").select_related("previous").first()


def headline_questions(survey: Survey) -> list[SurveyQuestion]:
    """The wave's scaled (and yes/no) questions in their order, at most MAX_QUESTIONS. When
    there are more, those the organisation has marked as mattering most come first: a WRES
    indicator's question or an index's item (the ones its measures and indices track)."""
    scaled = list(
        SurveyQuestion.objects.filter(survey=survey, kind=SCALED).order_by("position", "id")
    )
    marked = set(bank.indicators_for(survey).values())
    for members in bank.indices_for(survey).values():
        marked.update(members)
    chosen = sorted(scaled, key=lambda q: (q.code not in marked, q.position, q.pk))
    return sorted(chosen[:MAX_QUESTIONS], key=lambda q: (q.position, q.pk))


def _question_row(
    question: SurveyQuestion, tables: dict[str, pl.DataFrame], notes: list[str]
) -> dict[str, Any]:
    code = question.code
    return {
        "code": code,
        "text": question.text,
        "all_staff": _favourable(_one(tables.get("results_overall"), question=code), notes),
        "black_asian_multi_ethnic": _favourable(
            _one(
                tables.get("results_by_ethnic_group"), question=code, ethnic_group=AGGREGATE_LABEL
            ),
            notes,
        ),
        "white": _favourable(
            _one(tables.get("results_by_ethnic_group"), question=code, ethnic_group=WHITE), notes
        ),
        "difference": _difference(
            _one(tables.get("comparison_with_white"), question=code, ethnic_group=AGGREGATE_LABEL),
            notes,
        ),
        "change": _change(
            _one(
                tables.get("change_since_previous"),
                question=code,
                characteristic="ethnic_group",
                group=AGGREGATE_LABEL,
            ),
            notes,
        ),
    }


def _one(table: pl.DataFrame | None, **match: str) -> dict[str, Any] | None:
    """The one published row with these values (None when the table or the row is absent:
    no ethnicity asked, no previous wave, the question not asked before)."""
    if table is None or any(column not in table.columns for column in match):
        return None
    rows = table.filter(*(pl.col(column) == value for column, value in match.items()))
    return rows.row(0, named=True) if rows.height == 1 else None


def _withheld(row: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """A withheld figure: no number at all, the published reason and its note number (the
    reasons are long and repeat, so the table refers to them and lists each once)."""
    why = row.get("why_withheld") or "withheld to protect respondents"
    if why not in notes:
        notes.append(why)
    return {"withheld": True, "why": why, "note": notes.index(why) + 1}


def _favourable(row: dict[str, Any] | None, notes: list[str]) -> dict[str, Any] | None:
    if row is None:
        return None
    if row["suppressed"]:
        return _withheld(row, notes)
    return {"withheld": False, "value": row["percent_favourable"]}


def _difference(row: dict[str, Any] | None, notes: list[str]) -> dict[str, Any] | None:
    """Black, Asian and Multi-ethnic minus White, in points, with the published 95% CI and
    whether it is larger than chance alone would give (after the tables' correction for
    the many comparisons of a wave)."""
    if row is None:
        return None
    if row["suppressed"]:
        return _withheld(row, notes)
    return {
        "withheld": False,
        "points": row["difference_points"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "significant": bool(row["significant"]),
    }


def _change(row: dict[str, Any] | None, notes: list[str]) -> dict[str, Any] | None:
    """Black, Asian and Multi-ethnic staff's favourable share in the previous wave and now,
    the change in points with its 95% CI, and whether it is larger than chance."""
    if row is None:
        return None
    if row["suppressed"]:
        return _withheld(row, notes)
    return {
        "withheld": False,
        "from": row["previous_percent_favourable"],
        "to": row["percent_favourable"],
        "points": row["change_points"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "significant": bool(row["significant"]),
    }


def _response_rate(tables: dict[str, pl.DataFrame], notes: list[str]) -> dict[str, Any] | None:
    """The whole survey's response rate, published only when a workforce snapshot of the
    survey's date gives the headcount; None otherwise (the sentence then leaves it out)."""
    row = _one(tables.get("response_rates"), characteristic="overall")
    if row is None:
        return None
    if row.get("suppressed"):
        return _withheld(row, notes)
    if row["response_rate"] is None:
        return None
    return {"withheld": False, "value": row["response_rate"]}
