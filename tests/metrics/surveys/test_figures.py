"""Survey figures: percentages, intervals, comparisons and indices against hand arithmetic."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equitable.metrics import intervals
from equitable.metrics.labels import ETHNICITY_TO_GROUP
from equitable.metrics.surveys import figures
from equitable.metrics.surveys.model import AGREEMENT_5, SCALED, Question, Responses, Scale

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
SA, A, N, D, SD = AGREEMENT_5


def responses(rows: list[dict], codes=("q1",)) -> Responses:
    frame = pl.DataFrame(
        rows, schema={"ethnicity": pl.String, "sex": pl.String, **{c: pl.String for c in codes}}
    )
    frame = frame.with_columns(
        pl.col("ethnicity").replace_strict(ETHNICITY_TO_GROUP).alias("ethnic_group")
    )
    questions = tuple(Question(c, f"Statement {c}", SCALED, Scale.agreement()) for c in codes)
    return Responses(frame, questions)


def people(ethnicity: str, answers: list[str | None], sex: str = "Female") -> list[dict]:
    return [{"ethnicity": ethnicity, "sex": sex, "q1": a} for a in answers]


def row(table: pl.DataFrame, **keys) -> dict:
    found = table.filter(*(pl.col(k) == v for k, v in keys.items()))
    assert found.height == 1, found
    return found.row(0, named=True)


def test_percent_favourable_leaves_skips_and_dont_know_out_and_neutral_in():
    # 10 White British: 3 strongly agree, 2 agree, 2 neither, 1 disagree, 1 don't know, 1 skip.
    data = people(WHITE_BRITISH, [SA, SA, SA, A, A, N, N, D, "Don't know", None])
    result = figures.survey_figures(responses(data))
    overall = row(result["results_overall"], question="q1")
    # Base: 8 answered a scale point. Favourable 5/8 = 62.5 %, neutral 2/8, unfavourable 1/8.
    assert overall["respondents"] == 8
    assert overall["percent_favourable"] == 62.5
    assert overall["percent_neutral"] == 25.0
    assert overall["percent_unfavourable"] == 12.5
    # Wilson 95 % for 5/8: centre (0.625 + 1.92/16)/(1 + 3.84/8) ... = 30.57 % to 86.32 %.
    low, high = intervals.wilson_interval(5, 8)
    assert overall["ci_low"] == round(100 * low, 2) and round(overall["ci_low"]) == 31
    assert round(overall["ci_high"]) == 86
    # Mean score: (3×5 + 2×4 + 2×3 + 1×2) / 8 = 31 / 8.
    assert overall["mean_score"] == round(31 / 8, 2)
    assert json.loads(overall["distribution"]) == [
        [SA, 37.5],
        [A, 25.0],
        [N, 25.0],
        [D, 12.5],
        [SD, 0.0],
    ]


def test_detailed_categories_add_up_to_their_group_and_the_aggregate():
    data = (
        people("African", [SA] * 6 + [D] * 2)
        + people("Caribbean", [A] * 3)
        + people("Indian", [SD] * 4)
        + people(WHITE_BRITISH, [A] * 5 + [D] * 5)
        + people("Prefer not to say", [A])
    )
    table = figures.survey_figures(responses(data))["results_by_ethnic_group"]
    assert row(table, ethnic_group="Black")["respondents"] == 11
    assert row(table, ethnic_group="Black")["favourable"] == 9
    assert row(table, ethnic_group="Black, Asian and Multi-ethnic")["respondents"] == 15
    assert row(table, ethnic_group="White")["respondents"] == 10
    assert row(table, ethnic_group="Prefer not to say")["respondents"] == 1
    assert "Unknown" not in table["ethnic_group"].to_list()


def test_comparison_with_white_uses_newcombe_and_holm():
    # Black 56/70 favourable against White 48/80: Newcombe's (1998) worked example, method 10
    # gives 0.0524 to 0.3339 for the difference 0.2.
    data = people("African", [A] * 56 + [D] * 14) + people(WHITE_BRITISH, [A] * 48 + [D] * 32)
    table = figures.survey_figures(responses(data))["comparison_with_white"]
    black = row(table, ethnic_group="Black")
    assert black["difference_points"] == 20.0
    assert black["ci_low"] == pytest.approx(5.24, abs=0.01)
    assert black["ci_high"] == pytest.approx(33.39, abs=0.01)
    # z = 0.2 / sqrt(104/150 × 46/150 × (1/70 + 1/80)) = 0.2 / 0.07547 = 2.650; p = 0.0080.
    assert black["p_value"] == pytest.approx(0.0080, abs=0.0001)
    # Shown for this question: Black, the aggregate and African (three comparisons), so Holm
    # multiplies the smallest p by 3 at most: still below 0.05.
    assert black["significant"] is True
    assert "20 points more often than white staff" in black["reading"]


def test_holm_and_benjamini_hochberg_by_hand():
    p = [0.01, 0.04, 0.03, 0.20]
    # Holm: sorted 0.01, 0.03, 0.04, 0.20 times 4, 3, 2, 1 = 0.04, 0.09, 0.08 -> 0.09, 0.20.
    assert intervals.holm_adjust(p) == pytest.approx([0.04, 0.09, 0.09, 0.20])
    # BH: times 4/1, 4/2, 4/3, 4/4 = 0.04, 0.06, 0.0533, 0.20, then running minimum from the top.
    assert intervals.benjamini_hochberg_adjust(p) == pytest.approx(
        [0.04, 0.05333, 0.05333, 0.20], abs=1e-4
    )


def test_newcombe_interval_matches_the_published_example():
    low, high = intervals.newcombe_interval(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)
    assert intervals.newcombe_interval(0, 0, 1, 2) is None


def test_cronbach_alpha_by_hand():
    # Three items, four people. Item variances (ddof 1): 1.6667, 1.6667, 0.9167; totals 3, 6,
    # 9, 12 with variance 15. alpha = 3/2 × (1 − 4.25/15) = 1.075.
    scores = pl.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "c": [1, 2, 3, 4]})
    assert figures.cronbach_alpha(scores) == pytest.approx(1.0)
    scores = pl.DataFrame({"a": [1, 2, 4, 5], "b": [2, 2, 3, 5], "c": [1, 3, 3, 4]})
    # variances: a 3.3333, b 2.0, c 1.5833; totals 4, 7, 10, 14 variance 18.25.
    assert figures.cronbach_alpha(scores) == pytest.approx(1.5 * (1 - 6.9167 / 18.25), abs=1e-3)
    assert figures.cronbach_alpha(pl.DataFrame({"a": [1, 2]})) is None


def test_change_since_previous_reads_the_issue_example():
    before = responses(people("African", [A] * 41 + [D] * 59))
    now = responses(people("African", [A] * 55 + [D] * 45))
    table = figures.survey_figures(now, previous=before, wave_labels=("2020", "2022"))[
        "change_since_previous"
    ]
    black = row(table, characteristic="ethnic_group", group="Black")
    assert black["change_points"] == 14.0
    low, high = intervals.newcombe_interval(55, 100, 41, 100)
    assert black["ci_low"] == round(100 * low, 2)
    assert "41% (2020) → 55% (2022), +14 points (95% CI +0 to +27)" in black["reading"]


def test_wres_survey_adverse_share_is_everything_but_favourable():
    data = people("African", [A] * 3 + [D] * 7) + people(WHITE_BRITISH, [A] * 8 + [N] * 2)
    result = figures.survey_figures(responses(data), indicators={"wres6": "q1", "wres7": "q1"})
    table = result["wres_survey"]
    assert (
        row(table, indicator="wres6", ethnic_group="Black, Asian and Multi-ethnic")["percent"]
        == 70.0
    )
    assert row(table, indicator="wres6", ethnic_group="White")["percent"] == 20.0
    assert row(table, indicator="wres7", ethnic_group="White")["percent"] == 80.0


def test_derived_rows_of_withheld_results_are_suppressed_and_out_of_the_family():
    data = (
        people("African", [A] * 30) + people("Indian", [D] * 30) + people(WHITE_BRITISH, [A] * 30)
    )
    result = figures.survey_figures(responses(data))
    by_group = result["results_by_ethnic_group"].with_columns(
        pl.when(pl.col("ethnic_group") == "Black")
        .then(None)
        .otherwise(pl.col("respondents"))
        .alias("respondents"),
        (pl.col("ethnic_group") == "Black").alias("suppressed"),
    )
    derived = figures.derive_tables(
        {**result, "results_by_ethnic_group": by_group},
        previous_results=None,
        questions=result["questions"],
    )["comparison_with_white"]
    assert row(derived, ethnic_group="Black")["suppressed"] is True
    assert row(derived, ethnic_group="Black")["difference_points"] is None
    assert row(derived, ethnic_group="Asian")["suppressed"] is False


def test_nothing_crashes_on_an_empty_survey_or_an_unanswered_question():
    empty = responses([])
    result = figures.survey_figures(empty)
    assert result["results_overall"]["respondents"].to_list() == [0]
    assert result["results_overall"]["percent_favourable"].to_list() == [None]
    unanswered = responses(people(WHITE_BRITISH, [None, "Don't know"]))
    overall = figures.survey_figures(unanswered)["results_overall"].row(0, named=True)
    assert overall["respondents"] == 0 and overall["ci_low"] is None


ETHNICITIES = ["African", "Caribbean", "Indian", WHITE_BRITISH, "Irish", "Prefer not to say"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ETHNICITIES),
            st.sampled_from(["Female", "Male"]),
            st.sampled_from([*AGREEMENT_5, "Don't know", None]),
        ),
        max_size=60,
    )
)
def test_groups_match_a_naive_count(rows):
    data = [{"ethnicity": e, "sex": s, "q1": a} for e, s, a in rows]
    result = figures.survey_figures(responses(data))
    table = result["results_by_ethnic_group"]
    for ethnicity in set(e for e, _, _ in rows):
        answered = [a for e, _, a in rows if e == ethnicity and a in AGREEMENT_5]
        found = row(table, ethnic_group=ethnicity)
        assert found["respondents"] == len(answered)
        favourable = sum(a in AGREEMENT_5[:2] for a in answered)
        assert found["favourable"] == favourable
        if answered:
            assert found["percent_favourable"] == round(100 * favourable / len(answered), 2)
    by_sex = result["results_by_sex"]
    overall = result["results_overall"]["respondents"][0]
    assert by_sex["respondents"].sum() == overall
