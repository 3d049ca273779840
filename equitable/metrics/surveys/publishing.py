"""The one protect step for survey figures: nobody sees an exact survey count.

Pages, downloads, the API, the board report, the action plan's measures and `equitable survey
--published` all call `publish`, so every view shows the same numbers and no two views can be
subtracted to reveal a group smaller than the threshold.

How it protects (docs/disclosure-control.md, "Staff surveys"):

* **Counts are what is protected.** In every results table the `respondents` of a row (people
  who answered the question) is a `layout.Count` whose population is built from the row's keys:
  ethnicity through `layout.ethnicity_label` (the five ONS groups, the detailed categories,
  "Black, Asian and Multi-ethnic", "Unknown", "Prefer not to say", "Not known"), sex and
  disability through their fixed vocabularies, and the other characteristics (sexual
  orientation, religion, age band, directorate, pay band, length of service) as open
  attributes named `survey_<characteristic>`, so that they never meet the workforce's fixed
  sexual orientation and religion statuses. From those declarations `disclosure_control`
  derives every sum a reader can write: categories to their group, groups to the whole,
  directorates to the whole, and the margins of every cross-tab the page filters reach.
* **Everything else follows its count.** Percentages, the interval, the distribution and the
  mean score are `Function(sources=("respondents",))`: shown exactly when the row's count is.
  The exact answer counts (favourable, neutral, unfavourable) are never published. Why that is
  enough: secondary suppression keeps the feasible range of every withheld count of 1 to
  threshold - 1 at least `threshold` wide (and every withheld 0 at least 1 wide). If an
  aggregate S of withheld rows could be isolated by subtraction (its total pinned to v), every
  row c in S satisfies c <= v in every table consistent with what is shown, so v is at least
  the top of c's range, hence at least `threshold`: the remainder a reader can isolate always
  holds `threshold` respondents or more before its percentages can be worked out (Culture
  Amp's remainder rule, generalised to every equation shown).
* **Headline counts are withheld last.** Secondary suppression picks, for each withheld count,
  the cheapest other counts whose withholding leaves it room; every choice it can make keeps
  the same room, so the costs decide only which counts go. Counted alike, a big group was often
  the cheapest complement (the linear programme prices a count by the people it moves, not by
  the count), and White, the largest group, went whenever a small Unknown or detailed cell
  needed room: "White + Unknown = whole survey - Black, Asian and Multi-ethnic". So the whole
  survey, the five ONS groups and "Black, Asian and Multi-ethnic" cost `HEADLINE_WEIGHT` times
  more (`disclosure_control.protect(weights=...)`), and when moving a withheld count up would
  take one of them, moving it down within its own group (and up by the rest) is priced too.
  They are still withheld when nothing else will do: Unknown is the whole survey minus White
  minus "Black, Asian and Multi-ethnic", so when Unknown is under the threshold one of those
  three (or a minority group with the aggregate) must go.
* **One question at a time, with one pattern for the survey.** Different questions are
  answered by different people (skips), so their counts are different cells and each question
  is protected in its own call (the `question` key is unrestricted). Questions answered by
  nearly the same people have nearly the same counts, though, and two different suppression
  patterns of nearly equal tables could be compared. So the question answered by the most
  people is protected first, and the counts it withholds are withheld (and protected like
  small counts) in every other question and in the response rates: the whole survey shares one
  pattern, and a question adds only its own extra withholdings. Questions whose respondent
  counts are identical share one protection (a cache keyed by the counts).
* **Derived tables are re-derived from the protected results** with
  `figures.derive_tables` (comparisons with White and with the rest of the organisation,
  change since the previous wave, indices, WRES), so a comparison is shown only when every row
  it rests on is shown, and the previous wave's figures come from its own publication.
* **Every withheld row says why** in `why_withheld`: one reason for every withheld count
  ("fewer than 10 respondents, or withheld so that a smaller group cannot be worked out by
  subtraction"), because telling the small rows from their complements would bound each small
  row and pin some (see `withheld_reason`); a derived row names the group it waits for.
* **Rounding** (`round_to`, an organisation option) rounds the respondents; percentages and
  intervals are then shown to whole numbers and mean scores to one decimal place, so the exact
  counts cannot be worked back from them.

Pure module: polars, no Django.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from equitable.metrics import disclosure_control
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_VALUES,
    SEX_VALUES,
    UNKNOWN_GROUP,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    LayoutError,
    Part,
    Restriction,
    disability_label,
    ethnicity_label,
    key,
    of,
    open_value,
    sex_label,
    unrestricted,
)
from equitable.metrics.surveys.model import RESULT_TABLES

# --- the results tables -------------------------------------------------------------------

# RESULT_TABLES (model.py): results table -> its breakdown columns (after `question`).
DERIVED_TABLES = (
    "comparison_with_white",
    "comparison_with_rest",
    "change_since_previous",
    "indices",
    "wres_survey",
)
EXACT_COUNTS = ("favourable", "neutral", "unfavourable")
PERCENT_COLUMNS = (
    "percent_favourable",
    "ci_low",
    "ci_high",
    "percent_neutral",
    "percent_unfavourable",
)
# Shown exactly when `respondents` is.
FUNCTION_COLUMNS = (*PERCENT_COLUMNS, "distribution", "mean_score")
# Indices and their items (with Cronbach's alpha over the whole survey), the WRES questions and
# the waves' names: configuration and one whole-survey statistic, no counts of people.
DEFINITIONS = "survey_definitions"
SURVEY_POPULATION = "survey_population"  # respondents or staff (response rates only)
_ADDED = "_added"
# The labels of results_by_ethnic_group a reader knows (groups, the aggregate, every detailed
# category, the two undisclosed) and of the cross-tabs (groups, the aggregate, Unknown).
ETHNIC_LABELS = (*ETHNIC_GROUPS, AGGREGATE_LABEL, *ETHNICITY_VALUES)
CROSS_ETHNIC_LABELS = (*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP)


def survey_attribute(characteristic: str) -> str:
    """The layout attribute of an open survey characteristic: its own name space, so the
    survey's religion values never meet the workforce's fixed religion statuses."""
    return f"survey_{characteristic}"


def vocabulary(characteristic: str) -> Callable[[Any], Restriction]:
    """How a label of a breakdown column names its people."""
    if characteristic in ("ethnic_group", "ethnicity"):
        return ethnicity_label
    if characteristic == "sex":
        return sex_label
    if characteristic == "disability":
        return disability_label
    return open_value(survey_attribute(characteristic))


def _recompute(column: str) -> Callable[[Mapping[str, Any]], Any]:
    """Under rounding a figure is shown coarser, from its own value (see `_coarse`)."""

    def recompute(row: Mapping[str, Any]) -> Any:
        return _coarse(column, row.get(column))

    return recompute


def _coarse(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "distribution":
        try:
            points = json.loads(value)
        except (TypeError, ValueError):
            return None
        return json.dumps(
            [[answer, None if p is None else float(round(p))] for answer, p in points],
            ensure_ascii=False,
        )
    if column == "mean_score":
        return round(float(value), 1)
    return float(round(float(value)))


def results_layout(breakdown: Sequence[str]) -> Layout:
    parts: list[Part] = [key(column, vocabulary(column)) for column in breakdown]
    return Layout(
        keys=("question", *breakdown, "why_withheld"),
        columns=(
            Count("respondents", of(key("question", unrestricted), *parts)),
            *(Function(c, ("respondents",), _recompute(c)) for c in FUNCTION_COLUMNS),
        ),
    )


def _rates_restriction(population: str) -> Callable[[Any], Restriction]:
    """A response-rates row names its group through two columns, joined in `_GROUP_KEY`."""

    def restriction(joined: Any) -> Restriction:
        characteristic, _, group = str(joined).partition(_SEPARATOR)
        found = {SURVEY_POPULATION: frozenset({population})}
        if characteristic and characteristic != "overall":
            found.update(vocabulary(characteristic)(group))
        return found

    return restriction


_SEPARATOR = "\x1f"
_GROUP_KEY = "_group_key"
RESPONSE_RATES_LAYOUT = Layout(
    keys=("characteristic", "group", _GROUP_KEY, "why_withheld"),
    columns=(
        # Respondents and staff are separate populations: a survey's self-reported groups
        # need not match the HR record's, so no sum is assumed between them.
        Count("respondents", of(key(_GROUP_KEY, _rates_restriction("respondents")))),
        Count("headcount", of(key(_GROUP_KEY, _rates_restriction("staff")))),
        *(
            Function(c, ("respondents", "headcount"), _recompute(c))
            for c in ("response_rate", "ci_low", "ci_high")
        ),
    ),
    universes={SURVEY_POPULATION: ("respondents", "staff")},
)

# Every results table's declared layout (and the response rates').
LAYOUTS: dict[str, Layout] = {
    **{name: results_layout(breakdown) for name, breakdown in RESULT_TABLES.items()},
    "response_rates": RESPONSE_RATES_LAYOUT,
}


# --- why a row is withheld ----------------------------------------------------------------


# One reason for every withheld count. Saying "fewer than 10 respondents" for the small rows and
# "so that a smaller group cannot be worked out" for their complements would tell a reader an
# upper bound for each small row, and bounds pin counts the sums alone leave open: two withheld
# rows of a shown 18, both "fewer than 10", are 9 and 9. So the reason names both causes.
def withheld_reason(threshold: int) -> str:
    return (
        f"fewer than {threshold} respondents, or withheld so that a smaller group cannot be "
        "worked out by subtraction"
    )


def primary_reason(threshold: int) -> str:
    """For a figure no sum ties to another shown (a choice question's respondents)."""
    return f"fewer than {threshold} respondents"


def derived_reason(group: str, *, previous: bool = False) -> str:
    where = " in the previous survey" if previous else ""
    return f"not shown because {group} is withheld{where}"


GENERIC_DERIVED_REASON = "not shown because a figure it rests on is withheld"


# --- protection ---------------------------------------------------------------------------

Mask = dict[str, list[bool]]

# How much more withholding a headline count costs secondary suppression than any other count
# (see the module docstring): the whole survey, the five ONS groups and "Black, Asian and
# Multi-ethnic" are what the board report and the WRES compare, so a complement is taken from
# the detailed categories, Unknown and the cross-tabs wherever one of those protects as well.
HEADLINE_WEIGHT = 25.0
HEADLINE_ETHNIC_GROUPS = frozenset({*ETHNIC_GROUPS, AGGREGATE_LABEL})


def headline_weights(tables: Mapping[str, pl.DataFrame]) -> list[tuple[Restriction, float]]:
    """The populations whose counts secondary suppression should withhold last, with how
    much more each costs. Costs only choose among protecting patterns: the room every withheld
    count keeps, and so the guarantee, is the same whatever they are."""
    weights: list[tuple[Restriction, float]] = []
    for name in ("results_overall", "results_by_ethnic_group"):
        frame = tables.get(name)
        if frame is None:
            continue
        population = LAYOUTS[name].counts[0].population
        for row in frame.iter_rows(named=True):
            if row.get("respondents") and row.get("ethnic_group", AGGREGATE_LABEL) in (
                HEADLINE_ETHNIC_GROUPS
            ):
                weights.append((population.of_row(row), HEADLINE_WEIGHT))
    return weights


class _Protector:
    """Per-question protections, cached by the respondents of every row."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.cache: dict[tuple, Mask] = {}
        self.pattern: list[Restriction] = []

    @staticmethod
    def signature(tables: Mapping[str, pl.DataFrame]) -> tuple:
        parts = []
        for name in sorted(tables):
            breakdown = RESULT_TABLES[name]
            frame = tables[name]
            parts.append(
                (name, tuple(frame.select(*breakdown, "respondents").iter_rows()))
                if breakdown
                else (name, tuple(frame["respondents"].to_list()))
            )
        return tuple(parts)

    def protect(self, tables: Mapping[str, pl.DataFrame]) -> Mask:
        signature = self.signature(tables)
        mask = self.cache.get(signature)
        if mask is None:
            published = disclosure_control.protect(
                tables,
                threshold=self.threshold,
                layouts=LAYOUTS,
                withhold=self.pattern,
                weights=headline_weights(tables),
            )
            mask = {
                name: [
                    exact is not None and shown is None
                    for exact, shown in zip(
                        tables[name]["respondents"].to_list(),
                        published[name]["respondents"].to_list(),
                        strict=True,
                    )
                ]
                for name in tables
            }
            self.cache[signature] = mask
        return mask

    def set_pattern(self, tables: Mapping[str, pl.DataFrame], mask: Mask) -> None:
        """The populations withheld for the base question, withheld everywhere after."""
        pattern: list[Restriction] = []
        for name, hidden in mask.items():
            population = LAYOUTS[name].counts[0].population
            for row, withheld in zip(tables[name].iter_rows(named=True), hidden, strict=True):
                if withheld:
                    pattern.append(population.of_row(row))
        self.pattern = pattern


def _question_order(results: Mapping[str, pl.DataFrame]) -> list[Any]:
    seen: dict[Any, None] = {}
    for frame in results.values():
        for code in frame["question"].to_list():
            seen.setdefault(code, None)
    return list(seen)


def _check_tables(tables: Mapping[str, pl.DataFrame]) -> None:
    known = {*RESULT_TABLES, *DERIVED_TABLES, "questions", "response_rates", DEFINITIONS}
    unknown = [name for name in tables if name not in known]
    if unknown:
        raise LayoutError(
            "no declared layout for " + ", ".join(repr(n) for n in unknown) + ": disclosure "
            "control cannot know its sums, so it will not publish it"
        )


def _rounded_count(value: Any, base: int | None) -> Any:
    if value is None or base is None:
        return value
    return int(math.floor(value / base + 0.5) * base)


def _finish(
    frame: pl.DataFrame,
    hidden: Sequence[bool],
    threshold: int,
    round_to: int | None,
    counts: Sequence[str],
    functions: Sequence[str],
) -> pl.DataFrame:
    """The table as published: withheld figures null, counts rounded, figures coarsened under
    rounding, `suppressed` and `why_withheld`."""
    hidden_series = pl.Series("suppressed", list(hidden), dtype=pl.Boolean)
    reasons = [withheld_reason(threshold) if withheld else None for withheld in hidden]
    columns: dict[str, pl.Series] = {}
    for column in counts:
        if column not in frame.columns:
            continue
        values = [
            None if withheld else _rounded_count(v, round_to)
            for v, withheld in zip(frame[column].to_list(), hidden, strict=True)
        ]
        columns[column] = pl.Series(column, values, dtype=frame.schema[column])
    for column in functions:
        if column not in frame.columns:
            continue
        values = [
            None if withheld else (_coarse(column, v) if round_to is not None else v)
            for v, withheld in zip(frame[column].to_list(), hidden, strict=True)
        ]
        columns[column] = pl.Series(column, values, dtype=frame.schema[column])
    return (
        frame.drop([c for c in (*EXACT_COUNTS, "suppressed", "why_withheld") if c in frame.columns])
        .with_columns(**columns)
        .with_columns(hidden_series, pl.Series("why_withheld", reasons, dtype=pl.String))
    )


def _labels(column: str, tables: Mapping[str, pl.DataFrame]) -> list[Any]:
    """Every label a reader knows a column of these tables can hold: a fixed vocabulary's
    whole universe (a row left out of it is a known 0), or an open one's values named."""
    if column == "ethnic_group":
        return list(ETHNIC_LABELS)
    if column == "sex":
        return list(SEX_VALUES)
    if column == "disability":
        return list(DISABILITY_VALUES)
    seen: dict[Any, None] = {}
    for name, frame in tables.items():
        if column in RESULT_TABLES[name]:
            for value in frame[column].to_list():
                seen.setdefault(value, None)
    return list(seen)


def _complete(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """One question's tables with a row of 0 respondents for every label combination a
    reader knows to be absent (a table lists the groups present: a detailed category left
    out says nobody of it answered). Disclosure control then knows those zeros as the reader
    does. Added rows carry `_added`; the ones it shows are left out again."""
    completed = {}
    for name, frame in tables.items():
        breakdown = RESULT_TABLES[name]
        frame = frame.with_columns(pl.lit(False).alias(_ADDED))
        if breakdown and frame.height:
            question = frame["question"][0]
            combos: list[tuple] = [()]
            for column in breakdown:
                labels = _labels(column, tables)
                if column == "ethnic_group" and len(breakdown) > 1:
                    labels = list(CROSS_ETHNIC_LABELS)
                combos = [c + (label,) for c in combos for label in labels]
            present = set(frame.select(*breakdown).iter_rows())
            missing = [c for c in combos if c not in present]
            if missing:
                extra = pl.DataFrame(
                    {
                        "question": [question] * len(missing),
                        **{column: [c[i] for c in missing] for i, column in enumerate(breakdown)},
                        "respondents": [0] * len(missing),
                        _ADDED: [True] * len(missing),
                    }
                )
                frame = pl.concat([frame, extra], how="diagonal_relaxed")
        completed[name] = frame
    return completed


def protect_results(
    results: Mapping[str, pl.DataFrame],
    *,
    threshold: int,
    round_to: int | None = None,
    protector: _Protector | None = None,
) -> tuple[dict[str, pl.DataFrame], _Protector]:
    """Every results table, protected one question at a time (see the module docstring)."""
    protector = protector or _Protector(threshold)
    present = {
        n: f.drop([c for c in (*EXACT_COUNTS, "suppressed", "why_withheld") if c in f.columns])
        for n, f in results.items()
    }
    questions = _question_order(present)
    per_question = {
        code: _complete(
            {
                name: frame.filter(pl.col("question") == code)
                for name, frame in present.items()
                if (frame["question"] == code).any()
            }
        )
        for code in questions
    }
    # The base: the question the most people answered (the survey's own pattern).
    overall = present.get("results_overall")
    if overall is not None and overall.height and questions:
        by_code = dict(
            zip(overall["question"].to_list(), overall["respondents"].to_list(), strict=True)
        )
        base = max(questions, key=lambda q: (by_code.get(q) or 0, -questions.index(q)))
    else:
        base = questions[0] if questions else None

    def protect(code: Any) -> Mask:
        tables = {n: f.drop(_ADDED) for n, f in per_question[code].items()}
        return protector.protect(tables)

    masks: dict[Any, Mask] = {}
    if base is not None:
        masks[base] = protect(base)
        protector.set_pattern(per_question[base], masks[base])
    for code in questions:
        if code not in masks:
            masks[code] = protect(code)
    published = {}
    for name, frame in present.items():
        parts = [
            per_question[code][name].with_columns(
                pl.Series("_hidden", masks[code][name], dtype=pl.Boolean)
            )
            for code in questions
            if name in per_question[code]
        ]
        combined = (
            pl.concat(parts, how="diagonal_relaxed")
            if parts
            else frame.with_columns(pl.lit(False).alias(_ADDED), pl.lit(False).alias("_hidden"))
        )
        # A row added as a known 0 and shown is left out: its absence says the same.
        combined = combined.filter(~pl.col(_ADDED) | pl.col("_hidden"))
        hidden = combined["_hidden"].to_list()
        published[name] = _finish(
            combined.drop(_ADDED, "_hidden").select(frame.columns),
            hidden,
            threshold,
            round_to,
            ("respondents",),
            FUNCTION_COLUMNS,
        )
    return published, protector


def protect_response_rates(
    rates: pl.DataFrame, *, threshold: int, round_to: int | None, pattern: Iterable[Restriction]
) -> pl.DataFrame:
    """Respondents per group (everyone who answered anything) beside the workforce headcount,
    protected with the survey's pattern withheld too: a group the results withhold is not
    counted here either."""
    joined = rates.drop(["suppressed", "why_withheld"], strict=False).with_columns(
        pl.concat_str(
            pl.col("characteristic").fill_null("overall"),
            pl.lit(_SEPARATOR),
            pl.col("group").cast(pl.String).fill_null(""),
        ).alias(_GROUP_KEY)
    )
    withhold = [{**r, SURVEY_POPULATION: frozenset({"respondents"})} for r in pattern]
    published = disclosure_control.protect(
        {"response_rates": joined},
        threshold=threshold,
        layouts=LAYOUTS,
        withhold=withhold,
    )["response_rates"]
    counts = [c for c in ("respondents", "headcount") if c in joined.columns]
    hidden = [
        any(joined[c][i] is not None and published[c][i] is None for c in counts)
        for i in range(joined.height)
    ]
    finished = _finish(
        joined,
        hidden,
        threshold,
        round_to,
        counts,
        ("response_rate", "ci_low", "ci_high"),
    )
    reasons = [
        withheld_reason(threshold).replace("respondents", "respondents or staff")
        if withheld
        else None
        for withheld in hidden
    ]
    return finished.with_columns(pl.Series("why_withheld", reasons, dtype=pl.String)).drop(
        _GROUP_KEY
    )


def protect_questions(
    questions: pl.DataFrame,
    overall: pl.DataFrame | None,
    *,
    threshold: int,
    round_to: int | None,
) -> pl.DataFrame:
    """The list of questions with each one's overall figures, read from the protected overall
    results (a question with no results row, such as a choice question, shows its respondents
    only when there are at least `threshold`)."""
    values = (
        "respondents",
        "percent_favourable",
        "percent_neutral",
        "percent_unfavourable",
        "mean_score",
    )
    by_code: dict[Any, dict[str, Any]] = {}
    if overall is not None:
        for row in overall.iter_rows(named=True):
            by_code[row["question"]] = row
    rows = []
    for row in questions.drop(["suppressed", "why_withheld"], strict=False).iter_rows(named=True):
        published = by_code.get(row["question"])
        out = dict(row)
        if published is not None:
            for column in values:
                if column in out:
                    out[column] = published.get(column)
            out["suppressed"] = bool(published.get("suppressed"))
            out["why_withheld"] = published.get("why_withheld")
        else:
            n = row.get("respondents")
            small = n is not None and 0 < n < threshold
            if "respondents" in out:
                out["respondents"] = None if small else _rounded_count(n, round_to)
            for column in values[1:]:
                if column in out and (small or round_to is not None):
                    out[column] = None if small else _coarse(column, out[column])
            out["suppressed"] = small
            out["why_withheld"] = primary_reason(threshold) if small else None
        rows.append(out)
    schema: dict[str, Any] = {
        **{c: questions.schema[c] for c in questions.columns if c not in ("suppressed",)},
        "suppressed": pl.Boolean,
        "why_withheld": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


# --- derived tables -----------------------------------------------------------------------


def _derive(
    results: Mapping[str, pl.DataFrame],
    *,
    previous_results: Mapping[str, pl.DataFrame] | None,
    questions: pl.DataFrame,
    correction: str,
    definitions: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """figures.derive_tables over the protected results (a seam for tests)."""
    from equitable.metrics.surveys import figures

    return figures.derive_tables(
        results,
        previous_results=previous_results,
        questions=questions,
        correction=correction,
        definitions=definitions,
    )


def _hidden_rows(results: Mapping[str, pl.DataFrame]) -> dict[str, set[tuple]]:
    hidden: dict[str, set[tuple]] = {}
    for name, frame in results.items():
        if name not in RESULT_TABLES or "suppressed" not in frame.columns:
            continue
        columns = ("question", *RESULT_TABLES[name])
        hidden[name] = {
            tuple(row[:-1])
            for row in frame.select(*columns, "suppressed").iter_rows()
            if row[-1] and row[columns.index("question")] is not None
        }
    return hidden


def _table_of(characteristic: Any) -> str:
    if characteristic in (None, "overall"):
        return "results_overall"
    if characteristic == "ethnicity":
        return "results_by_ethnic_group"
    return f"results_by_{characteristic}"


def _derived_why(
    name: str,
    row: Mapping[str, Any],
    hidden: Mapping[str, set[tuple]],
    previous_hidden: Mapping[str, set[tuple]],
) -> str:
    question = row.get("question")

    def withheld(table: str, *labels: Any, previous: bool = False) -> bool:
        return (question, *labels) in (previous_hidden if previous else hidden).get(table, set())

    if name == "comparison_with_white":
        group = row.get("ethnic_group")
        reference = row.get("reference_group") or "White"
        for label in (group, reference):
            if withheld("results_by_ethnic_group", label):
                return derived_reason(str(label))
    elif name in ("comparison_with_rest", "change_since_previous"):
        characteristic, group = row.get("characteristic"), row.get("group")
        table = _table_of(characteristic)
        labels: tuple = () if table == "results_overall" else (group,)
        shown_as = "the whole survey" if table == "results_overall" else str(group)
        if withheld(table, *labels):
            return derived_reason(shown_as)
        if name == "comparison_with_rest" and withheld("results_overall"):
            return derived_reason("the whole survey")
        if name == "change_since_previous" and withheld(table, *labels, previous=True):
            return derived_reason(shown_as, previous=True)
    elif name == "wres_survey" and row.get("ethnic_group"):
        return derived_reason(str(row["ethnic_group"]))
    elif name == "indices" and row.get("group"):
        return derived_reason(str(row["group"])) + " for one of its questions"
    return GENERIC_DERIVED_REASON


def _with_reasons(
    name: str,
    frame: pl.DataFrame,
    hidden: Mapping[str, set[tuple]],
    previous_hidden: Mapping[str, set[tuple]],
) -> pl.DataFrame:
    if "suppressed" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("suppressed"))
    reasons = [
        _derived_why(name, row, hidden, previous_hidden) if row.get("suppressed") else None
        for row in frame.iter_rows(named=True)
    ]
    return frame.drop("why_withheld", strict=False).with_columns(
        pl.Series("why_withheld", reasons, dtype=pl.String)
    )


# --- the public step ----------------------------------------------------------------------


def publish(
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = disclosure_control.DEFAULT_THRESHOLD,
    round_to: int | None = None,
    previous_published: Mapping[str, pl.DataFrame] | None = None,
    correction: str = "holm",
) -> dict[str, pl.DataFrame]:
    """The survey's tables as they may be shown to anyone (EDI officer included).

    `tables` is `figures.survey_figures`' exact output; `previous_published` the previous
    wave's `publish` output (its questions already renamed to this wave's codes), from which
    the change since the previous wave is derived. The exact derived tables in `tables` are
    ignored and derived again from the protected results. Raises LayoutError for a table it
    does not know, ValueError for a threshold below 5 or a bad `round_to`."""
    disclosure_control.check_threshold(threshold)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 2
    ):
        raise ValueError(f"round_to must be a whole number of 2 or more, not {round_to!r}")
    _check_tables(tables)
    results = {n: f for n, f in tables.items() if n in RESULT_TABLES}
    published, protector = protect_results(results, threshold=threshold, round_to=round_to)
    out: dict[str, pl.DataFrame] = {}
    if "questions" in tables:
        out["questions"] = protect_questions(
            tables["questions"],
            published.get("results_overall"),
            threshold=threshold,
            round_to=round_to,
        )
    out.update(published)
    if "response_rates" in tables:
        out["response_rates"] = protect_response_rates(
            tables["response_rates"],
            threshold=threshold,
            round_to=round_to,
            pattern=protector.pattern,
        )
    previous_results = (
        {n: f for n, f in previous_published.items() if n in RESULT_TABLES}
        if previous_published is not None
        else None
    )
    derived = _derive(
        published,
        previous_results=previous_results,
        questions=out.get("questions", tables.get("questions", pl.DataFrame())),
        correction=correction,
        definitions=tables.get(DEFINITIONS),
    )
    if DEFINITIONS in tables:
        out[DEFINITIONS] = tables[DEFINITIONS]
    hidden = _hidden_rows(published)
    previous_hidden = _hidden_rows(previous_results or {})
    for name in DERIVED_TABLES:
        if name in derived:
            out[name] = _with_reasons(name, derived[name], hidden, previous_hidden)
    return out
