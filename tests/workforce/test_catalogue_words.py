"""Each column and code of the figures in the words of the page, and downloads rounded as the
page shows them."""

from __future__ import annotations

import polars as pl

from equitable.workforce import catalogue


def test_codes_read_as_words():
    assert catalogue.value_label("grouping", "wres") == "White compared with everyone else (WRES)"
    assert catalogue.value_label("grouping", "ons").endswith("(ONS)")
    assert catalogue.value_label("comparison", "within_sex") == (
        "Compared with White people of the same sex"
    )
    assert catalogue.value_label("comparison", "vs_white_men") == "Compared with White men"
    assert catalogue.value_label("characteristic", "sexual_orientation") == "Sexual orientation"
    assert catalogue.value_label("characteristic", "religion") == "Religion or belief"
    assert catalogue.value_label("table", "top_5_percent_earners") == (
        "Ethnicity of the top 5% of earners"
    )
    assert catalogue.value_label("ethnic_group", "Asian") == "Asian"  # names stay as they are
    assert catalogue.value_label("directorate", "wres") == "wres"  # only coded columns change


def test_columns_have_readable_headings_and_kinds():
    assert catalogue.column_label("mean_hourly_pay") == "Mean hourly pay"
    assert catalogue.file_header("mean_hourly_pay") == "Mean hourly pay (£)"
    assert catalogue.file_header("percent_of_known") == "Share of those known (%)"
    assert catalogue.file_header("count") == "People"
    assert catalogue.column_label("an_unlisted_column") == "An unlisted column"
    frame = pl.DataFrame({"new_count": [1], "new_rate": [0.5], "name": ["x"]})
    assert [catalogue.column_kind(c, frame) for c in frame.columns] == ["count", "number", "text"]


def test_the_download_is_the_table_as_shown():
    """Hand-worked: 18.758176 is shown £18.76, 28.317601 is 28.3%, a withheld count is [c]."""
    frame = pl.DataFrame(
        {
            "grouping": ["wres", "wres"],
            "ethnic_group": ["Asian", "Other"],
            "count": [510, None],
            "mean_hourly_pay": [18.758176, None],
            "mean_gap_percent": [5.953641, None],
            "suppressed": [False, True],
        }
    )
    headers, rows, formats = catalogue.download_table(frame)
    assert headers == [
        "Comparison",
        "Ethnic group",
        "People",
        "Mean hourly pay (£)",
        "Mean gap (%)",
    ]
    assert rows == [
        ["White compared with everyone else (WRES)", "Asian", 510, 18.76, 6.0],
        ["White compared with everyone else (WRES)", "Other", "[c]", "[c]", "[c]"],
    ]
    assert formats == [None, None, "#,##0", '"£"#,##0.00', "0.0"]


def test_page_rows_use_the_same_words():
    rows = catalogue.display_rows([{"characteristic": "sexual_orientation", "percent_known": 80.6}])
    assert rows == [{"characteristic": "Sexual orientation", "percent_known": 80.6}]
    columns = catalogue.table_columns(
        pl.DataFrame({"characteristic": ["x"], "suppressed": [False]})
    )
    assert columns == [("characteristic", "Characteristic", "text")]
