"""Workforce evidence for an Equality Impact Assessment: who a proposal touches, by group.

An EqIA of a restructure, a redundancy round or a selection pool needs the council's own data:
the make-up of the staff in scope against the whole organisation (and the resident
population), and whether some groups are more likely than others to be in scope or to be
affected. For one validated workforce snapshot (`equitable.metrics.schema.FRAME_SCHEMA`):

* **In scope**: a person is in scope when their row matches every key of the scope filter
  (`{"directorate": ["People"], "pay_band": ["5", "6"]}`: in People *and* in band 5 or 6; a
  blank value is matched by "Not recorded") and, when an uploaded list of keyed ids is given,
  their `employee_key` is on it. Affected people (proposed for redundancy, in a selection
  pool) are those on the affected list who are in scope; **after** is in scope and not
  affected.
* **Make-up** (`<set>_by_<characteristic>`, set = organisation, in_scope, after): per row

      percent            = count / total × 100           (total: everyone in the set)
      percent_ci_low/high = 100 × Wilson 95 % interval of count / total
      percent_of_known   = count / people of known ethnicity in the set × 100 (ethnic groups)

  over the five ONS 2021 groups, "Unknown" and "Black, Asian and Multi-ethnic" (every known
  group but White), the detailed categories, sex, disability, age band, and religion and
  sexual orientation when the snapshot records them.
* **Relative likelihood of being in scope** (`in_scope_relative_likelihood`) and, with an
  affected list, **of being affected** within the scope (`affected_relative_likelihood`):

      RR = (in scope_g / staff_g) / (in scope_White / staff_White)

  (affected: pools are the in-scope staff), with the Katz log interval, as every lifecycle
  figure is computed (`equitable.metrics.lifecycle.comparisons.compare`, the WRES method;
  people of unknown ethnicity are left out of both sides).
* **Residents** (`residents_by_ethnic_group`): the census share of each group (TS021), to be
  read against `percent_of_known` (the census has no "not known").

Disclosure control: every count's population carries `eqia_scope` (in scope / out of scope)
and `eqia_affected`, attributes of this module's own with both values declared, so `protect`
knows that the people out of scope are the organisation minus the scope and cannot be used to
difference a withheld in-scope count back out. `protected_evidence` is the one `protect` call
over all the tables shown together.

Pure module (polars, no Django).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from equitable.metrics import disclosure_control, intervals
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DISABILITY_VALUES,
    ETHNIC_GROUP_VALUES,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    NOT_KNOWN,
    NOT_RECORDED,
    SEX_VALUES,
    UNKNOWN_GROUP,
    WHITE,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    LayoutError,
    Mention,
    Part,
    Restriction,
    Share,
    disability_label,
    ethnicity_atoms,
    ethnicity_label,
    fixed,
    key,
    of,
    sex_label,
)
from equitable.metrics.lifecycle.comparisons import (
    GROUP_OVER_REFERENCE,
    _recompute_rate,
    compare,
    comparison_layout,
)
from equitable.metrics.prepared import FigureInputError
from equitable.metrics.representation import Population
from equitable.metrics.schema import RELIGION_VALUES, SEXUAL_ORIENTATION_VALUES

# The organisation's own columns a scope may name: a restructure is drawn along these, never
# along a protected characteristic.
SCOPE_COLUMNS = ("directorate", "division", "pay_band", "grade", "leadership_tier", "contract_type")

SCOPE_ATTRIBUTE = "eqia_scope"
IN_SCOPE = "in scope"
OUT_OF_SCOPE = "out of scope"
AFFECTED_ATTRIBUTE = "eqia_affected"
AFFECTED = "affected"
NOT_AFFECTED = "not affected"
LIST_ATTRIBUTE = "eqia_list"
SCOPE_LIST_UNMATCHED = "in-scope list entry matching no one"
AFFECTED_LIST_UNCOUNTED = "affected list entry not in scope"

AGE_BANDS = ("Under 25", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 and over", NOT_KNOWN)
# Upper bounds (exclusive) of the bands before the last: 24 is under 25, 65 is 65 and over.
_AGE_LIMITS = tuple(zip((25, 35, 45, 55, 65), AGE_BANDS[:5], strict=True))
ETHNIC_GROUP_ROWS = (*ETHNIC_GROUP_VALUES, AGGREGATE_LABEL)

SETS = ("organisation", "in_scope", "after")
IN_SCOPE_PHRASE = "be in scope"
AFFECTED_PHRASE = "be affected by the proposal"

UNIVERSES: dict[str, tuple[str, ...]] = {
    SCOPE_ATTRIBUTE: (IN_SCOPE, OUT_OF_SCOPE),
    AFFECTED_ATTRIBUTE: (AFFECTED, NOT_AFFECTED),
    LIST_ATTRIBUTE: (SCOPE_LIST_UNMATCHED, AFFECTED_LIST_UNCOUNTED),
    "age_band": AGE_BANDS,
    "religion_answer": RELIGION_VALUES,
    "sexual_orientation_answer": SEXUAL_ORIENTATION_VALUES,
}


class ScopeError(ValueError):
    """A scope filter that cannot be used; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_scope(data: object) -> dict[str, tuple[str, ...]]:
    """A scope filter as read from JSON: {canonical column: [values in scope]}; a row is in scope
    when it matches every key given. Raises ScopeError (a ValueError subclass with `.problems:
    list[str]`) listing every problem (not a mapping, unknown column, value not a list of
    strings, empty).

    Values are stripped of surrounding spaces (the stored snapshot's are) and kept in the order
    given, repeats dropped. Why refuse rather than ignore a bad key: a scope silently widened
    to the whole organisation would make every comparison meaningless."""
    allowed = ", ".join(SCOPE_COLUMNS)
    if not isinstance(data, Mapping):
        raise ScopeError(
            [
                "the scope must be a JSON object of column names and lists of values, "
                f'e.g. {{"directorate": ["People"]}}, not {type(data).__name__}'
            ]
        )
    if not data:
        raise ScopeError([f"the scope names no column: give at least one of {allowed}"])
    problems: list[str] = []
    scope: dict[str, tuple[str, ...]] = {}
    for column, values in data.items():
        if not isinstance(column, str) or column not in SCOPE_COLUMNS:
            problems.append(f"{column!r} is not a column a scope can name (one of {allowed})")
            continue
        if not isinstance(values, list):
            problems.append(f'{column}: the values must be a list of text, e.g. ["5", "6"]')
            continue
        if not values:
            problems.append(f"{column}: the list of values is empty, so nobody would be in scope")
            continue
        kept: list[str] = []
        for position, value in enumerate(values, start=1):
            if not isinstance(value, str):
                problems.append(
                    f"{column}: value {position} ({value!r}) is not text; write it in quotes"
                )
            elif not value.strip():
                problems.append(f"{column}: value {position} is blank")
            elif value.strip() not in kept:
                kept.append(value.strip())
        scope[column] = tuple(kept)
    if problems:
        raise ScopeError(problems)
    return scope


