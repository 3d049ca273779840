"""Synthetic training records that follow workforce snapshots, for the demo and tests.

The duties of seeds 000 and 003, met unevenly, as a council's learning system would show
them: mandatory EDI training launched in autumn 2021 (most staff in post complete it by 2023,
fewer in the frontline pay bands and in Place), a two-yearly Equality Matters refresher that
about two thirds take on time, new starters of whom about seven in ten train within 8 weeks,
senior leaders' face-to-face sessions mostly in 2022, anti-racism workshops from 2023, and
recruitment panel training from 2022 for a panel list drawn mostly from bands 4 and above
(Black, Asian and Multi-ethnic staff less often on panels).

Pure module: polars, no Django. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl

from equitable.metrics.training.records import (
    ANTI_RACISM,
    E_LEARNING,
    EQUALITY_MATTERS_REFRESHER,
    FACE_TO_FACE,
    INCLUSIVE_LEADERSHIP,
    MANDATORY_EDI,
    RECRUITMENT_PANEL,
    VIRTUAL_CLASSROOM,
)

LAUNCH = date(2021, 10, 1)
COURSES = {
    MANDATORY_EDI: "Equality Matters",
    EQUALITY_MATTERS_REFRESHER: "Equality Matters refresher",
    ANTI_RACISM: "Anti-racism workshop",
    INCLUSIVE_LEADERSHIP: "Inclusive leadership for senior leaders",
    RECRUITMENT_PANEL: "Fair recruitment for panel members",
}


def _people(snapshots: Sequence[tuple[date, pl.DataFrame]]) -> list[dict]:
    """Everyone in any snapshot, once, with what the newest snapshot they are in says."""
    frames = [
        frame.select(
            "employee_key",
            *(
                pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c)
                for c in ("directorate", "pay_band", "leadership_tier", "ethnic_group")
            ),
            (pl.col("start_date") if "start_date" in frame.columns else pl.lit(None))
            .cast(pl.Date)
            .alias("start_date"),
            pl.lit(on).alias("_on"),
        )
        for on, frame in sorted(snapshots, key=lambda s: s[0])
    ]
    everyone = pl.concat(frames, how="vertical_relaxed").sort("_on")
    senior = everyone.group_by("employee_key").agg(
        pl.col("leadership_tier").is_not_null().any().alias("senior"),
        pl.col("_on").max().alias("last_seen"),
    )
    newest = everyone.unique("employee_key", keep="last").join(senior, on="employee_key")
    return newest.sort("employee_key").to_dicts()


def _band(value: str | None) -> int:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return int(digits) if digits else 3


def _day(rng: random.Random, start: date, end: date) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=rng.randint(0, span))


def _mode(rng: random.Random) -> str:
    return rng.choices((E_LEARNING, VIRTUAL_CLASSROOM, FACE_TO_FACE), weights=(70, 18, 12))[0]


def generate_training(
    snapshots: Sequence[tuple[date, pl.DataFrame]], seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records, panel): records with `employee_id` (the snapshots' keys), course, category,
    mode, completion_date; the panel list with `employee_id`."""
    rng = random.Random(seed)
    rows: list[dict] = []
    panel: list[str] = []
    end = max(on for on, _ in snapshots)

    def add(key: str, category: str, mode: str, day: date) -> None:
        if day <= end:
            rows.append(
                {
                    "employee_id": key,
                    "course": COURSES[category],
                    "category": category,
                    "mode": mode,
                    "completion_date": day.isoformat(),
                }
            )

    for person in _people(snapshots):
        key, start = person["employee_key"], person["start_date"]
        band = _band(person["pay_band"])
        frontline = band <= 2 or person["directorate"] == "Place"
        first: date | None = None
        if start is None or start < LAUNCH:
            if rng.random() < (0.80 if frontline else 0.93):
                first = _day(rng, LAUNCH, date(2023, 3, 31) if rng.random() < 0.85 else end)
        else:
            draw = rng.random()
            if draw < 0.70:
                first = start + timedelta(days=rng.randint(3, 55))
            elif draw < 0.92:
                first = start + timedelta(days=rng.randint(60, 240))
        if first is not None:
            add(key, MANDATORY_EDI, _mode(rng), first)
            due = first
            while True:
                due = due + timedelta(days=730)
                if due > end or rng.random() > 0.68:
                    break
                due = due + timedelta(days=rng.randint(-60, 45))
                add(key, EQUALITY_MATTERS_REFRESHER, _mode(rng), due)
        if person["senior"]:
            if rng.random() < 0.78:
                add(
                    key,
                    INCLUSIVE_LEADERSHIP,
                    FACE_TO_FACE,
                    _day(rng, date(2022, 1, 10), date(2022, 12, 15)),
                )
            elif rng.random() < 0.6:
                add(key, INCLUSIVE_LEADERSHIP, FACE_TO_FACE, _day(rng, date(2023, 1, 10), end))
        if rng.random() < 0.28:
            add(key, ANTI_RACISM, FACE_TO_FACE, _day(rng, date(2023, 2, 1), end))
        minority = person["ethnic_group"] in ("Asian", "Black", "Mixed", "Other")
        chance = (0.35 if band >= 4 else 0.04) * (0.75 if minority else 1.0)
        if rng.random() < chance:
            panel.append(key)
            if rng.random() < 0.72:
                add(
                    key,
                    RECRUITMENT_PANEL,
                    rng.choice((VIRTUAL_CLASSROOM, FACE_TO_FACE)),
                    _day(rng, date(2022, 4, 1), end),
                )
    records = pl.DataFrame(
        rows,
        schema={
            "employee_id": pl.String,
            "course": pl.String,
            "category": pl.String,
            "mode": pl.String,
            "completion_date": pl.String,
        },
    )
    return records, pl.DataFrame({"employee_id": panel}, schema={"employee_id": pl.String})
