"""Differencing attack on a cohort's protected tables.

The intruder reads only the published tables and knows what each count counts (written here
from the docstring, not from the project's layouts): staff of the start snapshot of an
ethnicity, sex, disability and directorate, eligible or not, with a programme status, in a
participant's cell or not, and with an outcome (promoted, left, stayed) at each outcome
snapshot. It is told which few ethnicities occur (a stronger intruder than a real one). Every
published count is a sum of unknown cells, one per combination; two linear programmes per
withheld count give its range. No withheld count of 1 to 9 may be narrowed to less than 10
wide, and no withheld zero pinned to 0. Participation and outcomes read together invite the
attack: participants are a small part of the eligible staff, and the outcome rows split them
again.
"""

from __future__ import annotations

import itertools
import random
from datetime import date

import numpy as np
import polars as pl
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from equitable.metrics.disclosure_control import protect
from equitable.metrics.labels import AGGREGATE_LABEL, ETHNICITY_TO_GROUP
from equitable.metrics.programmes.figures import Eligibility, cohort_figures
from tests.metrics.lifecycle.snapshots import WHITE_BRITISH, frame, person

THRESHOLD = 10
# The values this council's staff have, then the ones a reader cannot rule out (no table prints
# them): "Not known" and the groups' "(category not given)".
PRESENT = (WHITE_BRITISH, "Indian", "African", "Irish", "Chinese", "Prefer not to say")
WEIGHTS = (40, 25, 12, 4, 2, 4)
ETHNICITIES = (
    *PRESENT,
    "Not known",
    *(f"{group} (category not given)" for group in ("White", "Asian", "Black")),
)
STATUSES = ("took part", "selected, did not start", "applied, not selected", "did not apply")
OUTCOMES = ("promoted", "left", "stayed, not promoted")
DIMENSIONS = {
    "ethnicity": ETHNICITIES,
    "sex": ("Female", "Male", "Prefer not to say", "Not known"),
    "disability": ("Disabled", "Not disabled", "Prefer not to say", "Not known"),
    "directorate": ("Adults", "Place"),
    "eligibility": ("eligible", "not eligible"),
    "status": STATUSES,
    "cell": ("a participant's cell", "no participant's cell"),
    "outcome on 2024-03-31": OUTCOMES,
    "outcome on 2025-03-31": OUTCOMES,
}
CELLS = list(itertools.product(*DIMENSIONS.values()))
INDEX = {c: i for i, c in enumerate(CELLS)}
START = date(2023, 3, 31)

# --- the intruder's reading of the labels ----------------------------------------------------

MEMBERS: dict[str, set[str]] = {e: {e} for e in ETHNICITIES}
for value in ETHNICITIES:
    group = ETHNICITY_TO_GROUP.get(value)
    if group is not None:
        MEMBERS.setdefault(group, set()).add(value)
MEMBERS["White British"] = {WHITE_BRITISH}
MEMBERS["White other than British"] = {"Irish"}
MEMBERS[AGGREGATE_LABEL] = MEMBERS["Asian"] | MEMBERS["Black"]
MEMBERS["All ethnic minorities"] = MEMBERS[AGGREGATE_LABEL] | {"Irish"}
MEMBERS["Unknown"] = {"Prefer not to say", "Not known"}
MEMBERS["All ethnic groups"] = set(ETHNICITIES)


def population(**chosen: set[str]) -> frozenset[int]:
    sets = [chosen.get(name, set(values)) for name, values in DIMENSIONS.items()]
    return frozenset(INDEX[c] for c in itertools.product(*sets))


def group_of(row: dict, side: str) -> dict[str, set[str]]:
    label = row["reference_group"] if side == "reference" else None
    if label is None:
        for column in ("ethnic_group", "sex", "disability"):
            if column in row:
                label = row[column]
                break
    if label in ("Female", "Male"):
        return {"sex": {label}}
    if label in ("Disabled", "Not disabled"):
        return {"disability": {label}}
    return {"ethnicity": MEMBERS.get(label, set())}


