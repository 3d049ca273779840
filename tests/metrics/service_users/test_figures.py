"""Service figures: a hand-worked example, and an intruder who reads only the protected
output and writes down every sum a reader of the tables can see."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import polars as pl
import pytest

from equitable.metrics import attack
from equitable.metrics.layout import LayoutError
from equitable.metrics.service_users.figures import protected_tables, service_tables
from equitable.metrics.service_users.population import SCHEMA
from equitable.metrics.service_users.records import COUNTS_SCHEMA, records_to_counts

AGGREGATE = "Black, Asian and Multi-ethnic"


def counts(rows: list[tuple[str, str, str, int]], quarter: str = "2024-Q1") -> pl.DataFrame:
    return pl.DataFrame(
        [(s, quarter, c, v, n) for s, c, v, n in rows], schema=COUNTS_SCHEMA, orient="row"
    )


# 120 complaints. Ethnicity: Asian 30, Black 10, Mixed 5, White 50, Other 5, Not known 20
# (known 100). Residents: Asian 44%, Black 7%, Mixed 3%, White 37%, Other 9%.
HAND = counts(
    [
        ("Complaints", "ethnicity", "Asian", 30),
        ("Complaints", "ethnicity", "Black", 10),
        ("Complaints", "ethnicity", "Mixed", 5),
        ("Complaints", "ethnicity", "White", 50),
        ("Complaints", "ethnicity", "Other", 5),
        ("Complaints", "ethnicity", "Not known", 20),
        ("Complaints", "sex", "Female", 70),
        ("Complaints", "sex", "Male", 40),
        ("Complaints", "sex", "Prefer not to say", 10),
    ]
)
RESIDENTS = pl.DataFrame(
    [
        ("ethnicity", g, c, p)
        for g, c, p in (
            ("Asian", 440, 44.0),
            ("Black", 70, 7.0),
            ("Mixed", 30, 3.0),
            ("White", 370, 37.0),
            ("Other", 90, 9.0),
        )
    ],
    schema=SCHEMA,
    orient="row",
)


def row(table: pl.DataFrame, **where) -> dict:
    (found,) = table.filter(*(pl.col(k) == v for k, v in where.items())).to_dicts()
    return found


def test_hand_worked_profile_against_residents():
    tables = service_tables(HAND, RESIDENTS)
    asian = row(tables["profile_ethnicity"], value="Asian")
    # 30 of the 100 of known ethnicity = 30%; Wilson 95%: p = 0.3, z² = 3.8415,
    # centre = (0.3 + 3.8415/200) / (1 + 3.8415/100) = 0.3074,
    # half = 1.96 × √(0.3 × 0.7/100 + 3.8415/40000) / 1.0384 = 0.0884 → 21.89% to 39.58%
    assert (asian["count"], asian["known"]) == (30, 100)
    assert asian["percent"] == pytest.approx(30.0)
    assert asian["percent_ci_low"] == pytest.approx(21.89, abs=0.005)
    assert asian["percent_ci_high"] == pytest.approx(39.58, abs=0.005)
    assert asian["resident_percent"] == pytest.approx(44.0)
    assert asian["difference_pp"] == pytest.approx(-14.0)  # 30 − 44
    black = row(tables["profile_ethnicity"], value="Black")
    assert black["percent"] == pytest.approx(10.0)
    assert black["difference_pp"] == pytest.approx(3.0)  # 10 − 7
    # Black, Asian and Multi-ethnic: 30 + 10 + 5 + 5 = 50 of 100; residents 44 + 7 + 3 + 9 = 63
    aggregate = row(tables["profile_ethnicity"], value=AGGREGATE)
    assert aggregate["count"] == 50
    assert (aggregate["percent_ci_low"], aggregate["percent_ci_high"]) == pytest.approx(
        (40.38, 59.62), abs=0.005
    )
    assert aggregate["difference_pp"] == pytest.approx(-13.0)
    # sex: no census table given, so no resident share and no difference
    female = row(tables["profile_sex"], value="Female")
    assert female["percent"] == pytest.approx(100 * 70 / 110)
    assert female["resident_percent"] is None and female["difference_pp"] is None


def test_hand_worked_completeness_and_quarters():
    tables = service_tables(HAND, RESIDENTS)
    ethnicity = row(tables["completeness"], characteristic="ethnicity")
    # 100 of 120 known = 83.33%, Wilson 75.65% to 88.94%
    assert (ethnicity["records"], ethnicity["known"], ethnicity["not_known"]) == (120, 100, 20)
    assert ethnicity["percent_known"] == pytest.approx(100 * 100 / 120)
    assert (ethnicity["percent_known_ci_low"], ethnicity["percent_known_ci_high"]) == pytest.approx(
        (75.65, 88.94), abs=0.005
    )
    sex = row(tables["completeness"], characteristic="sex")
    assert (sex["known"], sex["prefer_not_to_say"]) == (110, 10)
    assert tables["quarterly"].to_dicts() == [
        {"service": "Complaints", "quarter": "2024-Q1", "records": 120}
    ]
    assert row(tables["quarterly_ethnicity"], value="White")["count"] == 50


def test_a_value_nobody_had_is_a_zero_not_missing():
    tables = service_tables(HAND, RESIDENTS)
    values = tables["profile_sex"]["value"].to_list()
    assert values == ["Female", "Male"]
    one = counts([("A", "sex", "Female", 12)])
    assert row(service_tables(one)["profile_sex"], value="Male")["count"] == 0


def test_protection_refuses_a_table_without_a_layout():
    tables = service_tables(HAND)
    tables["something_else"] = tables["quarterly"]
    with pytest.raises(LayoutError):
        protected_tables(tables)


# --- the intruder ----------------------------------------------------------------------------

GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
THRESHOLD = 10


def synthetic_records(seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for service, size in (("Complaints", 140), ("Blue badges", 60)):
        for _ in range(size):
            group = rng.choices((*GROUPS, "Not known"), weights=(30, 8, 3, 45, 4, 10))[0]
            rows.append(
                {
                    "service": service,
                    "date": date(2024, rng.choice((2, 5, 8, 11)), 1),
                    "ethnicity": group,
                    "ethnic_group": "Unknown" if group == "Not known" else group,
                    "sex": rng.choices(("Female", "Male", "Not known"), weights=(55, 40, 5))[0],
                }
            )
    return pl.DataFrame(rows)


class Reader:
    """What a reader of the published tables knows: each number by what it counts, in the
    reader's own terms, and the sums that hold between them."""

    def __init__(self, exact: bool = False) -> None:
        self.exact = exact  # reading the exact tables (the truth the intruder wants)
        self.values: dict[tuple, float | None] = {}
        self.sums: list[tuple[tuple, list[tuple]]] = []

    def see(self, cell: tuple, value) -> None:
        if value is None:
            self.values.setdefault(cell, None)
        else:
            self.values[cell] = float(value)

    def read(self, tables: dict[str, pl.DataFrame]) -> None:
        by_service: dict[str, set[str]] = defaultdict(set)
        for name, table in tables.items():
            if not name.startswith("profile_"):
                continue
            characteristic = name.removeprefix("profile_")
            for r in table.to_dicts():
                s = r["service"]
                self.see((s, "all", characteristic, r["value"]), r["count"])
                self.see((s, "all", characteristic, "known"), r["known"])
            values = [v for v in table["value"].unique().to_list() if v != AGGREGATE]
            for s in table["service"].unique().to_list():
                parts = [(s, "all", characteristic, v) for v in values]
                self.sums.append(((s, "all", characteristic, "known"), parts))
                if characteristic == "ethnicity":
                    minority = [(s, "all", "ethnicity", g) for g in GROUPS if g != "White"]
                    self.sums.append(((s, "all", "ethnicity", AGGREGATE), minority))
        for r in tables["completeness"].to_dicts():
            s, c = r["service"], r["characteristic"]
            self.see((s, "all", "records"), r["records"])
            self.see((s, "all", c, "known"), r["known"])
            self.see((s, "all", c, "Prefer not to say"), r["prefer_not_to_say"])
            self.see((s, "all", c, "Not known"), r["not_known"])
            parts = [(s, "all", c, v) for v in ("known", "Prefer not to say", "Not known")]
            self.sums.append(((s, "all", "records"), parts))
            by_service[s].add(c)
        quarters: dict[str, set[str]] = defaultdict(set)
        for r in tables["quarterly"].to_dicts():
            self.see((r["service"], r["quarter"], "records"), r["records"])
            quarters[r["service"]].add(r["quarter"])
        for s, qs in quarters.items():
            self.sums.append(((s, "all", "records"), [(s, q, "records") for q in qs]))
        for r in tables["quarterly_ethnicity"].to_dicts():
            s, q = r["service"], r["quarter"]
            self.see((s, q, "ethnicity", r["value"]), r["count"])
            self.see((s, q, "ethnicity", "known"), r["known"])
        for s, qs in quarters.items():
            for q in qs:
                # implicit: the quarter's records of undisclosed ethnicity, never printed
                records, known = (
                    self.values[(s, q, "records")],
                    self.values[(s, q, "ethnicity", "known")],
                )
                undisclosed = (s, q, "ethnicity", "undisclosed")
                self.values[undisclosed] = (
                    records - known
                    if self.exact and records is not None and known is not None
                    else None
                )
                self.sums.append(((s, q, "records"), [(s, q, "ethnicity", "known"), undisclosed]))
                self.sums.append(
                    ((s, q, "ethnicity", "known"), [(s, q, "ethnicity", g) for g in GROUPS])
                )
                self.sums.append(
                    (
                        (s, q, "ethnicity", AGGREGATE),
                        [(s, q, "ethnicity", g) for g in GROUPS if g != "White"],
                    )
                )
            for v in (*GROUPS, AGGREGATE, "known"):
                self.sums.append(((s, "all", "ethnicity", v), [(s, q, "ethnicity", v) for q in qs]))


def test_an_intruder_reading_the_protected_tables_pins_no_small_count():
    records = synthetic_records(3)
    exact = service_tables(records_to_counts(records, ("ethnicity", "sex")))
    published = protected_tables(exact, threshold=THRESHOLD)
    truth, reader = Reader(exact=True), Reader()
    truth.read(exact)
    reader.read(published)
    withheld = [c for c, v in reader.values.items() if v is None]
    small = [c for c in withheld if 0 < (truth.values[c] or 0) < THRESHOLD]
    assert small, "the data set should have small counts to protect"
    # no published count is a small one
    assert all(
        not (0 < v < THRESHOLD)
        for c, v in reader.values.items()
        if v is not None and c[-1] != "known"
    )
    for cell in small:
        low, high = attack.feasible_range(reader.values, reader.sums, cell)
        assert not attack.is_pinned(low, high), (cell, low, high)
        assert high - low >= 1, (cell, low, high)
