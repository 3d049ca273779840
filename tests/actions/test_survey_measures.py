"""Survey measures: the key names a question of the bank and a group; each wave asking the
question gives its published % favourable, dated the end of the fieldwork month."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions import survey_measures
from equitable.actions.survey_measures import SurveySource


def test_a_key_names_the_group_and_the_bank_code():
    source = survey_measures.parse("survey:black-asian-multi-ethnic:dignity-q7")
    assert source == SurveySource("black-asian-multi-ethnic", "dignity-q7")
    assert source.group_label == "Black, Asian and Multi-ethnic"
    assert source.table == "results_by_ethnic_group"
    assert survey_measures.parse(source.key) == source
    assert survey_measures.parse("survey:all:q1").table == "results_overall"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("staff_black_asian_multi_ethnic_share", "not a survey measure key"),
        ("survey:bame:q1", "not a group"),
        ("survey:white:", "ends with the question bank code"),
    ],
)
def test_a_malformed_key_says_what_is_wrong(key, message):
    with pytest.raises(ValueError, match=message):
        survey_measures.parse(key)


def test_a_wave_is_dated_the_last_day_of_its_fieldwork_month():
    assert survey_measures.wave_date(date(2020, 12, 1)) == date(2020, 12, 31)
    assert survey_measures.wave_date(date(2024, 2, 1)) == date(2024, 2, 29)
    assert survey_measures.wave_date(date(2023, 6, 1)) == date(2023, 6, 30)


ROWS = [
    {"question": "Q8", "ethnic_group": "White", "percent_favourable": 71.43, "suppressed": False},
    {
        "question": "Q8",
        "ethnic_group": "Black, Asian and Multi-ethnic",
        "percent_favourable": 48.0,
        "suppressed": False,
    },
    {
        "question": "Q8",
        "ethnic_group": "Other",
        "percent_favourable": None,
        "suppressed": True,
        "why_withheld": "Fewer than 10 people answered in this group.",
    },
    {"question": "Q9", "ethnic_group": "White", "percent_favourable": 12.0, "suppressed": False},
]


def test_the_value_is_the_group_row_of_the_question_rounded_to_one_place():
    white = SurveySource("white", "q8").row_of(ROWS, "Q8")
    assert survey_measures.value_from(white) == (71.4, "")
    aggregate = SurveySource("black-asian-multi-ethnic", "q8").row_of(ROWS, "Q8")
    assert survey_measures.value_from(aggregate) == (48.0, "")


def test_a_withheld_or_missing_row_gives_no_value_and_the_reason():
    other = SurveySource("other", "q8").row_of(ROWS, "Q8")
    assert survey_measures.value_from(other) == (
        None,
        "Fewer than 10 people answered in this group.",
    )
    missing = SurveySource("asian", "q8").row_of(ROWS, "Q8")
    assert missing is None
    value, why = survey_measures.value_from(missing)
    assert value is None and "no published result" in why


def test_all_respondents_read_the_overall_row():
    overall = [{"question": "Q8", "percent_favourable": 60.25, "suppressed": False}]
    row = SurveySource("all", "q8").row_of(overall, "Q8")
    assert survey_measures.value_from(row) == (60.2, "")  # round half to even of 60.25
