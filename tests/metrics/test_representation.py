"""Representation by dimension and among the top 5% of earners, beside the population."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.figures import FIGURE_REQUIREMENTS, compute_all, compute_trends, skipped
from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.metrics.prepared import FigureInputError
from tests.metrics.frames import by_group, workforce

POPULATION = pl.DataFrame(
    {
        "ethnic_group": ["Asian", "Black", "Mixed", "White", "Other"],
        "percent": [45.2, 8.0, 4.0, 36.0, 6.8],
    }
)


def rows_by(table, *keys):
    return {tuple(row[k] for k in keys): row for row in table.iter_rows(named=True)}


def test_overall_shares_of_everyone_and_of_known_beside_the_population():
    """10 staff: 4 Asian, 1 Black, 3 White, 2 Unknown.
    Asian: 4/10 = 40% of all, 4/8 = 50% of known; population 45.2 -> gap +4.8 pp, ratio 1.106.
    Aggregate (Asian + Black) 5: 50% of all, 62.5% of known; population 100 − 36 = 64 ->
    gap −1.5 pp, ratio 0.977. Unknown: 20% of all, no share of known, no population."""
    frame = by_group(["Asian"] * 4 + ["Black"] + ["White"] * 3 + ["Unknown"] * 2)
    rows = rows_by(compute_all(frame, POPULATION)["representation_overall"], "ethnic_group")
    asian = rows[("Asian",)]
    assert (asian["count"], asian["total"]) == (4, 10)
    assert asian["percent"] == 40.0
    assert asian["percent_of_known"] == 50.0
    assert asian["gap_pp"] == pytest.approx(4.8)
    assert asian["representation_ratio"] == pytest.approx(50 / 45.2)
    aggregate = rows[(AGGREGATE_LABEL,)]
    assert aggregate["count"] == 5
    assert aggregate["percent_of_known"] == 62.5
    assert aggregate["population_percent"] == pytest.approx(64.0)
    assert aggregate["gap_pp"] == pytest.approx(-1.5)
    unknown = rows[("Unknown",)]
    assert (unknown["percent"], unknown["percent_of_known"], unknown["gap_pp"]) == (
        20.0,
        None,
        None,
    )
    assert rows[("Mixed",)]["count"] == 0  # zero rows are kept


def test_by_pay_band_keeps_every_cell_in_natural_order_with_blanks_last():
    frame = by_group(
        ["Asian", "White", "Asian", "Unknown", "Black"],
        pay_band=["10", "2", "2", None, "1"],
    )
    table = compute_all(frame)["representation_by_pay_band"]
    assert table["pay_band"].unique(maintain_order=True).to_list() == [
        "1",
        "2",
        "10",
        "Not recorded",
    ]
    assert table.height == 4 * 7
    rows = rows_by(table, "pay_band", "ethnic_group")
    assert rows[("2", "Asian")]["count"] == 1
    assert rows[("2", "Asian")]["percent"] == 50.0
    assert rows[("2", AGGREGATE_LABEL)]["count"] == 1
    assert rows[("Not recorded", "Unknown")]["percent"] == 100.0
    assert rows[("Not recorded", "Asian")]["percent_of_known"] is None  # no one known


def test_every_dimension_table_and_the_detailed_categories():
    frame = workforce(
        ethnicity=["Indian", "Pakistani", "Roma", "Not known"],
        directorate=["People", "Place", "People", "Place"],
        grade=["G1", "G1", "G2", "G2"],
        leadership_tier=["Tier 1", None, None, None],
    )
    tables = compute_all(frame)
    assert (
        rows_by(tables["representation_by_directorate"], "directorate", "ethnic_group")[
            ("People", "Asian")
        ]["count"]
        == 1
    )
    assert (
        rows_by(tables["representation_by_grade"], "grade", "ethnic_group")[("G2", "White")][
            "count"
        ]
        == 1
    )
    detailed = rows_by(tables["representation_detailed_overall"], "ethnicity")
    assert len(detailed) == 26  # 19 ONS categories, 5 "(category not given)", 2 undisclosed
    assert detailed[("Indian",)]["ethnic_group"] == "Asian"
    assert detailed[("Indian",)]["percent"] == 25.0
    assert detailed[("Indian",)]["percent_of_known"] == pytest.approx(100 / 3)
    assert detailed[("Not known",)]["count"] == 1
    assert "representation_by_pay_band" in skipped(tables)


def test_top_5_percent_includes_everyone_tied_at_the_boundary_rate():
    """40 people paid £1..£36, then £45 three times and £50 once (hourly rates).
    ceil(5% of 40) = 2: the 2nd highest rate is £45, so everyone on £45 counts: 4 people.
    Top earners: £50 Black, £45 White, White, Asian -> Asian 1, Black 1, White 2 (25/25/50%)."""
    pay = [float(i) for i in range(1, 37)] + [45.0, 45.0, 45.0, 50.0]
    groups = ["Unknown"] * 36 + ["White", "White", "Asian", "Black"]
    tables = compute_all(by_group(groups, hourly_pay=pay))
    rows = rows_by(tables["top_5_percent_earners"], "ethnic_group")
    assert rows[("White",)]["count"] == 2
    assert rows[("White",)]["total"] == 4
    assert rows[("White",)]["percent"] == 50.0
    assert rows[("Unknown",)]["count"] == 0
    assert rows[(AGGREGATE_LABEL,)]["count"] == 2
    messages = tables["notes"].filter(table="top_5_percent_earners")["message"].to_list()
    assert messages == [
        "5% of 40 people with an hourly rate is 2; 4 are included because everyone paid the "
        "boundary rate counts"
    ]


def test_top_5_percent_rounds_up_and_leaves_unpaid_people_out():
    """21 paid (ceil(1.05) = 2 top earners) and one with no rate (ignored)."""
    pay = [float(i) for i in range(1, 22)] + [None]
    sex = ["Female"] * 19 + ["Male", "Male", "Female"]
    tables = compute_all(workforce(ethnicity=["Indian"] * 22, sex=sex, hourly_pay=pay))
    rows = rows_by(tables["top_5_percent_earners_by_sex"], "sex")
    assert rows[("Male",)]["count"] == 2
    assert rows[("Female",)]["count"] == 0
    assert rows[("Male",)]["percent"] == 100.0


def test_population_with_detailed_categories_is_summed_to_groups():
    population = pl.DataFrame(
        {
            "ethnic_group": ["Asian", "Asian", "White", "Black", "Mixed", "Other"],
            "ethnicity": ["Indian", "Pakistani", None, None, None, None],
            "percent": [30.0, 15.0, 40.0, 8.0, 4.0, 3.0],
        }
    )
    frame = by_group(["Asian", "White"])
    tables = compute_all(frame, population)
    rows = rows_by(tables["representation_overall"], "ethnic_group")
    assert rows[("Asian",)]["population_percent"] == 45.0
    detailed = rows_by(tables["representation_detailed_overall"], "ethnicity")
    assert detailed[("Indian",)]["population_percent"] == 30.0
    assert detailed[("Indian",)]["gap_pp"] == pytest.approx(50.0 - 30.0)  # 1 of 2 known
    assert detailed[("Chinese",)]["population_percent"] is None


def test_bad_population_lists_every_problem():
    population = pl.DataFrame({"ethnic_group": ["Asian", "BAME"], "percent": [45.0, -1.0]})
    with pytest.raises(FigureInputError) as error:
        compute_all(by_group(["Asian"]), population)
    assert error.value.problems == [
        "population group 'BAME' is not one of Asian, Black, Mixed, White, Other"
    ]


def test_values_outside_the_contract_are_listed():
    frame = workforce(ethnicity=["Indian", "Martian"], sex=["Female", "F"])
    with pytest.raises(FigureInputError) as error:
        compute_all(frame)
    assert error.value.problems == [
        "column 'ethnicity' has values outside the contract: 'Martian'",
        "column 'sex' has values outside the contract: 'F'",
    ]


def test_empty_frame_gives_zero_counts_and_no_percentages():
    tables = compute_all(workforce(), present_columns={"ethnicity", "ethnic_group", "hourly_pay"})
    overall = rows_by(tables["representation_overall"], "ethnic_group")
    assert overall[("Asian",)]["count"] == 0
    assert overall[("Asian",)]["percent"] is None
    assert tables["top_5_percent_earners"]["count"].sum() == 0
    assert (
        tables["pay_gap_ethnicity"]["mean_gap_percent"].null_count()
        == tables["pay_gap_ethnicity"].height
    )


def test_every_table_is_built_or_skipped_with_a_reason():
    tables = compute_all(by_group(["Asian"]))
    reasons = skipped(tables)
    for name in FIGURE_REQUIREMENTS:
        assert (name in tables) != (name in reasons), name


def test_decimals_round_every_float():
    frame = by_group(["Asian", "White", "White"])
    table = compute_all(frame, decimals=2)["representation_overall"]
    assert rows_by(table, "ethnic_group")[("Asian",)]["percent"] == 33.33


def test_trends_stack_snapshots_in_date_order():
    from datetime import date

    later = by_group(["Asian", "White"])
    earlier = by_group(["White", "White"])
    trends = compute_trends({date(2025, 3, 31): later, date(2024, 3, 31): earlier})
    table = trends["representation_overall"]
    assert table.columns[0] == "snapshot_date"
    assert table["snapshot_date"].unique(maintain_order=True).to_list() == [
        date(2024, 3, 31),
        date(2025, 3, 31),
    ]
    asian = table.filter(ethnic_group="Asian")["count"].to_list()
    assert asian == [0, 1]


def test_trends_keep_a_table_from_the_snapshots_that_have_it():
    """Pay arrived only in the later extract: its pay gap table has that snapshot's rows only."""
    from datetime import date

    earlier = by_group(["White", "Asian"])
    later = by_group(["White", "Asian"], hourly_pay=[10.0, 9.0])
    trends = compute_trends({date(2024, 3, 31): earlier, date(2025, 3, 31): later})
    gaps = trends["pay_gap_ethnicity"]
    assert set(gaps["snapshot_date"].to_list()) == {date(2025, 3, 31)}
    skipped_earlier = trends["notes"].filter(
        (pl.col("snapshot_date") == date(2024, 3, 31)) & (pl.col("kind") == "skipped")
    )
    assert "pay_gap_ethnicity" in skipped_earlier["table"].to_list()


def test_everyone_in_a_leadership_tier_counts_as_one_group():
    """Three people in tiers (Asian and White in Tier 1, Black in Tier 2) and two with none:
    Black, Asian and Multi-ethnic are 2 of the 3 in a tier, 66.67%."""
    frame = workforce(
        ethnicity=["Indian", "Irish", "African", "Irish", "Indian"],
        leadership_tier=["Tier 1", "Tier 1", "Tier 2", None, None],
    )
    table = compute_all(frame)["representation_in_leadership_tiers"]
    rows = {r["ethnic_group"]: r for r in table.iter_rows(named=True)}
    assert rows["Black, Asian and Multi-ethnic"]["count"] == 2
    assert rows["Black, Asian and Multi-ethnic"]["total"] == 3
    assert rows["Black, Asian and Multi-ethnic"]["percent"] == pytest.approx(200 / 3)
