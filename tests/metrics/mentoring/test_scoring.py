"""The pair score: weighted components, each explained, and the hard constraints."""

from __future__ import annotations

import pytest

from equitable.metrics.mentoring.scoring import (
    Weights,
    WeightsError,
    explain,
    pair_scores,
    parse_settings,
)
from tests.metrics.mentoring.support import person, pool_of


def scored(pool, **options):
    return {(r["mentee_id"], r["mentor_id"]): r for r in pair_scores(pool, **options).to_dicts()}


def test_hand_worked_scores_with_default_weights():
    # m1 seeks two topics, A offers both and B one; m1 asked for another directorate and a
    # mentor of the same background; both m1 and A gave "Black" as their ethnic group.
    pool = pool_of(
        person("A", "mentor", 5, "People", offers=["leadership", "budgets"], ethnic_group="black"),
        person("B", "mentor", 4, "Place", offers=["leadership"]),
        person(
            "m1",
            "mentee",
            2,
            "People",
            seeks=["leadership", "budgets"],
            other_directorate="yes",
            background_preference="same",
            ethnic_group="black",
        ),
    )
    pairs = scored(pool)
    a = pairs["m1", "A"]
    # topics 2/2 * 10 + directorate 0 (same directorate) + background 1 * 3 + band 1/3 * 1
    assert a["topics"] == 1.0 and a["directorate"] == 0.0 and a["background"] == 1.0
    assert a["score"] == pytest.approx(10 + 0 + 3 + 0 + 1 / 3)
    b = pairs["m1", "B"]
    # topics 1/2 * 10 + directorate 1 * 3 + background 0 (nothing in common given) + band 1/2
    assert b["score"] == pytest.approx(5 + 3 + 0 + 0 + 0.5)
    rows = explain(b, Weights())
    assert [r["contribution"] for r in rows] == pytest.approx([5.0, 3.0, 0.0, 0.0, 0.5])
    assert sum(r["contribution"] for r in rows) == pytest.approx(b["score"])


def test_preferences_of_both_people_are_averaged_over_those_who_asked():
    pool = pool_of(
        person("A", "mentor", 3, "Place", other_directorate="no", availability=["tue-am"]),
        person("m1", "mentee", 1, "People", other_directorate="yes", availability=["tue-am"]),
    )
    pair = scored(pool)["m1", "A"]
    assert pair["directorate"] == 0.5  # the mentee's wish met, the mentor's not
    assert pair["availability"] == 1.0


def test_different_background_counts_the_share_of_given_characteristics_that_differ():
    pool = pool_of(
        person("A", "mentor", 3, ethnic_group="white", sex="female"),
        person(
            "m1", "mentee", 1, background_preference="different", ethnic_group="black", sex="female"
        ),
        characteristics=("ethnic_group", "sex"),
    )
    assert scored(pool)["m1", "A"]["background"] == 0.5


def test_hard_constraints_remove_pairs():
    pool = pool_of(
        person("senior", "mentor", 5),
        person("same-band", "mentor", 2),
        person("manager", "mentor", 6),
        person("excluded", "mentor", 6),
        person("excluder", "mentor", 6, exclude=["m1"]),
        person("m1", "mentee", 2, line_chain=["manager"], exclude=["excluded"]),
    )
    assert set(scored(pool)) == {("m1", "senior")}


def test_a_mentor_whose_chain_holds_the_mentee_is_not_allowed_either():
    pool = pool_of(person("A", "mentor", 5, line_chain=["m1"]), person("m1", "mentee", 1))
    assert scored(pool) == {}


def test_reverse_mentoring_pairs_junior_mentors_with_senior_mentees():
    pool = pool_of(person("junior", "mentor", 1), person("director", "mentee", 6))
    assert scored(pool) == {}
    assert set(scored(pool, reverse=True)) == {("director", "junior")}


def test_weights_change_the_score_and_zero_leaves_a_component_out():
    pool = pool_of(person("A", "mentor", 3, offers=["x"]), person("m1", "mentee", 2, seeks=["x"]))
    pair = scored(pool, weights=Weights(topics=4, band=0))["m1", "A"]
    assert pair["score"] == pytest.approx(4.0)


def test_settings_are_parsed_and_every_problem_listed():
    weights, reverse, order = parse_settings(
        {"weights": {"topics": 8}, "reverse": True, "band_order": ["SO1", "PO1"]}
    )
    assert weights.topics == 8 and weights.band == 1 and reverse and order == ("SO1", "PO1")
    assert parse_settings({"band": 0})[0].band == 0
    with pytest.raises(WeightsError) as error:
        parse_settings({"weights": {"topics": -1, "luck": 2, "band": "x"}, "reverse": "no"})
    assert len(error.value.problems) == 4