def read(published: dict[str, list[dict]]) -> dict[frozenset[int], list[float | None]]:
    seen: dict[frozenset[int], list[float | None]] = {}

    def see(people: frozenset[int], value, rate=None, pool=None) -> None:
        if value is None and rate is not None and pool:
            value = round(rate * pool / 100)  # a rate shown beside its pool gives the count
        seen.setdefault(people, []).append(value)

    for name, rows in published.items():
        for row in rows:
            if name == "participation_overall":
                see(population(eligibility={"eligible"}), row["eligible"])
                see(
                    population(eligibility={"eligible"}, status={"took part"}),
                    row["took_part"],
                    row["took_part_rate"],
                    row["eligible"],
                )
            elif name.startswith(("participation", "selection")):
                where = {"directorate": {row["directorate"]}} if "directorate" in row else {}
                if name.startswith("participation"):
                    pool = {"eligibility": {"eligible"}}
                    outcome = {"eligibility": {"eligible"}, "status": {"took part"}}
                else:
                    pool = {"status": set(STATUSES[:3])}
                    outcome = {"status": set(STATUSES[:2])}
                for side in ("group", "reference"):
                    members = group_of(row, side)
                    if not next(iter(members.values())):
                        continue  # a label this council has nobody for (intruder is told)
                    see(population(**where, **pool, **members), row[f"{side}_pool"])
                    see(
                        population(**where, **outcome, **members),
                        row[f"{side}_count"],
                        row[f"{side}_rate"],
                        row[f"{side}_pool"],
                    )
            elif name == "cohort_status":
                see(
                    population(status={row["programme_status"]}, eligibility={row["eligibility"]}),
                    row["people"],
                )
            elif name == "outcomes":
                members = {"ethnicity": MEMBERS.get(row["ethnic_group"], set())}
                if not members["ethnicity"]:
                    continue
                attribute = f"outcome on {row['outcome_snapshot']}"
                sides = {
                    "participants": {"status": {"took part"}},
                    "comparison": {
                        "status": set(STATUSES[1:]),
                        "cell": {"a participant's cell"},
                    },
                }
                for side, where in sides.items():
                    see(population(**where, **members), row[side])
                    for outcome in ("promoted", "left"):
                        see(
                            population(**where, **members, **{attribute: {outcome}}),
                            row[f"{side}_{outcome}"],
                            row[f"{side}_{outcome}_rate"],
                            row[side],
                        )
    return seen


def ranges(seen, targets) -> dict[frozenset[int], tuple[float, float]]:
    known = {
        p: next(v for v in values if v is not None)
        for p, values in seen.items()
        if any(v is not None for v in values)
    }
    rows, columns = [], []
    for number, people in enumerate(known):
        rows += [number] * len(people)
        columns += list(people)
    a_eq = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(known), len(CELLS)))
    b_eq = np.array(list(known.values()), dtype=float)
    found = {}
    for people in targets:
        objective = np.zeros(len(CELLS))
        objective[list(people)] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
            )
            if result.status == 3:  # unbounded: nothing published holds this count down
                ends.append(sign * -np.inf)
                continue
            assert result.success, result.message
            ends.append(sign * result.fun)
        found[people] = (ends[0], ends[1])
    return found


# --- a synthetic cohort ------------------------------------------------------------------------


