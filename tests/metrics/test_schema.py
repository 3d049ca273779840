"""The canonical extract's vocabulary: the contract other modules rely on."""

from __future__ import annotations

import polars as pl

from equitable.metrics import schema


def test_there_are_nineteen_detailed_categories_under_five_groups():
    assert len(schema.ETHNICITY_DETAILED) == 19
    assert set(schema.ETHNICITY_DETAILED.values()) == set(schema.ETHNIC_GROUPS)
    assert schema.ETHNIC_GROUPS == ("Asian", "Black", "Mixed", "White", "Other")
    assert schema.ETHNICITY_DETAILED[schema.WHITE_BRITISH_CATEGORY] == "White"
    assert schema.ETHNICITY_DETAILED["Chinese"] == "Asian"  # 2021: under Asian, not Other
    assert schema.ETHNICITY_DETAILED["Arab"] == "Other"


def test_group_full_names_are_the_ts021_headings():
    assert schema.ETHNIC_GROUP_FULL_NAMES["Black"] == (
        "Black, Black British, Black Welsh, Caribbean or African"
    )
    assert set(schema.ETHNIC_GROUP_FULL_NAMES) == set(schema.ETHNIC_GROUPS)


def test_undisclosed_values_map_to_the_unknown_group():
    assert schema.ETHNICITY_TO_GROUP[schema.PREFER_NOT_TO_SAY] == schema.UNKNOWN
    assert schema.ETHNICITY_TO_GROUP[schema.NOT_KNOWN] == schema.UNKNOWN
    assert schema.AGGREGATE_MINORITY == "Black, Asian and Multi-ethnic"


def test_only_employee_id_and_ethnicity_are_required():
    assert schema.REQUIRED_COLUMNS == ("employee_id", "ethnicity")
    assert "date_of_birth" in schema.CANONICAL_COLUMNS
    assert "employee_key" not in schema.CANONICAL_COLUMNS  # output only


def test_empty_frame_has_every_contract_column_typed():
    frame = schema.empty_frame()
    assert frame.height == 0
    assert frame.schema["white_british"] == pl.Boolean
    assert frame.schema["age"] == pl.Int32
    assert frame.schema["start_date"] == pl.Date
    assert "employee_id" not in frame.columns


def test_weeks_per_year_is_365_over_7():
    assert round(365 / 7, 3) == schema.WEEKS_PER_YEAR == 52.143


def test_each_group_has_a_category_not_given_and_the_labels_agree():
    """Issue 12: a group-only value ("Asian") has its own detailed category, inside its group,
    so that the detailed categories of a group add up to it. labels.py (what the figures
    report) and schema.py (what ingestion writes) hold the same values in the same order."""
    from equitable.metrics import labels

    assert schema.ETHNICITY_GROUP_ONLY == {
        "Asian (category not given)": "Asian",
        "Black (category not given)": "Black",
        "Mixed (category not given)": "Mixed",
        "White (category not given)": "White",
        "Other (category not given)": "Other",
    }
    assert schema.ETHNICITY_VALUES == labels.ETHNICITY_VALUES
    assert schema.ETHNICITY_TO_GROUP == labels.ETHNICITY_TO_GROUP
    assert len(labels.ETHNICITY_VALUES) == 19 + 5 + 2
    assert labels.ETHNICITY_VALUES[:6] == (
        "Bangladeshi",
        "Chinese",
        "Indian",
        "Pakistani",
        "Other Asian",
        "Asian (category not given)",
    )
    assert labels.ETHNICITY_VALUES[-2:] == (schema.PREFER_NOT_TO_SAY, schema.NOT_KNOWN)
    assert len(labels.DETAILED_ETHNICITIES) == 19  # the census's own categories, unchanged


def test_likely_headers_name_canonical_columns_and_are_not_aliases():
    aliases = {a for spec in schema.CANONICAL_COLUMNS.values() for a in spec.aliases}
    assert set(schema.LIKELY_HEADERS.values()) <= set(schema.CANONICAL_COLUMNS)
    assert not set(schema.LIKELY_HEADERS) & aliases
