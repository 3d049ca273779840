"""Tables in the figures' layout, and an intruder's view of them, for the disclosure tests.

The intruder's equations are written here from the published tables alone, independently of
the model inside `disclosure_control`, so that the attack tests check the library rather than
restate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

GROUPS = ("Asian", "Black", "Mixed", "White", "Other", "Unknown")
KNOWN = ("Asian", "Black", "Mixed", "White", "Other")
AGGREGATE = "Black, Asian and Multi-ethnic"
AGGREGATE_PARTS = ("Asian", "Black", "Mixed", "Other")
POPULATION = {"Asian": 44.0, "Black": 7.0, "Mixed": 3.0, "White": 37.0, "Other": 9.0}
POPULATION[AGGREGATE] = 63.0


def representation(counts_by_row: Mapping[Any, Mapping[str, int]], dim: str | None):
    """A representation table as the figures module lays it out: one row per group (the six
    groups and the aggregate) per dimension value, shares of all staff and of known."""
    rows = []
    for key, counts in counts_by_row.items():
        full = {g: counts.get(g, 0) for g in GROUPS}
        full[AGGREGATE] = sum(full[g] for g in AGGREGATE_PARTS)
        total = sum(full[g] for g in GROUPS)
        known = total - full["Unknown"]
        for group, count in full.items():
            of_known = None if group == "Unknown" or not known else round(100 * count / known, 2)
            population = POPULATION.get(group)
            row = {
                "ethnic_group": group,
                "count": count,
                "percent": round(100 * count / total, 2) if total else None,
                "percent_of_known": of_known,
                "population_percent": population,
                "gap_pp": None if of_known is None else round(of_known - population, 2),
                "representation_ratio": None
                if of_known is None
                else round(of_known / population, 2),
            }
            rows.append({dim: key, **row} if dim else row)
    return pl.DataFrame(rows, schema_overrides={"count": pl.Int64})


def overall_counts(counts_by_row: Mapping[Any, Mapping[str, int]]) -> dict[str, int]:
    overall = dict.fromkeys(GROUPS, 0)
    for counts in counts_by_row.values():
        for group, count in counts.items():
            overall[group] += count
    return overall


def disclosure(counts_by_row: Mapping[Any, Mapping[str, int]], dim: str | None):
    rows = []
    for key, counts in counts_by_row.items():
        total = sum(counts.get(g, 0) for g in GROUPS)
        known = total - counts.get("Unknown", 0)
        row = {
            "characteristic": "ethnicity",
            "known": known,
            "total": total,
            "percent_known": round(100 * known / total, 2) if total else None,
        }
        rows.append({dim: key, **row} if dim else row)
    return pl.DataFrame(rows, schema_overrides={"known": pl.Int64, "total": pl.Int64})


def workforce_tables(by_directorate: Mapping[str, Mapping[str, int]]) -> dict[str, pl.DataFrame]:
    overall = {None: overall_counts(by_directorate)}
    return {
        "disclosure": disclosure(overall, None),
        "representation_overall": representation(overall, None),
        "representation_by_directorate": representation(by_directorate, "directorate"),
    }


def intruder_view(published: Mapping[str, pl.DataFrame]):
    """What an intruder knows from the published overall and by-directorate tables: every shown
    count, every total that a shown percentage or the disclosure table gives away, and the sums
    linking them (row totals, known totals, the aggregate row, overall = sum of directorates)."""
    values: dict[tuple, float | None] = {}
    constraints: list[tuple[tuple, list[tuple]]] = []

    def read_rows(frame: pl.DataFrame, key_of):
        totals_shown: dict[Any, int] = {}
        known_shown: dict[Any, int] = {}
        for row in frame.iter_rows(named=True):
            key = key_of(row)
            values[(key, row["ethnic_group"])] = row["count"]
            if row["count"] and row["percent"]:
                totals_shown[key] = round(row["count"] * 100 / row["percent"])
            if row["count"] and row["percent_of_known"]:
                known_shown[key] = round(row["count"] * 100 / row["percent_of_known"])
        for key in {key_of(r) for r in frame.iter_rows(named=True)}:
            values[(key, "total")] = totals_shown.get(key)
            values[(key, "known")] = known_shown.get(key)
            constraints.append(((key, "total"), [(key, g) for g in GROUPS]))
            constraints.append(((key, "known"), [(key, g) for g in KNOWN]))
            constraints.append(((key, AGGREGATE), [(key, g) for g in AGGREGATE_PARTS]))

    read_rows(published["representation_overall"], lambda row: "all")
    read_rows(published["representation_by_directorate"], lambda row: row["directorate"])
    directorates = published["representation_by_directorate"]["directorate"].unique().to_list()
    for label in (*GROUPS, AGGREGATE, "total", "known"):
        constraints.append((("all", label), [(d, label) for d in directorates]))
    if "disclosure" in published:
        row = published["disclosure"].row(0, named=True)
        for label, column in (("known", "known"), ("total", "total")):
            if row[column] is not None:
                values[("all", label)] = row[column]
    return values, constraints


def true_values(tables: Mapping[str, pl.DataFrame]) -> dict[tuple, int]:
    """The unprotected counts under the intruder's cell names (to check pinned values)."""
    values: dict[tuple, int] = {}
    for name, key_of in (
        ("representation_overall", lambda row: "all"),
        ("representation_by_directorate", lambda row: row["directorate"]),
    ):
        for row in tables[name].iter_rows(named=True):
            values[(key_of(row), row["ethnic_group"])] = row["count"]
    return values
