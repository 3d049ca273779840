"""Pay gaps and bonus gaps: hand-worked examples and the gov.uk guidance's own figures."""

from __future__ import annotations

import pytest

from equitable.metrics.figures import compute_all, skipped
from equitable.metrics.labels import AGGREGATE_LABEL
from tests.metrics.frames import by_group, workforce


def rows_by(table, *keys):
    return {tuple(row[k] for k in keys): row for row in table.iter_rows(named=True)}


def test_small_workforce_gaps_against_white():
    """White £10, 12, 14, 16, 18: mean 14, median 14. Asian £9, 11, 13, 15: mean 12, median
    (11 + 13) / 2 = 12. Gap (14 − 12) / 14 = 14.2857% for both. Black: nobody, so no gap.
    The one Unknown (£100) is in neither side. The aggregate is Asian alone here."""
    frame = by_group(
        ["White"] * 5 + ["Asian"] * 4 + ["Unknown"],
        hourly_pay=[10.0, 12.0, 14.0, 16.0, 18.0, 9.0, 11.0, 13.0, 15.0, 100.0],
    )
    rows = rows_by(compute_all(frame)["pay_gap_ethnicity"], "grouping", "ethnic_group")
    asian = rows[("wres", "Asian")]
    assert asian["reference_group"] == "White"
    assert (asian["count"], asian["reference_count"]) == (4, 5)
    assert asian["mean_hourly_pay"] == 12.0
    assert asian["median_hourly_pay"] == 12.0
    assert asian["reference_median_hourly_pay"] == 14.0
    assert asian["mean_gap_percent"] == pytest.approx(100 * 2 / 14)
    assert asian["median_gap_percent"] == pytest.approx(100 * 2 / 14)
    black = rows[("wres", "Black")]
    assert black["count"] == 0
    assert black["mean_gap_percent"] is None
    assert rows[("wres", AGGREGATE_LABEL)]["mean_gap_percent"] == pytest.approx(100 * 2 / 14)


def test_guidance_mean_gap_example():
    """gov.uk "Acme" (T1): 1,345 men summing £23,550, 3,100 women summing £46,900.
    Means £17.5093 and £15.1290; gap 13.59%."""
    frame = workforce(
        ethnicity=["Indian"] * 4445,
        sex=["Male"] * 1345 + ["Female"] * 3100,
        hourly_pay=[23550 / 1345] * 1345 + [46900 / 3100] * 3100,
    )
    row = compute_all(frame)["pay_gap_sex"].row(0, named=True)
    assert (row["sex"], row["reference_group"]) == ("Female", "Male")
    assert round(row["mean_gap_percent"], 2) == 13.59


def test_guidance_median_gap_example():
    """gov.uk (T2): men's middle value (man 673 of 1,345) £15; women an even 3,100 whose middle
    pair earn £13 and £15, median £14. Gap (15 − 14) / 15 = 6.67%."""
    men = [10.0] * 672 + [15.0] + [20.0] * 672
    women = [10.0] * 1549 + [13.0, 15.0] + [20.0] * 1549
    frame = workforce(
        ethnicity=["Indian"] * 4445,
        sex=["Male"] * 1345 + ["Female"] * 3100,
        hourly_pay=men + women,
    )
    row = compute_all(frame)["pay_gap_sex"].row(0, named=True)
    assert row["median_hourly_pay"] == 14.0
    assert row["reference_median_hourly_pay"] == 15.0
    assert round(row["median_gap_percent"], 2) == 6.67


def test_guidance_bonus_examples():
    """gov.uk (T6, T7): 1,375 men, 1,300 paid a bonus (94.5%); 3,125 women, 2,000 (64.0%).
    Men's bonuses: 640 × £500, 20 × £2,300, 640 × £2,779.6875 -> mean £1,650, median £2,300.
    Women's: 980 × £500, 40 × £2,225, 980 × £2,450 -> mean £1,490, median £2,225.
    Mean bonus gap (1650 − 1490) / 1650 = 9.7%; median (2300 − 2225) / 2300 = 3.3%."""
    men = [500.0] * 640 + [2300.0] * 20 + [2779.6875] * 640 + [0.0] * 75
    women = [500.0] * 980 + [2225.0] * 40 + [2450.0] * 980 + [0.0] * 1125
    frame = workforce(
        ethnicity=["Indian"] * 4500,
        sex=["Male"] * 1375 + ["Female"] * 3125,
        bonus_pay=men + women,
    )
    row = compute_all(frame)["bonus_gap_sex"].row(0, named=True)
    assert row["mean_bonus"] == pytest.approx(1490)
    assert row["reference_mean_bonus"] == pytest.approx(1650)
    assert round(row["reference_percent_receiving_bonus"], 1) == 94.5
    assert round(row["percent_receiving_bonus"], 1) == 64.0
    assert round(row["mean_bonus_gap_percent"], 1) == 9.7
    assert round(row["median_bonus_gap_percent"], 1) == 3.3
    assert (row["bonus_count"], row["count"]) == (2000, 3125)


