"""Participation, selection and outcome figures of a hand-worked cohort (tests/metrics/
programmes/cohort.py says who is who)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics.disclosure_control import protect
from equitable.metrics.programmes.figures import (
    ALL_GROUPS,
    Eligibility,
    add_months,
    cohort_figures,
    months_between,
    start_snapshot,
)
from tests.metrics.programmes.cohort import ELIGIBILITY, LISTED, SNAPSHOTS, START


@pytest.fixture(scope="module")
def figures():
    return cohort_figures(SNAPSHOTS, LISTED, start=START, eligibility=ELIGIBILITY)


def row(table: pl.DataFrame, **match) -> dict:
    rows = table.filter(*(pl.col(k) == v for k, v in match.items())).to_dicts()
    assert len(rows) == 1, (match, rows)
    return rows[0]


def test_the_start_snapshot_is_the_latest_on_or_before_the_start():
    assert start_snapshot(SNAPSHOTS, date(2024, 3, 30))[0] == date(2023, 3, 31)
    assert start_snapshot(SNAPSHOTS, date(2024, 3, 31))[0] == date(2024, 3, 31)
    assert start_snapshot(SNAPSHOTS, date(2023, 3, 30)) is None


def test_months_are_added_to_the_day_or_the_months_last_day():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 4, 1), 18) == date(2024, 10, 1)
    assert months_between(date(2023, 3, 31), date(2024, 3, 31)) == 12
    assert months_between(date(2023, 4, 1), date(2024, 3, 31)) == 11


def test_participation_is_counted_against_the_eligible_staff(figures):
    table = figures.tables["participation_by_ethnicity"]
    asian = row(table, ethnic_group="Asian")
    # a1-a4 eligible, a1 and a2 took part (x1 took part but is outside the eligibility).
    assert (asian["group_pool"], asian["group_count"]) == (4, 2)
    assert asian["group_rate"] == pytest.approx(50.0)
    # Wilson 2 of 4: (0.1500, 0.8500).
    assert asian["group_rate_ci_low"] == pytest.approx(15.003, abs=1e-3)
    assert asian["group_rate_ci_high"] == pytest.approx(84.997, abs=1e-3)
    # White: w1-w6 eligible, w1 took part (w2 was selected and has not started).
    assert (asian["reference_pool"], asian["reference_count"]) == (6, 1)
    # (2/4) / (1/6) = 3; Katz: se = √(1/2 − 1/4 + 1/1 − 1/6) = 1.0408, × e^(∓1.96 se).
    assert asian["relative_likelihood"] == pytest.approx(3.0)
    assert asian["ci_low"] == pytest.approx(0.3901, abs=1e-4)
    assert asian["ci_high"] == pytest.approx(23.07, abs=1e-2)
    assert "more likely" in asian["reading"] or "chance" in asian["reading"]
    indian = row(table, ethnic_group="Indian")
    assert (indian["group_pool"], indian["group_count"]) == (4, 2)
    sex = row(figures.tables["participation_by_sex"], sex="Female")
    assert (sex["group_pool"], sex["group_count"]) == (10, 3)


def test_participation_by_directorate_counts_only_eligible_directorates(figures):
    table = figures.tables["participation_by_directorate"]
    assert table["directorate"].unique().to_list() == ["People"]
    assert row(table, ethnic_group="Asian")["group_count"] == 2


def test_selection_counts_everyone_listed_who_is_in_the_start_snapshot(figures):
    table = figures.tables["selection_by_ethnic_group"]
    asian = row(table, ethnic_group="Asian")
    # a1, a2, a3, x1 applied; a1, a2, x1 selected. White: w1-w4 applied, w1 and w2 selected.
    assert (asian["group_pool"], asian["group_count"]) == (4, 3)
    assert (asian["reference_pool"], asian["reference_count"]) == (4, 2)
    assert asian["relative_likelihood"] == pytest.approx(1.5)


def test_no_selection_table_without_applicants():
    listed = LISTED.filter(pl.col("status") != "applied")
    figures = cohort_figures(SNAPSHOTS, listed, start=START, eligibility=ELIGIBILITY)
    assert not any(name.startswith("selection") for name in figures.tables)


def test_the_status_table_counts_people_outside_the_eligibility(figures):
    table = figures.tables["cohort_status"]
    assert row(table, programme_status="took part", eligibility="eligible")["people"] == 3
    assert row(table, programme_status="took part", eligibility="not eligible")["people"] == 1
    assert (
        row(table, programme_status="applied, not selected", eligibility="eligible")["people"] == 3
    )


def test_each_horizon_reads_the_latest_snapshot_on_or_before_it(figures):
    horizons = figures.tables["horizons"].to_dicts()
    assert [(h["horizon_months"], h["outcome_snapshot"], h["days_short"]) for h in horizons] == [
        (12, date(2024, 3, 31), 1),  # 1 April 2024 − 31 March 2024
        (18, date(2024, 3, 31), 184),  # 1 October 2024: the yearly snapshot is half a year short
        (24, date(2025, 3, 31), 1),
    ]
    assert [h["months_after_start"] for h in horizons] == [12, 12, 24]


def test_outcomes_of_participants_against_similar_non_participants(figures):
    outcomes = figures.tables["outcomes"]
    asian = row(outcomes, horizon_months=12, ethnic_group="Asian")
    # Participants a1 (band 1 → 2), a2 (stayed), x1 (left).
    assert (asian["participants"], asian["participants_promoted"], asian["participants_left"]) == (
        3,
        1,
        1,
    )
    # Comparison: non-participants in a participant's cell (band, directorate, group): a3 and
    # a4 (band 1, People, Asian); nobody else is in x1's band 3 cell. a3 promoted, a4 left.
    assert (asian["comparison"], asian["comparison_promoted"], asian["comparison_left"]) == (
        2,
        1,
        1,
    )
    assert asian["participants_promoted_rate"] == pytest.approx(100 / 3)
    # Wilson 1 of 3: (0.0615, 0.7923).
    assert asian["participants_promoted_rate_ci_low"] == pytest.approx(6.149, abs=1e-3)
    assert asian["participants_promoted_rate_ci_high"] == pytest.approx(79.235, abs=1e-3)
    assert asian["promoted_difference"] == pytest.approx(100 / 3 - 50)

    white = row(outcomes, horizon_months=12, ethnic_group="White")
    # w1 entered a leadership tier in the same band: promoted. Comparison w2-w6 (p1 is in
    # Place, another cell): w2 promoted, w3 left.
    assert (white["participants"], white["participants_promoted"]) == (1, 1)
    assert (white["comparison"], white["comparison_promoted"], white["comparison_left"]) == (
        5,
        1,
        1,
    )
    # Newcombe: d = 1 − 0.2; Wilson 1/1 = (0.2065, 1), 1/5 = (0.0362, 0.6245);
    # low = 0.8 − √((1 − 0.2065)² + (0.6245 − 0.2)²), high = 0.8 + √(0 + (0.2 − 0.0362)²).
    assert white["promoted_difference"] == pytest.approx(80.0)
    assert white["promoted_difference_ci_low"] == pytest.approx(-9.99, abs=0.01)
    assert white["promoted_difference_ci_high"] == pytest.approx(96.38, abs=0.01)

    everyone = row(outcomes, horizon_months=12, ethnic_group=ALL_GROUPS)
    assert (everyone["participants"], everyone["participants_promoted"]) == (4, 2)
    assert (everyone["comparison"], everyone["comparison_promoted"]) == (7, 2)
    later = row(outcomes, horizon_months=24, ethnic_group="Asian")
    assert later["participants_promoted"] == 2  # a2 reached band 2 in the second year


def test_a_cohort_with_no_later_snapshot_has_horizons_and_no_outcomes():
    figures = cohort_figures(SNAPSHOTS[:1], LISTED, start=START, eligibility=ELIGIBILITY)
    assert figures.tables["outcomes"].is_empty()
    assert figures.tables["horizons"]["outcome_snapshot"].null_count() == 3


def test_listed_people_missing_from_the_start_snapshot_are_counted_apart():
    listed = pl.concat([LISTED, pl.DataFrame({"employee_key": ["zz"], "status": ["participant"]})])
    figures = cohort_figures(SNAPSHOTS, listed, start=START, eligibility=ELIGIBILITY)
    assert figures.missing_from_start == 1
    assert "1 listed person is not in the snapshot" in figures.notes[0]
    everyone = row(figures.tables["outcomes"], horizon_months=12, ethnic_group=ALL_GROUPS)
    assert everyone["participants"] == 4


def test_no_snapshot_before_the_start_gives_no_tables():
    figures = cohort_figures(SNAPSHOTS, LISTED, start=date(2020, 1, 1), eligibility=ELIGIBILITY)
    assert figures.tables == {} and figures.start_snapshot is None


def test_a_bad_status_is_refused():
    listed = pl.DataFrame({"employee_key": ["a1"], "status": ["mentored"]})
    with pytest.raises(ValueError, match="statuses must be one of"):
        cohort_figures(SNAPSHOTS, listed, start=START, eligibility=ELIGIBILITY)


def test_eligibility_restricts_only_by_the_lists_it_names():
    assert Eligibility().describe() == "All staff"
    assert Eligibility(grades=("G8", "G9")).describe() == "Grades G8, G9"
    figures = cohort_figures(SNAPSHOTS, LISTED, start=START, eligibility=Eligibility())
    white = row(figures.tables["participation_by_ethnicity"], ethnic_group="Asian")
    assert white["reference_pool"] == 7  # p1 in Place now counts


def test_every_table_is_protected_with_its_declared_layout(figures):
    published = protect(figures.tables, layouts=figures.layouts, threshold=5)
    asian = row(published["participation_by_ethnicity"], ethnic_group="Asian")
    assert asian["group_count"] is None and asian["suppressed"]
    assert published["horizons"].height == 3
    everyone = row(published["outcomes"], horizon_months=12, ethnic_group=ALL_GROUPS)
    assert everyone["participants_promoted"] is None


def test_the_overall_share_of_the_eligible_who_took_part(figures):
    overall = figures.tables["participation_overall"].row(0, named=True)
    assert (overall["eligible"], overall["took_part"]) == (10, 3)
    assert overall["took_part_rate"] == pytest.approx(30.0)


def test_eligibility_by_leadership_tier():
    figures = cohort_figures(
        SNAPSHOTS, LISTED, start=START, eligibility=Eligibility(leadership_tiers=("Not recorded",))
    )
    assert figures.tables["participation_overall"]["eligible"].item() == 12
