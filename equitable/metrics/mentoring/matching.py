"""Matching mentees to mentors over the allowed pairs: the whole-pool optimum and greedy.

The optimum (docs/metrics.md, "Mentoring: the whole-pool optimum") is lexicographic: first as
many mentees matched as the allowed pairs and the mentors' capacities permit (maximum
cardinality), then, among those matchings, the largest total score. It is one assignment problem
(`scipy.optimize.linear_sum_assignment`) over mentees × mentor places, a mentor repeated once per
place: an allowed pair costs `-(bonus + score)`, a forbidden one 0, with `bonus` larger than any
difference of total scores, so one more matched pair always outweighs any gain in score. The
solver fills every row it can; places given through a forbidden (cost 0) cell are dropped, which
is exactly a matching of allowed pairs, and any matching of allowed pairs extends to a full
assignment of the same cost, so the assignment's minimum is the lexicographic optimum.

Greedy takes the pairs best score first (ties by mentee id, then mentor id) while the mentee is
free and the mentor has a place: what a coordinator reviewing a ranked list would do, shown
beside the optimum so the gain is visible. Pure library: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment

# Pairs with scores within this of each other are ties (scores are sums of a few weights).
SCORE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Pair:
    mentee_id: str
    mentor_id: str
    score: float


@dataclass
class Matching:
    """The pairs chosen, their total score and the mentees left without a mentor."""

    pairs: list[Pair]
    unmatched_mentees: list[str] = field(default_factory=list)

    @property
    def total_score(self) -> float:
        return float(sum(pair.score for pair in self.pairs))

    def mentor_load(self) -> dict[str, int]:
        load: dict[str, int] = {}
        for pair in self.pairs:
            load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
        return load


def _allowed(pairs: pl.DataFrame) -> list[tuple[str, str, float]]:
    return [
        (str(a), str(b), float(s))
        for a, b, s in pairs.select("mentee_id", "mentor_id", "score").iter_rows()
    ]


def _result(chosen: Iterable[Pair], mentees: Sequence[str]) -> Matching:
    pairs = sorted(chosen, key=lambda p: (p.mentee_id, p.mentor_id))
    matched = {p.mentee_id for p in pairs}
    return Matching(pairs, [m for m in mentees if m not in matched])


def _indexed(
    pairs: pl.DataFrame, capacities: Mapping[str, int], *, sort_names: bool = False
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Mentee names, mentor names (in id order with `sort_names`, so index order is id order)
    and, per allowed pair with a mentor who has a place, the mentee's index, the mentor's index
    and the score (arrays, for large pools)."""
    usable = pairs.select("mentee_id", "mentor_id", "score").filter(
        pl.col("mentor_id").is_in(pl.Series([m for m, c in capacities.items() if c > 0]).implode())
    )
    mentee_names = usable["mentee_id"].unique(maintain_order=True).to_list()
    mentor_names = usable["mentor_id"].unique(maintain_order=True).to_list()
    if sort_names:
        mentee_names.sort()
        mentor_names.sort()
    rows = usable["mentee_id"].replace_strict(
        {m: i for i, m in enumerate(mentee_names)}, return_dtype=pl.Int64
    )
    columns = usable["mentor_id"].replace_strict(
        {m: i for i, m in enumerate(mentor_names)}, return_dtype=pl.Int64
    )
    return (
        mentee_names,
        mentor_names,
        rows.to_numpy(),
        columns.to_numpy(),
        usable["score"].cast(pl.Float64).to_numpy(),
    )


def optimal_matching(
    pairs: pl.DataFrame, capacities: Mapping[str, int], mentees: Sequence[str]
) -> Matching:
    """The lexicographic optimum (most mentees matched, then the largest total score) over
    the allowed `pairs` (columns mentee_id, mentor_id, score; each pair at most once), each
    mentor taking at most `capacities[mentor]` mentees. `mentees` lists every mentee, matched
    or not, in the order the unmatched are reported."""
    mentee_names, mentor_names, rows, columns, scores = _indexed(pairs, capacities)
    if not len(rows):
        return _result([], mentees)
    # A mentor never needs more places than mentees who could take them.
    degree = np.bincount(columns, minlength=len(mentor_names))
    wanted = np.array([capacities[m] for m in mentor_names], dtype=np.int64)
    places = np.minimum(wanted, degree)
    first_place = np.concatenate(([0], np.cumsum(places)[:-1]))
    owner = np.repeat(np.arange(len(mentor_names)), places)
    best = np.zeros(len(mentee_names))
    np.maximum.at(best, rows, np.abs(scores))
    bonus = 2.0 * float(best.sum()) + 1.0
    cost = np.zeros((len(mentee_names), len(owner)))
    allowed = np.zeros(cost.shape, dtype=bool)
    score_of = np.zeros((len(mentee_names), len(mentor_names)))
    score_of[rows, columns] = scores
    starts = first_place[columns]
    counts = places[columns]
    for offset in range(int(counts.max())):
        use = counts > offset
        cost[rows[use], starts[use] + offset] = -(bonus + scores[use])
        allowed[rows[use], starts[use] + offset] = True
    assigned_rows, assigned_columns = linear_sum_assignment(cost)
    kept = allowed[assigned_rows, assigned_columns]
    chosen = [
        Pair(mentee_names[r], mentor_names[owner[c]], float(score_of[r, owner[c]]))
        for r, c in zip(assigned_rows[kept].tolist(), assigned_columns[kept].tolist(), strict=True)
    ]
    return _result(chosen, mentees)


def greedy_matching(
    pairs: pl.DataFrame, capacities: Mapping[str, int], mentees: Sequence[str]
) -> Matching:
    """Best score first (ties by mentee id then mentor id), while both sides are free."""
    mentee_names, mentor_names, rows, columns, scores = _indexed(pairs, capacities, sort_names=True)
    # Indices are in id order, so sorting by (-score, mentee index, mentor index) is the
    # documented order, on numbers rather than a million strings.
    order = np.lexsort((columns, rows, -scores))
    rows, columns, scores = rows[order], columns[order], scores[order]
    left = [capacities[m] for m in mentor_names]
    places = sum(left)
    free = [True] * len(mentee_names)
    chosen: list[Pair] = []
    # Plain lists of ints: a million-pair loop costs a fraction of a second.
    for r, c, score in zip(rows.tolist(), columns.tolist(), scores.tolist(), strict=True):
        if free[r] and left[c] > 0:
            free[r] = False
            left[c] -= 1
            chosen.append(Pair(mentee_names[r], mentor_names[c], score))
            if len(chosen) == places:
                break
    return _result(chosen, mentees)


def check_matching(
    matching: Iterable[tuple[str, str]], pairs: pl.DataFrame, capacities: Mapping[str, int]
) -> list[str]:
    """What is wrong with a set of (mentee, mentor) pairs a coordinator edited: a pair not
    allowed, a mentee twice, a mentor over capacity. Empty when it can be confirmed."""
    allowed = {(a, b) for a, b, _ in _allowed(pairs)}
    problems: list[str] = []
    seen: set[str] = set()
    load: dict[str, int] = {}
    for mentee, mentor in matching:
        if (mentee, mentor) not in allowed:
            problems.append(f"{mentee} with {mentor} is not an allowed pair")
        if mentee in seen:
            problems.append(f"{mentee} is in more than one pair")
        seen.add(mentee)
        load[mentor] = load.get(mentor, 0) + 1
    for mentor, count in sorted(load.items()):
        if mentor in capacities and count > capacities[mentor]:
            problems.append(f"{mentor} has {count} mentees but takes at most {capacities[mentor]}")
    return problems
