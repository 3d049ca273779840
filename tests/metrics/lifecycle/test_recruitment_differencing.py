"""Differencing attack on the published recruitment family.

The intruder reads only the protected tables (the JSON a reader downloads) and knows what each
column means: a count of applicants of a group, in a period, of an applicant type, directorate
or pay band, who reached a stage (or were in the pool of a transition). It writes every
published count as a sum of unknown whole-population cells, one per applicant type, directorate,
detailed ethnicity and furthest stage reached (with or without a withdrawal), and solves two
linear programmes per withheld count. None of the withheld small counts may be narrowed to less
than `threshold` wide, and no withheld zero may be pinned to 0.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import polars as pl
import pytest
from scipy.optimize import linprog

from equitable.metrics.disclosure_control import protect
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DETAILED_ETHNICITIES,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
)
from equitable.metrics.lifecycle.records import validate_records
from equitable.metrics.lifecycle.recruitment import APPLICATIONS, LAYOUTS, recruitment_tables

THRESHOLD = 10
STAGES = ("applied", "shortlisted", "interviewed", "appointed")
WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
TYPES = ("Internal", "External", "Not recorded")
DIRECTORATES = ("Adults", "Place")

# --- the intruder's own reading of the labels (public definitions, not the project's code) ---

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
ATOMS = tuple(a for s in STAGES for a in (s, f"{s} (withdrew)"))


def reached(stage: str) -> set[str]:
    return {a for a in ATOMS if STAGES.index(a.split(" (")[0]) >= STAGES.index(stage)}


def pool(transition: str) -> set[str]:
    if " to " not in transition:
        return reached(transition)
    start, end = transition.split(" to ")
    between = STAGES[STAGES.index(start) : STAGES.index(end)]
    return reached(end) | set(between)


CELLS = list(itertools.product(TYPES, DIRECTORATES, ETHNICITY_VALUES, ATOMS))
INDEX = {cell: i for i, cell in enumerate(CELLS)}


def population(types, directorates, ethnicities, atoms) -> frozenset[int]:
    return frozenset(
        INDEX[c] for c in itertools.product(types, directorates, ethnicities, atoms) if c in INDEX
    )


def scope(row: dict) -> tuple[set[str], set[str]]:
    kind = row.get("applicant_type", "All")
    types = set(TYPES) if kind == "All" else {kind}
    directorates = {row["directorate"]} if "directorate" in row else set(DIRECTORATES)
    return types, directorates


def read(published: dict[str, list[dict]]) -> dict[frozenset[int], list[float | None]]:
    """Every count the intruder sees, by the population it counts (None: withheld)."""
    seen: dict[frozenset[int], list[float | None]] = {}

    def see(people: frozenset[int], value) -> None:
        seen.setdefault(people, []).append(value)

    for name, rows in published.items():
        for row in rows:
            types, directorates = scope(row)
            if name.startswith("recruitment_stages"):
                group = MEMBERS[row["ethnic_group"]]
                see(population(types, directorates, group, reached(row["stage"])), row["reached"])
                see(
                    population(types, directorates, group, pool(row["transition"])),
                    row["stage_pool"],
                )
                everyone = set(ETHNICITY_VALUES)
                see(
                    population(types, directorates, everyone, reached(row["stage"])),
                    row["stage_total"],
                )
            elif "ethnic_group" in row and "sex" not in row:
                start, end = row["stage"].split(" to ")
                for side, label in (
                    ("group", row["ethnic_group"]),
                    ("reference", row["reference_group"]),
                ):
                    group = MEMBERS[label]
                    see(
                        population(types, directorates, group, pool(row["stage"])),
                        row[f"{side}_pool"],
                    )
                    see(population(types, directorates, group, reached(end)), row[f"{side}_count"])
    return seen


def ranges(
    seen: dict[frozenset[int], list[float | None]], targets=None
) -> dict[frozenset[int], tuple[float, float]]:
    """Smallest and largest value of every withheld population (or of `targets`), given all
    published ones."""
    known = {
        p: next(v for v in values if v is not None)
        for p, values in seen.items()
        if any(v is not None for v in values)
    }
    rows, rhs = [], []
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


def synthetic_applications(seed: int) -> pl.DataFrame:
    """A small council: many White British and Indian applicants, a handful of others."""
    rng = random.Random(seed)
    mix = [(WHITE_BRITISH, 40), ("Indian", 25), ("African", 6), ("Irish", 3), ("Chinese", 2),
           ("White and Asian", 1), ("Prefer not to say", 3)]  # fmt: skip
    rows = []
    for ethnicity, number in mix:
        for _ in range(number):
            stage = rng.choices(STAGES, weights=(5, 3, 2, 2 if ethnicity == WHITE_BRITISH else 1))[
                0
            ]
            rows.append(
                {
                    "application_id": f"A{len(rows)}",
                    "ethnicity": ethnicity,
                    "stage_reached": stage,
                    "withdrawn": "yes" if rng.random() < 0.1 else "no",
                    "internal": rng.choice(["yes", "no", "no", ""]),
                    "directorate": rng.choice(DIRECTORATES),
                    "date_applied": "01/06/2024",
                }
            )
    result = validate_records(pl.DataFrame(rows), APPLICATIONS)
    assert result.problems == []
    return result.frame


def as_json(tables: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    return {name: table.to_dicts() for name, table in tables.items()}


@pytest.mark.slow
def test_no_withheld_recruitment_count_can_be_narrowed_by_differencing():
    exact = recruitment_tables(synthetic_applications(seed=3))
    published = protect(exact, layouts=LAYOUTS, threshold=THRESHOLD)

    truth = {p: values[0] for p, values in read(as_json(exact)).items()}
    seen = read(as_json(published))
    withheld = [p for p, values in seen.items() if all(v is None for v in values)]
    assert withheld, "the small groups gave the intruder withheld counts to work on"
    assert any(0 < truth[p] < THRESHOLD for p in withheld)
    exposed = []
    for people, (low, high) in ranges(seen).items():
        value = truth[people]
        if value == 0 and high < 1 - 1e-6:
            exposed.append((sorted(people)[:3], value, low, high))
        elif 0 < value < THRESHOLD and high - low < THRESHOLD - 1e-6:
            exposed.append((sorted(people)[:3], value, low, high))
    assert exposed == []


def test_the_intruder_is_real_primary_suppression_alone_gives_counts_away():
    """Withhold only the counts of 1 to 9: the intruder gets some back from the others."""
    exact = as_json(recruitment_tables(synthetic_applications(seed=3)))
    counts = {"reached", "stage_pool", "stage_total", "group_pool", "group_count",
              "reference_pool", "reference_count"}  # fmt: skip
    naive = {
        name: [
            {k: (None if k in counts and 0 < (v or 0) < THRESHOLD else v) for k, v in row.items()}
            for row in rows
        ]
        for name, rows in exact.items()
    }
    truth = {p: values[0] for p, values in read(exact).items()}
    seen = read(naive)
    small = [p for p, values in seen.items() if values[0] is None and 0 < truth[p] < THRESHOLD]
    pinned = [p for p, (low, high) in ranges(seen, targets=small[:40]).items() if high - low < 1e-6]
    assert pinned
