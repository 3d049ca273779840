"""Time matching a mentoring pool, and check the optimum against an independent solver.

    .venv/bin/python benchmarks/bench_mentoring.py                 # 2,000 mentees, 1,000 mentors × 2
    .venv/bin/python benchmarks/bench_mentoring.py --mentees 500 --mentors 250

The pool (`metrics.mentoring.synthetic.synthetic_pool`) is written as a pool file; what is timed
is what `equitable mentoring match` does after start-up: read and validate the file, score every
allowed pair (polars), the whole-pool optimum (`linear_sum_assignment` over mentor places) and
the greedy matching. The optimum is then checked, untimed, against scipy's sparse LAPJVsp
(`scipy.sparse.csgraph.min_weight_full_bipartite_matching`), a different algorithm on a
different formulation: every mentee also gets a private "unmatched" place dearer than any real
one, so a full matching always exists and its minimum is the same lexicographic optimum (most
mentees matched, then the largest total). Fails (exit 1) if the totals or the numbers matched
differ, or the time is over the 10 s target.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEED = 20261207
TARGET_SECONDS = 10.0


def independent_optimum(pairs, capacities: dict[str, int], mentees: list[str]) -> tuple[int, float]:
    mentors = sorted(capacities)
    first: dict[str, int] = {}
    places: list[str] = []
    for mentor in mentors:
        first[mentor] = len(places)
        places += [mentor] * capacities[mentor]
    row = {m: i for i, m in enumerate(mentees)}
    a = np.array([row[m] for m in pairs["mentee_id"].to_list()], dtype=np.int64)
    b = np.array([first[m] for m in pairs["mentor_id"].to_list()], dtype=np.int64)
    k = np.array([capacities[m] for m in pairs["mentor_id"].to_list()], dtype=np.int64)
    s = pairs["score"].to_numpy()
    bonus = 2 * float(np.abs(s).max(initial=0.0)) * len(mentees) + 1
    rows, columns, costs = [], [], []
    for offset in range(int(k.max(initial=0))):
        use = k > offset
        rows.append(a[use])
        columns.append(b[use] + offset)
        costs.append(bonus - s[use] + 1)
    rows.append(np.arange(len(mentees)))
    columns.append(len(places) + np.arange(len(mentees)))
    costs.append(np.full(len(mentees), 3 * bonus))
    graph = csr_matrix(
        (np.concatenate(costs), (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(mentees), len(places) + len(mentees)),
    )
    _, assigned = min_weight_full_bipartite_matching(graph)
    score = dict(
        zip(
            zip(pairs["mentee_id"].to_list(), pairs["mentor_id"].to_list(), strict=True),
            s.tolist(),
            strict=True,
        )
    )
    chosen = [(mentees[i], places[c]) for i, c in enumerate(assigned.tolist()) if c < len(places)]
    return len(chosen), float(sum(score[p] for p in chosen))


def main() -> int:
    from equitable.metrics.mentoring.matching import greedy_matching, optimal_matching
    from equitable.metrics.mentoring.pool import read_pool
    from equitable.metrics.mentoring.scoring import pair_scores
    from equitable.metrics.mentoring.synthetic import pool_csv, synthetic_pool

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=2)
    args = parser.parse_args()
    data = pool_csv(
        synthetic_pool(SEED, mentees=args.mentees, mentors=args.mentors, capacity=args.capacity)
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    reading = read_pool(data, "pool.csv")
    assert reading.pool is not None, reading.problems
    pool = reading.pool
    read_at = time.perf_counter()
    pairs = pair_scores(pool)
    scored_at = time.perf_counter()
    capacities = dict(zip(pool.mentors["person_id"], pool.mentors["capacity"], strict=True))
    mentees = pool.mentees["person_id"].to_list()
    optimum = optimal_matching(pairs, capacities, mentees)
    optimised_at = time.perf_counter()
    greedy = greedy_matching(pairs, capacities, mentees)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu_started
    checked_count, checked_total = independent_optimum(pairs, capacities, mentees)
    checked_at = time.perf_counter()
    total = finished - started
    with open("/proc/loadavg") as load:
        print(f"Load average at the end: {load.read().split()[0]}")
    print(
        f"Mentoring pool: {len(mentees):,} mentees, {len(capacities):,} mentors of capacity "
        f"{args.capacity}, {pairs.height:,} allowed pairs"
    )
    print("| step | seconds |")
    print("| --- | ---: |")
    print(f"| read and validate the pool file | {read_at - started:.2f} |")
    print(f"| score every allowed pair (polars) | {scored_at - read_at:.2f} |")
    print(f"| whole-pool optimum (linear_sum_assignment) | {optimised_at - scored_at:.2f} |")
    print(f"| greedy | {finished - optimised_at:.2f} |")
    print(f"| **total** | **{total:.2f}** (CPU {cpu:.2f}) |")
    print(f"| independent check (csgraph LAPJVsp, not timed above) | {checked_at - finished:.2f} |")
    print(
        f"Optimum: {len(optimum.pairs):,} pairs, total {optimum.total_score:,.4f}; "
        f"independent solver: {checked_count:,} pairs, total {checked_total:,.4f}; "
        f"greedy: {len(greedy.pairs):,} pairs, total {greedy.total_score:,.4f}"
    )
    failures = []
    if checked_count != len(optimum.pairs) or abs(checked_total - optimum.total_score) > 1e-6:
        failures.append("the optimum differs from the independent solver's")
    if total > TARGET_SECONDS:
        failures.append(f"{total:.2f} s is over the {TARGET_SECONDS:g} s target")
    per_mentor = optimum.mentor_load()
    if any(per_mentor[m] > capacities[m] for m in per_mentor):
        failures.append("a mentor is over capacity")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