def synthetic_cohort(seed: int):
    rng = random.Random(seed)
    start, listed = [], []
    for number in range(160):
        ethnicity = rng.choices(PRESENT, WEIGHTS)[0]
        band = rng.choices(("Band 1", "Band 2", "Band 3"), (5, 4, 2))[0]
        key = f"e{number}"
        start.append(
            person(
                key,
                ethnicity,
                sex=rng.choice(("Female", "Male")),
                disability=rng.choices(("Disabled", "Not disabled"), (1, 6))[0],
                directorate=rng.choice(("Adults", "Place")),
                pay_band=band,
            )
        )
        chance = rng.random()
        if chance < 0.12 + (0.06 if ethnicity != WHITE_BRITISH else 0):
            listed.append((key, rng.choice(("participant", "completed", "withdrawn"))))
        elif chance < 0.25:
            listed.append((key, "applied"))
        elif chance < 0.28:
            listed.append((key, "selected"))
    year_one, year_two = [], []
    for row in start:
        if rng.random() < 0.1:
            continue
        moved = dict(row)
        if rng.random() < 0.15 and row["pay_band"] != "Band 3":
            moved["pay_band"] = {"Band 1": "Band 2", "Band 2": "Band 3"}[row["pay_band"]]
            moved["hourly_pay"] = {"Band 2": 15.0, "Band 3": 20.0}[moved["pay_band"]]
        year_one.append(moved)
        if rng.random() < 0.1:
            continue
        year_two.append(dict(moved))
    snapshots = [
        (START, frame(start)),
        (date(2024, 3, 31), frame(year_one)),
        (date(2025, 3, 31), frame(year_two)),
    ]
    statuses = pl.DataFrame(listed, schema=["employee_key", "status"], orient="row")
    return cohort_figures(
        snapshots,
        statuses,
        start=date(2023, 4, 1),
        eligibility=Eligibility(pay_bands=("Band 1", "Band 2")),
    )


def as_json(tables: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    return {name: table.to_dicts() for name, table in tables.items()}


@pytest.mark.slow
def test_no_withheld_cohort_count_can_be_narrowed_by_differencing():
    figures = synthetic_cohort(seed=5)
    published = protect(figures.tables, layouts=figures.layouts, threshold=THRESHOLD)
    truth = {p: values[0] for p, values in read(as_json(figures.tables)).items()}
    seen = read(as_json(published))
    withheld = [p for p, values in seen.items() if all(v is None for v in values)]
    small = [p for p in withheld if truth[p] < THRESHOLD]
    assert any(0 < truth[p] for p in small), "the cohort gave the intruder small counts"
    exposed = []
    for people, (low, high) in ranges(seen, small).items():
        value = truth[people]
        if value == 0 and high < 1 - 1e-6:
            exposed.append((value, low, high))
        elif 0 < value and high - low < THRESHOLD - 1e-6:
            exposed.append((value, low, high))
    assert exposed == []


@pytest.mark.slow
def test_the_intruder_is_real_primary_suppression_alone_gives_counts_away():
    """Withhold only the counts of 1 to 9 (and what reads them): some come back."""
    figures = synthetic_cohort(seed=5)
    exact = as_json(figures.tables)
    counts = {"group_pool", "group_count", "reference_pool", "reference_count", "people",
              "eligible", "took_part",
              "participants", "comparison", "participants_promoted", "participants_left",
              "comparison_promoted", "comparison_left"}  # fmt: skip
    naive = {
        name: [
            {
                k: None if (k in counts or k.endswith("_rate")) and _small_in(row, k, counts) else v
                for k, v in row.items()
            }
            for row in rows
        ]
        for name, rows in exact.items()
    }
    truth = {p: values[0] for p, values in read(exact).items()}
    seen = read(naive)
    small = [p for p, values in seen.items() if values[0] is None and 0 < truth[p] < THRESHOLD]
    pinned = [p for p, (low, high) in ranges(seen, small[:30]).items() if high - low < 1e-6]
    assert pinned


def _small_in(row: dict, column: str, counts: set[str]) -> bool:
    if column.endswith("_rate"):
        column = column.removesuffix("_rate")
        column = {"group": "group_count", "reference": "reference_count"}.get(column, column)
    value = row.get(column)
    return column in counts and isinstance(value, int) and 0 < value < THRESHOLD
