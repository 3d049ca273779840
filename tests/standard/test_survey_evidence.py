"""Staff survey figures beside 2c.5 and 4.2 and the levels they suggest, each with its rule
beside it; from the protected tables only (hand-built rows shaped as `published_tables`)."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.standard import survey_evidence as se

BAME = "Black, Asian and Multi-ethnic"
END_2024_25 = date(2025, 3, 31)
QUESTIONS = [
    {"question": "q1", "text": "I feel safe to speak up", "suppressed": False},
    {"question": "q2", "text": "My manager treats everyone fairly", "suppressed": False},
]


def _gap(question, group, percent, white, low, high, significant):
    return {
        "question": question,
        "ethnic_group": group,
        "reference_group": "White",
        "percent_favourable": percent,
        "reference_percent_favourable": white,
        "difference_points": None if percent is None else round(percent - white, 2),
        "ci_low": low,
        "ci_high": high,
        "significant": significant,
        "suppressed": False,
        "why_withheld": None,
    }


def _withheld_gap(question, group, why="not shown because White is withheld"):
    return {
        "question": question,
        "ethnic_group": group,
        "reference_group": "White",
        "percent_favourable": None,
        "reference_percent_favourable": None,
        "difference_points": None,
        "ci_low": None,
        "ci_high": None,
        "significant": None,
        "suppressed": True,
        "why_withheld": why,
    }


def _change(question, characteristic, group, then, now, low, high, significant):
    return {
        "question": question,
        "characteristic": characteristic,
        "group": group,
        "previous_percent_favourable": then,
        "percent_favourable": now,
        "change_points": round(now - then, 2),
        "ci_low": low,
        "ci_high": high,
        "significant": significant,
        "suppressed": False,
        "why_withheld": None,
    }


def _withheld_change(question, group, why):
    return {
        "question": question,
        "characteristic": "ethnic_group",
        "group": group,
        # a withheld row's figures are null; a stray figure in it must never be read either
        "previous_percent_favourable": 40.0,
        "percent_favourable": 90.0,
        "change_points": 50.0,
        "ci_low": 30.0,
        "ci_high": 70.0,
        "significant": True,
        "suppressed": True,
        "why_withheld": why,
    }


GAPS = [
    _gap("q1", BAME, 48.0, 60.0, -18.5, -5.1, True),
    _gap("q1", "Black", 45.0, 60.0, -22.0, -6.0, True),
    _gap("q1", "Asian", 55.0, 60.0, -12.0, 2.0, False),
    _gap("q2", BAME, 62.0, 64.0, -8.0, 4.0, False),
]


def _wave(
    title="Staff survey 2024",
    kind="annual",
    month=date(2024, 10, 1),
    previous="Staff survey 2023",
    changes=(),
    gaps=GAPS,
):
    return se.Wave(
        title=title,
        kind=kind,
        fieldwork_month=month,
        previous_title=previous,
        previous_month=date(month.year - 1, month.month, 1) if previous else None,
        tables={
            "questions": QUESTIONS,
            "comparison_with_white": list(gaps),
            "change_since_previous": list(changes),
        },
    )


def _evidence(*waves, on=END_2024_25):
    return se.survey_evidence(list(waves), on)


IMPROVED = [
    _change("q1", "overall", "All staff", 50.0, 53.0, -2.0, 8.0, False),
    _change("q1", "ethnic_group", BAME, 40.0, 52.0, 4.2, 19.6, True),
    _change("q2", "overall", "All staff", 60.0, 61.0, -4.0, 6.0, False),
    _change("q2", "ethnic_group", BAME, 58.0, 57.0, -9.0, 7.0, False),
]


# --- 4.2 ------------------------------------------------------------------------------------


def test_4_2_a_significant_improvement_for_black_asian_and_multi_ethnic_staff_suggests_leading():
    evidence = _evidence(_wave(changes=IMPROVED))
    suggestion = se.suggest_survey_change(evidence)
    assert suggestion is not None and suggestion.level == "leading"
    assert suggestion.source == "staff survey data"
    assert suggestion.reason.startswith("Rule: at least one question")
    assert "Staff survey 2023 (October 2023) to Staff survey 2024 (October 2024)" in (
        suggestion.figure_text
    )
    assert "rose beyond chance on 1 question for Black, Asian and Multi-ethnic staff" in (
        suggestion.figure_text
    )
    change, gap = evidence.tables["4.2"]
    assert change.change and change.headings[0] == "Then"
    read = [(f.question, f.group, f.points_text, f.significance_text) for f in change.figures]
    assert read[:2] == [
        ("I feel safe to speak up", "All staff", "+3.0 (\u22122.0 to +8.0)", "No"),
        ("I feel safe to speak up", BAME, "+12.0 (+4.2 to +19.6)", "Yes, higher"),
    ]
    assert change.caption.startswith("Changes beyond chance, Staff survey 2023")
    assert [(f.question, f.group) for f in change.rows] == [("I feel safe to speak up", BAME)]
    assert change.within_chance == 3 and change.withheld == ()
    # the gap to White now: the aggregate of each question and Black (beyond chance); Asian,
    # within chance, is not read
    assert [f.group for f in gap.figures] == [BAME, "Black", BAME]
    assert [f.group for f in gap.rows] == [BAME, "Black"]
    assert gap.rows[0].percent_text == "48.0%" and gap.rows[0].reference_text == "60.0%"
    assert gap.rows[0].significance_text == "Yes, lower"


def test_4_2_an_improvement_of_a_high_level_group_counts_and_is_shown():
    changes = [*IMPROVED[:1], _change("q1", "ethnic_group", "Black", 30.0, 52.0, 6.0, 35.0, True)]
    evidence = _evidence(_wave(changes=changes))
    assert se.suggest_survey_change(evidence).level == "leading"
    assert [f.group for f in evidence.tables["4.2"][0].rows] == ["Black"]
    assert [f.group for f in evidence.tables["4.2"][0].figures] == ["All staff", "Black"]


@pytest.mark.parametrize(
    "changes",
    [
        # within chance
        [_change("q1", "ethnic_group", BAME, 40.0, 46.0, -1.0, 13.0, False)],
        # a fall beyond chance is no evidence of improvement
        [_change("q1", "ethnic_group", BAME, 60.0, 48.0, -19.0, -4.0, True)],
        # an improvement for all staff only
        [_change("q1", "overall", "All staff", 40.0, 52.0, 4.0, 19.0, True)],
    ],
)
def test_4_2_no_significant_improvement_for_black_asian_and_multi_ethnic_staff_no_suggestion(
    changes,
):
    evidence = _evidence(_wave(changes=changes))
    assert se.suggest_survey_change(evidence) is None
    assert "4.2" in evidence.tables  # the figures are shown all the same


def test_4_2_a_withheld_row_is_shown_withheld_and_suggests_nothing():
    why = "not shown because Black, Asian and Multi-ethnic is withheld in the previous survey"
    changes = [IMPROVED[0], _withheld_change("q1", BAME, why)]
    evidence = _evidence(_wave(changes=changes))
    assert se.suggest_survey_change(evidence) is None
    assert evidence.improvements == ()
    table = evidence.tables["4.2"][0]
    assert table.rows == ()  # the withheld row is not a figure beyond chance
    assert table.none_text.endswith("for all staff or for Black, Asian and Multi-ethnic staff.")
    [row] = table.withheld
    assert row.withheld == why
    assert (row.percent, row.reference_percent, row.points, row.ci_low, row.ci_high) == (None,) * 5
    assert row.percent_text == row.points_text == row.significance_text == ""


def test_a_withheld_row_without_a_reason_still_says_it_is_withheld():
    row = dict(_withheld_change("q1", BAME, None), why_withheld=None)
    evidence = _evidence(_wave(changes=[row]))
    assert evidence.tables["4.2"][0].withheld[0].withheld == se.WITHHELD


def test_a_row_missing_a_figure_is_withheld_even_if_not_marked_suppressed():
    row = dict(IMPROVED[1], percent_favourable=None, suppressed=False)
    evidence = _evidence(_wave(changes=[row]))
    assert evidence.changes[0].withheld == se.WITHHELD
    assert se.suggest_survey_change(evidence) is None


def test_4_2_no_previous_wave_no_suggestion():
    evidence = _evidence(_wave(previous="", changes=IMPROVED))
    assert evidence.change_wave is None
    assert se.suggest_survey_change(evidence) is None
    assert "4.2" not in evidence.tables
    assert "2c.5" in evidence.tables  # the survey still answers 2c.5


def test_4_2_reads_the_newest_wave_with_a_previous_wave_up_to_the_end_of_the_period():
    improved = _wave(changes=IMPROVED, month=date(2023, 10, 1))
    flat = _wave(title="Pulse 2024", kind="pulse", month=date(2024, 6, 1), changes=IMPROVED[:1])
    later = _wave(title="Staff survey 2025", month=date(2025, 10, 1), changes=IMPROVED)
    evidence = _evidence(improved, flat, later)
    assert evidence.change_wave is not None and evidence.change_wave.title == "Pulse 2024"
    assert se.suggest_survey_change(evidence) is None  # the 2025 wave is after the period


def test_4_2_the_declines_are_named_beside_the_improvement():
    changes = [*IMPROVED, _change("q2", "ethnic_group", "Asian", 70.0, 50.0, -30.0, -9.0, True)]
    suggestion = se.suggest_survey_change(_evidence(_wave(changes=changes)))
    assert suggestion.level == "leading"
    assert "fell beyond chance on 1" in suggestion.figure_text
    assert "the falls outweigh it" in suggestion.reason


# --- 2c.5 -----------------------------------------------------------------------------------


def test_2c_5_a_survey_of_the_last_12_months_with_results_by_ethnic_group_suggests_established():
    evidence = _evidence(_wave(previous=""))
    suggestion = se.suggest_training_data(evidence)
    assert suggestion is not None and suggestion.level == "established"
    assert suggestion.reason.startswith("Rule: an annual staff survey (or race survey)")
    assert "facilitated safe spaces" in suggestion.reason
    assert suggestion.figure_text == (
        "Staff survey 2024 (October 2024), an annual staff survey with results by ethnic "
        "group: gaps beyond chance between Black, Asian and Multi-ethnic and White staff on 1 "
        "of 2 questions (1 less favourable)"
    )
    [table] = evidence.tables["2c.5"]
    assert table.caption == (
        "Gaps beyond chance between Black, Asian and Multi-ethnic and White staff, "
        "Staff survey 2024 (October 2024)"
    )
    assert [f.points_text for f in table.figures] == [
        "\u221212.0 (\u221218.5 to \u22125.1)",
        "\u221215.0 (\u221222.0 to \u22126.0)",
        "\u22122.0 (\u22128.0 to +4.0)",
    ]


def test_2c_5_a_race_survey_counts_and_a_pulse_survey_does_not():
    race = _evidence(_wave(kind="race", previous=""))
    assert se.suggest_training_data(race).level == "established"
    pulse = _evidence(_wave(kind="pulse", previous=""))
    assert se.suggest_training_data(pulse) is None
    assert "2c.5" not in pulse.tables


def test_2c_5_the_newest_survey_older_than_12_months_suggests_none():
    evidence = _evidence(_wave(month=date(2023, 11, 1), previous=""))
    suggestion = se.suggest_training_data(evidence)
    assert suggestion.level == "none"
    assert "the 12 months to 31 March 2025" in suggestion.figure_text
    assert "2c.5" in evidence.tables  # its figures are still shown, with their month


@pytest.mark.parametrize(
    ("month", "recent"),
    [
        (date(2024, 3, 1), False),  # March 2024 ends before the window opens
        (date(2024, 4, 1), True),
        (date(2025, 3, 1), True),
        (date(2025, 4, 1), False),  # after the period: not read at all
    ],
)
def test_2c_5_the_last_12_months_are_those_to_the_end_of_the_period(month, recent):
    evidence = _evidence(_wave(month=month, previous=""))
    assert evidence.training_recent is recent


def test_2c_5_every_comparison_withheld_shows_them_withheld_and_suggests_nothing():
    gaps = [_withheld_gap("q1", BAME), _withheld_gap("q2", BAME, "")]
    evidence = _evidence(_wave(previous="", gaps=gaps))
    assert se.suggest_training_data(evidence) is None
    rows = evidence.tables["2c.5"][0].withheld
    assert [f.withheld for f in rows] == ["not shown because White is withheld", se.WITHHELD]


def test_2c_5_a_withheld_aggregate_does_not_count_but_a_shown_group_does():
    gaps = [_withheld_gap("q1", BAME), GAPS[1]]
    evidence = _evidence(_wave(previous="", gaps=gaps))
    suggestion = se.suggest_training_data(evidence)
    assert suggestion.level == "established"
    assert "on 1 of 1 questions" in suggestion.figure_text


def test_no_survey_gives_no_suggestion_and_no_figures():
    evidence = _evidence()
    assert se.suggest_from_surveys(evidence) == {}
    assert evidence.tables == {}