def test_ethnicity_gap_against_white_british_leaves_non_disclosure_out():
    """Reference notes T15: White British 400 at £20, Asian 300 at £18, Black 60 at £17,
    Mixed 30 at £16, Other 20 at £15, 90 undisclosed at £5.
    ONS grouping: Asian (20 − 18) / 20 = 10%, Black (20 − 17) / 20 = 15%. All ethnic minorities:
    mean (300×18 + 60×17 + 30×16 + 20×15) / 410 = 7200 / 410 = 17.5610, gap 12.195%.
    The 90 at £5 change nothing; they are 10% of the 900 (non-disclosure rate)."""
    groups = ["White British"] * 400 + ["Asian"] * 300 + ["Black"] * 60
    groups += ["Mixed"] * 30 + ["Other"] * 20 + ["Unknown"] * 90
    pay = [20.0] * 400 + [18.0] * 300 + [17.0] * 60 + [16.0] * 30 + [15.0] * 20 + [5.0] * 90
    tables = compute_all(by_group(groups, hourly_pay=pay))
    rows = rows_by(tables["pay_gap_ethnicity"], "grouping", "ethnic_group")
    assert rows[("ons", "Asian")]["reference_group"] == "White British"
    assert rows[("ons", "Asian")]["mean_gap_percent"] == pytest.approx(10.0)
    assert rows[("ons", "Black")]["median_gap_percent"] == pytest.approx(15.0)
    minorities = rows[("ons", "All ethnic minorities")]
    assert minorities["count"] == 410
    assert minorities["mean_gap_percent"] == pytest.approx(100 * (20 - 7200 / 410) / 20)
    assert rows[("ons", "White other than British")]["count"] == 0
    # WRES grouping: White British are White, so the same figures against White.
    assert rows[("wres", "Asian")]["mean_gap_percent"] == pytest.approx(10.0)
    disclosure = rows_by(tables["disclosure"], "characteristic")[("ethnicity",)]
    assert disclosure["percent_known"] == pytest.approx(90.0)


def test_white_minorities_are_white_in_wres_and_minorities_in_ons():
    """Irish staff (£12) count as White against Asian (£10) under WRES, and as a minority
    against White British (£20) under the ONS grouping."""
    frame = by_group(["White British", "White", "Asian"], hourly_pay=[20.0, 12.0, 10.0])
    rows = rows_by(compute_all(frame)["pay_gap_ethnicity"], "grouping", "ethnic_group")
    assert rows[("wres", "Asian")]["reference_mean_hourly_pay"] == 16.0  # (20 + 12) / 2
    assert rows[("ons", "White other than British")]["mean_gap_percent"] == pytest.approx(40.0)
    assert rows[("ons", "All ethnic minorities")]["mean_hourly_pay"] == 11.0


def test_no_reference_group_gives_null_gaps_and_a_note():
    frame = by_group(["Asian", "Black"], hourly_pay=[10.0, 12.0])
    tables = compute_all(frame)
    rows = rows_by(tables["pay_gap_ethnicity"], "grouping", "ethnic_group")
    assert rows[("wres", "Asian")]["reference_count"] == 0
    assert rows[("wres", "Asian")]["mean_gap_percent"] is None
    assert rows[("wres", "Asian")]["median_gap_percent"] is None
    messages = tables["notes"].filter(table="pay_gap_ethnicity")["message"].to_list()
    assert "no one with an hourly rate in the reference group White" in messages


