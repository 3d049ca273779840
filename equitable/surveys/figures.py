"""Survey figures for pages, downloads, the API, measures and the board report: protected only.

Nobody, the EDI officer included, sees exact survey counts (docs/decisions.md 29), so this
module offers one thing: `published_tables(survey)`, the wave's figures computed by
`metrics.surveys.figures` and protected by `metrics.surveys.publishing.publish` (with the
previous wave's published figures for the change since then). Protection takes a second or
more, so the result is stored in the database (`StoredSurveyFigures`, shared by every worker)
under the key of everything it rests on, and pages only pick rows from it.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import transaction

from equitable.core.models import Organisation
from equitable.core.request_memo import per_request
from equitable.metrics.surveys import figures as survey_metrics
from equitable.metrics.surveys import publishing
from equitable.metrics.surveys.model import FREE_TEXT, Responses
from equitable.surveys import bank, storage
from equitable.surveys.models import StoredSurveyFigures, Survey
from equitable.workforce import services as workforce

BREAKDOWNS: dict[str, tuple[str, str]] = {
    # query value -> (table, label)
    "ethnic_group": ("results_by_ethnic_group", "Ethnic group"),
    "ethnicity_and_sex": ("results_by_ethnicity_and_sex", "Ethnic group and sex"),
    "sex": ("results_by_sex", "Sex"),
    "disability": ("results_by_disability", "Disability"),
    "sexual_orientation": ("results_by_sexual_orientation", "Sexual orientation"),
    "religion": ("results_by_religion", "Religion or belief"),
    "age_band": ("results_by_age_band", "Age band"),
    "directorate": ("results_by_directorate", "Directorate"),
    "pay_band": ("results_by_pay_band", "Pay band"),
    "length_of_service": ("results_by_length_of_service", "Length of service"),
}
# A page filter (directorate or pay band) with a breakdown reads a cross-tab: every one of them
# is protected together with the rest, so no filter can be differenced against another.
FILTERS = ("directorate", "pay_band")
FILTERED_BREAKDOWNS = ("ethnic_group", "sex", "disability")


def _wave_label(survey: Survey) -> str:
    return f"{survey.fieldwork_month:%b %Y}"


def _workforce_frame(survey: Survey) -> pl.DataFrame | None:
    snapshots = [
        s
        for s in workforce.snapshots_of(survey.organisation)
        if s.snapshot_date <= survey.fieldwork_month.replace(day=28)
    ]
    return workforce.snapshot_frame(snapshots[-1]) if snapshots else None


def _previous_responses(survey: Survey) -> Responses | None:
    """The previous wave with its questions renamed to this wave's codes (through the bank);
    questions not asked in both are left out."""
    if survey.previous is None:
        return None
    renames = bank.matched_previous_codes(survey)
    if not renames:
        return None
    before = storage.responses_for(survey.previous)
    kept = [q for q in before.questions if q.code in renames]
    frame = before.frame.select(
        *(c for c in before.frame.columns if c not in {q.code for q in before.questions}),
        *(pl.col(q.code).alias(renames[q.code]) for q in kept),
    )
    from dataclasses import replace

    return Responses(frame, tuple(replace(q, code=renames[q.code]) for q in kept))


@per_request
def _key(survey: Survey) -> str:
    organisation = survey.organisation
    previous = survey.previous
    snapshot = _workforce_frame_key(survey)
    parts = [
        f"survey{survey.pk}.{survey.data_version}.t{survey.threshold}",
        f"r{int(organisation.round_counts_to_5)}",
        f"p{previous.pk}.{previous.data_version}" if previous else "p0",
        f"links{sorted(bank.matched_previous_codes(survey).items())}",
        f"i{sorted(bank.indices_for(survey).items())}",
        f"w{sorted(bank.indicators_for(survey).items())}",
        snapshot,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _workforce_frame_key(survey: Survey) -> str:
    snapshots = [
        s
        for s in workforce.snapshots_of(survey.organisation)
        if s.snapshot_date <= survey.fieldwork_month.replace(day=28)
    ]
    return f"s{snapshots[-1].pk}.{snapshots[-1].imported_at.timestamp()}" if snapshots else "s0"


def _compute(survey: Survey) -> dict[str, pl.DataFrame]:
    responses = storage.responses_for(survey)
    previous = _previous_responses(survey)
    exact = survey_metrics.survey_figures(
        responses,
        previous=None,
        workforce=_workforce_frame(survey),
        indices=bank.indices_for(survey),
        indicators=bank.indicators_for(survey),
        wave_labels=(_wave_label(survey.previous), _wave_label(survey))
        if survey.previous
        else None,
    )
    previous_published = None
    if previous is not None and survey.previous is not None:
        before = survey_metrics.survey_figures(previous)
        previous_published = publishing.publish(
            before,
            threshold=survey.previous.threshold,
            round_to=5 if survey.organisation.round_counts_to_5 else None,
        )
    return publishing.publish(
        exact,
        threshold=survey.threshold,
        round_to=5 if survey.organisation.round_counts_to_5 else None,
        previous_published=previous_published,
    )


# Decoded stored tables, per process, by the key of everything they rest on (never stale).
_decoded: dict[str, dict[str, pl.DataFrame]] = {}
_decoded_lock = threading.Lock()
DECODED_KEPT = 16


def published_tables(survey: Survey) -> dict[str, pl.DataFrame]:
    """The wave's protected tables (stored once, read by every worker; decoded once a
    process)."""
    digest = _key(survey)
    with _decoded_lock:
        kept = _decoded.get(digest)
    if kept is not None:
        return kept
    row = StoredSurveyFigures.objects.filter(key=digest).only("tables").first()
    if row is not None:
        tables = workforce.decode_tables(row.tables)
    else:
        tables = _compute(survey)
        with transaction.atomic():
            StoredSurveyFigures.objects.filter(survey=survey).delete()
            StoredSurveyFigures.objects.get_or_create(
                key=digest, defaults={"survey": survey, "tables": workforce.encode_tables(tables)}
            )
    with _decoded_lock:
        while len(_decoded) >= DECODED_KEPT:
            _decoded.pop(next(iter(_decoded)))
        _decoded[digest] = tables
    return tables


def published_table(survey: Survey, name: str) -> pl.DataFrame | None:
    """One protected table of the wave (the WRES reports and survey measures read one table
    of several waves)."""
    return published_tables(survey).get(name)


def surveys_for(organisation: Organisation) -> list[Survey]:
    return list(Survey.objects.filter(organisation=organisation).order_by("-fieldwork_month"))


def latest_survey(organisation: Organisation) -> Survey | None:
    return Survey.objects.filter(organisation=organisation).order_by("-fieldwork_month").first()


def question_result(
    survey: Survey,
    code: str,
    *,
    breakdown: str = "ethnic_group",
    filter_by: str | None = None,
    filter_value: str | None = None,
) -> pl.DataFrame:
    """The published rows of one question by one breakdown (filters choose rows of the
    cross-tabs; nothing is recomputed for a filter). ValueError for a combination no
    published table holds."""
    tables = published_tables(survey)
    if breakdown not in BREAKDOWNS:
        raise ValueError(f"{breakdown!r} is not a breakdown")
    if filter_by:
        if filter_by not in FILTERS or breakdown not in FILTERED_BREAKDOWNS:
            raise ValueError("that filter cannot be combined with that breakdown")
        table = tables.get(f"results_by_{filter_by}_and_{breakdown}")
        if table is None:
            raise ValueError("that filter is not available for this survey")
        return table.filter((pl.col("question") == code) & (pl.col(filter_by) == filter_value))
    table = tables.get(BREAKDOWNS[breakdown][0])
    if table is None:
        raise ValueError("that breakdown is not available for this survey")
    return table.filter(pl.col("question") == code)


def filter_values(survey: Survey, filter_by: str) -> list[str]:
    table = published_tables(survey).get(f"results_by_{filter_by}")
    return [] if table is None else list(dict.fromkeys(table[filter_by].to_list()))


def comments(
    survey: Survey,
    code: str,
    *,
    breakdown: str | None = None,
    group: str | None = None,
) -> list[str]:
    """Free-text answers to one question: only when the whole survey's answers to it are at
    least the threshold, by a group only when that group's row is published, shuffled, and
    none at all when the wave's comments are hidden."""
    if not survey.show_comments:
        return []
    responses = storage.responses_for(survey)
    question = next((q for q in responses.questions if q.code == code), None)
    if question is None or question.kind != FREE_TEXT:
        return []
    frame = responses.frame
    if breakdown and group:
        if not _group_published(survey, breakdown, group):
            return []
        column = "ethnicity" if breakdown == "ethnic_group" else breakdown
        if column not in frame.columns:
            return []
        if breakdown == "ethnic_group":
            frame = frame.filter(
                (pl.col("ethnicity") == group)
                | (pl.col("ethnic_group") == group)
                | (
                    pl.lit(group == survey_metrics.AGGREGATE_LABEL)
                    & pl.col("ethnic_group").is_in(survey_metrics.MINORITY_GROUPS)
                )
            )
        else:
            frame = frame.filter(pl.col(column) == group)
    texts = [t for t in frame[code].drop_nulls().to_list() if str(t).strip()]
    if len(texts) < survey.threshold:
        return []
    random.SystemRandom().shuffle(texts)
    return texts


