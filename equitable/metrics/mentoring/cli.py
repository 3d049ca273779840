"""`equitable mentoring match`: match a mentoring pool from a file, with no database.

    equitable mentoring match pool.csv
    equitable mentoring match pool.csv --weights weights.json --format json
    equitable mentoring match pool.csv --scores scores.csv --format json

The pool file has one row per person (metrics/mentoring/pool.py, docs/data-formats.md); the
weights file is `{"weights": {"topics": 10, ...}, "reverse": false, "band_order": [...]}`;
`--scores` (columns mentee_id, mentor_id, score) replaces the computed scores, and the pairs it
lists are then the only allowed ones, exactly as given, so the matching can be checked on its
own. Every problem in every file is listed on stderr and the command exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

EXIT_REFUSED = 2
FORMATS = ("text", "json")


def register(subparsers: Any) -> None:
    mentoring = subparsers.add_parser(
        "mentoring",
        help="mentoring pools: match mentees with mentors (no database needed)",
        description="Mentoring with matching.",
    )
    commands = mentoring.add_subparsers(dest="mentoring_command", metavar="COMMAND")
    parser = commands.add_parser(
        "match",
        help="the whole-pool optimum (most mentees matched, then the largest total score) "
        "beside a greedy matching",
        description="Read a pool of mentors and mentees and print the optimal matching.",
    )
    parser.add_argument("pool", type=Path, metavar="FILE.csv", help="the pool (CSV or XLSX)")
    parser.add_argument("--weights", type=Path, metavar="W.json", help="weights and settings")
    parser.add_argument(
        "--scores",
        type=Path,
        metavar="SCORES.csv",
        help="mentee_id, mentor_id, score: these pairs only, with these scores",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, help="output file (default: stdout)")
    parser.set_defaults(func=run_match)


def _read(path: Path, problems: list[str]) -> bytes | None:
    from equitable.metrics.mentoring.pool import MAX_FILE_BYTES

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(f"{path}: {size:,} bytes, more than {MAX_FILE_BYTES:,}")
            return None
        return path.read_bytes()
    except OSError as error:
        problems.append(f"{path}: could not be read ({error.strerror or error})")
        return None


def read_scores(data: bytes, name: str, mentees: set[str], mentors: set[str]) -> tuple[Any, list]:
    """The given scores as a frame, or every problem (row and column named)."""
    from equitable.metrics.extract import Problem
    from equitable.metrics.mentoring.scoring import given_scores
    from equitable.metrics.reading import ExtractReadError, header_key, read_source

    try:
        source = read_source(data, name.lower())
    except ExtractReadError as error:
        return None, [Problem(None, None, None, str(error))]
    by_key = {header_key(c): c for c in source.frame.columns}
    problems: list[Problem] = [
        Problem(None, column, None, "required column missing")
        for column in ("mentee_id", "mentor_id", "score")
        if header_key(column) not in by_key
    ]
    if problems:
        return None, problems
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    columns = [by_key[header_key(c)] for c in ("mentee_id", "mentor_id", "score")]
    for index, (mentee, mentor, score) in enumerate(source.frame.select(columns).iter_rows()):
        number = source.first_data_row + index
        mentee, mentor = (mentee or "").strip(), (mentor or "").strip()
        if not (mentee or mentor or (score or "").strip()):
            continue
        if mentee not in mentees:
            problems.append(Problem(number, "mentee_id", mentee, "is not a mentee in the pool"))
        if mentor not in mentors:
            problems.append(Problem(number, "mentor_id", mentor, "is not a mentor in the pool"))
        try:
            value = float((score or "").strip())
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(Problem(number, "score", score, "must be a number"))
            continue
        if (mentee, mentor) in seen:
            problems.append(
                Problem(
                    number, "mentor_id", mentor, f"repeats the pair of row {seen[mentee, mentor]}"
                )
            )
            continue
        seen[mentee, mentor] = number
        rows.append({"mentee_id": mentee, "mentor_id": mentor, "score": value})
    if problems:
        return None, problems
    return given_scores(rows), []


def run_match(args: argparse.Namespace) -> int:
    from equitable.metrics.mentoring.matching import greedy_matching, optimal_matching
    from equitable.metrics.mentoring.pool import read_pool
    from equitable.metrics.mentoring.scoring import WeightsError, pair_scores, parse_settings

    problems: list[str] = []
    weights, reverse, band_order = None, False, None
    if args.weights is not None:
        raw = _read(args.weights, problems)
        if raw is not None:
            try:
                weights, reverse, band_order = parse_settings(json.loads(raw.decode("utf-8-sig")))
            except (UnicodeDecodeError, ValueError) as error:
                found = (
                    error.problems if isinstance(error, WeightsError) else [f"not JSON ({error})"]
                )
                problems += [f"{args.weights}: {p}" for p in found]
    pool = None
    data = _read(args.pool, problems)
    if data is not None:
        reading = read_pool(data, args.pool.name, band_order=band_order)
        problems += [f"{args.pool}: {p}" for p in reading.problems]
        pool = reading.pool
    scores = None
    if pool is not None and args.scores is not None:
        raw = _read(args.scores, problems)
        if raw is not None:
            mentee_ids = set(pool.mentees["person_id"].to_list())
            mentor_ids = set(pool.mentors["person_id"].to_list())
            scores, found = read_scores(raw, args.scores.name, mentee_ids, mentor_ids)
            problems += [f"{args.scores}: {p}" for p in found]
    if problems:
        print(f"{len(problems)} problem(s); nothing was matched:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    assert pool is not None
    pairs = scores if scores is not None else pair_scores(pool, weights, reverse=reverse)
    capacities = dict(zip(pool.mentors["person_id"], pool.mentors["capacity"], strict=True))
    mentees = pool.mentees["person_id"].to_list()
    optimum = optimal_matching(pairs, capacities, mentees)
    greedy = greedy_matching(pairs, capacities, mentees)
    result = {
        "pairs": [
            {"mentee_id": p.mentee_id, "mentor_id": p.mentor_id, "score": round(p.score, 6)}
            for p in optimum.pairs
        ],
        "total_score": round(optimum.total_score, 6),
        "greedy_total_score": round(greedy.total_score, 6),
        "greedy_pairs": len(greedy.pairs),
        "unmatched_mentees": optimum.unmatched_mentees,
    }
    if args.format == "json":
        text = json.dumps(result, indent=1) + "\n"
    else:
        text = as_text(result)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def as_text(result: dict[str, Any]) -> str:
    lines = ["mentee_id  mentor_id  score"]
    width = max([9, *(len(p["mentee_id"]) for p in result["pairs"])])
    lines = [f"{'mentee_id'.ljust(width)}  {'mentor_id'.ljust(width)}  score"]
    for pair in result["pairs"]:
        lines.append(
            f"{pair['mentee_id'].ljust(width)}  {pair['mentor_id'].ljust(width)}  "
            f"{pair['score']:.2f}"
        )
    lines.append("")
    lines.append(
        f"Optimal total score {result['total_score']:.2f} over {len(result['pairs'])} pairs; "
        f"greedy total {result['greedy_total_score']:.2f} over {result['greedy_pairs']} pairs."
    )
    unmatched = result["unmatched_mentees"]
    lines.append(
        f"Unmatched mentees ({len(unmatched)}): {', '.join(unmatched)}"
        if unmatched
        else "Every mentee is matched."
    )
    return "\n".join(lines) + "\n"
