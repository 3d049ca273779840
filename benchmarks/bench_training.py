"""Time training compliance from data in memory: 100,000 staff and a million completions.

    .venv/bin/python benchmarks/bench_training.py                   # 100k staff, 1M records
    .venv/bin/python benchmarks/bench_training.py --employees 10000 --records 100000

The inputs are a synthetic snapshot (directorate, pay band, ethnic group, sex, disability,
leadership tier for one in forty, start dates over 25 years) and completions drawn at random
from it (category, mode and date uniform), a panel list of one in seventeen; made with NumPy,
not timed. Timed, best of three: `people` (each person's attributes), `tables_of` (the six
exact tables), `overdue` and `protected_tables` (one disclosure-control call over all six).
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from equitable.metrics.training import compliance  # noqa: E402
from equitable.metrics.training.records import CATEGORIES, MODES  # noqa: E402

AS_OF = date(2025, 3, 31)
GROUPS = ("White", "Asian", "Black", "Mixed", "Other", "Unknown")


def _days(since_1970: np.ndarray) -> pl.Series:
    return pl.Series(since_1970.astype(np.int32)).cast(pl.Date)


def inputs(employees: int, records: int, seed: int = 16) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    keys = np.array([f"k{n:07d}" for n in range(employees)])
    workforce = pl.DataFrame(
        {
            "employee_key": keys,
            "directorate": rng.choice(["A", "B", "C", "D", "E"], employees),
            "pay_band": rng.choice([str(b) for b in range(1, 7)], employees),
            "ethnic_group": rng.choice(GROUPS, employees, p=[0.5, 0.2, 0.15, 0.05, 0.03, 0.07]),
            "sex": rng.choice(["Female", "Male"], employees),
            "disability": rng.choice(["Disabled", "Not disabled"], employees, p=[0.1, 0.9]),
            "leadership_tier": ["Tier 1" if i % 40 == 0 else None for i in range(employees)],
            "start_date": _days(rng.integers(10957, 10957 + 9200, employees)),
        }
    )
    completions = pl.DataFrame(
        {
            "employee_key": keys[rng.integers(0, employees, records)],
            "course": ["Course"] * records,
            "category": rng.choice(CATEGORIES, records),
            "mode": rng.choice(MODES, records),
            "completion_date": _days(rng.integers(17897, 17897 + 2300, records)),
        }
    )
    return workforce, completions


def best(run, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    workforce, completions = inputs(args.employees, args.records)
    panel = workforce["employee_key"].gather_every(17).to_list()
    people_s, persons = best(lambda: compliance.people(completions, workforce, AS_OF, panel=panel))
    assert isinstance(persons, pl.DataFrame)
    tables_s, tables = best(lambda: compliance.tables_of(persons))
    assert isinstance(tables, dict)
    overdue_s, listed = best(lambda: compliance.overdue(persons, AS_OF))
    protect_s, _ = best(lambda: compliance.protected_tables(tables, threshold=10))
    print(f"{args.employees:,} staff, {args.records:,} completions\n")
    print("| step | best of 3 |")
    print("|---|---|")
    for name, seconds in (
        ("people (attributes per person)", people_s),
        ("tables_of (six exact tables)", tables_s),
        (f"overdue ({listed.height:,} rows)", overdue_s),  # type: ignore[attr-defined]
        ("protected_tables (one protect call)", protect_s),
    ):
        print(f"| {name} | {seconds * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