def _group_published(survey: Survey, breakdown: str, group: str) -> bool:
    table = published_tables(survey).get(BREAKDOWNS.get(breakdown, ("", ""))[0])
    if table is None:
        return False
    # Free text has no results row of its own, so a group's comments need the group shown for
    # every question: a group shown for one question but withheld for another is too small.
    rows = table.filter(pl.col(breakdown) == group)
    return rows.height > 0 and not rows["suppressed"].any()


def comment_questions(survey: Survey) -> list[str]:
    return [q.code for q in survey.questions.filter(kind=FREE_TEXT)]


def measure_value(
    survey: Survey,
    code: str,
    *,
    table: str = "results_overall",
    group: str | None = None,
    value: str = "percent_favourable",
) -> float | None:
    """One published figure (None when withheld or absent), for computed measures."""
    tables = published_tables(survey)
    frame = tables.get(table)
    if frame is None:
        return None
    rows = frame.filter(pl.col("question") == code)
    if group is not None:
        column = (
            publishing.RESULT_TABLES.get(table, ("",))[0]
            if table in publishing.RESULT_TABLES
            else None
        )
        if column is None:
            return None
        rows = rows.filter(pl.col(column) == group)
    if rows.height != 1 or rows["suppressed"][0]:
        return None
    found: Any = rows[value][0]
    return None if found is None else float(found)


