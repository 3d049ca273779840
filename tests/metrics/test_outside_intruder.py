"""The acceptance test of publication: an intruder who reads only the published JSON.

`tests/metrics/intruder.py` writes down, from the meaning of the published columns alone and
never from the project's layouts, every sum between the numbers of `equitable metrics
--published` (directorates to the whole, groups to "Black, Asian and Multi-ethnic", detailed
categories to groups, quartiles and the pay tables to everyone paid, the disclosure table to
the head counts, means times counts to sums of pay, the notes' numbers) and solves a linear
programme for every withheld number. On synthetic councils of 7 to 10,000 staff:

* no withheld 0 is pinned (it could be 1 or more);
* every withheld count of 1 to 9 keeps a feasible range at least 10 wide;
* no withheld sum of pay over a small group is pinned.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics.cli import tables_as_json
from equitable.metrics.disclosure_control import protect
from equitable.metrics.extract import validate_extract
from equitable.metrics.figures import compute_all
from equitable.metrics.population import demo_population
from equitable.metrics.synthetic import generate_workforce
from tests.metrics.intruder import ranges, read_published

THRESHOLD = 10


def published_json(tables: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    """The JSON `equitable metrics --published` prints: figures to two decimal places."""
    rounded = {name: t.with_columns(pl.col(pl.Float64).round(2)) for name, t in tables.items()}
    return tables_as_json(rounded)["tables"]


def attack(employees: int, seed: int, threshold: int = THRESHOLD):
    raw = generate_workforce(employees, seed=seed)
    result = validate_extract(raw, snapshot_date=date(2025, 3, 31), id_key=b"k" * 32)
    tables = compute_all(result.frame, demo_population(), result.present_columns)
    truth = read_published(published_json(tables)).values
    intruder = read_published(published_json(protect(tables, threshold=threshold)))
    targets = [cell for cell in intruder.withheld if truth.get(cell) is not None]
    found = ranges(intruder, targets)
    exposed = []
    for cell in targets:
        low, high = found[cell]
        value = truth[cell]
        if cell[0] == "staff":
            if value == 0 and high < 1 - 1e-6:
                exposed.append((cell, value, low, high))
            elif 0 < value < threshold and high - low < threshold - 1e-6:
                exposed.append((cell, value, low, high))
        elif value > 0 and high - low < 1e-2:
            exposed.append((cell, value, low, high))
    return exposed, targets


@pytest.mark.slow
@pytest.mark.parametrize(
    ("employees", "seed"),
    [(7, 1), (25, 2), (150, 3), (600, 5), (2_500, 6), (10_000, 7)],
)
def test_nothing_withheld_comes_back_to_an_intruder_reading_the_published_output(employees, seed):
    exposed, targets = attack(employees, seed)
    assert targets, "the intruder had withheld numbers to work on"
    assert exposed == []


def test_the_intruder_is_real_primary_suppression_alone_gives_cells_away():
    """Blank only the counts of 1 to 9 and their shares: the intruder gets them back."""
    raw = generate_workforce(400, seed=4)
    result = validate_extract(raw, snapshot_date=date(2025, 3, 31), id_key=b"k" * 32)
    tables = compute_all(result.frame, demo_population(), result.present_columns)
    truth = read_published(published_json(tables)).values
    blanked = {}
    for name, table in tables.items():
        if "count" in table.columns and "percent" in table.columns:
            small = (pl.col("count") > 0) & (pl.col("count") < THRESHOLD)
            table = table.with_columns(
                [
                    pl.when(small).then(None).otherwise(pl.col(c)).alias(c)
                    for c in (
                        "count",
                        "percent",
                        "percent_of_known",
                        "gap_pp",
                        "representation_ratio",
                    )
                    if c in table.columns
                ]
            )
        blanked[name] = table
    intruder = read_published(published_json(blanked))
    targets = [c for c in intruder.withheld if c[0] == "staff" and truth.get(c)]
    found = ranges(intruder, targets)
    recovered = [c for c in targets if found[c][1] - found[c][0] < 0.5]
    assert len(recovered) >= 10
    assert all(abs(found[c][0] - truth[c]) < 0.5 for c in recovered)
