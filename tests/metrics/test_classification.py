"""Recognising the ways HR systems write ethnicity and the other characteristics."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics import classification
from equitable.metrics.schema import (
    ETHNICITY_DETAILED,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    RELIGION_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    WHITE_BRITISH,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Indian", "Indian"),
        ("Asian or Asian British - Indian", "Indian"),
        ("ASIAN/ASIAN BRITISH: INDIAN", "Indian"),
        ("  asian or asian british   indian ", "Indian"),
        ("Asian, Asian British or Asian Welsh: Pakistani", "Pakistani"),
        ("Any other Asian background", "Other Asian"),
        ("Black or Black British - Caribbean", "Caribbean"),
        ("Black/African/Caribbean/Black British: African", "African"),
        ("Any other Black/African/Caribbean background", "Other Black"),
        ("Mixed - White and Black Caribbean", "White and Black Caribbean"),
        ("Mixed/Multiple ethnic groups: White & Asian", "White and Asian"),
        ("Any other Mixed/Multiple ethnic background", "Other Mixed or Multiple ethnic groups"),
        ("White - British", WHITE_BRITISH),
        ("White: English/Welsh/Scottish/Northern Irish/British", WHITE_BRITISH),
        ("White British", WHITE_BRITISH),
        ("White - Irish", "Irish"),
        ("Gypsy/Irish Traveller", "Gypsy or Irish Traveller"),
        ("Roma", "Roma"),
        ("Any other White background", "Other White"),
        ("Other Ethnic Groups - Chinese", "Chinese"),
        ("Other ethnic group: Arab", "Arab"),
        ("Any other ethnic group", "Any other ethnic group"),
        ("W1", WHITE_BRITISH),
        ("a1", "Indian"),
        ("B2", "African"),
        ("O2", "Arab"),
        ("WBRI", WHITE_BRITISH),
        ("MWBC", "White and Black Caribbean"),
        ("CHNE", "Chinese"),
        ("Prefer not to say", PREFER_NOT_TO_SAY),
        ("Not stated", PREFER_NOT_TO_SAY),
        ("REFU", PREFER_NOT_TO_SAY),
        ("Unknown", NOT_KNOWN),
        ("Not declared", NOT_KNOWN),
        # Only the high-level group: the short group label, the detail stays unknown.
        ("Asian or Asian British", "Asian"),
        ("Black", "Black"),
        ("White", "White"),
        ("Mixed", "Mixed"),
        ("Mixed race", "Mixed"),
        ("Mixed Race - White and Asian", "White and Asian"),
        ("White - Other", "Other White"),
        ("I do not wish to disclose", PREFER_NOT_TO_SAY),
    ],
)
def test_it_recognises_ethnicity_variants(raw, expected):
    assert classification.classify_value("ethnicity", raw) == expected


@pytest.mark.parametrize("raw", ["Asain", "British", "A", "7", "WROM", "Martian"])
def test_it_refuses_to_guess_ambiguous_or_unknown_ethnicity(raw):
    assert classification.classify_value("ethnicity", raw) is None


def test_every_ons_name_is_its_own_canonical_value():
    for name in ETHNICITY_DETAILED:
        assert classification.classify_value("ethnicity", name) == name
        assert classification.classify_value("ethnicity", name.upper()) == name


def test_classify_ethnicity_works_on_a_series_with_blanks_and_unplaceable_values():
    values = pl.Series("ethnicity", ["White - British", None, "Asain", "indian", "W1"])
    result = classification.classify_ethnicity(values)
    assert result.name == "ethnicity"
    assert result.to_list() == [WHITE_BRITISH, NOT_KNOWN, None, "Indian", WHITE_BRITISH]


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("sex", "F", "Female"),
        ("sex", "male", "Male"),
        ("sex", "Woman", "Female"),
        ("sex", "Prefer not to say", PREFER_NOT_TO_SAY),
        ("sex", "", NOT_KNOWN),
        ("disability", "Yes", "Disabled"),
        ("disability", "N", "Not disabled"),
        ("disability", "Not Disabled", "Not disabled"),
        ("disability", "Declined", PREFER_NOT_TO_SAY),
        ("sexual_orientation", "Heterosexual", "Straight or Heterosexual"),
        ("sexual_orientation", "Gay woman/lesbian", "Gay or Lesbian"),
        ("sexual_orientation", "Bi", "Bisexual"),
        ("religion", "None", "No religion"),
        ("religion", "Church of England", "Christian"),
        ("religion", "Islam", "Muslim"),
        ("religion", "Sikh", "Sikh"),
    ],
)
def test_it_recognises_other_characteristics(column, raw, expected):
    assert classification.classify_value(column, raw) == expected


def test_unknown_sex_values_are_not_guessed():
    assert classification.classify_value("sex", "X") is None


def test_vocabularies_hold_ons_2021_categories():
    assert "Straight or Heterosexual" in SEXUAL_ORIENTATION_VALUES
    assert {"No religion", "Christian", "Muslim", "Hindu"} <= set(RELIGION_VALUES)
    assert classification.VOCABULARIES["sex"] == ("Female", "Male", PREFER_NOT_TO_SAY, NOT_KNOWN)


def test_a_councils_value_mapping_comes_first_and_its_targets_are_checked():
    placed, unplaced, bad = classification.classify_unique(
        "ethnicity",
        ["Asain", "Other (please state)", "Martian", None],
        {"asain": "Indian", "Other (please state)": "Any other ethnic group", "Martian": "Alien"},
    )
    assert placed == {"Asain": "Indian", "Other (please state)": "Any other ethnic group"}
    assert unplaced == []
    assert bad == {"Martian": "Alien"}
