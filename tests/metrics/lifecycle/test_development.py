"""Access to non-mandatory training and CPD (WRES 4, SC-WRES 5): the reference example, a
hand-worked case, properties against a naive count, failure paths and a differencing attack."""

from __future__ import annotations

import math
import random
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.metrics.disclosure_control import protect
from equitable.metrics.lifecycle.development import (
    ANY_DEVELOPMENT,
    DEVELOPMENT,
    FUNDED_DEVELOPMENT,
    LAYOUTS,
    development_tables,
    development_withhold,
)
from equitable.metrics.lifecycle.records import validate_records
from tests.metrics.lifecycle.snapshots import (
    WHITE_BRITISH,
    Reader,
    feasible_ranges,
    frame,
    person,
    workforce_reading,
)
from tests.metrics.lifecycle.test_movements import workforce_publication

YEAR_END = date(2025, 3, 31)
IN_YEAR = date(2024, 10, 1)
Z = 1.959963984540054


def row(table: pl.DataFrame, **where) -> dict:
    found = table.filter(**where).to_dicts()
    assert len(found) == 1, (where, found)
    return found[0]


def test_t11_indicator_4_white_600_of_1200_against_320_of_800():
    """metric-definitions T11: White 600 of 1,200 accessed (0.50), BME 320 of 800 (0.40):
    RL4 = 0.50 / 0.40 = 1.25 (reference ÷ group, as the WRES states indicator 4)."""
    staff = [person(f"w{i}", WHITE_BRITISH) for i in range(1200)]
    staff += [person(f"a{i}", "Indian") for i in range(800)]
    records = pl.DataFrame(
        {
            "employee_key": [f"w{i}" for i in range(600)] + [f"a{i}" for i in range(320)],
            "date": [IN_YEAR] * 920,
        }
    )
    tables = development_tables(records, [(YEAR_END, frame(staff))])
    aggregate = row(
        tables["development_relative_likelihood"],
        ethnic_group="Black, Asian and Multi-ethnic",
        process=ANY_DEVELOPMENT,
    )
    assert aggregate["period"] == "2024-25"
    assert (aggregate["reference_count"], aggregate["reference_pool"]) == (600, 1200)
    assert (aggregate["group_count"], aggregate["group_pool"]) == (320, 800)
    assert aggregate["relative_likelihood"] == pytest.approx(1.25)
    # Katz: ln 1.25 ± 1.96 √(1/600 − 1/1200 + 1/320 − 1/800) = ± 0.1020 → 1.129 to 1.384.
    spread = Z * math.sqrt(1 / 600 - 1 / 1200 + 1 / 320 - 1 / 800)
    assert aggregate["ci_low"] == pytest.approx(1.25 * math.exp(-spread))
    assert aggregate["ci_high"] == pytest.approx(1.25 * math.exp(spread))
    assert (round(aggregate["ci_low"], 3), round(aggregate["ci_high"], 3)) == (1.129, 1.384)
    assert aggregate["reading"].startswith("White staff were 1.25 times as likely")
    # No funded column: one process only.
    assert tables["development_relative_likelihood"]["process"].unique().to_list() == [
        ANY_DEVELOPMENT
    ]


def hand_case() -> tuple[pl.DataFrame, list[tuple[date, pl.DataFrame]]]:
    # Year end 31/3/2024: w1-w4 White British, a1-a2 Indian. Year end 31/3/2025: w1-w3, a1-a3.
    first = frame(
        [person(f"w{i}", WHITE_BRITISH) for i in range(1, 5)]
        + [person(f"a{i}", "Indian") for i in range(1, 3)]
    )
    second = frame(
        [person(f"w{i}", WHITE_BRITISH) for i in range(1, 4)]
        + [person(f"a{i}", "Indian", directorate="Place") for i in range(1, 4)]
    )
    records = pl.DataFrame(
        {
            "employee_key": ["w1", "w1", "a1", "w2", "a2", "a3", "w4", "zz", "w1"],
            "date": [
                date(2023, 5, 1),
                date(2024, 5, 1),
                date(2024, 6, 1),
                date(2024, 7, 1),
                None,
                date(2024, 8, 1),
                date(2024, 9, 1),
                date(2024, 9, 1),
                date(2021, 5, 1),
            ],
            "period": [None, None, None, None, "2024/25", None, None, None, None],
            "funded": [True, True, False, None, True, False, True, True, True],
        }
    )
    return records, [(date(2024, 3, 31), first), (YEAR_END, second)]


