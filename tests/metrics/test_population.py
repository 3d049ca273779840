"""The resident population benchmark.

The fixture `census2021-ts021-ltla-sample.csv` is laid out exactly as the Nomis bulk CSV for
Census 2021 table TS021 (28 columns, one row per local authority) but its counts are invented;
Harrow's row is made to total 261,300 residents with 45.2% Asian, the published headline figures.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from equitable.metrics.population import (
    PopulationError,
    demo_population,
    population_from_percentages,
    read_population,
)

SAMPLE = Path(__file__).parent / "fixtures" / "census2021-ts021-ltla-sample.csv"


def group_percent(frame: pl.DataFrame, group: str) -> float:
    row = frame.filter(pl.col("ethnic_group") == group, pl.col("ethnicity").is_null())
    return row["percent"].item()


def test_it_reads_one_authority_by_name():
    harrow = read_population(SAMPLE, "Harrow")
    assert harrow.columns == ["ethnic_group", "ethnicity", "count", "percent"]
    assert harrow.height == 5 + 19
    assert group_percent(harrow, "Asian") == pytest.approx(100 * 118_100 / 261_300)
    assert round(group_percent(harrow, "Asian"), 1) == 45.2
    indian = harrow.filter(pl.col("ethnicity") == "Indian")
    assert indian["count"].item() == 71_000
    assert indian["ethnic_group"].item() == "Asian"
    groups = harrow.filter(pl.col("ethnicity").is_null())
    assert groups["count"].sum() == 261_300
    assert groups["percent"].sum() == pytest.approx(100)


def test_it_reads_by_code_ignoring_case_and_from_bytes():
    by_code = read_population(io.BytesIO(SAMPLE.read_bytes()), "e09000005")
    assert group_percent(by_code, "White") == pytest.approx(100 * 102_600 / 259_700)


def test_it_tolerates_measures_suffix_and_line_breaks_in_headers():
    text = SAMPLE.read_text()
    header, rest = text.split("\n", 1)
    header = header.replace(
        "Ethnic group: Total: All usual residents",
        '"Ethnic group: Total:\nAll usual residents; measures: Value"',
    )
    frame = read_population((header + "\n" + rest).encode("cp1252"), "Barnet")
    assert group_percent(frame, "White") == pytest.approx(100 * 195_300 / 298_200)


def test_an_unknown_authority_lists_close_matches():
    with pytest.raises(PopulationError, match=r"did you mean Harrow \(E09000015\)"):
        read_population(SAMPLE, "Harow")


def test_several_authorities_need_a_choice():
    with pytest.raises(PopulationError, match="lists 3 areas"):
        read_population(SAMPLE)


def test_a_different_census_table_is_refused_with_the_missing_columns():
    wrong = b'date,geography,geography code,"Residence type: Total; measures: Value"\n2021,Harrow,E09000015,261300\n'
    with pytest.raises(PopulationError, match="not the Nomis bulk CSV for Census 2021 table TS021"):
        read_population(wrong, "Harrow")


def test_sums_that_do_not_add_up_are_reported():
    text = SAMPLE.read_text().replace(
        "2021,Harrow,E09000015,261300,118100", "2021,Harrow,E09000015,261300,128100"
    )
    with pytest.raises(PopulationError) as error:
        read_population(text.encode(), "Harrow")
    assert "five groups add up to 271300" in str(error.value)
    assert "detailed Asian categories add up to 118100, not 128100" in str(error.value)


def test_a_count_that_is_not_a_number_is_named():
    text = SAMPLE.read_text().replace("2021,Harrow,E09000015,261300", "2021,Harrow,E09000015,n/a")
    with pytest.raises(
        PopulationError, match='"Ethnic group: Total: All usual residents" has "n/a"'
    ):
        read_population(text.encode(), "Harrow")


def test_hand_entered_percentages():
    frame = population_from_percentages(
        {"Asian": 45.2, "Black": 7.0, "Mixed": 3.4, "White": 36.2, "Other ethnic group": 8.2}
    )
    assert frame["ethnic_group"].to_list() == ["Asian", "Black", "Mixed", "White", "Other"]
    assert frame["percent"].to_list() == [45.2, 7.0, 3.4, 36.2, 8.2]
    assert frame["count"].null_count() == 5


def test_hand_entered_percentages_must_add_up_to_100():
    with pytest.raises(PopulationError, match="add up to 91, not 100"):
        population_from_percentages({"White": 37, "Asian": 44, "Black": 7, "Mixed": 3})


def test_hand_entered_percentages_report_every_problem():
    with pytest.raises(PopulationError) as error:
        population_from_percentages({"BAME": 60, "White": "lots", "Asian": 120})
    message = str(error.value)
    assert '"BAME" is not an ethnic group' in message
    assert 'White: "lots" is not a number' in message
    assert "Asian: 120 is not a percentage" in message


def test_demo_population_is_seed_000_with_the_remainder_in_other():
    demo = demo_population()
    shares = dict(zip(demo["ethnic_group"], demo["percent"], strict=True))
    assert shares == {"Asian": 44.0, "Black": 7.0, "Mixed": 3.0, "White": 37.0, "Other": 9.0}


# --- the 19 ONS 2021 categories ---------------------------------------------------------------


def small_counts(**changes: int) -> dict[str, int]:
    """A hand-worked population of 1,000 residents: 10 in each category, then Indian 300,
    Caribbean 70, English … British 350 (see the test below)."""
    from equitable.metrics.labels import DETAILED_ETHNICITIES

    counts = {name: 10 for name, _ in DETAILED_ETHNICITIES}
    counts |= {
        "Indian": 300,
        "Caribbean": 70,
        "English, Welsh, Scottish, Northern Irish or British": 350,
    }
    return counts | changes


def test_the_five_groups_are_the_sums_of_their_categories_worked_by_hand():
    """Asian: Bangladeshi 10 + Chinese 10 + Indian 300 + Pakistani 10 + Other Asian 10 = 340;
    Black: African 10 + Caribbean 70 + Other Black 10 = 90; Mixed: 4 × 10 = 40;
    White: British 350 + Irish, Gypsy or Irish Traveller, Roma, Other White 4 × 10 = 390;
    Other: Arab 10 + Any other 10 = 20. Total 340 + 90 + 40 + 390 + 20 = 880 residents, so
    Asian is 100 × 340 / 880 = 38.636…% and Indian 100 × 300 / 880 = 34.090…%."""
    from equitable.metrics.population import population_from_counts

    frame = population_from_counts(small_counts())
    assert frame.height == 5 + 19
    groups = {
        row["ethnic_group"]: row["count"]
        for row in frame.filter(pl.col("ethnicity").is_null()).iter_rows(named=True)
    }
    assert groups == {"Asian": 340, "Black": 90, "Mixed": 40, "White": 390, "Other": 20}
    assert group_percent(frame, "Asian") == pytest.approx(100 * 340 / 880)
    indian = frame.filter(pl.col("ethnicity") == "Indian").row(0, named=True)
    assert indian["ethnic_group"] == "Asian" and indian["percent"] == pytest.approx(100 * 300 / 880)
    detailed = frame.filter(pl.col("ethnicity").is_not_null())
    assert detailed["count"].sum() == 880 and detailed["percent"].sum() == pytest.approx(100)


def test_the_19_counts_are_checked_and_every_problem_named():
    from equitable.metrics.population import population_from_counts

    counts = small_counts(Roma="a few")
    del counts["Arab"]
    counts["Martian"] = 3
    with pytest.raises(PopulationError) as error:
        population_from_counts(counts)
    text = str(error.value)
    assert 'Roma: "a few" is not a whole number' in text
    assert '"Martian" is not one of the 19 ONS 2021 Census ethnic categories' in text
    with pytest.raises(PopulationError, match="no count for Arab"):
        population_from_counts({k: v for k, v in small_counts().items() if k != "Arab"})
    with pytest.raises(PopulationError, match="add up to 0"):
        population_from_counts(small_counts() | dict.fromkeys(small_counts(), 0))


def one_row_per_category(areas=(("E09000015", "Harrow", 0),), names="ons") -> bytes:
    from equitable.metrics.labels import DETAILED_ETHNICITIES
    from equitable.metrics.population import CENSUS_GROUP_NAMES

    lines = [
        "Lower tier local authorities Code,Lower tier local authorities,"
        "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation"
    ]
    for code, area, extra in areas:
        lines.append(f"{code},{area},-8,Does not apply,0")
        for index, (name, group) in enumerate(DETAILED_ETHNICITIES, start=1):
            label = f"{CENSUS_GROUP_NAMES[group]}: {name}" if names == "ons" else name
            lines.append(f'{code},{area},{index},"{label}",{small_counts()[name] + extra}')
    return ("\n".join(lines) + "\n").encode()


def test_it_reads_ts021_with_one_row_per_category_for_the_chosen_area():
    from equitable.metrics.population import read_population_file

    two_areas = one_row_per_category((("E09000015", "Harrow", 0), ("E09000003", "Barnet", 5)))
    harrow = read_population_file(two_areas, "harrow")
    assert group_percent(harrow, "Asian") == pytest.approx(100 * 340 / 880)
    barnet = read_population_file(two_areas, "E09000003")
    assert barnet.filter(pl.col("ethnicity").is_not_null())["count"].sum() == 880 + 19 * 5
    with pytest.raises(PopulationError, match="lists 2 areas"):
        read_population_file(two_areas)
    own = "ethnicity,count\n" + "\n".join(f'"{k}",{v}' for k, v in small_counts().items())
    assert read_population_file(own.encode()).equals(harrow)
    # The bulk layout still goes to read_population.
    assert read_population_file(SAMPLE.read_bytes(), "Harrow").height == 24


def test_a_bad_population_file_says_what_is_wrong():
    from equitable.metrics.population import read_population_file

    with pytest.raises(PopulationError, match="neither the Nomis bulk CSV"):
        read_population_file(b"name,age\nA,3\n")
    bad = one_row_per_category().decode().replace('Indian",300', 'Indian",lots')
    bad = bad.replace("Arab", "Martian")
    with pytest.raises(PopulationError) as error:
        read_population_file(bad.encode())
    assert '(Asian, Asian British or Asian Welsh: Indian): "lots" is not a whole number' in str(
        error.value
    )
    assert "not one of the 19 ONS 2021 categories" in str(error.value)
    total_off = one_row_per_category().decode() + "E09000015,Harrow,0,Total,999\n"
    with pytest.raises(
        PopulationError, match="gives 999 for the total but its categories add up to 880"
    ):
        read_population_file(total_off.encode())


def test_the_demo_population_splits_the_action_plan_shares_into_19_categories():
    from equitable.metrics.population import demo_population_detailed

    frame = demo_population_detailed()
    assert frame.filter(pl.col("ethnicity").is_not_null()).height == 19
    shares = {
        g: round(group_percent(frame, g), 6) for g in ("White", "Asian", "Black", "Mixed", "Other")
    }
    assert shares == {"White": 37, "Asian": 44, "Black": 7, "Mixed": 3, "Other": 9}
