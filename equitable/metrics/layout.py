"""Declared layouts: what every number in a figure table counts, so disclosure control knows
every sum, mean and ratio that holds between the numbers shown together.

Why declarations and not guesses from column names: an intruder reads the published numbers
and their meaning ("directorate rows add up to the whole", "a mean is a sum divided by a
count"), and writes down every equation between them. Disclosure control can only defend the
equations it knows, so the module that computes a table also says, in the same place, what each
of its columns is:

* `Count(column, population)`: a whole number of people. Its population is a conjunction of
  attribute restrictions (ethnicity ∈ {...}, directorate = "People", quartile ∈ paid...), built
  per row from the row's key values through a vocabulary;
* `Share(column, numerator, denominator)`: 100 × numerator / denominator, both counts (the
  denominator may be a population no column prints, such as "people of known ethnicity");
* `Mean(column, count, measure)`: a sum of `measure` (hourly pay, bonus pay) over the count's
  population divided by the count; `Median(column, count)`;
* `Gap(column, group, reference)`: a figure of two means or medians (a pay gap);
* `Derived(column, source)`: a figure of one share and public numbers only (gap to the census
  share, representation ratio);
* `public`: published benchmarks (census shares), never withheld; keys identify the row.

From these `disclosure_control.protect` derives the equations itself: two numbers whose
populations differ in one attribute, where one attribute set is a union of the others, are a
sum; the same population counted in two tables is one number. `protect` refuses a table whose
layout is not declared, or a column its layout does not name.

Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ALL_ETHNIC_MINORITIES,
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    NOT_KNOWN,
    NOT_RECORDED,
    PREFER_NOT_TO_SAY,
    QUARTILES,
    SEX_VALUES,
    UNDISCLOSED,
    UNKNOWN_GROUP,
    WHITE,
    WHITE_BRITISH,
    WHITE_OTHER_THAN_BRITISH,
)

Atoms = frozenset[str]
# attribute -> the atoms allowed; an attribute not named is unrestricted.
Restriction = dict[str, Atoms]


class AllBut(frozenset):
    """Every value of an attribute except these: "in a leadership tier" is every tier but
    "Not recorded", whatever the council's tiers are called."""


class LayoutError(ValueError):
    """A table without a declared layout, or numbers that break the layout they declare."""


# --- attributes and their vocabularies --------------------------------------------------------

# The categories the census keeps apart; the White British ones decide the ONS grouping.
WHITE_BRITISH_CATEGORIES = frozenset({"English, Welsh, Scottish, Northern Irish or British"})
NO_HOURLY_RATE = "No hourly rate"
QUARTILE_ATOMS = (*QUARTILES, NO_HOURLY_RATE)
PAID: Restriction = {"quartile": frozenset(QUARTILES)}
STATUS_ATOMS = ("Known", PREFER_NOT_TO_SAY, NOT_KNOWN)

# Attributes with a fixed universe. Others (directorate, pay band, grade, tier) are open: their
# universe is every value the tables shown together name.
FIXED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "ethnicity": tuple(ETHNICITY_VALUES),
    "sex": SEX_VALUES,
    "disability": DISABILITY_VALUES,
    "quartile": QUARTILE_ATOMS,
    "top_5_percent": ("In the top 5%", "Not in the top 5%"),
    "bonus": ("Paid a bonus", "No bonus"),
    "sexual_orientation": STATUS_ATOMS,
    "religion": STATUS_ATOMS,
}
IN_TOP_5_PERCENT: Restriction = {"top_5_percent": frozenset({"In the top 5%"})}
IN_A_LEADERSHIP_TIER: Restriction = {"leadership_tier": AllBut({NOT_RECORDED})}
PAID_A_BONUS: Restriction = {"bonus": frozenset({"Paid a bonus"})}


def _members(group: str) -> Atoms:
    return frozenset(v for v in ETHNICITY_VALUES if ETHNICITY_TO_GROUP.get(v) == group)


