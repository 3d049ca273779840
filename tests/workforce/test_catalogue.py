"""How each figure's chart is drawn from its table (pure functions over polars frames)."""

from __future__ import annotations

import polars as pl

from equitable.core.charts import RESIDENTS_LABEL, STAFF_LABEL
from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.workforce import catalogue


def test_representation_is_charted_beside_the_resident_population():
    table = pl.DataFrame(
        {
            "ethnic_group": ["Asian", "Unknown"],
            "count": [40, 5],
            "percent": [40.0, 5.0],
            "percent_of_known": [42.1, None],
            "population_percent": [45.0, None],
        }
    )
    spec = catalogue.chart_spec(catalogue.BY_NAME["representation_overall"], table)
    assert spec["colour"] == "compared" and spec["y"] == "value"
    assert spec["colour_title"] == "Share among"  # the legend's title, in words
    assert spec["rows"] == [
        {"ethnic_group": "Asian", "compared": STAFF_LABEL, "value": 42.1},
        {"ethnic_group": "Asian", "compared": RESIDENTS_LABEL, "value": 45.0},
    ]


def test_without_a_population_the_workforce_shares_are_charted_alone():
    table = pl.DataFrame(
        {
            "ethnicity": ["Indian", "Not known"],
            "ethnic_group": ["Asian", "Unknown"],
            "percent": [40.0, 5.0],
            "percent_of_known": [42.1, None],
            "population_percent": [None, None],
        },
        schema_overrides={"population_percent": pl.Float64},
    )
    spec = catalogue.chart_spec(catalogue.BY_NAME["representation_detailed_overall"], table)
    assert spec["colour"] is None
    assert [r["ethnicity"] for r in spec["rows"]] == ["Indian", "Not known"]


def test_a_colour_with_one_value_is_left_out_of_the_chart():
    table = pl.DataFrame(
        {"sex": ["Female"], "reference_group": ["Male"], "median_gap_percent": [4.0]}
    )
    spec = catalogue.chart_spec(catalogue.BY_NAME["pay_gap_sex"], table)
    assert spec["colour"] is None and spec["colour_title"] is None


def test_no_trend_chart_with_more_lines_than_colours_that_stay_apart():
    grades = [f"G{n}" for n in range(1, catalogue.MAX_LINES + 2)]
    table = pl.DataFrame(
        {
            "snapshot_date": ["2025-03-31"] * len(grades),
            "grade": grades,
            "ethnic_group": [AGGREGATE_LABEL] * len(grades),
            "percent": [40.0] * len(grades),
        }
    )
    figure = catalogue.BY_NAME["representation_by_grade"]
    assert catalogue.trend_spec(figure, table) is None
    assert catalogue.too_many_lines(figure, table)
    fewer = table.head(catalogue.MAX_LINES)
    assert catalogue.trend_spec(figure, fewer) is not None
    assert not catalogue.too_many_lines(figure, fewer)


def test_a_stacked_chart_leaves_out_the_aggregate_but_the_table_keeps_it():
    table = pl.DataFrame(
        {
            "directorate": ["People", "People"],
            "ethnic_group": ["Asian", "Black, Asian and Multi-ethnic"],
            "percent": [30.0, 45.0],
        }
    )
    spec = catalogue.chart_spec(catalogue.BY_NAME["representation_by_directorate"], table)
    assert [r["ethnic_group"] for r in spec["rows"]] == ["Asian"]


def test_trends_of_a_two_way_table_follow_the_aggregate_share():
    table = pl.DataFrame(
        {
            "snapshot_date": ["2024-03-31", "2024-03-31", "2025-03-31", "2025-03-31"],
            "directorate": ["People"] * 4,
            "ethnic_group": ["Asian", "Black, Asian and Multi-ethnic"] * 2,
            "percent": [30.0, 45.0, 32.0, 48.0],
        }
    )
    spec = catalogue.trend_spec(catalogue.BY_NAME["representation_by_directorate"], table)
    assert spec["series"] == "directorate"
    assert [r["percent"] for r in spec["rows"]] == [45.0, 48.0]


def test_no_trend_chart_when_a_line_would_have_two_points_per_date():
    table = pl.DataFrame(
        {
            "snapshot_date": ["2025-03-31", "2025-03-31"],
            "ethnic_group": ["Asian", "Asian"],
            "sex": ["Female", "Male"],
            "median_gap_percent": [1.0, 2.0],
        }
    )
    assert catalogue.trend_spec(catalogue.BY_NAME["pay_gap_ethnicity_by_sex"], table) is None
