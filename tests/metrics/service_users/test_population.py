"""Census 2021 tables for the services' comparison: both layouts, and every problem said."""

from __future__ import annotations

import pytest

from equitable.metrics.population import (
    PopulationError,
    demo_population,
    demo_population_detailed,
)
from equitable.metrics.service_users.population import (
    DEMO_COUNTS,
    demo_census_csv,
    from_ethnic_groups,
    read_census_table,
)

NOMIS_TS038 = (
    b"date,geography,geography code,"
    b"Disability: Total: All usual residents; measures: Value,"
    b"Disability: Disabled under the Equality Act; measures: Value,"
    b"Disability: Disabled under the Equality Act: Day-to-day activities limited a lot; "
    b"measures: Value,"
    b"Disability: Not disabled under the Equality Act; measures: Value\n"
    b"2021,Harrow,E09000015,1000,150,60,850\n"
    b"2021,Brent,E09000005,2000,300,100,1700\n"
)


def shares(frame) -> dict[str, float]:
    return dict(zip(frame["value"].to_list(), frame["percent"].to_list(), strict=True))


def test_nomis_bulk_layout_reads_the_chosen_area_and_skips_sub_rows():
    frame = read_census_table("disability", NOMIS_TS038, "harrow")
    # 150 of 1,000 disabled (the 60 "limited a lot" are within the 150, not added)
    assert shares(frame) == pytest.approx({"Disabled": 15.0, "Not disabled": 85.0})


def test_two_areas_without_a_choice_is_an_error():
    with pytest.raises(PopulationError, match="choose your local authority"):
        read_census_table("disability", NOMIS_TS038)


def test_two_column_file_and_not_answered_left_out_of_the_shares():
    text = b"category,count\nChristian,300\nMuslim,100\nNot answered,100\nTotal,500\n"
    frame = read_census_table("religion", text)
    assert shares(frame) == pytest.approx({"Christian": 75.0, "Muslim": 25.0})


def test_five_year_age_bands_are_summed_into_the_census_aligned_bands():
    text = (
        b"category,count\nAged 4 years and under,10\nAged 5 to 9 years,10\n"
        b"Aged 10 to 14 years,10\nAged 15 to 19 years,30\nAged 20 to 24 years,40\n"
    )
    frame = read_census_table("age", text)
    assert dict(zip(frame["value"], frame["count"], strict=True)) == {"Under 15": 30, "15-24": 70}


def test_problems_are_listed():
    with pytest.raises(PopulationError, match="not a whole number"):
        read_census_table("sex", b"category,count\nFemale,lots\nMale,10\n")
    with pytest.raises(PopulationError, match="add up to"):
        read_census_table("sex", b"category,count\nFemale,10\nMale,10\nTotal,50\n")
    with pytest.raises(PopulationError, match="right table"):
        read_census_table("sex", b"category,count\nChristian,10\n")


def test_demo_tables_match_the_demo_borough():
    for characteristic, counts in DEMO_COUNTS.items():
        frame = read_census_table(characteristic, demo_census_csv(characteristic))
        assert sum(frame["percent"]) == pytest.approx(100.0)
        answered = {k: v for k, v in counts.items() if k != "Not answered"}
        assert dict(zip(frame["value"], frame["count"], strict=True)) == answered
    assert sum(DEMO_COUNTS["sex"].values()) == 261_300
    ethnic = from_ethnic_groups(demo_population_detailed())
    assert shares(ethnic)["Asian"] == pytest.approx(44.0)
    typed_in = from_ethnic_groups(demo_population())  # percentages only, no counts
    assert shares(typed_in)["Black"] == pytest.approx(7.0)
    assert from_ethnic_groups(None).is_empty()
