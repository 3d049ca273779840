"""Disclosure control: what may be shown to people without access to personal records."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.disclosure_control import (
    CAUTION_WARNING,
    protect,
    published_fields,
    suppression_warning,
)
from tests.metrics.disclosure_support import (
    AGGREGATE,
    disclosure,
    representation,
    workforce_tables,
)


def overall(**counts: int) -> dict[str, pl.DataFrame]:
    return {"representation_overall": representation({None: counts}, None)}


def row(frame: pl.DataFrame, group: str, **keys) -> dict:
    selected = frame.filter(pl.col("ethnic_group") == group)
    for column, value in keys.items():
        selected = selected.filter(pl.col(column) == value)
    return selected.row(0, named=True)


# Threshold boundaries -------------------------------------------------------------------------


def test_nine_is_withheld_and_ten_shown_at_the_default_threshold():
    table = protect(overall(Asian=9, Black=30, Mixed=25, White=10, Other=40, Unknown=20))
    published = table["representation_overall"]
    asian = row(published, "Asian")
    assert asian["count"] is None and asian["percent"] is None and asian["suppressed"]
    white = row(published, "White")
    assert white["count"] == 10 and not white["suppressed"]
    assert white["percent"] == pytest.approx(100 * 10 / 134, abs=0.01)


def test_the_aggregate_row_does_not_give_a_withheld_group_away():
    """Asian is withheld, and Black, Asian and Multi-ethnic (= Asian + Black + Mixed + Other) is
    shown, so one more of its parts must go: the smallest, Mixed (25)."""
    published = protect(overall(Asian=9, Black=30, Mixed=25, White=10, Other=40, Unknown=20))
    table = published["representation_overall"]
    assert row(table, AGGREGATE)["count"] == 104
    assert row(table, "Mixed")["count"] is None
    assert row(table, "Black")["count"] == 30 and row(table, "Other")["count"] == 40


def test_a_lower_threshold_of_five_withholds_four_and_shows_five():
    published = protect(
        overall(Asian=4, Black=30, Mixed=25, White=5, Other=40, Unknown=20), threshold=5
    )
    table = published["representation_overall"]
    assert row(table, "Asian")["count"] is None
    assert row(table, "White")["count"] == 5


@pytest.mark.parametrize("threshold", [4, 0, -10])
def test_a_threshold_below_five_is_refused(threshold):
    with pytest.raises(ValueError, match="below the minimum of 5"):
        protect(overall(Asian=40, White=50), threshold=threshold)


@pytest.mark.parametrize("round_to", [0, 1, 2.5, True])
def test_a_nonsense_rounding_base_is_refused(round_to):
    with pytest.raises(ValueError, match="round_to"):
        protect(overall(Asian=40, White=50), round_to=round_to)


# What is withheld with a count ------------------------------------------------------------------


def test_percentages_resting_on_a_withheld_count_go_with_it_but_the_census_share_stays():
    published = protect(overall(Asian=9, Black=30, Mixed=25, White=10, Other=40, Unknown=20))
    asian = row(published["representation_overall"], "Asian")
    assert asian["percent_of_known"] is None
    assert asian["gap_pp"] is None
    assert asian["representation_ratio"] is None
    assert asian["population_percent"] == 44.0


def test_true_zeros_are_shown():
    published = protect(overall(Asian=40, Black=30, Mixed=0, White=100, Other=20, Unknown=15))
    mixed = row(published["representation_overall"], "Mixed")
    assert mixed["count"] == 0 and mixed["percent"] == 0.0 and not mixed["suppressed"]


def test_a_row_of_fewer_than_ten_people_is_withheld_whole_zeros_included():
    """Five people, all White: showing the zeros would tell everyone that each of the five is
    White."""
    tables = workforce_tables(
        {
            "Adults": {"Asian": 60, "Black": 40, "Mixed": 20, "White": 80, "Other": 25},
            "Children": {"Asian": 50, "Black": 45, "Mixed": 15, "White": 70, "Other": 30},
            "Chief Executive": {"White": 5},
        }
    )
    by_directorate = protect(tables)["representation_by_directorate"]
    office = by_directorate.filter(pl.col("directorate") == "Chief Executive")
    assert office["count"].null_count() == office.height
    assert office["suppressed"].all()


def test_a_withheld_cell_in_a_directorate_takes_a_partner_in_its_row_and_column():
    tables = workforce_tables(
        {
            "Adults": {"Asian": 60, "Black": 40, "Mixed": 6, "White": 80, "Other": 25},
            "Children": {"Asian": 50, "Black": 45, "Mixed": 15, "White": 70, "Other": 30},
            "Place": {"Asian": 35, "Black": 25, "Mixed": 12, "White": 90, "Other": 22},
        }
    )
    table = protect(tables)["representation_by_directorate"]
    mixed = table.filter(pl.col("ethnic_group") == "Mixed")
    assert mixed["count"].null_count() >= 2  # overall Mixed is shown: one blank would be exact
    adults = table.filter(pl.col("directorate") == "Adults", pl.col("ethnic_group") != AGGREGATE)
    assert adults["count"].null_count() >= 2


def test_a_few_people_not_disclosing_cannot_be_read_off_the_disclosure_table():
    """3 of 200 did not say: the known count (197) and the total (200) together give the 3."""
    counts = {None: {"Asian": 70, "Black": 40, "Mixed": 12, "White": 63, "Other": 12, "Unknown": 3}}
    tables = {
        "disclosure": disclosure(counts, None),
        "representation_overall": representation(counts, None),
    }
    published = protect(tables)
    shown = published["disclosure"].row(0, named=True)
    assert shown["known"] is None or shown["total"] is None
    assert shown["percent_known"] is None and shown["suppressed"]
    assert row(published["representation_overall"], "Unknown")["count"] is None


def test_every_table_gains_a_suppressed_column_and_the_input_is_untouched():
    tables = workforce_tables(
        {"Adults": {"Asian": 60, "Black": 40, "Mixed": 6, "White": 80, "Other": 25}}
    )
    before = {name: frame.clone() for name, frame in tables.items()}
    published = protect(tables)
    assert set(published) == set(tables)
    for name, frame in published.items():
        assert frame["suppressed"].dtype == pl.Boolean
        assert tables[name].equals(before[name])


# Rounding -------------------------------------------------------------------------------------


def test_rounding_to_five_recomputes_percentages_from_the_rounded_counts():
    published = protect(
        overall(Asian=123, Black=62, Mixed=21, White=211, Other=18, Unknown=17), round_to=5
    )
    table = published["representation_overall"]
    assert table["count"].to_list() == [125, 60, 20, 210, 20, 15, 225]
    asian = row(table, "Asian")
    # Total 452 -> 450 and known 435 -> 435 are rounded after they are added up (HESA).
    assert asian["percent"] == 27.78  # 125 / 450
    assert asian["percent_of_known"] == 28.74  # 125 / 435
    assert asian["gap_pp"] == -15.26  # 28.74 - 44
    assert asian["representation_ratio"] == 0.65


def test_rounding_happens_after_suppression():
    published = protect(
        overall(Asian=7, Black=62, Mixed=21, White=211, Other=18, Unknown=17), round_to=5
    )
    table = published["representation_overall"]
    assert row(table, "Asian")["count"] is None
    assert all(c % 5 == 0 for c in table["count"].drop_nulls())


# Pay figures ----------------------------------------------------------------------------------


def pay_table(*rows: tuple[str, int, int]) -> dict[str, pl.DataFrame]:
    return {
        "pay_gap_ethnicity": pl.DataFrame(
            [
                {
                    "ethnic_group": group,
                    "reference_group": "White",
                    "count": count,
                    "reference_count": reference,
                    "mean_hourly_pay": 18.0,
                    "median_hourly_pay": 17.5,
                    "reference_mean_hourly_pay": 20.0,
                    "reference_median_hourly_pay": 19.0,
                    "mean_gap_percent": 10.0,
                    "median_gap_percent": 7.89,
                }
                for group, count, reference in rows
            ]
        )
    }


def test_pay_gaps_need_ten_people_in_each_group_compared():
    published = protect(
        pay_table(("Asian", 9, 300), ("Black", 10, 300), ("Mixed", 50, 300), ("Other", 200, 9))
    )["pay_gap_ethnicity"]
    asian, black, mixed, other = published.iter_rows(named=True)
    assert asian["mean_gap_percent"] is None and asian["median_gap_percent"] is None
    assert asian["mean_hourly_pay"] is None and asian["count"] is None
    assert asian["suppressed"] and asian["warning"] == suppression_warning(10)
    assert black["mean_gap_percent"] == 10.0 and black["count"] == 10
    assert not black["suppressed"] and black["warning"] == CAUTION_WARNING
    assert mixed["median_gap_percent"] == 7.89 and mixed["warning"] is None
    assert other["mean_gap_percent"] is None and other["reference_count"] is None
    assert other["count"] == 200 and other["suppressed"]


def test_pay_warning_is_for_fewer_than_fifty():
    published = protect(pay_table(("Black", 49, 300), ("Asian", 50, 300)))["pay_gap_ethnicity"]
    assert published["warning"].to_list() == [CAUTION_WARNING, None]


def test_a_pay_table_does_not_print_a_count_the_representation_table_withholds():
    tables = {
        **overall(Asian=9, Black=30, Mixed=25, White=300, Other=40, Unknown=20),
        **pay_table(("Mixed", 25, 300)),
    }
    published = protect(tables)
    assert row(published["representation_overall"], "Mixed")["count"] is None
    mixed = published["pay_gap_ethnicity"].row(0, named=True)
    assert mixed["count"] is None and mixed["mean_gap_percent"] == 10.0


# Other layouts --------------------------------------------------------------------------------


def test_quartile_tables_are_protected_within_each_quarter():
    quartiles = pl.DataFrame(
        {
            "quartile": ["Lower"] * 3 + ["Upper"] * 3,
            "ethnic_group": ["White", AGGREGATE, "Unknown"] * 2,
            "count": [40, 55, 5, 70, 28, 2],
        }
    ).with_columns((pl.col("count") * 100 / 100).alias("percent"))
    published = protect({"pay_quartiles_ethnicity": quartiles})["pay_quartiles_ethnicity"]
    for quarter in ("Lower", "Upper"):
        counts = published.filter(pl.col("quartile") == quarter)["count"]
        assert counts.null_count() >= 2  # the small count and at least one partner
    assert published.filter(pl.col("ethnic_group") == "Unknown")["count"].null_count() == 2


def test_an_unknown_layout_still_has_its_small_counts_withheld():
    odd = pl.DataFrame({"team": ["A", "B"], "leavers": [3, 25], "rate": [0.5, 0.2]})
    published = protect({"leavers": odd})["leavers"]
    assert published["leavers"].to_list() == [None, 25]
    assert published["rate"].to_list() == [None, 0.2]
    assert published["suppressed"].to_list() == [True, False]


def test_published_fields_are_flat_rows_with_nulls_for_withheld_figures():
    published = protect(overall(Asian=9, Black=30, Mixed=25, White=10, Other=40, Unknown=20))
    rows = published_fields(published["representation_overall"])
    assert rows[0]["ethnic_group"] == "Asian"
    assert rows[0]["count"] is None and rows[0]["percent"] is None and rows[0]["suppressed"]
    with pytest.raises(ValueError, match="has not been through protect"):
        published_fields(pl.DataFrame({"count": [1]}))


def test_bonus_figures_need_ten_people_paid_a_bonus():
    table = (
        pay_table(("Asian", 120, 300))
        .pop("pay_gap_ethnicity")
        .with_columns(
            pl.lit(8).alias("bonus_count"),
            pl.lit(150).alias("reference_bonus_count"),
            pl.lit(4.5).alias("mean_bonus_gap_percent"),
        )
    )
    published = protect({"bonus_gap_ethnicity": table})["bonus_gap_ethnicity"].row(0, named=True)
    assert published["bonus_count"] is None
    assert published["mean_bonus_gap_percent"] is None
    assert published["count"] == 120 and published["suppressed"]


def test_detailed_categories_cannot_be_subtracted_from_their_group():
    """Indian 5 is withheld; Asian (the overall group, 60) is shown, so another Asian detailed
    category must go too."""
    detailed = pl.DataFrame(
        {
            "ethnicity": ["Indian", "Pakistani", "Other Asian", "Irish", "Other White"],
            "ethnic_group": ["Asian", "Asian", "Asian", "White", "White"],
            "count": [5, 25, 30, 40, 60],
        }
    ).with_columns((pl.col("count") * 100 / 160).alias("percent"))
    tables = {
        **overall(Asian=60, White=100),
        "representation_detailed_overall": detailed,
    }
    published = protect(tables)["representation_detailed_overall"]
    asian = published.filter(pl.col("ethnic_group") == "Asian")
    assert asian["count"].to_list() == [None, None, 30]
    assert published.filter(pl.col("ethnic_group") == "White")["count"].null_count() == 0


def test_a_table_without_numbers_passes_through_unchanged():
    notes = pl.DataFrame({"table": ["pay_gap_sex"], "kind": ["skipped"], "message": ["no sex"]})
    assert protect({"notes": notes})["notes"].equals(notes)