# --- the people ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Characteristic:
    column: str  # the label column of its tables
    values: tuple[str, ...]
    attribute: str  # the layout attribute its rows restrict


CHARACTERISTICS: dict[str, _Characteristic] = {
    "ethnic_group": _Characteristic("ethnic_group", ETHNIC_GROUP_ROWS, "ethnicity"),
    "ethnicity": _Characteristic("ethnicity", ETHNICITY_VALUES, "ethnicity"),
    "sex": _Characteristic("sex", SEX_VALUES, "sex"),
    "disability": _Characteristic("disability", DISABILITY_VALUES, "disability"),
    "age_band": _Characteristic("age_band", AGE_BANDS, "age_band"),
    "religion": _Characteristic("religion", RELIGION_VALUES, "religion_answer"),
    "sexual_orientation": _Characteristic(
        "sexual_orientation", SEXUAL_ORIENTATION_VALUES, "sexual_orientation_answer"
    ),
}
# Recorded by some councils only: a table of nothing but "Not known" would tell nothing.
OPTIONAL_CHARACTERISTICS = ("religion", "sexual_orientation")


def _column(snapshot: pl.DataFrame, name: str) -> pl.Expr:
    if name in snapshot.columns:
        return pl.col(name).cast(pl.String)
    return pl.lit(None, dtype=pl.String).alias(name)


def _age_band(snapshot: pl.DataFrame) -> pl.Expr:
    if "age" not in snapshot.columns:
        return pl.lit(NOT_KNOWN).alias("age_band")
    age = pl.col("age")
    expression: Any = pl.when(age.is_null()).then(pl.lit(NOT_KNOWN))
    for limit, label in _AGE_LIMITS:
        expression = expression.when(age < limit).then(pl.lit(label))
    return expression.otherwise(pl.lit(AGE_BANDS[5])).alias("age_band")


