"""Demo workforce: three yearly snapshots (31 March 2023, 2024, 2025) and a resident population
(the action plan's five shares split into the 19 ONS 2021 categories with made-up counts,
`metrics.population.demo_population_detailed`).

The first year comes from the synthetic generator; each later year keeps most people (a year
older), loses some leavers and takes joiners into their jobs, and fills some senior vacancies
left by White leavers with Black, Asian and Multi-ethnic staff promoted from below, so the share
at the leadership tiers rises and the action plan's projection has a trend to show.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import date

import polars as pl

from equitable.core.models import Organisation
from equitable.metrics.labels import UNKNOWN_GROUP, WHITE
from equitable.workforce import services

SNAPSHOT_DATES = (date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31))
# Columns that belong to the job, not the person: a joiner or a promoted person takes them over.
JOB_COLUMNS = (
    "pay_band",
    "grade",
    "leadership_tier",
    "directorate",
    "division",
    "fte",
    "weekly_hours",
    "hourly_pay",
    "annual_salary",
    "bonus_pay",
    "contract_type",
)
YEARLY_TURNOVER = 0.09
# Share of the top earners' White leavers replaced by promoted minority-ethnic staff each year.
SENIOR_PROMOTIONS = 0.12


def _seed(organisation: Organisation) -> int:
    return zlib.crc32(organisation.slug.encode()) % 100_000


def _validated(organisation: Organisation, raw: pl.DataFrame, snapshot_date: date):
    result = services.validate_file(
        organisation,
        raw,
        snapshot_date=snapshot_date,
        column_mapping={column: column for column in raw.columns},
    )
    if result.problems:
        first = result.problems[0]
        raise RuntimeError(f"demo extract failed validation: {first}")
    return result


def _pay_key(row: dict) -> float:
    for column in ("hourly_pay", "annual_salary"):
        value = row.get(column)
        if value is not None:
            return float(value)
    return 0.0


def _is_minority(row: dict) -> bool:
    group = row.get("ethnic_group")
    return group not in (None, WHITE, UNKNOWN_GROUP)


def next_year(rows: list[dict], joiners: list[dict], rng: random.Random) -> list[dict]:
    """One year on: senior White leavers replaced by promotions, general turnover by joiners."""
    rows = [dict(row) for row in rows]
    for row in rows:
        if row.get("age") is not None:
            row["age"] = row["age"] + 1
    job_columns = [c for c in JOB_COLUMNS if rows and c in rows[0]]
    order = sorted(range(len(rows)), key=lambda i: _pay_key(rows[i]), reverse=True)
    senior = order[: max(1, len(rows) // 10)]
    junior = [i for i in order[len(rows) // 4 :] if _is_minority(rows[i])]
    white_seniors = [i for i in senior if rows[i].get("ethnic_group") == WHITE]
    promotions = min(len(junior), int(len(white_seniors) * SENIOR_PROMOTIONS) + 1)
    vacated: list[int] = []
    for leaver, promoted in zip(
        rng.sample(white_seniors, min(promotions, len(white_seniors))),
        rng.sample(junior, promotions),
        strict=False,
    ):
        old_job = {c: rows[promoted][c] for c in job_columns}
        for column in job_columns:
            rows[promoted][column] = rows[leaver][column]
        rows[leaver] = {**rows[leaver], **old_job}  # the leaver's slot is the vacated junior job
        vacated.append(leaver)
    leaving = set(vacated) | set(
        rng.sample(range(len(rows)), int(len(rows) * YEARLY_TURNOVER))
    ) - set(senior)
    pool = iter(joiners)
    for index in sorted(leaving):
        joiner = next(pool, None)
        if joiner is None:
            break
        rows[index] = {**joiner, **{c: rows[index][c] for c in job_columns}}
    return rows


def demo_population_source(organisation: Organisation) -> str:
    """Where each demo council's resident figures come from, in words its pages can show: Demo
    Borough's are those printed in its action plan; the other demo councils borrow them."""
    if organisation.slug == "demo-borough":
        return (
            "Demo Borough's action plan (Figure 1, staff profile against residents), split "
            "into the 19 ONS categories with made-up counts"
        )
    return f"made-up demo figures for {organisation.name} (copied from Demo Borough)"


def load_demo(
    organisation: Organisation,
    *,
    employees: int = 2000,
    progress: Callable[[str], None] = lambda _text: None,
) -> None:
    """Load three snapshots and the demo resident population (once per organisation)."""
    from equitable.metrics.population import demo_population_detailed
    from equitable.metrics.synthetic import generate_workforce

    if services.latest_snapshot(organisation) is not None:
        return
    seed = _seed(organisation)
    rng = random.Random(seed)
    first = SNAPSHOT_DATES[0]
    base = _validated(organisation, generate_workforce(employees, seed, snapshot_date=first), first)
    joiner_raw = generate_workforce(max(10, employees // 4), seed + 1, snapshot_date=first)
    joiner_raw = joiner_raw.with_columns(
        ("J-" + pl.col("employee_id").cast(pl.String)).alias("employee_id")
    )
    joiners = _validated(organisation, joiner_raw, SNAPSHOT_DATES[0]).frame.to_dicts()
    schema = base.frame.schema
    present = sorted(base.present_columns)
    rows = base.frame.to_dicts()
    services.save_population(
        organisation,
        demo_population_detailed(),
        source=demo_population_source(organisation),
        user=None,
    )
    for year, snapshot_date in enumerate(SNAPSHOT_DATES):
        if year:
            half = len(joiners) // 2
            rows = next_year(rows, joiners[:half] if year == 1 else joiners[half:], rng)
        frame = pl.DataFrame(rows, schema=schema)
        snapshot = services.store_snapshot(
            organisation,
            frame,
            snapshot_date=snapshot_date,
            present_columns=present,
            source_filename="demo extract",
            user=None,
            replace=False,
        )
        services.exact_tables(snapshot)
    progress(f"{organisation.name}: 3 workforce snapshots of about {employees:,} staff")