def _white_british_unknown() -> Atoms:
    """White people whose census category was not given: neither White British nor a White
    minority in the ONS grouping (ingestion leaves their `white_british` blank)."""
    return frozenset(
        v for v in _members(WHITE) if v not in WHITE_BRITISH_CATEGORIES and "not given" in v.lower()
    )


def ethnicity_atoms(label: str) -> Atoms:
    """The detailed categories a label of an ethnicity table stands for."""
    known = frozenset(v for v in ETHNICITY_VALUES if v not in UNDISCLOSED)
    if label in ETHNICITY_TO_GROUP:
        return frozenset({label})
    if label in ETHNIC_GROUPS:
        return _members(label)
    if label == UNKNOWN_GROUP:
        return frozenset(UNDISCLOSED)
    if label == AGGREGATE_LABEL:
        return frozenset().union(*(_members(g) for g in ETHNIC_GROUPS if g != WHITE))
    if label == WHITE_BRITISH:
        return WHITE_BRITISH_CATEGORIES
    if label == WHITE_OTHER_THAN_BRITISH:
        return _members(WHITE) - WHITE_BRITISH_CATEGORIES - _white_british_unknown()
    if label == ALL_ETHNIC_MINORITIES:
        return known - WHITE_BRITISH_CATEGORIES - _white_british_unknown()
    if label == "Known":
        return known
    raise LayoutError(f"{label!r} is not an ethnicity label the layouts know")


def ethnicity_label(label: Any) -> Restriction:
    return {"ethnicity": ethnicity_atoms(str(label))}


def _fixed_value(attribute: str) -> Callable[[Any], Restriction]:
    values = FIXED_ATTRIBUTES[attribute]

    def restriction(label: Any) -> Restriction:
        if label not in values:
            raise LayoutError(f"{label!r} is not a value of {attribute}")
        return {attribute: frozenset({str(label)})}

    return restriction


sex_label = _fixed_value("sex")
disability_label = _fixed_value("disability")


def quartile_label(label: Any) -> Restriction:
    return _fixed_value("quartile")(label)


def open_value(attribute: str) -> Callable[[Any], Restriction]:
    """A free-text dimension (directorate, pay band...): each label is one atom."""
    return lambda label: {attribute: frozenset({str(label)})}


def unrestricted(_: Any) -> Restriction:
    """A key that names a variant of the figure (WRES or ONS grouping), not a set of people."""
    return {}


_REFERENCE_GROUPS: dict[str, Restriction] = {
    WHITE: ethnicity_label(WHITE),
    WHITE_BRITISH: ethnicity_label(WHITE_BRITISH),
    "Male": {"sex": frozenset({"Male"})},
    "Female": {"sex": frozenset({"Female"})},
    "Not disabled": {"disability": frozenset({"Not disabled"})},
    "Disabled": {"disability": frozenset({"Disabled"})},
    "White male": {**ethnicity_label(WHITE), "sex": frozenset({"Male"})},
    "White female": {**ethnicity_label(WHITE), "sex": frozenset({"Female"})},
}


def reference_group(label: Any) -> Restriction:
    """The reference group of a pay gap row, by the label the row prints."""
    try:
        return dict(_REFERENCE_GROUPS[str(label)])
    except KeyError:
        raise LayoutError(f"{label!r} is not a reference group the layouts know") from None


_CHARACTERISTIC_ATTRIBUTE = {
    "ethnicity": "ethnicity",
    "sex": "sex",
    "disability": "disability",
    "sexual_orientation": "sexual_orientation",
    "religion": "religion",
}


def disclosure_status(status: str) -> Callable[[Any], Restriction]:
    """Rows of a disclosure table: the characteristic's known values, "Prefer not to say" or
    "Not known" (status "Known", PREFER_NOT_TO_SAY, NOT_KNOWN)."""

    def restriction(characteristic: Any) -> Restriction:
        attribute = _CHARACTERISTIC_ATTRIBUTE.get(str(characteristic))
        if attribute is None:
            raise LayoutError(f"{characteristic!r} is not a characteristic the layouts know")
        if attribute in ("sexual_orientation", "religion"):
            return {attribute: frozenset({status})}
        values = FIXED_ATTRIBUTES[attribute]
        if status == "Known":
            return {attribute: frozenset(v for v in values if v not in UNDISCLOSED)}
        return {attribute: frozenset({status})}

    return restriction


