"""Disclosure control: what may be shown to people without access to personal records."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.attack import feasible_range
from equitable.metrics.disclosure_control import (
    CAUTION_WARNING,
    build_model,
    protect,
    published_fields,
    suppression_warning,
)
from equitable.metrics.layout import Count, Layout, LayoutError, Share, key, of, open_value
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
    """Asian 9 is withheld and Black, Asian and Multi-ethnic (= Asian + Black + Mixed + Other)
    is shown, so another part must go, and one big enough that Asian could be 10 more: Mixed
    (25), the smallest that is, not a part under 10."""
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
    counts = dict(zip(office["ethnic_group"], office["count"], strict=True))
    # No one in the whole organisation is of unknown ethnicity (a published 0): the office's 0
    # says nothing more, and stays. Every other count of the five is withheld.
    assert counts.pop("Unknown") == 0
    assert all(count is None for count in counts.values())
    assert office["suppressed"].all()


def test_a_zero_inside_a_small_group_elsewhere_is_withheld_too():
    """Seven people in the top 5%: a 0 beside them ("no one in the top 5% preferred not to say
    their sex") is a fact about all seven, so it goes with the withheld total."""
    top = pl.DataFrame(
        {
            "sex": ["Female", "Male", "Prefer not to say", "Not known"],
            "count": [4, 3, 0, 0],
            "total": [7] * 4,
            "percent": [57.14, 42.86, 0.0, 0.0],
        }
    )
    published = protect({"top_5_percent_earners_by_sex": top})["top_5_percent_earners_by_sex"]
    assert published["count"].to_list() == [None] * 4
    assert published["total"].to_list() == [None] * 4
    assert published["suppressed"].all()


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


def test_directorate_rows_of_the_disclosure_table_cannot_be_subtracted_from_the_whole():
    """The intruder's first equation: the directorates' "prefer not to say" add up to the
    organisation's (205 − (32 + 83 + 40 + 43) = 7 for the Chief Executive's)."""
    directorates = {
        "Chief Executive's": 7,
        "Adults": 32,
        "Children": 83,
        "Place": 40,
        "Resources": 43,
    }
    rows = [
        {
            "directorate": name,
            "characteristic": "ethnicity",
            "known": 200,
            "prefer_not_to_say": pnts,
            "not_known": 12,
            "total": 212 + pnts,
            "percent_known": round(100 * 200 / (212 + pnts), 2),
        }
        for name, pnts in directorates.items()
    ]
    by_directorate = pl.DataFrame(rows)
    whole = pl.DataFrame(
        [
            {
                "characteristic": "ethnicity",
                "known": 1000,
                "prefer_not_to_say": 205,
                "not_known": 60,
                "total": 1265,
                "percent_known": 79.05,
            }
        ]
    )
    published = protect({"disclosure": whole, "disclosure_by_directorate": by_directorate})
    shown = published["disclosure_by_directorate"]["prefer_not_to_say"].to_list()
    assert shown[0] is None
    assert (
        sum(v is None for v in shown) >= 2
        or published["disclosure"]["prefer_not_to_say"][0] is None
    )


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


def pay_rows(groups: dict[str, tuple[int, float]], white: tuple[int, float]) -> pl.DataFrame:
    """A WRES pay gap table: each group's (people paid, mean hourly pay) against White; the
    aggregate row is worked out from its parts as compute_all does."""
    parts = {g: v for g, v in groups.items()}
    count = sum(n for n, _ in parts.values())
    parts[AGGREGATE] = (count, sum(n * m for n, m in parts.values()) / count)
    reference_count, reference_mean = white
    return pl.DataFrame(
        [
            {
                "grouping": "wres",
                "ethnic_group": group,
                "reference_group": "White",
                "count": n,
                "reference_count": reference_count,
                "mean_hourly_pay": mean,
                "reference_mean_hourly_pay": reference_mean,
                "median_hourly_pay": mean - 0.5,
                "reference_median_hourly_pay": reference_mean - 0.5,
                "mean_gap_percent": (reference_mean - mean) / reference_mean * 100,
                "median_gap_percent": (reference_mean - mean) / (reference_mean - 0.5) * 100,
            }
            for group, (n, mean) in parts.items()
        ]
    )


def test_pay_gaps_need_ten_people_in_each_group_compared():
    table = pay_rows(
        {"Asian": (9, 18.0), "Black": (10, 17.0), "Mixed": (50, 19.0), "Other": (200, 16.0)},
        (300, 20.0),
    )
    published = protect({"pay_gap_ethnicity": table})["pay_gap_ethnicity"]
    asian, black, mixed, other, _ = published.iter_rows(named=True)
    assert asian["mean_gap_percent"] is None and asian["median_gap_percent"] is None
    assert asian["mean_hourly_pay"] is None and asian["count"] is None
    assert asian["suppressed"] and asian["warning"] == suppression_warning(10)
    assert black["warning"] == CAUTION_WARNING
    assert mixed["count"] == 50 and other["count"] == 200


def test_pay_warning_is_for_fewer_than_fifty():
    table = pay_rows({"Black": (49, 18.0), "Asian": (150, 19.0)}, (300, 20.0))
    published = protect({"pay_gap_ethnicity": table})["pay_gap_ethnicity"]
    assert published["warning"].to_list()[:2] == [CAUTION_WARNING, None]


def test_a_withheld_mean_cannot_be_worked_out_from_the_aggregate_mean():
    """The intruder's second equation: a mean is a sum divided by a count. With 6 Mixed staff
    withheld and Asian 62, Black 27, Other 11 and the aggregate 106 shown, the aggregate's
    sum (106 × its mean) less the others' sums is the six's pay. Another mean must go."""
    table = pay_rows(
        {"Asian": (62, 17.10), "Black": (27, 16.40), "Mixed": (6, 23.45), "Other": (11, 18.20)},
        (400, 19.0),
    )
    published = protect({"pay_gap_ethnicity": table})["pay_gap_ethnicity"]
    means = dict(zip(published["ethnic_group"], published["mean_hourly_pay"], strict=True))
    counts = dict(zip(published["ethnic_group"], published["count"], strict=True))
    assert means["Mixed"] is None and counts["Mixed"] is None
    shown_parts = [
        g for g in ("Asian", "Black", "Other") if means[g] is not None and counts[g] is not None
    ]
    if means[AGGREGATE] is not None and counts[AGGREGATE] is not None:
        assert len(shown_parts) <= 2, "a second part's mean is withheld beside Mixed's"
    # What the intruder can still say of the six's summed pay: a wide range.
    published_sums = {
        g: (means[g] * counts[g] if means[g] is not None and counts[g] is not None else None)
        for g in means
    }
    parts = ["Asian", "Black", "Mixed", "Other"]
    low, high = feasible_range(published_sums, [(AGGREGATE, parts)], "Mixed")
    assert high - low > 10 * 16.40


def test_bonus_counts_of_a_withheld_group_do_not_come_back_by_subtraction():
    """106 − 62 − 27 − 11 = 6 paid a bonus: the bonus counts add up like any counts."""
    groups = {"Asian": (300, 62), "Black": (200, 27), "Mixed": (40, 6), "Other": (90, 11)}
    rows = []
    for group, (everyone, paid) in [*groups.items(), (AGGREGATE, (630, 106))]:
        rows.append(
            {
                "grouping": "wres",
                "ethnic_group": group,
                "reference_group": "White",
                "count": everyone,
                "reference_count": 700,
                "bonus_count": paid,
                "reference_bonus_count": 120,
                "percent_receiving_bonus": 100 * paid / everyone,
                "reference_percent_receiving_bonus": 100 * 120 / 700,
                "mean_bonus": 2000.0,
                "reference_mean_bonus": 2500.0,
                "median_bonus": 1900.0,
                "reference_median_bonus": 2400.0,
                "mean_bonus_gap_percent": 20.0,
                "median_bonus_gap_percent": 20.83,
            }
        )
    published = protect({"bonus_gap_ethnicity": pl.DataFrame(rows)})["bonus_gap_ethnicity"]
    bonus = dict(zip(published["ethnic_group"], published["bonus_count"], strict=True))
    assert bonus["Mixed"] is None
    assert sum(bonus[g] is None for g in groups) >= 2 or bonus[AGGREGATE] is None
    mixed = published.filter(pl.col("ethnic_group") == "Mixed").row(0, named=True)
    assert mixed["mean_bonus"] is None and mixed["percent_receiving_bonus"] is None
    assert mixed["mean_bonus_gap_percent"] is None


# Other layouts --------------------------------------------------------------------------------


def test_quartile_tables_are_protected_within_each_quarter():
    quartiles = pl.DataFrame(
        {
            "quartile": ["Lower"] * 3 + ["Upper"] * 3,
            "ethnic_group": ["White", "Asian", "Unknown"] * 2,
            "count": [40, 55, 5, 70, 28, 2],
            "total": [100] * 6,
        }
    ).with_columns((pl.col("count") * 100 / 100).alias("percent"))
    published = protect({"pay_quartiles_ethnicity": quartiles})["pay_quartiles_ethnicity"]
    for quarter in ("Lower", "Upper"):
        counts = published.filter(pl.col("quartile") == quarter)["count"]
        assert counts.null_count() >= 2  # the small count and at least one partner
    assert published.filter(pl.col("ethnic_group") == "Unknown")["count"].null_count() == 2


def test_a_table_without_a_declared_layout_is_refused():
    odd = pl.DataFrame({"team": ["A", "B"], "leavers": [3, 25], "rate": [0.5, 0.2]})
    with pytest.raises(LayoutError, match="no declared layout for 'leavers'"):
        protect({"leavers": odd})


def test_a_column_the_layout_does_not_declare_is_refused():
    table = overall(Asian=40, White=50)["representation_overall"].with_columns(
        pl.lit(1.5).alias("mystery")
    )
    with pytest.raises(LayoutError, match="does not declare: mystery"):
        protect({"representation_overall": table})


def test_numbers_that_break_their_declared_sums_are_refused():
    table = overall(Asian=40, White=50)["representation_overall"]
    broken = table.with_columns(
        pl.when(pl.col("ethnic_group") == AGGREGATE)
        .then(99)
        .otherwise(pl.col("count"))
        .alias("count")
    )
    with pytest.raises(LayoutError, match="break the sum"):
        protect({"representation_overall": broken})


def test_a_layout_given_by_the_caller_is_protected_like_the_figures():
    """Another app's table, declared where it is computed: leavers by team, and their total."""
    layout = Layout(
        keys=("team",),
        columns=(
            Count("leavers", of(key("team", open_value("team")))),
            Count("all_leavers", of()),
            Share("share", "leavers", "all_leavers"),
        ),
    )
    table = pl.DataFrame(
        {"team": ["A", "B", "C"], "leavers": [3, 25, 30], "all_leavers": [58] * 3}
    ).with_columns((pl.col("leavers") * 100 / 58).alias("share"))
    published = protect({"leavers": table}, layouts={"leavers": layout})["leavers"]
    assert published["leavers"].to_list()[0] is None
    assert published["leavers"].null_count() >= 2  # the total is shown: one blank is exact


def test_published_fields_are_flat_rows_with_nulls_for_withheld_figures():
    published = protect(overall(Asian=9, Black=30, Mixed=25, White=10, Other=40, Unknown=20))
    rows = published_fields(published["representation_overall"])
    assert rows[0]["ethnic_group"] == "Asian"
    assert rows[0]["count"] is None and rows[0]["percent"] is None and rows[0]["suppressed"]
    with pytest.raises(ValueError, match="has not been through protect"):
        published_fields(pl.DataFrame({"count": [1]}))


def test_detailed_categories_cannot_be_subtracted_from_their_group():
    """Indian 5 is withheld; Asian (the overall group, 60) is shown, so another Asian detailed
    category must go too, one big enough to give Indian room."""
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
    assert asian["count"].to_list()[0] is None
    assert asian["count"].null_count() == 2
    assert published.filter(pl.col("ethnic_group") == "White")["count"].null_count() == 0


# Notes: sentences are publications too ---------------------------------------------------------


def note_rows(*rows: dict) -> pl.DataFrame:
    schema = {
        "table": pl.String,
        "kind": pl.String,
        "message": pl.String,
        "subject": pl.String,
        "group": pl.String,
        "count": pl.Int64,
        "total": pl.Int64,
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def test_a_sentence_that_prints_a_small_count_is_reworded():
    """ "5% of 7 people with an hourly rate is 1; 2 are included" publishes both numbers."""
    notes = note_rows(
        {
            "table": "top_5_percent_earners",
            "kind": "info",
            "message": "5% of 7 people with an hourly rate is 1; 2 are included because ...",
            "subject": "top_5_percent_ties",
            "count": 2,
            "total": 7,
        }
    )
    published = protect({"notes": notes})["notes"].row(0, named=True)
    assert "7" not in published["message"] and "2 are" not in published["message"]
    assert published["count"] is None and published["total"] is None and published["suppressed"]


def test_a_sentence_with_large_counts_is_kept_and_a_sentence_without_numbers_passes():
    notes = note_rows(
        {
            "table": "pay_gap_ethnicity",
            "kind": "info",
            "message": "40 people without an hourly rate are left out",
            "subject": "no_hourly_rate",
            "count": 40,
        },
        {"table": "pay_gap_sex", "kind": "skipped", "message": "no sex"},
    )
    published = protect({"notes": notes})["notes"]
    assert published["message"].to_list()[0].startswith("40 people without an hourly rate")
    assert published["message"].to_list()[1] == "no sex"
    assert published["suppressed"].to_list() == [False, False]


def test_the_model_knows_every_table_shown_together():
    """The same people counted in two tables are one number: the disclosure table's known
    ethnicity is the representation table's known total."""
    counts = {
        None: {"Asian": 70, "Black": 40, "Mixed": 12, "White": 63, "Other": 12, "Unknown": 30}
    }
    tables = {
        "disclosure": disclosure(counts, None),
        "representation_overall": representation(counts, None),
    }
    model = build_model(tables, 10).model
    known = [c for c in model.cells if c.measure == "people" and c.value == 197]
    assert len(known) == 1 and known[0].published
