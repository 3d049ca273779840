"""How each figure's chart is drawn from its table (pure functions over polars frames)."""

from __future__ import annotations

import polars as pl

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
    assert spec["rows"] == [
        {"ethnic_group": "Asian", "compared": "Staff (% of known)", "value": 42.1},
        {"ethnic_group": "Asian", "compared": "Resident population", "value": 45.0},
    ]


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
