"""Every survey figure by group, from validated responses: exact tables, for `publishing` only.

Nobody sees these exact tables (docs/decisions.md 29): `publishing.publish` protects the
results tables and re-derives the comparisons from the protected rows with `derive_tables`,
the same function that derives them here, so the exact and the published comparisons cannot
drift apart.

Definitions (docs/metrics.md, "Staff surveys"; reference notes §5.2):

* **Respondents** of a question: people who gave one of the scale's points. Skips and the
  scale's no-answer answers ("Don't know", "Prefer not to say") are out of the base, as the
  survey tools and the NHS surveys leave them out; the neutral answer stays in the base.
* **% favourable / neutral / unfavourable**: the answers in each part of the scale over the
  respondents × 100 ("top-2-box" on a 5-point agreement scale); the full distribution in scale
  order; the **mean score** with the points scored len(points) .. 1 (`Scale.score`).
* **Intervals**: Wilson for a percentage; Newcombe's hybrid score interval for a difference in
  points (`intervals.newcombe_interval`); the two-proportion z test for its p-value, and Holm's
  correction over the comparisons shown together (one question in one comparison table).

Groups: the five ONS groups, "Black, Asian and Multi-ethnic", every detailed category and the
undisclosed values (results_by_ethnic_group); the groups with "Unknown" for the cross-tabs and
ethnicity by sex; every value of every other characteristic, "Prefer not to say" and "Not
known" included, so that rows add up to their parent as the layouts declare.

Pure module: polars, no Django.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from equitable.metrics import intervals
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DETAILED_ETHNICITIES,
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    SEX_VALUES,
    UNKNOWN_GROUP,
    WHITE,
)
from equitable.metrics.surveys.model import RESULT_TABLES, SCALED, Question, Responses

# The one-characteristic tables and the characteristic each is by (comparisons, change).
SINGLE_TABLES: dict[str, str] = {
    name: breakdown[0] for name, breakdown in RESULT_TABLES.items() if len(breakdown) == 1
}
MINORITY_GROUPS = tuple(g for g in ETHNIC_GROUPS if g != WHITE)
# Compared with White: the other groups, the aggregate, each detailed category outside White.
WHITE_COMPARISONS = (
    *MINORITY_GROUPS,
    AGGREGATE_LABEL,
    *(name for name, group in DETAILED_ETHNICITIES if group != WHITE),
)
REST = "Rest of the organisation"
ADVERSE_INDICATORS = frozenset({"wres5", "wres6", "wres8", "scwres6", "scwres7"})
INDICATOR_TITLES = {
    "wres5": "WRES 5: harassment, bullying or abuse from patients, relatives or the public",
    "wres6": "WRES 6: harassment, bullying or abuse from staff",
    "wres7": "WRES 7: believe the organisation provides equal opportunities for progression",
    "wres8": "WRES 8: personally experienced discrimination from a manager or colleague",
    "scwres6": "Social Care WRES 6: harassment, bullying or abuse from people who use services, "
    "their relatives or the public",
    "scwres7": "Social Care WRES 7: harassment, bullying or abuse from colleagues or managers",
}
# Cronbach's alpha is not reported from fewer complete answers than this (it is unstable).
ALPHA_MINIMUM_RESPONDENTS = 30
ALPHA_LEVEL = 0.05
VALUE_COLUMNS = (
    "respondents",
    "favourable",
    "neutral",
    "unfavourable",
    "percent_favourable",
    "ci_low",
    "ci_high",
    "percent_neutral",
    "percent_unfavourable",
    "distribution",
    "mean_score",
)
_ROW = "_row"
_UNDISCLOSED_LAST = (PREFER_NOT_TO_SAY, NOT_KNOWN)


# --- labels each respondent is counted under --------------------------------------------


def _ethnic_labels(ethnicity: str | None) -> list[str]:
    """results_by_ethnic_group: the detailed category, its group, and the aggregate."""
    value = ethnicity or NOT_KNOWN
    group = ETHNICITY_TO_GROUP.get(value, UNKNOWN_GROUP)
    labels = [value]
    if group != UNKNOWN_GROUP:
        labels.append(group)
    if group in MINORITY_GROUPS:
        labels.append(AGGREGATE_LABEL)
    return labels


def _cross_ethnic_labels(ethnicity: str | None) -> list[str]:
    """Cross-tabs and ethnicity by sex: the group (or Unknown) and the aggregate."""
    group = ETHNICITY_TO_GROUP.get(ethnicity or NOT_KNOWN, UNKNOWN_GROUP)
    return [group, AGGREGATE_LABEL] if group in MINORITY_GROUPS else [group]


def _order(column: str, values: Sequence[str], *, cross: bool) -> list[str]:
    """The order rows are printed in: fixed vocabularies in their own order, open values
    alphabetically with the two undisclosed answers last."""
    present = set(values)
    if column == "ethnic_group":
        full = (
            (*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP)
            if cross
            else (*ETHNIC_GROUPS, AGGREGATE_LABEL, *ETHNICITY_VALUES)
        )
        return [v for v in full if v in present]
    if column == "sex":
        return [v for v in SEX_VALUES if v in present] + sorted(present - set(SEX_VALUES))
    if column == "disability":
        known = [v for v in DISABILITY_VALUES if v in present]
        return known + sorted(present - set(DISABILITY_VALUES))
    ordinary = sorted(v for v in present if v not in _UNDISCLOSED_LAST)
    return ordinary + [v for v in _UNDISCLOSED_LAST if v in present]


def _labelled(people: pl.DataFrame, breakdown: Sequence[str], *, cross: bool) -> pl.DataFrame:
    """One row per respondent and combination of labels they are counted under."""
    frame = people.select(_ROW)
    for column in breakdown:
        source = "ethnicity" if column == "ethnic_group" else column
        values = people[source].cast(pl.String).fill_null(NOT_KNOWN).to_list()
        if column == "ethnic_group":
            expand = _cross_ethnic_labels if cross else _ethnic_labels
            labels = [expand(v) for v in values]
        else:
            labels = [[v] for v in values]
        labelled = pl.DataFrame(
            {_ROW: people[_ROW], column: pl.Series(labels, dtype=pl.List(pl.String))}
        ).explode(column)
        frame = frame.join(labelled, on=_ROW, how="inner")
    return frame


# --- results --------------------------------------------------------------------------


def _scale_table(questions: Sequence[Question]) -> pl.DataFrame:
    """(question, answer) -> position, part of the scale and score, for every scale point."""
    rows = []
    for q in questions:
        scale = q.scale
        if scale is None:
            continue
        for position, answer in enumerate(scale.points):
            part = (
                "favourable"
                if answer in scale.favourable
                else "unfavourable"
                if answer in scale.unfavourable
                else "neutral"
            )
            rows.append((q.code, answer, position, part, scale.score(answer)))
    return pl.DataFrame(
        rows,
        schema={
            "question": pl.String,
            "answer": pl.String,
            "position": pl.Int64,
            "part": pl.String,
            "score": pl.Float64,
        },
        orient="row",
    )


def _answers(responses: Responses) -> pl.DataFrame:
    """Long answers on a scale point: (_row, question, position, part, score)."""
    scaled = [q for q in responses.scaled if q.code in responses.frame.columns]
    if not scaled:
        return pl.DataFrame(
            schema={
                _ROW: pl.UInt32,
                "question": pl.String,
                "answer": pl.String,
                "position": pl.Int64,
                "part": pl.String,
                "score": pl.Float64,
            }
        )
    frame = responses.frame.with_row_index(_ROW).select(
        _ROW, *(pl.col(q.code).cast(pl.String) for q in scaled)
    )
    long = frame.unpivot(index=_ROW, variable_name="question", value_name="answer").drop_nulls(
        "answer"
    )
    return long.join(_scale_table(scaled), on=["question", "answer"], how="inner")


def _results_table(
    people: pl.DataFrame,
    answers: pl.DataFrame,
    questions: Sequence[Question],
    breakdown: Sequence[str],
    *,
    cross: bool,
) -> pl.DataFrame:
    labelled = _labelled(people, breakdown, cross=cross)
    keys = ["question", *breakdown]
    # Every label combination someone of the survey is in, for every scaled question.
    combos = labelled.select(*breakdown).unique() if breakdown else pl.DataFrame({"_": [0]})
    codes = pl.DataFrame({"question": [q.code for q in questions if q.scale is not None]})
    grid = codes.join(combos, how="cross").drop("_", strict=False)
    joined = answers.join(labelled, on=_ROW, how="inner")
    counts = joined.group_by(*keys, "position").agg(pl.len().alias("n"))
    parts = joined.group_by(keys).agg(
        pl.len().alias("respondents"),
        (pl.col("part") == "favourable").sum().alias("favourable"),
        (pl.col("part") == "neutral").sum().alias("neutral"),
        (pl.col("part") == "unfavourable").sum().alias("unfavourable"),
        pl.col("score").mean().alias("mean_score"),
    )
    table = grid.join(parts, on=keys, how="left").with_columns(
        pl.col(c).fill_null(0).cast(pl.Int64)
        for c in ("respondents", "favourable", "neutral", "unfavourable")
    )
    distributions = _distributions(counts, questions, keys)
    table = table.join(distributions, on=keys, how="left") if keys else table
    table = _with_percentages(table)
    return _sorted(table, questions, breakdown, cross=cross).select(*keys, *VALUE_COLUMNS)


def _distributions(
    counts: pl.DataFrame, questions: Sequence[Question], keys: Sequence[str]
) -> pl.DataFrame:
    """The full distribution of each row as JSON text: [[answer, percent], ...] in scale
    order (every point, zeros included)."""
    points = {q.code: q.scale.points for q in questions if q.scale is not None}
    cells: dict[tuple, dict[int, int]] = {}
    for row in counts.iter_rows(named=True):
        cells.setdefault(tuple(row[k] for k in keys), {})[row["position"]] = row["n"]
    rows = []
    for cell, by_position in cells.items():
        total = sum(by_position.values())
        scale = points[cell[0]]
        rows.append(
            (
                *cell,
                json.dumps(
                    [
                        [answer, round(100 * by_position.get(i, 0) / total, 2)]
                        for i, answer in enumerate(scale)
                    ],
                    ensure_ascii=False,
                ),
            )
        )
    schema = {k: pl.String for k in keys} | {"distribution": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _with_percentages(table: pl.DataFrame) -> pl.DataFrame:
    n = pl.col("respondents")

    def percent(column: str) -> pl.Expr:
        return pl.when(n > 0).then((100 * pl.col(column) / n).round(2)).otherwise(None)

    low, high = intervals.wilson_exprs(pl.col("favourable"), n)
    if "distribution" not in table.columns:
        table = table.with_columns(pl.lit(None, pl.String).alias("distribution"))
    return table.with_columns(
        percent("favourable").alias("percent_favourable"),
        (100 * low).round(2).alias("ci_low"),
        (100 * high).round(2).alias("ci_high"),
        percent("neutral").alias("percent_neutral"),
        percent("unfavourable").alias("percent_unfavourable"),
        pl.when(n > 0).then(pl.col("mean_score").round(2)).otherwise(None).alias("mean_score"),
    )


def _sorted(
    table: pl.DataFrame, questions: Sequence[Question], breakdown: Sequence[str], *, cross: bool
) -> pl.DataFrame:
    order = {q.code: i for i, q in enumerate(questions)}
    sort_columns = [pl.col("question").replace_strict(order, default=len(order)).alias("_q")]
    for column in breakdown:
        ranks = {v: i for i, v in enumerate(_order(column, table[column].to_list(), cross=cross))}
        sort_columns.append(
            pl.col(column).replace_strict(ranks, default=len(ranks)).alias(f"_{column}")
        )
    return (
        table.with_columns(sort_columns)
        .sort([c.meta.output_name() for c in sort_columns])
        .drop([c.meta.output_name() for c in sort_columns])
    )


def results_tables(responses: Responses) -> dict[str, pl.DataFrame]:
    """Every results table the mapped characteristics allow."""
    questions = [q for q in responses.questions if q.kind == SCALED and q.scale is not None]
    people = responses.frame.with_row_index(_ROW)
    answers = _answers(responses)
    mapped = set(responses.characteristics)
    tables = {}
    for name, breakdown in RESULT_TABLES.items():
        needed = {"ethnicity" if c == "ethnic_group" else c for c in breakdown}
        if not needed <= mapped:
            continue
        cross = len(breakdown) > 1
        tables[name] = _results_table(people, answers, questions, breakdown, cross=cross)
    return tables


def questions_table(responses: Responses, overall: pl.DataFrame) -> pl.DataFrame:
    """One row per question (choice, multiple-choice and free-text questions with no
    favourable figures; their respondents are the people who answered them)."""
    by_code = {row["question"]: row for row in overall.iter_rows(named=True)}
    rows = []
    for q in responses.questions:
        row = by_code.get(q.code)
        if row is None:
            column = responses.frame[q.code] if q.code in responses.frame.columns else None
            answered = 0 if column is None else int(column.is_not_null().sum())
            if column is not None and column.dtype == pl.List(pl.String):
                answered = int((column.list.len() > 0).fill_null(False).sum())
            row = {"respondents": answered}
        rows.append(
            {
                "question": q.code,
                "text": q.text,
                "theme": q.theme,
                "kind": q.kind,
                "respondents": row.get("respondents"),
                "percent_favourable": row.get("percent_favourable"),
                "percent_neutral": row.get("percent_neutral"),
                "percent_unfavourable": row.get("percent_unfavourable"),
                "mean_score": row.get("mean_score"),
            }
        )
    schema = {
        "question": pl.String,
        "text": pl.String,
        "theme": pl.String,
        "kind": pl.String,
        "respondents": pl.Int64,
        "percent_favourable": pl.Float64,
        "percent_neutral": pl.Float64,
        "percent_unfavourable": pl.Float64,
        "mean_score": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


# --- Cronbach's alpha and the definitions table -------------------------------------------


def cronbach_alpha(scores: pl.DataFrame) -> float | None:
    """α = k/(k−1) × (1 − Σ item variances / variance of the total), over the rows with
    every item answered (sample variances, ddof 1). None with fewer than 2 items, fewer than
    2 complete rows, or a total with no variance."""
    complete = scores.drop_nulls()
    k = complete.width
    if k < 2 or complete.height < 2:
        return None
    matrix = complete.cast(pl.Float64).to_numpy()
    item_variance = float(matrix.var(axis=0, ddof=1).sum())
    total_variance = float(matrix.sum(axis=1).var(ddof=1))
    if total_variance <= 0:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def _item_scores(responses: Responses, codes: Sequence[str]) -> pl.DataFrame:
    columns = []
    for code in codes:
        q = responses.question(code)
        if q.scale is None or code not in responses.frame.columns:
            continue
        mapping = {a: q.scale.score(a) for a in q.scale.points}
        columns.append(
            pl.col(code)
            .cast(pl.String)
            .replace_strict(mapping, default=None, return_dtype=pl.Float64)
        )
    return responses.frame.select(columns) if columns else pl.DataFrame()


def definitions_table(
    responses: Responses,
    *,
    indices: Mapping[str, Sequence[str]],
    indicators: Mapping[str, str],
    wave_labels: tuple[str, str] | None,
) -> pl.DataFrame:
    """What the derived tables need besides the results: the indices and their items (with
    Cronbach's alpha over the whole survey), the WRES questions, and the waves' names."""
    rows: list[tuple[str, str, str | None, float | None]] = []
    known = {q.code for q in responses.questions}
    for name, codes in indices.items():
        items = [c for c in codes if c in known]
        scores = _item_scores(responses, items)
        complete = scores.drop_nulls().height if scores.width else 0
        alpha = cronbach_alpha(scores) if complete >= ALPHA_MINIMUM_RESPONDENTS else None
        for code in items:
            rows.append(("index", name, code, None if alpha is None else round(alpha, 3)))
    for indicator, code in indicators.items():
        if code in known:
            rows.append(("indicator", indicator, code, None))
    if wave_labels is not None:
        rows.append(("wave", "previous", wave_labels[0], None))
        rows.append(("wave", "current", wave_labels[1], None))
    return pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "name": pl.String,
            "question": pl.String,
            "cronbach_alpha": pl.Float64,
        },
        orient="row",
    )


# --- derived tables (from exact or protected results alike) --------------------------------


def _rows(frame: pl.DataFrame | None, breakdown: Sequence[str]) -> dict[tuple, dict[str, Any]]:
    if frame is None:
        return {}
    return {
        (row["question"], *(row[c] for c in breakdown)): row for row in frame.iter_rows(named=True)
    }


def _shown(row: Mapping[str, Any] | None) -> bool:
    return (
        row is not None
        and not row.get("suppressed")
        and row.get("respondents") not in (None, 0)
        and row.get("percent_favourable") is not None
    )


def _count(row: Mapping[str, Any]) -> tuple[int, int]:
    """(favourable, respondents) as the row shows them (favourable from its percentage)."""
    n = int(row["respondents"])
    k = int(round(float(row["percent_favourable"]) * n / 100))
    return min(max(k, 0), n), n


def _difference(
    row: Mapping[str, Any], reference: tuple[int, int]
) -> tuple[float, float | None, float | None, float]:
    k1, n1 = _count(row)
    k2, n2 = reference
    difference = 100 * (k1 / n1 - k2 / n2)
    interval = intervals.newcombe_interval(k1, n1, k2, n2)
    low, high = (None, None) if interval is None else (100 * interval[0], 100 * interval[1])
    return difference, low, high, intervals.two_proportion_p_value(k1, n1, k2, n2)


def _points(value: float) -> str:
    return f"{value:+.0f}"


def _adjust(frame: pl.DataFrame, family: Sequence[str], correction: str) -> pl.DataFrame:
    """`significant` after the correction over each family's shown comparisons."""
    adjust = intervals.holm_adjust if correction == "holm" else intervals.benjamini_hochberg_adjust
    if correction not in ("holm", "bh"):
        raise ValueError(f"correction must be 'holm' or 'bh', not {correction!r}")
    significant: list[bool | None] = [None] * frame.height
    adjusted: list[float | None] = [None] * frame.height
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(frame.iter_rows(named=True)):
        if row["p_value"] is not None:
            groups.setdefault(tuple(row[c] for c in family), []).append(i)
    for members in groups.values():
        values = adjust([frame["p_value"][i] for i in members])
        for i, value in zip(members, values, strict=True):
            adjusted[i] = value
            significant[i] = value < ALPHA_LEVEL
    return frame.with_columns(
        pl.Series("adjusted_p_value", adjusted, dtype=pl.Float64),
        pl.Series("significant", significant, dtype=pl.Boolean),
    )


def _subject(characteristic: str, group: str) -> str:
    if characteristic in ("ethnic_group", "ethnicity", "sex", "disability"):
        if group in (PREFER_NOT_TO_SAY, NOT_KNOWN, UNKNOWN_GROUP):
            return f"Staff whose {characteristic.replace('_', ' ')} is {group.lower()}"
        return f"{group} staff"
    if characteristic == "overall":
        return "All staff"
    return f"Staff ({characteristic.replace('_', ' ')}: {group})"


def _comparison_reading(
    subject: str, reference: str, text: str, difference: float, low, high, significant
) -> str:
    side = "more" if difference > 0 else "less"
    interval = "" if low is None else f" (95% CI {_points(low)} to {_points(high)})"
    verdict = (
        "a disparity larger than chance alone would give" if significant else intervals.CHANCE_NOTE
    )
    if round(difference) == 0:
        return f"{subject} and {reference.lower()} answered “{text}” alike{interval}: {verdict}."
    return (
        f"{subject} answered “{text}” favourably {abs(difference):.0f} points {side} often "
        f"than {reference.lower()} staff{interval}: {verdict}."
    )


_COMPARISON_SCHEMA = {
    "question": pl.String,
    "percent_favourable": pl.Float64,
    "reference_percent_favourable": pl.Float64,
    "difference_points": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "p_value": pl.Float64,
    "suppressed": pl.Boolean,
}


def _texts(questions: pl.DataFrame | None) -> dict[str, str]:
    if questions is None or "text" not in questions.columns:
        return {}
    return dict(zip(questions["question"].to_list(), questions["text"].to_list(), strict=True))


def comparison_with_white(
    results: Mapping[str, pl.DataFrame], *, texts: Mapping[str, str], correction: str
) -> pl.DataFrame:
    table = results.get("results_by_ethnic_group")
    rows = []
    by_key = _rows(table, ("ethnic_group",))
    codes = list(dict.fromkeys(k[0] for k in by_key))
    for code in codes:
        white = by_key.get((code, WHITE))
        for group in WHITE_COMPARISONS:
            row = by_key.get((code, group))
            if row is None or row.get("respondents") == 0:
                continue
            record: dict[str, Any] = {
                "question": code,
                "ethnic_group": group,
                "reference_group": WHITE,
            }
            if _shown(row) and _shown(white):
                assert white is not None
                difference, low, high, p = _difference(row, _count(white))
                record |= {
                    "percent_favourable": row["percent_favourable"],
                    "reference_percent_favourable": white["percent_favourable"],
                    "difference_points": round(difference, 2),
                    "ci_low": None if low is None else round(low, 2),
                    "ci_high": None if high is None else round(high, 2),
                    "p_value": p,
                    "suppressed": False,
                }
            else:
                record["suppressed"] = True
            rows.append(record)
    schema = {"ethnic_group": pl.String, "reference_group": pl.String} | _COMPARISON_SCHEMA
    frame = pl.DataFrame(rows, schema=schema, orient="row").select(
        "question", "ethnic_group", "reference_group", *list(_COMPARISON_SCHEMA)[1:]
    )
    frame = _adjust(frame, ("question",), correction)
    return _with_readings(frame, texts, "ethnic_group", lambda _: "ethnic_group")


def comparison_with_rest(
    results: Mapping[str, pl.DataFrame], *, texts: Mapping[str, str], correction: str
) -> pl.DataFrame:
    overall = _rows(results.get("results_overall"), ())
    rows = []
    for name, characteristic in SINGLE_TABLES.items():
        for (code, group), row in _rows(results.get(name), (characteristic,)).items():
            if row.get("respondents") == 0:
                continue
            whole = overall.get((code,))
            record: dict[str, Any] = {
                "question": code,
                "characteristic": characteristic,
                "group": group,
                "reference_group": REST,
            }
            rest = None
            if _shown(row) and _shown(whole):
                assert whole is not None
                k_all, n_all = _count(whole)
                k, n = _count(row)
                if n_all - n > 0:
                    rest = (max(0, min(k_all - k, n_all - n)), n_all - n)
            if rest is not None:
                difference, low, high, p = _difference(row, rest)
                record |= {
                    "percent_favourable": row["percent_favourable"],
                    "reference_percent_favourable": round(100 * rest[0] / rest[1], 2),
                    "difference_points": round(difference, 2),
                    "ci_low": None if low is None else round(low, 2),
                    "ci_high": None if high is None else round(high, 2),
                    "p_value": p,
                    "suppressed": False,
                }
            else:
                record["suppressed"] = True
            rows.append(record)
    schema = {
        "characteristic": pl.String,
        "group": pl.String,
        "reference_group": pl.String,
    } | _COMPARISON_SCHEMA
    frame = pl.DataFrame(rows, schema=schema, orient="row").select(
        "question", "characteristic", "group", "reference_group", *list(_COMPARISON_SCHEMA)[1:]
    )
    frame = _adjust(frame, ("question", "characteristic"), correction)
    return _with_readings(frame, texts, "group", lambda row: row["characteristic"])


def _with_readings(frame, texts, group_column, characteristic_of) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    readings: list[str | None] = []
    for row in frame.iter_rows(named=True):
        if row["suppressed"]:
            readings.append(None)
            continue
        subject = _subject(characteristic_of(row), row[group_column])
        readings.append(
            _comparison_reading(
                subject,
                row["reference_group"],
                texts.get(row["question"], row["question"]),
                row["difference_points"],
                row["ci_low"],
                row["ci_high"],
                row["significant"],
            )
        )
    return frame.with_columns(pl.Series("reading", readings, dtype=pl.String))


def change_since_previous(
    results: Mapping[str, pl.DataFrame],
    previous_results: Mapping[str, pl.DataFrame] | None,
    *,
    texts: Mapping[str, str],
    waves: tuple[str, str],
    correction: str,
) -> pl.DataFrame:
    """Each group's % favourable now against the previous wave (questions matched by code;
    the two waves are treated as independent samples)."""
    rows = []
    tables = {"results_overall": "overall", **SINGLE_TABLES}
    for name, characteristic in tables.items():
        if previous_results is None or name not in previous_results or name not in results:
            continue
        breakdown = () if name == "results_overall" else (characteristic,)
        before = _rows(previous_results[name], breakdown)
        for key, row in _rows(results[name], breakdown).items():
            then = before.get(key)
            if then is None or row.get("respondents") == 0 or then.get("respondents") == 0:
                continue
            group = key[1] if breakdown else "All staff"
            record: dict[str, Any] = {
                "question": key[0],
                "characteristic": characteristic,
                "group": group,
            }
            if _shown(row) and _shown(then):
                change, low, high, p = _difference(row, _count(then))
                record |= {
                    "previous_percent_favourable": then["percent_favourable"],
                    "percent_favourable": row["percent_favourable"],
                    "change_points": round(change, 2),
                    "ci_low": None if low is None else round(low, 2),
                    "ci_high": None if high is None else round(high, 2),
                    "p_value": p,
                    "suppressed": False,
                }
            else:
                record["suppressed"] = True
            rows.append(record)
    schema = {
        "question": pl.String,
        "characteristic": pl.String,
        "group": pl.String,
        "previous_percent_favourable": pl.Float64,
        "percent_favourable": pl.Float64,
        "change_points": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "p_value": pl.Float64,
        "suppressed": pl.Boolean,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    frame = _adjust(frame, ("question", "characteristic"), correction)
    readings: list[str | None] = []
    for row in frame.iter_rows(named=True):
        if row["suppressed"]:
            readings.append(None)
            continue
        subject = _subject(row["characteristic"], row["group"])
        interval = (
            ""
            if row["ci_low"] is None
            else f" (95% CI {_points(row['ci_low'])} to {_points(row['ci_high'])})"
        )
        verdict = "" if row["significant"] else f"; {intervals.CHANCE_NOTE}"
        readings.append(
            f"{subject}, “{texts.get(row['question'], row['question'])}”: "
            f"{row['previous_percent_favourable']:.0f}% ({waves[0]}) → "
            f"{row['percent_favourable']:.0f}% ({waves[1]}), "
            f"{_points(row['change_points'])} points{interval}{verdict}."
        )
    return frame.with_columns(pl.Series("reading", readings, dtype=pl.String))


def indices_table(
    results: Mapping[str, pl.DataFrame], definitions: pl.DataFrame | None
) -> pl.DataFrame:
    """Each index per group: the mean of its items' % favourable (as Culture Amp averages
    favourability over a factor), shown only when every item's row is shown."""
    schema = {
        "index": pl.String,
        "characteristic": pl.String,
        "group": pl.String,
        "percent_favourable": pl.Float64,
        "items": pl.Int64,
        "cronbach_alpha": pl.Float64,
        "suppressed": pl.Boolean,
    }
    if definitions is None or definitions.is_empty():
        return pl.DataFrame(schema=schema)
    index_rows = definitions.filter(pl.col("kind") == "index")
    rows = []
    tables = {"results_overall": "overall", **SINGLE_TABLES}
    for name in dict.fromkeys(index_rows["name"].to_list()):
        members = index_rows.filter(pl.col("name") == name)
        codes = members["question"].to_list()
        alpha = members["cronbach_alpha"][0]
        for table_name, characteristic in tables.items():
            if table_name not in results:
                continue
            breakdown = () if table_name == "results_overall" else (characteristic,)
            by_key = _rows(results[table_name], breakdown)
            groups = dict.fromkeys(k[1:] for k in by_key)
            for group_key in groups:
                items = [by_key.get((code, *group_key)) for code in codes]
                if all(item is not None and item.get("respondents") == 0 for item in items):
                    continue
                shown = all(_shown(item) for item in items)
                rows.append(
                    {
                        "index": name,
                        "characteristic": characteristic,
                        "group": group_key[0] if group_key else "All staff",
                        "percent_favourable": round(
                            sum(float(i["percent_favourable"]) for i in items if i) / len(items),
                            2,
                        )
                        if shown
                        else None,
                        "items": len(codes),
                        "cronbach_alpha": alpha if table_name == "results_overall" else None,
                        "suppressed": not shown,
                    }
                )
    return pl.DataFrame(rows, schema=schema, orient="row")


def wres_survey(
    results: Mapping[str, pl.DataFrame], definitions: pl.DataFrame | None
) -> pl.DataFrame:
    """WRES 5-8 and Social Care WRES 6-7: the share of White and of Black, Asian and
    Multi-ethnic respondents giving the adverse answer (5, 6, 8; SC-WRES 6, 7: everything but
    the favourable answer, so any experience of harassment counts) or the positive one (7),
    with its Wilson interval. SC-WRES 6 and 7 are the harassment metrics (from people who use
    services or the public; from colleagues or managers: peer-systems.md 2.4)."""
    schema = {
        "indicator": pl.String,
        "title": pl.String,
        "question": pl.String,
        "ethnic_group": pl.String,
        "respondents": pl.Int64,
        "percent": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "suppressed": pl.Boolean,
    }
    if definitions is None or definitions.is_empty():
        return pl.DataFrame(schema=schema)
    by_key = _rows(results.get("results_by_ethnic_group"), ("ethnic_group",))
    rows = []
    for definition in definitions.filter(pl.col("kind") == "indicator").iter_rows(named=True):
        indicator, code = definition["name"], definition["question"]
        for group in (WHITE, AGGREGATE_LABEL):
            row = by_key.get((code, group))
            record: dict[str, Any] = {
                "indicator": indicator,
                "title": INDICATOR_TITLES.get(indicator, indicator),
                "question": code,
                "ethnic_group": group,
            }
            if _shown(row):
                assert row is not None
                k, n = _count(row)
                if indicator in ADVERSE_INDICATORS:
                    k = n - k
                low, high = intervals.wilson_interval(k, n) or (None, None)
                record |= {
                    "respondents": n,
                    "percent": round(100 * k / n, 2),
                    "ci_low": None if low is None else round(100 * low, 2),
                    "ci_high": None if high is None else round(100 * high, 2),
                    "suppressed": False,
                }
            else:
                record["suppressed"] = True
            rows.append(record)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _waves(definitions: pl.DataFrame | None) -> tuple[str, str]:
    labels = {"previous": "previous survey", "current": "this survey"}
    if definitions is not None and not definitions.is_empty():
        for row in definitions.filter(pl.col("kind") == "wave").iter_rows(named=True):
            labels[row["name"]] = row["question"]
    return labels["previous"], labels["current"]


def derive_tables(
    results: Mapping[str, pl.DataFrame],
    *,
    previous_results: Mapping[str, pl.DataFrame] | None,
    questions: pl.DataFrame,
    correction: str = "holm",
    definitions: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Comparisons, change since the previous wave, indices and WRES from results tables
    (exact or protected: a withheld source row makes its derived row null and suppressed, and
    it is left out of the correction's family)."""
    texts = _texts(questions)
    derived = {
        "comparison_with_white": comparison_with_white(results, texts=texts, correction=correction),
        "comparison_with_rest": comparison_with_rest(results, texts=texts, correction=correction),
        "change_since_previous": change_since_previous(
            results,
            previous_results,
            texts=texts,
            waves=_waves(definitions),
            correction=correction,
        ),
        "indices": indices_table(results, definitions),
        "wres_survey": wres_survey(results, definitions),
    }
    return derived


# --- response rates ------------------------------------------------------------------------


def response_rates(responses: Responses, workforce: pl.DataFrame) -> pl.DataFrame:
    """Respondents (everyone who returned the survey) per group against the workforce
    headcount of the survey's date, with a Wilson interval (a group's respondents can exceed
    its headcount where people describe themselves differently from the HR record; the rate
    is then not calculable)."""
    rows = []

    def add(characteristic: str, group: str, respondents: int, headcount: int) -> None:
        rate = interval = None
        if headcount > 0 and respondents <= headcount:
            rate = round(100 * respondents / headcount, 2)
            found = intervals.wilson_interval(respondents, headcount)
            interval = None if found is None else (100 * found[0], 100 * found[1])
        rows.append(
            {
                "characteristic": characteristic,
                "group": group,
                "respondents": respondents,
                "headcount": headcount,
                "response_rate": rate,
                "ci_low": None if interval is None else round(interval[0], 2),
                "ci_high": None if interval is None else round(interval[1], 2),
            }
        )

    add("overall", "All staff", responses.frame.height, workforce.height)
    frame = responses.frame
    if "ethnicity" in frame.columns and "ethnicity" in workforce.columns:
        survey_groups = [_cross_ethnic_labels(v) for v in frame["ethnicity"].to_list()]
        staff_groups = [_cross_ethnic_labels(v) for v in workforce["ethnicity"].to_list()]
        for group in (*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP):
            add(
                "ethnic_group",
                group,
                sum(group in g for g in survey_groups),
                sum(group in g for g in staff_groups),
            )
    for characteristic in ("sex", "disability", "directorate"):
        if characteristic not in frame.columns or characteristic not in workforce.columns:
            continue
        survey = frame[characteristic].fill_null(NOT_KNOWN).value_counts()
        staff = workforce[characteristic].fill_null(NOT_KNOWN).value_counts()
        survey_counts = dict(zip(survey[characteristic], survey["count"], strict=True))
        staff_counts = dict(zip(staff[characteristic], staff["count"], strict=True))
        values = set(survey_counts) | set(staff_counts)
        for group in _order(characteristic, list(values), cross=False):
            add(
                characteristic,
                group,
                int(survey_counts.get(group, 0)),
                int(staff_counts.get(group, 0)),
            )
    return pl.DataFrame(
        rows,
        schema={
            "characteristic": pl.String,
            "group": pl.String,
            "respondents": pl.Int64,
            "headcount": pl.Int64,
            "response_rate": pl.Float64,
            "ci_low": pl.Float64,
            "ci_high": pl.Float64,
        },
        orient="row",
    )


# --- everything -----------------------------------------------------------------------------


def survey_figures(
    responses: Responses,
    *,
    previous: Responses | None = None,
    workforce: pl.DataFrame | None = None,
    indices: Mapping[str, Sequence[str]] | None = None,
    indicators: Mapping[str, str] | None = None,
    wave_labels: tuple[str, str] | None = None,
    correction: str = "holm",
) -> dict[str, pl.DataFrame]:
    """Every exact survey table (for `publishing.publish` only). `previous` is the previous
    wave with its questions already renamed to this wave's codes; `workforce` the validated
    snapshot of the survey's date; `indices` {name: question codes}; `indicators` {"wres5":
    code, ...}; `wave_labels` (previous, this) as the readings name them ("2020", "2022")."""
    results = results_tables(responses)
    tables: dict[str, pl.DataFrame] = {}
    overall = results.get("results_overall", pl.DataFrame(schema={"question": pl.String}))
    tables["questions"] = questions_table(responses, overall)
    tables.update(results)
    definitions = definitions_table(
        responses,
        indices=indices or {},
        indicators=indicators or {},
        wave_labels=wave_labels,
    )
    tables["survey_definitions"] = definitions
    if workforce is not None:
        tables["response_rates"] = response_rates(responses, workforce)
    previous_results = results_tables(previous) if previous is not None else None
    tables.update(
        derive_tables(
            results,
            previous_results=previous_results,
            questions=tables["questions"],
            correction=correction,
            definitions=definitions,
        )
    )
    return tables