def test_hand_worked_two_years_with_funded_and_notes():
    records, snapshots = hand_case()
    tables = development_tables(records, snapshots)
    main = tables["development_relative_likelihood"]
    # 2023-24 (pool: staff on 31/3/2024): only w1 has a record: White 1/4, Asian 0/2.
    earlier = row(main, period="2023-24", ethnic_group="Asian", process=ANY_DEVELOPMENT)
    assert (earlier["reference_count"], earlier["reference_pool"]) == (1, 4)
    assert (earlier["group_count"], earlier["group_pool"]) == (0, 2)
    assert earlier["relative_likelihood"] is None  # group rate 0: not calculable
    # 2024-25 (pool: staff on 31/3/2025): w1, w2 of 3 White; a1, a2, a3 of 3 Asian.
    # RL4 = (2/3) / (3/3) = 0.667: White staff less likely.
    later = row(main, period="2024-25", ethnic_group="Asian", process=ANY_DEVELOPMENT)
    assert (later["reference_count"], later["group_count"]) == (2, 3)
    assert later["relative_likelihood"] == pytest.approx(2 / 3)
    # Funded: w1 (funded) of 3 White; a2 (funded, given by financial year) of 3 Asian: 1.0.
    funded = row(main, period="2024-25", ethnic_group="Asian", process=FUNDED_DEVELOPMENT)
    assert (funded["reference_count"], funded["group_count"]) == (1, 1)
    assert funded["relative_likelihood"] == pytest.approx(1.0)
    by_directorate = row(
        tables["development_relative_likelihood_by_directorate"],
        period="2024-25",
        ethnic_group="Asian",
        process=ANY_DEVELOPMENT,
        directorate="Place",
    )
    assert (by_directorate["group_count"], by_directorate["group_pool"]) == (3, 3)
    notes = {r["subject"]: r["count"] for r in tables["development_notes"].to_dicts()}
    # zz is in no snapshot; w4 (2024-25) left before the year end; the 2021 record has no
    # year-end snapshot. Counts only: never who.
    assert notes == {
        "records_in_no_snapshot": 1,
        "records_not_in_year_snapshot": 1,
        "records_without_snapshot_year": 1,
    }
    for name, table in tables.items():
        assert set(table.columns) <= LAYOUTS[name].declared(), name


# --- failure paths -------------------------------------------------------------------------------


def test_development_file_problems_by_row_and_column():
    raw = pl.DataFrame(
        {
            "Staff ID": ["1", "2", "3", ""],
            "Course": ["Coaching", "Leadership", "ILM 5", "Excel"],
            "Date attended": ["01/05/2024", "", "yesterday", "2024-06-01"],
            "Financial year": ["", "", "", ""],
            "Funded": ["yes", "no", "maybe", "yes"],
        }
    )
    result = validate_records(raw, DEVELOPMENT, id_key=b"k" * 32)
    assert result.frame is None
    where = {(p.row, p.column) for p in result.problems}
    # Header row 1: row 3 has no date and no year; row 4 "yesterday" and "maybe"; row 5 no id.
    assert {(3, "date"), (4, "date"), (4, "funded"), (5, "employee_id")} <= where


def test_records_without_a_year_or_snapshots_with_a_key_twice_are_refused():
    records, snapshots = hand_case()
    with pytest.raises(ValueError, match="no date and no financial year"):
        development_tables(
            records.with_columns(pl.lit(None, dtype=pl.String).alias("period")), snapshots
        )
    with pytest.raises(ValueError, match="not a financial year"):
        development_tables(records.with_columns(pl.lit("2024").alias("period")), snapshots)
    (d, s) = snapshots[0]
    with pytest.raises(ValueError, match="more than once"):
        development_tables(records, [(d, pl.concat([s, s.head(1)]))])


# --- properties ----------------------------------------------------------------------------------

