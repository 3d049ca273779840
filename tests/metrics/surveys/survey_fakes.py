"""Exact survey figures for publishing tests, computed here from a small frame of answers.

A stand-in for `equitable.metrics.surveys.figures` (written in parallel): the same table and
column names as the contract, for the tables the publishing tests reach, so that the tests
of the protect step do not depend on the figures module's own correctness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    UNDISCLOSED,
    UNKNOWN_GROUP,
)

POINTS = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
FAVOURABLE = POINTS[:2]
UNFAVOURABLE = POINTS[3:]
MINORITIES = tuple(g for g in ETHNIC_GROUPS if g != "White")
CROSS_GROUPS = (*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP)


def ethnic_labels(ethnicity: str) -> list[str]:
    """Every label of results_by_ethnic_group a person with this ethnicity is counted in."""
    group = ETHNICITY_TO_GROUP[ethnicity]
    labels = [ethnicity]
    if group != UNKNOWN_GROUP:
        labels.append(group)
    if group in MINORITIES:
        labels.append(AGGREGATE_LABEL)
    return labels


def cross_labels(ethnicity: str) -> list[str]:
    group = ETHNICITY_TO_GROUP[ethnicity]
    return [group, AGGREGATE_LABEL] if group in MINORITIES else [group]


def _figures(answers: Sequence[str]) -> dict[str, Any]:
    given = [a for a in answers if a in POINTS]
    n = len(given)
    fav = sum(a in FAVOURABLE for a in given)
    unf = sum(a in UNFAVOURABLE for a in given)
    neu = n - fav - unf

    def pct(k: int) -> float | None:
        return round(100 * k / n, 2) if n else None

    favourable = pct(fav)

    return {
        "respondents": n,
        "favourable": fav,
        "neutral": neu,
        "unfavourable": unf,
        "percent_favourable": pct(fav),
        # A placeholder interval: publishing never reads it.
        "ci_low": None if favourable is None else max(0.0, favourable - 5.0),
        "ci_high": None if favourable is None else min(100.0, favourable + 5.0),
        "percent_neutral": pct(neu),
        "percent_unfavourable": pct(unf),
        "distribution": json.dumps([[p, pct(sum(a == p for a in given))] for p in POINTS])
        if n
        else None,
        "mean_score": round(sum(5 - POINTS.index(a) for a in given) / n, 2) if n else None,
    }


def _table(
    frame: pl.DataFrame,
    questions: Sequence[str],
    dims: Sequence[str],
    labels_of: Mapping[str, Any],
    order: Mapping[str, Sequence[str]],
) -> pl.DataFrame:
    rows = []
    for q in questions:
        cells: dict[tuple, list[str]] = {}
        for person in frame.iter_rows(named=True):
            combos: list[tuple] = [()]
            for d in dims:
                combos = [c + (label,) for c in combos for label in labels_of[d](person[d])]
            for c in combos:
                cells.setdefault(c, [])
                if person[q] is not None:
                    cells[c].append(person[q])
        keys: list[tuple] = [()]
        for d in dims:
            keys = [k + (v,) for k in keys for v in order[d] if v in {c[len(k)] for c in cells}]
        for k in keys:
            if k not in cells:
                continue
            rows.append({"question": q, **dict(zip(dims, k, strict=True)), **_figures(cells[k])})
    schema: dict[str, Any] = {"question": pl.String, **{d: pl.String for d in dims}}
    schema |= {
        "respondents": pl.Int64,
        "favourable": pl.Int64,
        "neutral": pl.Int64,
        "unfavourable": pl.Int64,
        **{c: pl.Float64 for c in ("percent_favourable", "ci_low", "ci_high")},
        "percent_neutral": pl.Float64,
        "percent_unfavourable": pl.Float64,
        "distribution": pl.String,
        "mean_score": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


OTHER_CHARACTERISTICS = (
    "disability",
    "sexual_orientation",
    "religion",
    "age_band",
    "length_of_service",
)


def survey_tables(frame: pl.DataFrame, questions: Sequence[str]) -> dict[str, pl.DataFrame]:
    """results_overall, by ethnic group, by sex, by directorate, by pay band and the
    cross-tabs the filters use, for a frame of ethnicity, sex, directorate, pay_band and one
    answer column per question; by disability (and its cross-tabs), sexual orientation,
    religion, age band and length of service when the frame has those columns."""
    ethnic_order = [
        *ETHNIC_GROUPS,
        AGGREGATE_LABEL,
        *(v for v in ETHNICITY_VALUES if v not in UNDISCLOSED),
        *UNDISCLOSED,
    ]
    # Detailed categories come after the groups in the table; order kept stable.
    order = {
        "ethnic_group": ethnic_order,
        "sex": ("Female", "Male", *UNDISCLOSED),
        "directorate": sorted(set(frame["directorate"].to_list())),
        "pay_band": sorted(set(frame["pay_band"].to_list())),
    }
    extra = [c for c in OTHER_CHARACTERISTICS if c in frame.columns]
    for column in extra:
        order[column] = sorted(set(frame[column].to_list()))
    cross_order = {**order, "ethnic_group": CROSS_GROUPS}
    one = {"ethnic_group": ethnic_labels, "sex": lambda v: [v]}
    one |= {"directorate": lambda v: [v], "pay_band": lambda v: [v]}
    one |= {column: (lambda v: [v]) for column in extra}
    cross = {**one, "ethnic_group": cross_labels}
    frame = frame.rename({"ethnicity": "ethnic_group"})
    tables = {
        "results_overall": _table(frame, questions, (), one, order),
        "results_by_ethnic_group": _table(frame, questions, ("ethnic_group",), one, order),
        "results_by_sex": _table(frame, questions, ("sex",), one, order),
        "results_by_directorate": _table(frame, questions, ("directorate",), one, order),
        "results_by_pay_band": _table(frame, questions, ("pay_band",), one, order),
    }
    for column in extra:
        tables[f"results_by_{column}"] = _table(frame, questions, (column,), one, order)
    pairs = [
        ("ethnic_group", "sex"),
        ("directorate", "ethnic_group"),
        ("directorate", "sex"),
        ("pay_band", "ethnic_group"),
        ("pay_band", "sex"),
    ]
    if "disability" in extra:
        pairs += [("directorate", "disability"), ("pay_band", "disability")]
    for a, b in pairs:
        name = (
            "results_by_ethnicity_and_sex"
            if (a, b) == ("ethnic_group", "sex")
            else f"results_by_{a}_and_{b}"
        )
        tables[name] = _table(frame, questions, (a, b), cross, cross_order)
    overall = tables["results_overall"]
    tables["questions"] = overall.select(
        "question",
        pl.col("question").alias("text"),
        pl.lit(None, pl.String).alias("theme"),
        pl.lit("scaled").alias("kind"),
        "respondents",
        "percent_favourable",
        "percent_neutral",
        "percent_unfavourable",
        "mean_score",
    )
    return tables


def fake_derive_tables(
    results: Mapping[str, pl.DataFrame],
    *,
    previous_results: Mapping[str, pl.DataFrame] | None,
    questions: pl.DataFrame,
    correction: str = "holm",
    definitions: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """comparison_with_white and change_since_previous as the contract shapes them, null and
    suppressed when a source row is withheld."""
    by_group = {
        (r["question"], r["ethnic_group"]): r
        for r in results["results_by_ethnic_group"].iter_rows(named=True)
    }
    rows = []
    for (question, group), row in by_group.items():
        if group == "White" or group not in (*MINORITIES, AGGREGATE_LABEL):
            continue
        white = by_group.get((question, "White")) or {}
        ok = row["percent_favourable"] is not None and white.get("percent_favourable") is not None
        rows.append(
            {
                "question": question,
                "ethnic_group": group,
                "reference_group": "White",
                "percent_favourable": row["percent_favourable"] if ok else None,
                "reference_percent_favourable": white["percent_favourable"] if ok else None,
                "difference_points": row["percent_favourable"] - white["percent_favourable"]
                if ok
                else None,
                "suppressed": not ok,
            }
        )
    white_frame = pl.DataFrame(
        rows,
        schema={
            "question": pl.String,
            "ethnic_group": pl.String,
            "reference_group": pl.String,
            "percent_favourable": pl.Float64,
            "reference_percent_favourable": pl.Float64,
            "difference_points": pl.Float64,
            "suppressed": pl.Boolean,
        },
        orient="row",
    )
    change = []
    previous: dict[tuple, dict[str, Any]] = {}
    if previous_results is not None:
        previous = {
            (r["question"], r["ethnic_group"]): r
            for r in previous_results["results_by_ethnic_group"].iter_rows(named=True)
        }
    for (question, group), row in by_group.items():
        before = previous.get((question, group))
        if before is None:
            continue
        ok = row["percent_favourable"] is not None and before["percent_favourable"] is not None
        change.append(
            {
                "question": question,
                "characteristic": "ethnic_group",
                "group": group,
                "previous_percent_favourable": before["percent_favourable"] if ok else None,
                "percent_favourable": row["percent_favourable"] if ok else None,
                "change_points": row["percent_favourable"] - before["percent_favourable"]
                if ok
                else None,
                "suppressed": not ok,
            }
        )
    change_frame = pl.DataFrame(
        change,
        schema={
            "question": pl.String,
            "characteristic": pl.String,
            "group": pl.String,
            "previous_percent_favourable": pl.Float64,
            "percent_favourable": pl.Float64,
            "change_points": pl.Float64,
            "suppressed": pl.Boolean,
        },
        orient="row",
    )
    return {"comparison_with_white": white_frame, "change_since_previous": change_frame}
