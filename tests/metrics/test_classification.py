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
    WHITE_BRITISH_CATEGORY,
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
        ("White - British", WHITE_BRITISH_CATEGORY),
        ("White: English/Welsh/Scottish/Northern Irish/British", WHITE_BRITISH_CATEGORY),
        ("White British", WHITE_BRITISH_CATEGORY),
        ("White - Irish", "Irish"),
        ("Gypsy/Irish Traveller", "Gypsy or Irish Traveller"),
        ("Roma", "Roma"),
        ("Any other White background", "Other White"),
        ("Other Ethnic Groups - Chinese", "Chinese"),
        ("Other ethnic group: Arab", "Arab"),
        ("Any other ethnic group", "Any other ethnic group"),
        ("W1", WHITE_BRITISH_CATEGORY),
        ("a1", "Indian"),
        ("B2", "African"),
        ("O2", "Arab"),
        ("WBRI", WHITE_BRITISH_CATEGORY),
        ("MWBC", "White and Black Caribbean"),
        ("CHNE", "Chinese"),
        ("Prefer not to say", PREFER_NOT_TO_SAY),
        ("Not stated", PREFER_NOT_TO_SAY),
        ("REFU", PREFER_NOT_TO_SAY),
        ("Unknown", NOT_KNOWN),
        ("Not declared", NOT_KNOWN),
        # Only the high-level group: the group's "(category not given)".
        ("Asian or Asian British", "Asian (category not given)"),
        ("Black", "Black (category not given)"),
        ("White", "White (category not given)"),
        ("Mixed", "Mixed (category not given)"),
        ("Mixed race", "Mixed (category not given)"),
        ("White unspecified", "White (category not given)"),
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
    assert result.to_list() == [
        WHITE_BRITISH_CATEGORY,
        NOT_KNOWN,
        None,
        "Indian",
        WHITE_BRITISH_CATEGORY,
    ]


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


# --- issue 12: NHS Data Dictionary codes, ESR wordings, suggestions by meaning ----------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A White - British", WHITE_BRITISH_CATEGORY),
        ("A - White - British", WHITE_BRITISH_CATEGORY),
        ("B White - Irish", "Irish"),
        ("C White - Any other White background", "Other White"),
        ("C3 White Unspecified", "White (category not given)"),
        ("CA White English", WHITE_BRITISH_CATEGORY),
        ("CN White Gypsy/Romany", "Gypsy or Irish Traveller"),
        ("D Mixed - White & Black Caribbean", "White and Black Caribbean"),
        ("GD Mixed - Chinese and White", "White and Asian"),  # Chinese is Asian from 2021
        ("H Asian or Asian British - Indian", "Indian"),
        ("LB Asian Punjabi", "Other Asian"),
        ("LH Asian British", "Asian (category not given)"),
        ("N Black or Black British - African", "African"),
        ("PC Black Nigerian", "African"),
        ("PD Black British", "Black (category not given)"),
        ("R Chinese", "Chinese"),  # "Other Ethnic Groups - Chinese" in 2001: Asian in 2021
        ("R Other Ethnic Groups - Chinese", "Chinese"),
        ("S Any other ethnic group", "Any other ethnic group"),
        ("S Other Ethnic Group", "Any other ethnic group"),
        ("SA Vietnamese", "Any other ethnic group"),
        ("Z Not Stated", PREFER_NOT_TO_SAY),
        ("99 Not known", NOT_KNOWN),
        ("Unspecified", NOT_KNOWN),
    ],
)
def test_it_recognises_nhs_ethnic_category_codes_with_their_description(raw, expected):
    assert classification.classify_value("ethnicity", raw) == expected


@pytest.mark.parametrize("raw", ["A Asian", "B Black", "M Mixed", "Z Not known", "A Level 3"])
def test_a_code_whose_words_contradict_it_is_not_placed(raw):
    assert classification.classify_value("ethnicity", raw) is None


def test_bare_nhs_codes_are_read_only_in_a_column_of_nhs_codes():
    codes = classification.classify_distinct(
        "ethnicity", pl.Series(["A", "C3", "H", "Z", "R Chinese", "Not known", None])
    )
    assert dict(codes.placed.iter_rows()) == {
        "A": WHITE_BRITISH_CATEGORY,
        "C3": "White (category not given)",
        "H": "Indian",
        "Z": PREFER_NOT_TO_SAY,
        "R Chinese": "Chinese",
        "Not known": NOT_KNOWN,
    }
    assert codes.notes == [classification.NHS_CODES_NOTE]
    mixed = classification.classify_distinct("ethnicity", pl.Series(["A", "B", "W", "Indian"]))
    assert mixed.unplaced.to_list() == ["A", "B", "W"]  # A for Asian? W is no NHS code
    assert mixed.notes == []


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("religion", "Christianity", "Christian"),
        ("religion", "Atheism", "No religion"),
        ("religion", "Jainism", "Other religion"),
        ("religion", "I do not wish to disclose my religion/belief", PREFER_NOT_TO_SAY),
        ("religion", "Unspecified", NOT_KNOWN),
        ("sexual_orientation", "Heterosexual or Straight", "Straight or Heterosexual"),
        (
            "sexual_orientation",
            "Not stated (person asked but declined to provide a response)",
            PREFER_NOT_TO_SAY,
        ),
        ("sexual_orientation", "Other sexual orientation not listed", "Other sexual orientation"),
        ("sexual_orientation", "Unspecified", NOT_KNOWN),
        ("disability", "Unspecified", NOT_KNOWN),
        ("disability", "Not Declared", NOT_KNOWN),
    ],
)
def test_it_recognises_esr_wordings(column, raw, expected):
    assert classification.classify_value(column, raw) == expected


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        # By meaning: an accepted name or a recognised spelling inside the value.
        ("religion", "Christian (Church in Wales)", "Christian"),
        ("ethnicity", "White - Other European (Polish)", "Other White"),
        ("ethnicity", "Asian - Punjabi", "Asian (category not given)"),
        ("ethnicity", "H Asian - Gujarati", "Indian"),  # the NHS code and the words agree
        ("sexual_orientation", "Declined to answer this question", PREFER_NOT_TO_SAY),
        # No good suggestion: nothing matches, or the clues disagree. Never a guess.
        ("sex", "X", None),
        ("sex", "Non-binary", None),
        ("ethnicity", "Asain", None),
        ("ethnicity", "A Asian", None),
        ("ethnicity", "Mixed - Black & Asian", None),
        ("ethnicity", "H", None),
    ],
)
def test_suggestions_are_by_meaning_only(column, raw, expected):
    suggestion = classification.suggest(column, raw)
    assert suggestion.value == expected
    assert suggestion.reason


def test_a_bare_code_is_explained_not_suggested():
    assert classification.suggest("ethnicity", "H").reason == (
        "if it is the NHS code H, it means “Indian”"
    )


def test_an_empty_mapping_target_is_refused_not_read_as_not_known():
    placed, unplaced, bad = classification.classify_unique("sex", ["X"], {"X": ""})
    assert placed == {} and bad == {"X": ""}


def test_the_vectorised_normalisation_matches_the_python_one():
    values = ["Asian/Asian British: Indian", "  MIXED & other ", "O’Brien's", "Résumé", "a-b_c"]
    vectorised = pl.select(classification.normalise_expr(pl.lit(pl.Series(values)))).to_series()
    assert vectorised.to_list() == [classification.normalise(v) for v in values]
