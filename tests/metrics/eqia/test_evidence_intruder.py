"""An intruder reads only the protected EqIA evidence and differences it.

It knows what each published number counts (public definitions, written here without the
project's layouts): people of a detailed ethnicity, sex, disability and age band who are out of
scope, in scope and not affected, or in scope and affected. Every published count, and every
denominator a published percentage of known ethnicity implies, is a sum of unknown cells, one
per combination; two linear programmes per withheld count give its feasible range. Above all
it subtracts the in-scope tables from the organisation's, the attack an EqIA invites: the scope
is a small part of the organisation. No withheld count of 1 to 9 may be narrowed to less than
10 wide, and no withheld zero pinned to 0.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import polars as pl
from scipy.optimize import linprog

from equitable.metrics.disclosure_control import protect
from equitable.metrics.eqia.evidence import (
    AGE_BANDS,
    LAYOUTS,
    evidence_tables,
    protected_evidence,
)
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DETAILED_ETHNICITIES,
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    SEX_VALUES,
)
from tests.metrics.eqia.support import keys, snapshot

THRESHOLD = 10
WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
STATES = ("out of scope", "in scope, not affected", "in scope, affected")
SET_STATES = {
    "organisation": set(STATES),
    "in_scope": set(STATES[1:]),
    "after": {STATES[1]},
}

MEMBERS: dict[str, set[str]] = {name: {name} for name in ETHNICITY_VALUES}
for group in ETHNIC_GROUPS:
    MEMBERS[group] = {n for n, g in ETHNICITY_TO_GROUP.items() if g == group}
MEMBERS["Unknown"] = {"Prefer not to say", "Not known"}
MEMBERS[AGGREGATE_LABEL] = set().union(*(MEMBERS[g] for g in ETHNIC_GROUPS if g != "White"))
MEMBERS["White British"] = {WHITE_BRITISH}
MEMBERS["White other than British"] = {
    n for n, g in DETAILED_ETHNICITIES if g == "White" and n != WHITE_BRITISH
}
MEMBERS["All ethnic minorities"] = MEMBERS[AGGREGATE_LABEL] | MEMBERS["White other than British"]
KNOWN = set(ETHNICITY_VALUES) - MEMBERS["Unknown"]

DIMENSIONS = {
    "ethnicity": ETHNICITY_VALUES,
    "sex": SEX_VALUES,
    "disability": DISABILITY_VALUES,
    "age_band": AGE_BANDS,
    "state": STATES,
}
CELLS = list(itertools.product(*DIMENSIONS.values()))
INDEX = {cell: i for i, cell in enumerate(CELLS)}


def population(**chosen: set[str]) -> frozenset[int]:
    sets = [chosen.get(name, set(values)) for name, values in DIMENSIONS.items()]
    return frozenset(INDEX[c] for c in itertools.product(*sets))


def read(published: dict[str, list[dict]]) -> dict[frozenset[int], list[float | None]]:
    """Every count the intruder sees, by the population it counts (None: withheld)."""
    seen: dict[frozenset[int], list[float | None]] = {}

    def see(people: frozenset[int], value) -> None:
        seen.setdefault(people, []).append(value)

    for name, rows in published.items():
        set_name, _, characteristic = name.partition("_by_")
        if set_name in SET_STATES:
            states = SET_STATES[set_name]
            for row in rows:
                label = row[characteristic]
                chosen = {"ethnicity": MEMBERS[label]} if "ethnic" in characteristic else {}
                if "ethnic" not in characteristic:
                    chosen = {characteristic: {label}}
                see(population(state=states, **chosen), row["count"])
                see(population(state=states), row["total"])
                if row.get("percent_of_known") and row["count"]:
                    known = 100.0 * row["count"] / row["percent_of_known"]
                    see(population(state=states, ethnicity=KNOWN), round(known))
        elif name.endswith("relative_likelihood"):
            pool, outcome = (
                (set(STATES), set(STATES[1:]))
                if name.startswith("in_scope")
                else (set(STATES[1:]), {STATES[2]})
            )
            for row in rows:
                for side, label in (("group", row["ethnic_group"]),
                                    ("reference", row["reference_group"])):  # fmt: skip
                    members = MEMBERS[label]
                    see(population(state=pool, ethnicity=members), row[f"{side}_pool"])
                    see(population(state=outcome, ethnicity=members), row[f"{side}_count"])
    return seen


def ranges(seen, targets=None) -> dict[frozenset[int], tuple[float, float]]:
    known = {
        p: next(v for v in values if v is not None)
        for p, values in seen.items()
        if any(v is not None for v in values)
    }
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for people, value in known.items():
        line = np.zeros(len(CELLS))
        line[list(people)] = 1.0
        rows.append(line)
        rhs.append(value)
    a_eq, b_eq = np.array(rows), np.array(rhs)
    found = {}
    for people in targets if targets is not None else (p for p in seen if p not in known):
        objective = np.zeros(len(CELLS))
        objective[list(people)] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
            )
            assert result.success, result.message
            ends.append(sign * result.fun)
        found[people] = (ends[0], ends[1])
    return found


def council(seed: int) -> tuple[pl.DataFrame, list[str]]:
    """A council of 160: the scope (People, bands 5 and 6) about 40 strong, with a handful of
    Black, Mixed and Other staff, and 12 of its staff proposed for redundancy."""
    rng = random.Random(seed)
    mix = [(WHITE_BRITISH, 70), ("Indian", 30), ("Other White", 15), ("African", 12),
           ("Caribbean", 8), ("White and Asian", 5), ("Arab", 4), ("Prefer not to say", 9),
           ("Chinese", 3), ("Not known", 4)]  # fmt: skip
    rows: list[tuple[str, ...]] = []
    for ethnicity, number in mix:
        for _ in range(number):
            directorate = rng.choice(("People", "People", "Place", "Resources"))
            rows.append(
                (
                    f"E{len(rows):04d}",
                    ethnicity,
                    rng.choice(("Female", "Female", "Male", "Not known")),
                    rng.choice(("Not disabled", "Not disabled", "Not disabled", "Disabled")),
                    directorate,
                    rng.choice(("4", "5", "6")),
                    str(rng.randint(19, 67)),
                )
            )
    in_scope = [r[0] for r in rows if r[4] == "People" and r[5] in ("5", "6")]
    return snapshot(rows), keys(rng.sample(in_scope, 12))


def as_json(tables: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    return {name: table.to_dicts() for name, table in tables.items() if name != "evidence_notes"}


SCOPE = {"directorate": ["People"], "pay_band": ["5", "6"]}


def test_no_withheld_count_can_be_narrowed_by_differencing_scope_against_organisation():
    frame, affected = council(seed=7)
    exact = evidence_tables(frame, SCOPE, affected_keys=affected)
    published = protected_evidence(exact, threshold=THRESHOLD)

    truth = {p: values[0] for p, values in read(as_json(exact)).items()}
    seen = read(as_json(published))
    withheld = [p for p, values in seen.items() if all(v is None for v in values)]
    assert any(0 < truth[p] < THRESHOLD for p in withheld), "nothing small to attack"
    # The intruder reads in-scope counts that the organisation tables alone would not give.
    in_scope_small = [
        p for p in withheld if 0 < truth[p] < THRESHOLD and not (p & population(state={STATES[0]}))
    ]
    assert in_scope_small
    assert exposed(truth, seen) == []


def exposed(truth, seen) -> list[tuple[float, float, float]]:
    withheld = [p for p, values in seen.items() if all(v is None for v in values)]
    found = []
    for people, (low, high) in ranges(seen, targets=withheld).items():
        value = truth[people]
        if (value == 0 and high < 1 - 1e-6) or (0 < value < THRESHOLD and high - low < 9.999):
            found.append((value, low, high))
    return found


def test_the_intruder_is_real_scope_and_organisation_protected_apart_give_counts_away():
    """The mistake the single `protect` call avoids: the organisation's tables, the scope's
    and the after tables each protected on their own. Each is safe alone; read together, the
    organisation's counts less the scope's pin withheld ones down."""
    frame, affected = council(seed=7)
    exact = evidence_tables(frame, SCOPE, affected_keys=affected)
    published: dict[str, pl.DataFrame] = {}
    for prefix in ("organisation_by", "in_scope_by", "after_by"):
        part = {name: table for name, table in exact.items() if name.startswith(prefix)}
        published |= protect(part, layouts=LAYOUTS, threshold=THRESHOLD)
    truth = {p: values[0] for p, values in read(as_json(exact)).items()}
    assert exposed(truth, read(as_json(published)))