def _scope_mask(snapshot: pl.DataFrame, scope: Mapping[str, Sequence[str]] | None) -> pl.Expr:
    parts = [
        _column(snapshot, column).fill_null(NOT_RECORDED).is_in(list(values))
        for column, values in (scope or {}).items()
    ]
    return pl.all_horizontal(parts) if parts else pl.lit(True)


def _normalised_keys(keys: Collection[str]) -> list[str]:
    return sorted({str(k).strip().lower() for k in keys if k is not None and str(k).strip()})


def _people(
    snapshot: pl.DataFrame,
    scope: Mapping[str, Sequence[str]] | None,
    in_scope_keys: list[str] | None,
    affected_keys: list[str] | None,
) -> pl.DataFrame:
    """One row per person: the characteristics as table labels (blank is "Not known"), and
    whether they are in scope and affected."""
    identifier = pl.col("employee_key").cast(pl.String).str.to_lowercase()
    in_scope = _scope_mask(snapshot, scope)
    if in_scope_keys is not None:
        in_scope = in_scope & identifier.is_in(in_scope_keys)
    affected = identifier.is_in(affected_keys) if affected_keys is not None else pl.lit(False)
    return snapshot.select(
        identifier.alias("employee_key"),
        *[
            _column(snapshot, c).fill_null(NOT_KNOWN).alias(c)
            for c in ("ethnicity", "sex", "disability", "religion", "sexual_orientation")
        ],
        _age_band(snapshot),
        in_scope.fill_null(False).alias("_in_scope"),
        (in_scope & affected).fill_null(False).alias("_affected"),
    )


def _check_values(people: pl.DataFrame, characteristics: Sequence[str]) -> None:
    problems = []
    columns = dict.fromkeys("ethnicity" if n == "ethnic_group" else n for n in characteristics)
    for column in columns:
        allowed = CHARACTERISTICS[column].values
        odd = people.filter(~pl.col(column).is_in(list(allowed)))[column].unique().sort()
        if odd.len():
            shown = ", ".join(repr(v) for v in odd.head(10).to_list())
            problems.append(f"snapshot column {column} holds values it may not: {shown}")
    if problems:
        raise FigureInputError(problems)


# --- the tables ----------------------------------------------------------------------------


def _interval(count: int, total: int) -> tuple[float | None, float | None]:
    found = intervals.wilson_interval(count, total)
    return (None, None) if found is None else (100 * found[0], 100 * found[1])


