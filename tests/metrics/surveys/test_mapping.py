"""Mapping a survey export's columns: the default rule, suggestions, all-or-nothing apply."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equitable.metrics.surveys import mapping
from equitable.metrics.surveys.model import (
    CHOICE,
    DEMOGRAPHIC,
    FREE_TEXT,
    IGNORE,
    MULTIPLE,
    SCALED,
    ColumnMapping,
    SurveyColumn,
    SurveyFile,
    SurveyFileError,
    SurveyMapping,
)


def survey(columns: dict[str, list], questions: dict[str, str] | None = None) -> SurveyFile:
    questions = questions or {}
    height = len(next(iter(columns.values())))
    return SurveyFile(
        tool="plain",
        columns=tuple(SurveyColumn(k, questions.get(k, k)) for k in columns),
        answers=pl.DataFrame(columns, schema={k: pl.String for k in columns}),
        row_numbers=tuple(range(2, 2 + height)),
    )


CANONICAL = {
    "respondent_id": ["1", "2", "3", "4"],
    "ethnicity": ["Black or Black British - Caribbean", "White British", "Asian - Indian", None],
    "sex": ["Female", "Male", "Prefer not to say", "Female"],
    "directorate": ["People", "Place", "People", ""],
    "safe_to_speak_up": ["Strongly agree", "Disagree", "Don't know", None],
    "comments": ["More training", "=HYPERLINK(1)", None, "Thanks"],
}


def test_default_mapping_follows_the_command_line_rule():
    found = {c.key: c for c in mapping.default_mapping(survey(CANONICAL)).columns}
    assert found["respondent_id"].role == IGNORE
    assert found["ethnicity"].role == DEMOGRAPHIC
    assert found["ethnicity"].characteristic == "ethnicity"
    assert found["safe_to_speak_up"].role == SCALED
    assert found["safe_to_speak_up"].scale.favourable == {"Strongly agree", "Agree"}
    assert found["comments"].role in (CHOICE, "free_text")


def test_applied_responses_place_ons_categories_and_keep_no_answers_out_of_the_scale():
    responses = mapping.apply_mapping(survey(CANONICAL), mapping.default_mapping(survey(CANONICAL)))
    frame = responses.frame
    assert "respondent_id" not in frame.columns
    assert set(frame["ethnicity"]) == {
        "Caribbean",
        "English, Welsh, Scottish, Northern Irish or British",
        "Indian",
        "Not known",
    }
    assert set(frame["ethnic_group"]) == {"Black", "White", "Asian", "Unknown"}
    assert set(frame["directorate"]) == {"People", "Place", "Not known"}
    assert responses.question("safe-to-speak-up").scale is not None
    # The formula-looking comment stays text.
    assert "=HYPERLINK(1)" in frame["comments"].to_list()


def test_every_problem_is_listed_with_its_row_and_column_and_nothing_is_returned():
    columns = dict(CANONICAL)
    columns["safe_to_speak_up"] = ["Strongly agree", "Maybe", "Agree", "Nope"]
    columns["ethnicity"] = ["Martian", "White British", "Asian - Indian", None]
    file = survey(columns)
    chosen = mapping.default_mapping(survey(CANONICAL))
    with pytest.raises(SurveyFileError) as error:
        mapping.apply_mapping(file, chosen)
    found = {(p.row, p.column, p.value) for p in error.value.problems}
    assert (3, "safe_to_speak_up", "Maybe") in found
    assert (5, "safe_to_speak_up", "Nope") in found
    assert (2, "ethnicity", "Martian") in found


def test_suggestions_read_the_question_and_the_scale_case_insensitively():
    file = survey(
        {
            "Q1": ["Asian or Asian British - Pakistani", "White - Irish"],
            "Q2": ["strongly agree", "Neutral"],
            "Q3": ["Never", "3-5 times"],
            "Q4": ["Yes", "No"],
        },
        {
            "Q1": "What is your ethnic group?",
            "Q2": "I feel safe to speak up",
            "Q3": "How often have you experienced harassment from colleagues?",
            "Q4": "In the last 12 months have you experienced discrimination at work?",
        },
    )
    found = {c.key: c for c in mapping.suggest_mapping(file).columns}
    assert found["Q1"].characteristic == "ethnicity"
    assert found["Q2"].role == SCALED and found["Q2"].scale.kind == "agreement"
    assert found["Q3"].scale.favourable == {"Never"}
    assert found["Q4"].scale.favourable == {"No"}
    responses = mapping.apply_mapping(file, mapping.suggest_mapping(file))
    assert set(responses.frame["q2"]) == {"Strongly agree", "Neither agree nor disagree"}


def test_a_remembered_mapping_wins_over_a_guess():
    file = survey({"Q9": ["Yes", "No"]}, {"Q9": "I have a sponsor or mentor"})
    remembered = {
        "Q9": ColumnMapping(key="Q9", role=CHOICE, code="mentor", options=("Yes", "No")).to_json()
    }
    found = mapping.suggest_mapping(file, remembered).columns[0]
    assert found.role == CHOICE and found.code == "mentor"


def test_mapping_json_round_trips():
    chosen = mapping.default_mapping(survey(CANONICAL))
    assert SurveyMapping.from_json(chosen.to_json()) == chosen


def test_multiple_choice_from_one_column_per_option_and_from_a_joined_cell():
    file = survey(
        {
            "support - Mentoring": ["Mentoring", None],
            "support - Coaching, formal": [None, "Coaching, formal"],
            "joined": ["Coaching, formal;Mentoring;", "Mentoring;"],
        }
    )
    chosen = SurveyMapping(
        (
            ColumnMapping("support - Mentoring", MULTIPLE, code="support", options=("Mentoring",)),
            ColumnMapping(
                "support - Coaching, formal",
                MULTIPLE,
                code="support",
                options=("Coaching, formal",),
            ),
            ColumnMapping(
                "joined", MULTIPLE, code="joined", options=("Mentoring", "Coaching, formal")
            ),
        )
    )
    frame = mapping.apply_mapping(file, chosen).frame
    assert sorted(map(sorted, frame["support"].to_list())) == [["Coaching, formal"], ["Mentoring"]]
    assert sorted(map(sorted, frame["joined"].to_list())) == [
        ["Coaching, formal", "Mentoring"],
        ["Mentoring"],
    ]


def test_odd_data_never_crashes():
    file = survey({"blank": [None, None], "q": ["Agree", "Agree"]})
    chosen = mapping.suggest_mapping(file)
    assert chosen.for_key("blank").role == IGNORE
    assert mapping.apply_mapping(file, chosen).frame.height == 2
    with pytest.raises(SurveyFileError):
        mapping.apply_mapping(
            survey({"blank": [None]}), mapping.suggest_mapping(survey({"blank": [None]}))
        )


def scale_of(answers: list[str], question: str = "q"):
    file = survey({"q": answers}, {"q": question})
    return mapping.suggest_mapping(file).columns[0].scale


def test_each_scale_kind_is_recognised_whatever_its_case():
    seven = scale_of(["Somewhat agree", "STRONGLY DISAGREE", "neither agree nor disagree"])
    assert seven == mapping.AGREEMENT_7
    assert scale_of(["Always", "rarely", "Never"]) == mapping.FREQUENCY
    assert mapping.FREQUENCY.favourable == {"Always", "Often"}
    assert scale_of(["Never", "More than 10 times"]) == mapping.EXPERIENCE
    assert scale_of(["yes", "No"], "I have a sponsor or mentor").favourable == {"Yes"}
    assert scale_of(["Yes", "No"], "Have you experienced bullying?").favourable == {"No"}
    assert scale_of(["Perhaps", "Agree"]) is None


def test_no_answers_of_every_tool_stay_out_of_the_scale():
    answers = ["Agree", "-99", "No Reply", "Not Asked", "Not applicable", "Don't know"]
    file = survey({"q": answers})
    responses = mapping.apply_mapping(file, mapping.suggest_mapping(file))
    assert responses.question("q").scale == mapping.AGREEMENT_5
    assert sorted(responses.frame["q"].to_list()) == sorted(answers)


def test_a_numbers_only_export_is_refused_until_the_mapping_gives_the_scale():
    file = survey({"q": ["1", "5", "3", None]})
    guessed = mapping.default_mapping(file)
    assert guessed.columns[0].role == SCALED and guessed.columns[0].scale is None
    with pytest.raises(SurveyFileError) as error:
        mapping.apply_mapping(file, guessed)
    assert "numbers only" in error.value.problems[0].message
    numbers = dict(zip("54321", mapping.AGREEMENT_5.points, strict=True))
    given = SurveyMapping(
        (ColumnMapping("q", SCALED, scale=mapping.AGREEMENT_5, code="q", values=numbers),)
    )
    frame = mapping.apply_mapping(file, given).frame
    assert set(frame["q"].to_list()) == {
        "Strongly disagree",
        "Strongly agree",
        None,
        "Neither agree nor disagree",
    }
    assert mapping.unmapped_values(file, given) == {}


def test_sexual_orientation_and_religion_keep_the_surveys_own_answers():
    file = survey(
        {
            "sexual_orientation": ["gay or lesbian", "Straight", "Asexual", None],
            "religion": ["Jedi", "christian", "Prefer not to say", " "],
            "age_band": [" 25-34", "Not stated", "65+", None],
            "q": ["Agree"] * 4,
        }
    )
    frame = mapping.apply_mapping(file, mapping.default_mapping(file)).frame
    assert set(frame["sexual_orientation"]) == {
        "Gay or lesbian",
        "Heterosexual or straight",
        "Asexual",
        "Not known",
    }
    assert set(frame["religion"]) == {"Jedi", "Christian", "Prefer not to say", "Not known"}
    assert set(frame["age_band"]) == {"25-34", "Prefer not to say", "65+", "Not known"}


def test_an_unplaced_demographic_value_is_listed_and_can_be_mapped():
    file = survey({"sex": ["Female", "Non-binary"], "q": ["Agree", "Agree"]})
    guessed = mapping.default_mapping(file)
    assert mapping.unmapped_values(file, guessed) == {"sex": ["Non-binary"]}
    with pytest.raises(SurveyFileError) as error:
        mapping.apply_mapping(file, guessed)
    assert [(p.row, p.column) for p in error.value.problems] == [(3, "sex")]
    sex = guessed.for_key("sex")
    fixed = SurveyMapping(
        (ColumnMapping("sex", DEMOGRAPHIC, "sex", {"Non-binary": "Not known"}), guessed.columns[1])
    )
    assert sex is not None
    assert mapping.apply_mapping(file, fixed).frame["sex"].sort().to_list() == [
        "Female",
        "Not known",
    ]


def test_nhs_codes_and_group_only_ethnicities_are_placed():
    file = survey({"ethnicity": ["A", "M", "H", "Z"], "q": ["Agree"] * 4})
    frame = mapping.apply_mapping(
        file,
        SurveyMapping(
            (
                ColumnMapping(
                    "ethnicity",
                    DEMOGRAPHIC,
                    "ethnicity",
                    {
                        "A": "English, Welsh, Scottish, Northern Irish or British",
                        "M": "Caribbean",
                        "H": "Indian",
                        "Z": "Prefer not to say",
                    },
                ),
                ColumnMapping("q", SCALED, scale=mapping.AGREEMENT_5, code="q"),
            )
        ),
    ).frame
    assert set(frame["ethnic_group"]) == {"White", "Black", "Asian", "Unknown"}


def test_select_all_questions_are_suggested_in_both_shapes():
    file = SurveyFile(
        tool="plain",
        columns=(
            SurveyColumn("s - Mentoring", "Support offered", "Mentoring"),
            SurveyColumn("s - Coaching", "Support offered", "Coaching"),
            SurveyColumn("forms", "Which networks?"),
        ),
        answers=pl.DataFrame(
            {
                "s - Mentoring": ["Mentoring", None, "Mentoring"],
                "s - Coaching": [None, "Coaching", "Coaching"],
                "forms": ["Race;Disability;", "Race;", None],
            }
        ),
        row_numbers=(2, 3, 4),
    )
    chosen = mapping.suggest_mapping(file)
    assert {c.role for c in chosen.columns} == {MULTIPLE}
    assert chosen.columns[0].code == chosen.columns[1].code
    assert chosen.for_key("forms").options == ("Race", "Disability")
    responses = mapping.apply_mapping(file, chosen)
    code = chosen.columns[0].code
    assert responses.frame[code].dtype == pl.List(pl.String)
    assert sorted(map(sorted, responses.frame[code].to_list())) == [
        ["Coaching"],
        ["Coaching", "Mentoring"],
        ["Mentoring"],
    ]
    assert responses.question(code).options == ("Mentoring", "Coaching")


def test_an_unknown_option_in_a_joined_cell_is_a_problem_with_its_row():
    file = survey({"j": ["Mentoring;Gardening;", "Mentoring;"]})
    chosen = SurveyMapping((ColumnMapping("j", MULTIPLE, code="j", options=("Mentoring",)),))
    with pytest.raises(SurveyFileError) as error:
        mapping.apply_mapping(file, chosen)
    assert [(p.row, p.column, p.value) for p in error.value.problems] == [(2, "j", "Gardening")]


def test_duplicate_codes_and_unknown_columns_are_problems_together():
    file = survey({"a": ["Agree"], "b": ["Agree"]})
    chosen = SurveyMapping(
        (
            ColumnMapping("a", SCALED, scale=mapping.AGREEMENT_5, code="x"),
            ColumnMapping("b", SCALED, scale=mapping.AGREEMENT_5, code="x"),
            ColumnMapping("c", SCALED, scale=mapping.AGREEMENT_5, code="y"),
        )
    )
    with pytest.raises(SurveyFileError) as error:
        mapping.apply_mapping(file, chosen)
    assert len(error.value.problems) == 2


def test_rows_are_shuffled():
    answers = [str(i) for i in range(40)]
    file = survey({"c": answers, "q": ["Agree"] * 40})
    chosen = SurveyMapping(
        (
            ColumnMapping("c", FREE_TEXT, code="c"),
            ColumnMapping("q", SCALED, scale=mapping.AGREEMENT_5, code="q"),
        )
    )
    orders = {tuple(mapping.apply_mapping(file, chosen).frame["c"]) for _ in range(3)}
    assert len(orders) > 1 and all(sorted(o) == sorted(answers) for o in orders)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["ethnicity", "sex", "age_band", "q1", "q2", "respondent_id", "x"]),
        st.lists(
            st.one_of(st.none(), st.text(max_size=12), st.sampled_from(mapping.AGREEMENT_5.points)),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
    )
)
def test_odd_data_gives_responses_or_listed_problems(columns):
    file = survey(columns)
    for chosen in (mapping.default_mapping(file), mapping.suggest_mapping(file)):
        mapping.unmapped_values(file, chosen)
        try:
            responses = mapping.apply_mapping(file, chosen)
        except SurveyFileError as error:
            assert error.problems
        else:
            assert responses.frame.height == 3