def question_texts(survey: Survey) -> dict[str, str]:
    return {q.code: q.text for q in survey.questions.all()}


def trend(organisation: Organisation, bank_code: str, groups: Sequence[str]) -> list[dict]:
    """A bank item across waves: each wave's published % favourable for each group."""
    rows = []
    for survey in sorted(surveys_for(organisation), key=lambda s: s.fieldwork_month):
        question = survey.questions.filter(bank_item__code=bank_code, link_confirmed=True).first()
        if question is None:
            continue
        table = published_tables(survey).get("results_by_ethnic_group")
        overall = published_tables(survey).get("results_overall")
        entry: dict[str, Any] = {"survey": survey, "question": question, "values": {}}
        if overall is not None:
            found = overall.filter(pl.col("question") == question.code)
            entry["values"]["All staff"] = found.row(0, named=True) if found.height else None
        if table is not None:
            for group in groups:
                found = table.filter(
                    (pl.col("question") == question.code) & (pl.col("ethnic_group") == group)
                )
                entry["values"][group] = found.row(0, named=True) if found.height else None
        rows.append(entry)
    return rows


def wres_rows(survey: Survey) -> list[dict]:
    """The wave's WRES 5-8 and Social Care WRES 6-7 rows (published), for the questions the
    bank marks with an indicator; [] when none is marked."""
    table = published_table(survey, "wres_survey")
    return [] if table is None else table.sort("indicator", maintain_order=True).to_dicts()


@per_request
def latest_wres(organisation: Organisation) -> tuple[Survey | None, list[dict]]:
    """The newest wave that gives any WRES survey indicator, with its rows (for the WRES
    report, whose indicators 5-8 come from the staff survey)."""
    for survey in surveys_for(organisation):
        if not bank.indicators_for(survey):  # no question marked: no WRES rows
            continue
        rows = wres_rows(survey)
        if rows:
            return survey, rows
    return None, []