def _percent(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


def _rows(labels: Sequence[str], counts: Mapping[str, int], total: int) -> list[dict[str, Any]]:
    rows = []
    for label in labels:
        count = counts.get(label, 0)
        low, high = _interval(count, total)
        rows.append(
            {
                "count": count,
                "total": total,
                "percent": _percent(count, total),
                "percent_ci_low": low,
                "percent_ci_high": high,
            }
        )
    return rows


_MAKE_UP_SCHEMA = {
    "count": pl.Int64(),
    "total": pl.Int64(),
    "percent": pl.Float64(),
    "percent_ci_low": pl.Float64(),
    "percent_ci_high": pl.Float64(),
}


def make_up(people: pl.DataFrame, characteristic: str) -> pl.DataFrame:
    """The make-up of a set of people (one row each, labels as `_people` gives them) by one
    characteristic, every value a row (zeros kept: a missing row would hide a zero disclosure
    control must see), in the vocabulary's order."""
    column = "ethnicity" if characteristic == "ethnic_group" else characteristic
    tally = people.group_by(column).agg(pl.len().cast(pl.Int64).alias("n"))
    counts = dict(zip(tally[column].to_list(), tally["n"].to_list(), strict=True))
    total = people.height
    if characteristic == "ethnicity":
        rows = _rows(ETHNICITY_VALUES, counts, total)
        labels: dict[str, list[str]] = {
            "ethnicity": list(ETHNICITY_VALUES),
            "ethnic_group": [ETHNICITY_TO_GROUP[v] for v in ETHNICITY_VALUES],
        }
        schema: dict[str, pl.DataType] = {"ethnicity": pl.String(), "ethnic_group": pl.String()}
    elif characteristic == "ethnic_group":
        groups = {label: 0 for label in ETHNIC_GROUP_ROWS}
        for name, n in counts.items():
            group = ETHNICITY_TO_GROUP.get(name, UNKNOWN_GROUP)
            groups[group] += n
            if group not in (WHITE, UNKNOWN_GROUP):
                groups[AGGREGATE_LABEL] += n
        rows = _rows(ETHNIC_GROUP_ROWS, groups, total)
        known = total - groups[UNKNOWN_GROUP]
        for label, row in zip(ETHNIC_GROUP_ROWS, rows, strict=True):
            row["percent_of_known"] = (
                None if label == UNKNOWN_GROUP else _percent(row["count"], known)
            )
        labels = {"ethnic_group": list(ETHNIC_GROUP_ROWS)}
        schema = {"ethnic_group": pl.String()}
    else:
        values = CHARACTERISTICS[characteristic].values
        rows = _rows(values, counts, total)
        labels = {characteristic: list(values)}
        schema = {characteristic: pl.String()}
    schema |= _MAKE_UP_SCHEMA
    if characteristic == "ethnic_group":
        schema["percent_of_known"] = pl.Float64()
    data = {**labels, **{c: [row[c] for row in rows] for c in schema if c not in labels}}
    return pl.DataFrame(data, schema=schema)


def _characteristics(snapshot: pl.DataFrame) -> list[str]:
    found = []
    for name in CHARACTERISTICS:
        if name in OPTIONAL_CHARACTERISTICS and (
            name not in snapshot.columns or snapshot[name].drop_nulls().len() == 0
        ):
            continue
        found.append(name)
    return found


def _residents(population: pl.DataFrame) -> pl.DataFrame:
    shares = Population.from_frame(population)
    labels = [g for g in ETHNIC_GROUP_ROWS if g != UNKNOWN_GROUP]
    return pl.DataFrame(
        {"ethnic_group": labels, "percent": [shares.group_percent(g) for g in labels]},
        schema={"ethnic_group": pl.String(), "percent": pl.Float64()},
    )


_NOTES_SCHEMA = {"subject": pl.String(), "message": pl.String(), "count": pl.Int64()}


def _note(message: str, subject: str | None = None, count: int | None = None) -> dict[str, Any]:
    return {"subject": subject, "message": message, "count": count}


def _scope_notes(
    snapshot: pl.DataFrame, scope: Mapping[str, Sequence[str]] | None
) -> list[dict[str, Any]]:
    """Scope values that match nobody: usually a spelling that differs from the extract's."""
    notes = []
    for column, values in (scope or {}).items():
        present = set(_column_values(snapshot, column))
        for value in values:
            if value not in present:
                notes.append(
                    _note(
                        f"the scope's {column} value {value!r} matches nobody in the snapshot: "
                        "check its spelling against the extract"
                    )
                )
    return notes


def _column_values(snapshot: pl.DataFrame, column: str) -> list[str]:
    if column not in snapshot.columns:
        return [NOT_RECORDED]
    return snapshot[column].cast(pl.String).fill_null(NOT_RECORDED).unique().to_list()


def evidence_tables(
    snapshot: pl.DataFrame,
    scope: Mapping[str, Sequence[str]] | None = None,
    *,
    in_scope_keys: Collection[str] | None = None,
    affected_keys: Collection[str] | None = None,
    population: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Exact tables, at least: `organisation_by_ethnic_group`, `in_scope_by_ethnic_group` (rows:
    ethnic_group, count, percent, percent_ci_low, percent_ci_high; ethnic_group over the five
    ONS 2021 groups, "Black, Asian and Multi-ethnic", and the unknown row), the same
    `..._by_ethnicity` (detailed categories), `..._by_sex`, `..._by_disability`,
    `..._by_age_band`, and religion / sexual orientation when the snapshot has them;
    `in_scope_relative_likelihood` (each group's likelihood of being in scope against White,
    Katz interval; via equitable.metrics.lifecycle.comparisons); `affected_relative_likelihood`
    when affected_keys are given; `residents_by_ethnic_group` (percent of residents) when
    population is given; `evidence_notes`.

    With affected_keys, `after_by_<characteristic>` give the scope without the affected people
    (the workforce the proposal would leave). The rows also carry `total` (everyone in the
    set) and, by ethnic group, `percent_of_known`. Raises ScopeError for a scope parse_scope
    would refuse, FigureInputError (a ValueError listing every problem) for a snapshot
    without `employee_key` or holding values outside the canonical vocabularies, and for a
    population frame that is not one."""
    # An empty scope is no filter (the list alone, or everyone); a JSON file must name one.
    scope = (
        parse_scope({c: list(v) if isinstance(v, tuple) else v for c, v in scope.items()})
        if scope
        else None
    )
    if "employee_key" not in snapshot.columns:
        raise FigureInputError(["the snapshot has no employee_key column"])
    scope_list = None if in_scope_keys is None else _normalised_keys(in_scope_keys)
    affected_list = None if affected_keys is None else _normalised_keys(affected_keys)
    people = _people(snapshot, scope, scope_list, affected_list)
    characteristics = _characteristics(snapshot)
    _check_values(people, characteristics)

    sets = {"organisation": people, "in_scope": people.filter(pl.col("_in_scope"))}
    if affected_list is not None:
        sets["after"] = people.filter(pl.col("_in_scope") & ~pl.col("_affected"))
    tables: dict[str, pl.DataFrame] = {}
    for set_name, members in sets.items():
        for characteristic in characteristics:
            tables[f"{set_name}_by_{characteristic}"] = make_up(members, characteristic)
    tables["in_scope_relative_likelihood"] = compare(
        people,
        pool=pl.lit(True),
        outcome=pl.col("_in_scope"),
        characteristic="ethnic_group",
        direction=GROUP_OVER_REFERENCE,
        subject="staff",
        outcome_phrase=IN_SCOPE_PHRASE,
    )
    if affected_list is not None:
        tables["affected_relative_likelihood"] = compare(
            people,
            pool=pl.col("_in_scope"),
            outcome=pl.col("_affected"),
            characteristic="ethnic_group",
            direction=GROUP_OVER_REFERENCE,
            subject="staff",
            outcome_phrase=AFFECTED_PHRASE,
        )
    if population is not None:
        tables["residents_by_ethnic_group"] = _residents(population)
    tables["evidence_notes"] = _notes(snapshot, scope, people, scope_list, affected_list)
    return tables


def _notes(
    snapshot: pl.DataFrame,
    scope: Mapping[str, Sequence[str]] | None,
    people: pl.DataFrame,
    scope_list: list[str] | None,
    affected_list: list[str] | None,
) -> pl.DataFrame:
    notes = [
        _note(
            "figures are of the staff in the workforce snapshot on its date: vacancies, agency "
            "staff and contractors are not counted"
        ),
        _note(
            "relative likelihoods compare each group with White staff; people whose ethnicity "
            "is not known are left out of both sides, and an interval that spans 1 means the "
            "difference is within what chance alone would give"
        ),
    ]
    if not scope and scope_list is None:
        notes.append(_note("no scope was given: everyone in the snapshot is in scope"))
    notes += _scope_notes(snapshot, scope)
    keys = set(people["employee_key"].to_list())
    if scope_list is not None:
        unmatched = sum(1 for k in scope_list if k not in keys)
        notes.append(
            _note(
                f"{unmatched:,} ids of the in-scope list match no one in the snapshot: left out",
                "unmatched_in_scope_keys",
                unmatched,
            )
        )
    if affected_list is not None:
        in_scope = set(people.filter(pl.col("_in_scope"))["employee_key"].to_list())
        uncounted = sum(1 for k in affected_list if k not in in_scope)
        notes.append(
            _note(
                f"{uncounted:,} ids of the affected list are not in scope (or not in the "
                "snapshot): left out",
                "affected_outside_scope",
                uncounted,
            )
        )
    if people.filter(pl.col("_in_scope")).height == 0:
        notes.append(_note("nobody in the snapshot is in scope: there is nothing to compare"))
    return pl.DataFrame(notes, schema=_NOTES_SCHEMA)


# --- declared layouts ------------------------------------------------------------------------


def _atom(attribute: str, value: str) -> Part:
    return fixed({attribute: frozenset({value})})


IN_SCOPE_PART = _atom(SCOPE_ATTRIBUTE, IN_SCOPE)
AFFECTED_PART = _atom(AFFECTED_ATTRIBUTE, AFFECTED)
NOT_AFFECTED_PART = _atom(AFFECTED_ATTRIBUTE, NOT_AFFECTED)
_SET_PARTS: dict[str, tuple[Part, ...]] = {
    "organisation": (),
    "in_scope": (IN_SCOPE_PART,),
    "after": (IN_SCOPE_PART, NOT_AFFECTED_PART),
}


def _answer(attribute: str, values: tuple[str, ...]):
    def restriction(label: Any) -> Restriction:
        if label not in values:
            raise LayoutError(f"{label!r} is not a value of {attribute}")
        return {attribute: frozenset({str(label)})}

    return restriction


def _vocabulary(characteristic: str):
    if characteristic in ("ethnic_group", "ethnicity"):
        return ethnicity_label
    if characteristic == "sex":
        return sex_label
    if characteristic == "disability":
        return disability_label
    spec = CHARACTERISTICS[characteristic]
    return _answer(spec.attribute, spec.values)


def _with_universes(layout: Layout) -> Layout:
    return Layout(
        keys=layout.keys,
        columns=layout.columns,
        public=layout.public,
        warnings=layout.warnings,
        mentions=layout.mentions,
        universes=UNIVERSES,
    )


def make_up_layout(set_name: str, characteristic: str) -> Layout:
    """Per row: `count` people of the row's value within the set, `total` everyone in the set,
    `percent` their share with its Wilson interval (a function of the same two counts), and by
    ethnic group `percent_of_known`, of the set's people of known ethnicity."""
    where = _SET_PARTS[set_name]
    label = CHARACTERISTICS[characteristic].column
    keys: tuple[str, ...] = ("ethnicity", "ethnic_group") if label == "ethnicity" else (label,)
    columns: list[Any] = [
        Count("count", of(*where, key(label, _vocabulary(characteristic)))),
        Count("total", of(*where)),
        Share("percent", "count", "total"),
        Function("percent_ci_low", ("percent",), _recompute_rate("count", "total", 0)),
        Function("percent_ci_high", ("percent",), _recompute_rate("count", "total", 1)),
    ]
    if characteristic == "ethnic_group":
        known = of(*where, fixed({"ethnicity": ethnicity_atoms("Known")}))
        columns.append(Share("percent_of_known", "count", known))
    return Layout(keys=keys, columns=tuple(columns), universes=UNIVERSES)


def _list_mention(atom: str, template: str, withheld: str, zero: str) -> Mention:
    return Mention(
        count=of(_atom(LIST_ATTRIBUTE, atom)),
        total=None,
        template=template,
        withheld=withheld,
        zero_template=zero,
    )


LAYOUTS: dict[str, Layout] = {
    **{
        f"{set_name}_by_{characteristic}": make_up_layout(set_name, characteristic)
        for set_name in SETS
        for characteristic in CHARACTERISTICS
    },
    "in_scope_relative_likelihood": _with_universes(
        comparison_layout("ethnic_group", pool=(), outcome=(IN_SCOPE_PART,))
    ),
    "affected_relative_likelihood": _with_universes(
        comparison_layout(
            "ethnic_group", pool=(IN_SCOPE_PART,), outcome=(IN_SCOPE_PART, AFFECTED_PART)
        )
    ),
    # Census shares: published benchmarks, never withheld.
    "residents_by_ethnic_group": Layout(keys=("ethnic_group",), public=("percent",)),
    "evidence_notes": Layout(
        keys=("subject", "message"),
        mentions={
            "unmatched_in_scope_keys": _list_mention(
                SCOPE_LIST_UNMATCHED,
                "{count:,} ids of the in-scope list match no one in the snapshot: left out",
                "a few ids of the in-scope list match no one in the snapshot: left out",
                "every id of the in-scope list matches someone in the snapshot",
            ),
            "affected_outside_scope": _list_mention(
                AFFECTED_LIST_UNCOUNTED,
                "{count:,} ids of the affected list are not in scope (or not in the "
                "snapshot): left out",
                "a few ids of the affected list are not in scope (or not in the snapshot): "
                "left out",
                "every id of the affected list is in scope",
            ),
        },
        universes=UNIVERSES,
    ),
}


def protected_evidence(
    tables: Mapping[str, pl.DataFrame], *, threshold: int = 10
) -> dict[str, pl.DataFrame]:
    """The tables through equitable.metrics.disclosure_control.protect with LAYOUTS, as shown to
    anyone without personal access.

    One call over every table, because they are shown together: the in-scope counts and the
    organisation's differ by the people out of scope, and only a single call sees that sum."""
    return disclosure_control.protect(dict(tables), layouts=LAYOUTS, threshold=threshold)


__all__ = [
    "AGE_BANDS",
    "LAYOUTS",
    "SCOPE_COLUMNS",
    "ScopeError",
    "evidence_tables",
    "make_up",
    "parse_scope",
    "protected_evidence",
]
