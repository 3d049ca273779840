"""The whole-pool optimum (most mentees matched, then the largest total) and greedy."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from equitable.metrics.mentoring.matching import (
    check_matching,
    greedy_matching,
    optimal_matching,
)
from equitable.metrics.mentoring.scoring import given_scores


def pairs_of(*rows):
    return given_scores([{"mentee_id": a, "mentor_id": b, "score": s} for a, b, s in rows])


def test_greedy_takes_the_best_pair_and_strands_a_mentee_the_optimum_matches():
    # m1 scores 10 with A and 8 with B; m2 can only have A (7). Greedy gives A to m1 and
    # leaves m2 out: 10. The optimum matches both: m1-B 8 + m2-A 7 = 15.
    pairs = pairs_of(("m1", "A", 10), ("m1", "B", 8), ("m2", "A", 7))
    capacities = {"A": 1, "B": 1}
    optimum = optimal_matching(pairs, capacities, ["m1", "m2"])
    greedy = greedy_matching(pairs, capacities, ["m1", "m2"])
    assert [(p.mentee_id, p.mentor_id) for p in optimum.pairs] == [("m1", "B"), ("m2", "A")]
    assert optimum.total_score == 15
    assert greedy.total_score == 10 and greedy.unmatched_mentees == ["m2"]


def test_greedy_can_be_worse_in_total_with_everyone_matched():
    # Both matched either way: greedy m1-A 9 then m2-B 1 = 10; optimum m1-B 6 + m2-A 8 = 14.
    pairs = pairs_of(("m1", "A", 9), ("m1", "B", 6), ("m2", "A", 8), ("m2", "B", 1))
    capacities = {"A": 1, "B": 1}
    assert greedy_matching(pairs, capacities, ["m1", "m2"]).total_score == 10
    assert optimal_matching(pairs, capacities, ["m1", "m2"]).total_score == 14


def test_more_mentees_matched_comes_before_a_larger_total():
    # One pair scoring 100 against two pairs scoring 1 each: two pairs win.
    pairs = pairs_of(("m1", "A", 100), ("m1", "B", 1), ("m2", "A", 1))
    optimum = optimal_matching(pairs, {"A": 1, "B": 1}, ["m1", "m2"])
    assert len(optimum.pairs) == 2 and optimum.total_score == 2


def test_a_mentor_takes_up_to_its_capacity_and_unmatched_mentees_are_listed():
    pairs = pairs_of(("m1", "A", 3), ("m2", "A", 2), ("m3", "A", 1))
    optimum = optimal_matching(pairs, {"A": 2}, ["m1", "m2", "m3", "m4"])
    assert optimum.mentor_load() == {"A": 2}
    assert optimum.total_score == 5
    assert optimum.unmatched_mentees == ["m3", "m4"]


def test_no_allowed_pairs_leaves_everyone_unmatched():
    optimum = optimal_matching(pairs_of(), {"A": 1}, ["m1"])
    assert optimum.pairs == [] and optimum.unmatched_mentees == ["m1"]


def test_negative_given_scores_are_still_matched_for_cardinality():
    optimum = optimal_matching(pairs_of(("m1", "A", -2.5)), {"A": 1}, ["m1"])
    assert optimum.total_score == -2.5


def test_check_matching_names_every_problem_of_an_edited_set():
    pairs = pairs_of(("m1", "A", 1), ("m2", "A", 1))
    assert check_matching([("m1", "A")], pairs, {"A": 1}) == []
    problems = check_matching([("m1", "A"), ("m2", "A"), ("m2", "B")], pairs, {"A": 1})
    assert problems == [
        "m2 with B is not an allowed pair",
        "m2 is in more than one pair",
        "A has 2 mentees but takes at most 1",
    ]


def brute_force(edges, capacities, mentees):
    """(pairs matched, total) of the best matching by trying every choice for every mentee."""
    options = {m: [None] + [(b, s) for a, b, s in edges if a == m] for m in mentees}
    best = (0, 0.0)
    for choice in itertools.product(*(options[m] for m in mentees)):
        load: dict[str, int] = {}
        for picked in choice:
            if picked is not None:
                load[picked[0]] = load.get(picked[0], 0) + 1
        if any(load[b] > capacities[b] for b in load):
            continue
        value = (sum(p is not None for p in choice), sum(p[1] for p in choice if p is not None))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1] + 1e-9):
            best = value
    return best


pools = st.integers(1, 4).flatmap(
    lambda n_mentees: st.integers(1, 3).flatmap(
        lambda n_mentors: st.tuples(
            st.just([f"m{i}" for i in range(n_mentees)]),
            st.lists(st.integers(0, 2), min_size=n_mentors, max_size=n_mentors),
            st.lists(
                st.one_of(st.none(), st.integers(-5, 20)),
                min_size=n_mentees * n_mentors,
                max_size=n_mentees * n_mentors,
            ),
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(pools)
def test_optimum_equals_brute_force_and_respects_capacity_and_forbidden_pairs(pool):
    mentees, capacity_list, scores = pool
    capacities = {f"M{j}": c for j, c in enumerate(capacity_list)}
    mentors = list(capacities)
    edges = [
        (a, b, float(scores[i * len(mentors) + j]))
        for i, a in enumerate(mentees)
        for j, b in enumerate(mentors)
        if scores[i * len(mentors) + j] is not None
    ]
    pairs = pairs_of(*edges)
    optimum = optimal_matching(pairs, capacities, mentees)
    count, total = brute_force(edges, capacities, mentees)
    assert len(optimum.pairs) == count
    assert optimum.total_score == pytest.approx(total)
    allowed = {(a, b) for a, b, _ in edges}
    assert all((p.mentee_id, p.mentor_id) in allowed for p in optimum.pairs)
    assert all(optimum.mentor_load()[b] <= capacities[b] for b in optimum.mentor_load())
    assert (
        check_matching([(p.mentee_id, p.mentor_id) for p in optimum.pairs], pairs, capacities) == []
    )
    greedy = greedy_matching(pairs, capacities, mentees)
    assert (
        check_matching([(p.mentee_id, p.mentor_id) for p in greedy.pairs], pairs, capacities) == []
    )
    assert (len(greedy.pairs), greedy.total_score) <= (count, total + 1e-9)


def independent_optimum(edges, capacities, mentees):
    """The lexicographic optimum by scipy's sparse LAPJVsp: each mentee also gets a private
    "unmatched" place costing more than any real place, so a full matching always exists."""
    mentors = sorted(capacities)
    places = [m for m in mentors for _ in range(capacities[m])]
    first = {}
    for index, mentor in enumerate(places):
        first.setdefault(mentor, index)
    row = {m: i for i, m in enumerate(mentees)}
    top = max([abs(s) for _, _, s in edges] or [0.0])
    bonus = 2 * top * len(mentees) + 1
    rows, columns, costs = [], [], []
    for a, b, s in edges:
        for k in range(capacities[b]):
            rows.append(row[a]), columns.append(first[b] + k), costs.append(bonus - s + 1)
    for i in range(len(mentees)):
        rows.append(i), columns.append(len(places) + i), costs.append(3 * bonus)
    graph = csr_matrix((costs, (rows, columns)), shape=(len(mentees), len(places) + len(mentees)))
    _, assigned = min_weight_full_bipartite_matching(graph)
    score = {(a, b): s for a, b, s in edges}
    chosen = [(mentees[i], places[c]) for i, c in enumerate(assigned) if c < len(places)]
    return len(chosen), sum(score[p] for p in chosen)


def test_a_larger_random_pool_agrees_with_an_independent_sparse_solver():
    rng = np.random.default_rng(7)
    mentees = [f"m{i}" for i in range(120)]
    capacities = {f"M{j}": int(rng.integers(1, 4)) for j in range(50)}
    edges = [
        (a, b, float(rng.integers(0, 50)) / 4)
        for a in mentees
        for b in capacities
        if rng.random() < 0.08
    ]
    optimum = optimal_matching(pairs_of(*edges), capacities, mentees)
    count, total = independent_optimum(edges, capacities, mentees)
    assert len(optimum.pairs) == count
    assert optimum.total_score == pytest.approx(total)


def test_pairs_frames_from_the_scorer_are_accepted():
    frame = pl.DataFrame({"mentee_id": ["m1"], "mentor_id": ["A"], "score": [1.5], "topics": [1.0]})
    assert optimal_matching(frame, {"A": 1}, ["m1"]).total_score == 1.5


def test_greedy_breaks_ties_by_mentee_id_then_mentor_id():
    pairs = pairs_of(("m2", "A", 5), ("m1", "B", 5), ("m1", "A", 5))
    greedy = greedy_matching(pairs, {"A": 1, "B": 1}, ["m1", "m2"])
    # (m1, A) first of the three ties; m1 is then taken and A is full, so m2 is left out.
    assert [(p.mentee_id, p.mentor_id) for p in greedy.pairs] == [("m1", "A")]
    assert greedy.unmatched_mentees == ["m2"]
