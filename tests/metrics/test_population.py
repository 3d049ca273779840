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