ETHNICITIES = (WHITE_BRITISH, "Irish", "Indian", "African", "Not known")
GROUP_OF = {
    WHITE_BRITISH: "White",
    "Irish": "White",
    "Indian": "Asian",
    "African": "Black",
    "Not known": "Unknown",
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    staff=st.lists(
        st.tuples(st.sampled_from(ETHNICITIES), st.integers(0, 3)), min_size=1, max_size=40
    )
)
def test_counts_and_ratio_match_a_naive_count(staff):
    people = [person(f"p{i}", e) for i, (e, _) in enumerate(staff)]
    keys = [f"p{i}" for i, (_, n) in enumerate(staff) for _ in range(n)]
    records = pl.DataFrame(
        {"employee_key": keys, "date": [IN_YEAR] * len(keys)},
        schema={"employee_key": pl.String, "date": pl.Date},
    )
    table = development_tables(records, [(YEAR_END, frame(people))])[
        "development_relative_likelihood"
    ]
    white = [n for e, n in staff if GROUP_OF[e] == "White"]
    white_accessed = sum(1 for n in white if n)
    for group in ("Asian", "Black"):
        mine = [n for e, n in staff if GROUP_OF[e] == group]
        accessed = sum(1 for n in mine if n)  # at least one record, however many
        found = row(table, ethnic_group=group)
        assert (found["group_count"], found["group_pool"]) == (accessed, len(mine))
        assert (found["reference_count"], found["reference_pool"]) == (white_accessed, len(white))
        if white and mine and accessed:
            naive = (white_accessed / len(white)) / (accessed / len(mine))
            assert found["relative_likelihood"] == pytest.approx(naive)
        else:
            assert found["relative_likelihood"] is None


# --- differencing --------------------------------------------------------------------------------

THRESHOLD = 10
MIX = {
    WHITE_BRITISH: 60,
    "Irish": 3,
    "Indian": 25,
    "Pakistani": 4,
    "African": 11,
    "Caribbean": 3,
    "Arab": 2,
    "Not known": 5,
}


def test_published_development_tables_resist_differencing():
    rng = random.Random(5)
    people, keys, funded = [], [], []
    for ethnicity, count in MIX.items():
        for _ in range(count):
            me = person(
                f"p{len(people)}",
                ethnicity,
                directorate=rng.choices(
                    ("Adults", "Children", "Chief Executive"), weights=(9, 8, 1)
                )[0],
                pay_band=rng.choice(("Band 1", "Band 2")),
                sex=rng.choice(("Female", "Male")),
            )
            people.append(me)
            if rng.random() < 0.4:
                keys.append(me["employee_key"])
                funded.append(rng.random() < 0.5)
    snapshots = [(YEAR_END, frame(people))]
    records = pl.DataFrame({"employee_key": keys, "date": [IN_YEAR] * len(keys), "funded": funded})
    exact = development_tables(records, snapshots)
    workforce = workforce_publication(snapshots)
    published = protect(
        exact, layouts=LAYOUTS, withhold=development_withhold(workforce), threshold=THRESHOLD
    )

    def read(tables):
        reader = Reader()
        for name, table in tables.items():
            if name == "development_notes":
                continue
            scope = None
            for column in ("directorate", "pay_band"):
                if name.endswith("_by_" + column):
                    scope = column
            reader.comparison_rows(
                table.to_dicts(),
                dataset="",
                pool="all",
                outcome="",
                outcome_of=lambda r: r["process"],
                scope_column=scope,
                dataset_column="snapshot",
            )
        return reader

    truth = read(exact)
    reader = read(published)
    workforce_reading(reader, workforce)
    reader.close()
    where = str(YEAR_END)
    reader.partition(where, "all", [ANY_DEVELOPMENT, "no development"])
    reader.partition(where, ANY_DEVELOPMENT, [FUNDED_DEVELOPMENT, "accessed, not funded"])
    targets = [
        c
        for c, v in reader.values.items()
        if v is None and truth.values.get(c) is not None and truth.values[c] < THRESHOLD
    ]
    assert len(targets) >= 10
    found = feasible_ranges(reader, targets)
    narrow = []
    for cell in targets:
        low, high = found[cell]
        need = 1 if truth.values[cell] == 0 else THRESHOLD
        if high - low < need - 1e-6:
            narrow.append((cell, truth.values[cell], low, high))
    assert narrow == []
