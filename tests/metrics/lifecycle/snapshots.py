"""Hand-made workforce snapshot frames (the canonical FRAME_SCHEMA) for the movement and
development tests, and an intruder's reading of published movement/development tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics.labels import ETHNICITY_TO_GROUP
from equitable.metrics.schema import FRAME_SCHEMA

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
DEFAULTS: dict[str, Any] = {
    "sex": "Female",
    "disability": "Not disabled",
    "pay_band": "Band 1",
    "directorate": "People",
    "leadership_tier": "Not recorded",
    "age": 40,
    "start_date": date(2020, 3, 31),
}
BAND_PAY = {"Band 1": 12.0, "Band 2": 15.0, "Band 3": 20.0}


def person(employee_key: str, ethnicity: str, **values: Any) -> dict[str, Any]:
    row = {**DEFAULTS, **values, "employee_key": employee_key, "ethnicity": ethnicity}
    row["ethnic_group"] = ETHNICITY_TO_GROUP[ethnicity]
    row["white_british"] = ethnicity == WHITE_BRITISH if row["ethnic_group"] == "White" else None
    row.setdefault("hourly_pay", BAND_PAY.get(row["pay_band"]))
    return row


def frame(people: Sequence[Mapping[str, Any]], **extra: pl.DataType) -> pl.DataFrame:
    schema = {**FRAME_SCHEMA, **extra}
    rows = [{name: p.get(name) for name in schema} for p in people]
    return pl.DataFrame(rows, schema=schema, orient="row")


# --- an intruder reading only the published tables -------------------------------------------

GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
MINORITY = ("Asian", "Black", "Mixed", "Other")
AGGREGATE = "Black, Asian and Multi-ethnic"
DETAILED = {
    "Asian": ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian"),
    "Black": ("African", "Caribbean", "Other Black"),
    "Mixed": (
        "White and Asian",
        "White and Black African",
        "White and Black Caribbean",
        "Other Mixed or Multiple ethnic groups",
    ),
    "Other": ("Arab", "Any other ethnic group"),
    "White": (WHITE_BRITISH, "Irish", "Gypsy or Irish Traveller", "Roma", "Other White"),
}
WHITE_MINORITIES = ("Irish", "Gypsy or Irish Traveller", "Roma", "Other White")
REFERENCE = {
    "White": ("eth", "White"),
    "White British": ("eth", "White British"),
    "Male": ("sex", "Male"),
    "Not disabled": ("dis", "Not disabled"),
    "White male": ("eth+sex", "White", "Male"),
    "White female": ("eth+sex", "White", "Female"),
}


class Reader:
    """Cells ("people", dataset, subset, scope, group) read off published rows, and the sums
    a reader of the published tables knows hold between them."""

    def __init__(self) -> None:
        self.values: dict[tuple, float | None] = {}
        self.sums: list[tuple[tuple, list[tuple]]] = []
        self.scopes: dict[str, set[Any]] = defaultdict(set)
        self.cells_of: set[tuple[str, str]] = set()

    def see(self, cell: tuple, value: Any) -> None:
        self.cells_of.add((cell[1], cell[2]))
        if value is None:
            self.values.setdefault(cell, None)
        else:
            known = self.values.get(cell)
            assert known is None or known == value, (cell, known, value)
            self.values[cell] = float(value)

    def total(self, whole: tuple, parts: Sequence[tuple]) -> None:
        for cell in (whole, *parts):
            self.values.setdefault(cell, None)
        self.sums.append((whole, list(parts)))

    def comparison_rows(
        self,
        rows: Sequence[Mapping[str, Any]],
        *,
        dataset: str,
        pool: str,
        outcome: str,
        scope_column: str | None = None,
        dataset_column: str = "snapshot_from",
        outcome_of: Any = None,
    ) -> None:
        for row in rows:
            where = str(row[dataset_column])
            scope = ("-", "-") if scope_column is None else (scope_column, row[scope_column])
            if scope_column is not None:
                self.scopes[scope_column].add(row[scope_column])
            subset = outcome_of(row) if outcome_of else outcome
            pool_subset = pool(row) if callable(pool) else pool
            group = _group_of(row)
            reference = REFERENCE[row["reference_group"]]
            self.see(("people", where, pool_subset, scope, group), row["group_pool"])
            self.see(("people", where, subset, scope, group), row["group_count"])
            self.see(("people", where, pool_subset, scope, reference), row["reference_pool"])
            self.see(("people", where, subset, scope, reference), row["reference_count"])

    def close(self) -> None:
        """Write down the sums between the groups, the scopes and the subsets read."""
        scopes = [("-", "-")] + [(c, v) for c, values in self.scopes.items() for v in values]
        for where, subset in sorted(self.cells_of):
            for scope in scopes:

                def cell(
                    group: tuple, scope: tuple = scope, where: str = where, subset: str = subset
                ) -> tuple:
                    return ("people", where, subset, scope, group)

                everyone = cell(("everyone",))
                self.total(cell(("eth", AGGREGATE)), [cell(("eth", g)) for g in MINORITY])
                self.total(everyone, [cell(("eth", g)) for g in (*GROUPS, "Unknown")])
                self.total(
                    cell(("eth", "White")),
                    [
                        cell(("eth", "White British")),
                        cell(("eth", "White other than British")),
                        cell(("eth", "White (category not given)")),
                    ],
                )
                self.total(
                    cell(("eth", "All ethnic minorities")),
                    [
                        *(cell(("eth", g)) for g in MINORITY),
                        cell(("eth", "White other than British")),
                    ],
                )
                self.total(
                    cell(("eth", "White other than British")),
                    [cell(("eth", n)) for n in WHITE_MINORITIES],
                )
                self.total(cell(("eth", "White British")), [cell(("eth", WHITE_BRITISH))])
                self.total(
                    cell(("eth", "Unknown")),
                    [cell(("eth", "Prefer not to say")), cell(("eth", "Not known"))],
                )
                for group, names in DETAILED.items():
                    self.total(
                        cell(("eth", group)),
                        [cell(("eth", n)) for n in (*names, f"{group} (category not given)")],
                    )
                if scope == ("-", "-"):
                    self.total(
                        everyone, [cell(("sex", s)) for s in ("Female", "Male", "sex unknown")]
                    )
                    self.total(
                        everyone,
                        [cell(("dis", d)) for d in ("Disabled", "Not disabled", "dis unknown")],
                    )
                    for sex in ("Female", "Male"):
                        self.total(
                            cell(("eth+sex", AGGREGATE, sex)),
                            [cell(("eth+sex", g, sex)) for g in MINORITY],
                        )
                        self.total(
                            cell(("sex", sex)),
                            [cell(("eth+sex", g, sex)) for g in (*GROUPS, "Unknown")],
                        )
                    for g in (*GROUPS, AGGREGATE):
                        self.total(
                            cell(("eth", g)),
                            [cell(("eth+sex", g, s)) for s in ("Female", "Male", "sex unknown")],
                        )
            for column, values in self.scopes.items():
                for group in self._groups(where, subset):
                    self.total(
                        ("people", where, subset, ("-", "-"), group),
                        [("people", where, subset, (column, v), group) for v in sorted(values)],
                    )

    def _groups(self, where: str, subset: str) -> list[tuple]:
        return sorted(
            {c[4] for c in self.values if c[1] == where and c[2] == subset and c[3] != ("-", "-")}
        )

    def partition(self, where: str, whole: str, parts: Sequence[str]) -> None:
        """`whole` people of a snapshot are exactly the disjoint `parts`, in every group."""
        groups = {c[4] for c in self.values if c[1] == where}
        for group in groups:
            cell = lambda subset, g=group: ("people", where, subset, ("-", "-"), g)  # noqa: E731
            self.total(cell(whole), [cell(p) for p in parts])


def _group_of(row: Mapping[str, Any]) -> tuple:
    if "disability" in row and "ethnic_group" not in row:
        return ("dis", row["disability"])
    if (
        "ethnic_group" in row
        and "sex" in row
        and row.get("reference_group", "").startswith("White ")
    ):
        return ("eth+sex", row["ethnic_group"], row["sex"])
    if "ethnic_group" in row:
        return ("eth", row["ethnic_group"])
    return ("sex", row["sex"])


def workforce_reading(reader: Reader, published_by_date: Mapping[date, Mapping[str, pl.DataFrame]]):
    """The workforce pages' headcounts of each snapshot (representation tables) as cells of the
    same people the movement tables count."""
    for snapshot_date, tables in published_by_date.items():
        where = str(snapshot_date)
        for row in tables["representation_overall"].iter_rows(named=True):
            reader.see(
                ("people", where, "all", ("-", "-"), ("eth", row["ethnic_group"])), row["count"]
            )
        for row in tables["representation_detailed_overall"].iter_rows(named=True):
            reader.see(
                ("people", where, "all", ("-", "-"), ("eth", row["ethnicity"])), row["count"]
            )


def feasible_ranges(reader: Reader, targets: Sequence[tuple]) -> dict[tuple, tuple[float, float]]:
    """Smallest and largest value of each target under every published number, every sum and
    non-negativity (the linear programmes of tests/metrics/intruder.py)."""
    from tests.metrics.intruder import Intruder, ranges

    intruder = Intruder(values=dict(reader.values), sums=list(reader.sums))
    return ranges(intruder, targets)