# --- populations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One restriction of a population: fixed, or read from a key column of the row."""

    column: str | None
    vocabulary: Callable[[Any], Restriction]


def key(column: str, vocabulary: Callable[[Any], Restriction]) -> Part:
    return Part(column, vocabulary)


def fixed(restriction: Restriction) -> Part:
    frozen = dict(restriction)
    return Part(None, lambda _: frozen)


@dataclass(frozen=True)
class Population:
    """A set of people: the intersection of its parts' restrictions."""

    parts: tuple[Part, ...] = ()

    def of_row(self, row: Mapping[str, Any]) -> Restriction:
        restriction: Restriction = {}
        for part in self.parts:
            value = row.get(part.column) if part.column is not None else None
            for attribute, atoms in part.vocabulary(value).items():
                previous = restriction.get(attribute)
                restriction[attribute] = atoms if previous is None else previous & atoms
        return restriction


def of(*parts: Part) -> Population:
    return Population(tuple(parts))


# --- column specifications ----------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    column: str
    population: Population


@dataclass(frozen=True)
class Share:
    """100 × numerator / denominator; `denominator` is a Count column or a population."""

    column: str
    numerator: str
    denominator: str | Population


@dataclass(frozen=True)
class Mean:
    column: str
    count: str
    measure: str


@dataclass(frozen=True)
class Median:
    column: str
    count: str


@dataclass(frozen=True)
class Gap:
    """A figure of two means or medians, such as (reference − group) / reference × 100."""

    column: str
    group: str
    reference: str


@dataclass(frozen=True)
class Derived:
    """A figure of one share and a public number only: `formula` "difference" is share −
    public (gap to the census share in points), "ratio" is share / public."""

    column: str
    source: str
    formula: str
    public: str = "population_percent"


@dataclass(frozen=True)
class Function:
    """A figure computed from other figures of the same row only: a rate's confidence
    interval, a relative likelihood and its interval, the sentence that reads them.

    It tells nothing the figures it rests on (`sources`) do not, so it is shown exactly when
    every one of them is shown. When counts are rounded, `recompute` gives it again from the
    row as published (rounded counts); without `recompute` it is withheld under rounding."""

    column: str
    sources: tuple[str, ...]
    recompute: Callable[[Mapping[str, Any]], Any] | None = None


ColumnSpec = Count | Share | Mean | Median | Gap | Derived | Function


@dataclass(frozen=True)
class Mention:
    """Counts a sentence of the notes table prints, and how to say it when one is withheld.

    The notes row names its `subject`; its `count` and `total` columns hold the numbers and
    `template` is formatted with them (`{count:,}`, `{total:,}`)."""

    count: Population | None
    total: Population | None
    template: str
    withheld: str
    # Said instead of `template` when the count is 0.
    zero_template: str | None = None


@dataclass(frozen=True)
class Layout:
    """What each column of a table is. `warnings` adds the pay tables' caution column."""

    keys: tuple[str, ...]
    columns: tuple[ColumnSpec, ...] = ()
    public: tuple[str, ...] = ()
    warnings: bool = False
    # The notes table: its sentences by subject (rows with no subject print no numbers).
    mentions: Mapping[str, Mention] = field(default_factory=dict)
    # Every value of an attribute of this layout's own, when its tables need not name them
    # all (a yes-or-no attribute whose "no" no table counts).
    universes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def spec(self, column: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.column == column), None)

    @property
    def counts(self) -> tuple[Count, ...]:
        return tuple(c for c in self.columns if isinstance(c, Count))

    def declared(self) -> set[str]:
        names = {*self.keys, *self.public, *(c.column for c in self.columns)}
        names |= {"suppressed", "warning"}
        if self.mentions:
            names |= {"count", "total", "subject"}
        return names