def test_disability_gap_uses_non_disabled_staff_as_reference():
    """Disabled £9 and £11 (mean 10); not disabled £12, £12, £15 (mean 13, median 12).
    Mean gap 3/13 = 23.08%; median (12 − 10) / 12 = 16.67%. Prefer not to say (£1) left out."""
    frame = workforce(
        ethnicity=["Indian"] * 6,
        disability=[
            "Disabled",
            "Disabled",
            "Not disabled",
            "Not disabled",
            "Not disabled",
            "Prefer not to say",
        ],
        hourly_pay=[9.0, 11.0, 12.0, 12.0, 15.0, 1.0],
    )
    row = compute_all(frame)["pay_gap_disability"].row(0, named=True)
    assert (row["disability"], row["reference_group"]) == ("Disabled", "Not disabled")
    assert row["mean_gap_percent"] == pytest.approx(300 / 13)
    assert row["median_gap_percent"] == pytest.approx(100 * 2 / 12)


def test_intersectional_gaps_within_sex_and_against_white_men():
    """White men £20, White women £16, Asian women £12, Asian men £18.
    Within sex: Asian women vs White women (16 − 12) / 16 = 25%; Asian men vs White men 10%.
    Against White men: Asian women (20 − 12) / 20 = 40%, White women 20%."""
    frame = by_group(
        ["White", "White", "Asian", "Asian"],
        sex=["Male", "Female", "Female", "Male"],
        hourly_pay=[20.0, 16.0, 12.0, 18.0],
    )
    rows = rows_by(
        compute_all(frame)["pay_gap_ethnicity_by_sex"], "comparison", "sex", "ethnic_group"
    )
    assert rows[("within_sex", "Female", "Asian")]["mean_gap_percent"] == pytest.approx(25.0)
    assert rows[("within_sex", "Female", "Asian")]["reference_group"] == "White female"
    assert rows[("within_sex", "Male", "Asian")]["mean_gap_percent"] == pytest.approx(10.0)
    assert rows[("vs_white_men", "Female", "Asian")]["mean_gap_percent"] == pytest.approx(40.0)
    assert rows[("vs_white_men", "Female", "White")]["mean_gap_percent"] == pytest.approx(20.0)
    assert ("vs_white_men", "Male", "White") not in rows


def test_negative_gap_when_the_group_is_paid_more():
    frame = by_group(["White", "Asian"], hourly_pay=[10.0, 12.0])
    row = rows_by(compute_all(frame)["pay_gap_ethnicity"], "grouping", "ethnic_group")[
        ("wres", "Asian")
    ]
    assert row["mean_gap_percent"] == pytest.approx(-20.0)


def test_without_detailed_ethnicity_only_the_wres_grouping_is_given():
    """A source with broad groups only: no White British, so no ONS rows, and a note says so."""
    frame = workforce(ethnic_group=["White", "Asian"], hourly_pay=[10.0, 8.0])
    tables = compute_all(frame)
    assert set(tables["pay_gap_ethnicity"]["grouping"]) == {"wres"}
    assert "representation_detailed_overall" in skipped(tables)


def test_gaps_need_hourly_pay():
    tables = compute_all(by_group(["White", "Asian"]))
    reasons = skipped(tables)
    assert reasons["pay_gap_ethnicity"] == "the extract has no hourly_pay column"
    assert reasons["bonus_gap_sex"] == "the extract has no sex or bonus_pay column"
    assert "pay_gap_ethnicity" not in tables


def test_an_ethnicity_column_holding_only_broad_groups_is_not_used_for_detail():
    """A source whose "ethnicity" held broad groups: ingestion leaves the detail "Not known" and
    fills ethnic_group. Detailed figures are skipped with that reason; broad ones still work and
    disclosure follows the group."""
    frame = workforce(
        ethnicity=["Not known", "Not known", "Prefer not to say"],
        ethnic_group=["White", "Asian", "Unknown"],
        white_british=[None, None, None],
        hourly_pay=[10.0, 8.0, 9.0],
    )
    tables = compute_all(frame, present_columns={"ethnicity", "hourly_pay"})
    assert skipped(tables)["representation_detailed_overall"] == (
        "the extract's ethnicity holds only the five broad groups, not the 19 ONS categories"
    )
    row = rows_by(tables["pay_gap_ethnicity"], "grouping", "ethnic_group")[("wres", "Asian")]
    assert row["mean_gap_percent"] == pytest.approx(20.0)
    disclosure = tables["disclosure"].row(0, named=True)
    assert (disclosure["known"], disclosure["prefer_not_to_say"], disclosure["not_known"]) == (
        2,
        1,
        0,
    )
