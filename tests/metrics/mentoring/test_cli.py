"""`equitable mentoring match`: a pool file in, pairs and totals out, no database."""

from __future__ import annotations

import json

from equitable.cli import main

POOL = """person_id,role,pay_band,directorate,capacity,offers,seeks,other_directorate,line_chain,ethnic_group,background_preference
A,mentor,5,People,1,leadership;budgets,,any,,Black,any
B,mentor,4,Place,1,leadership,,any,,,any
m1,mentee,2,People,,,leadership;budgets,yes,,Black,same
m2,mentee,3,Place,,,leadership,any,B,,any
"""


def run(capsys, *argv):
    status = main(["mentoring", "match", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_gives_the_optimum_beside_the_greedy_total(tmp_path, capsys):
    # Hand-worked (default weights): m1-A 10 + 3 + 1/3 = 13.33 is the best single pair, but
    # B is in m2's line chain, so greedy strands m2; the optimum is m1-B 8.5 + m2-A 10.5 = 19.
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL, encoding="utf-8")
    status, out, _ = run(capsys, str(pool), "--format", "json")
    assert status == 0
    result = json.loads(out)
    assert result["pairs"] == [
        {"mentee_id": "m1", "mentor_id": "B", "score": 8.5},
        {"mentee_id": "m2", "mentor_id": "A", "score": 10.5},
    ]
    assert result["total_score"] == 19.0
    assert result["greedy_total_score"] == 13.333333
    assert result["unmatched_mentees"] == []


def test_text_output_says_both_totals(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL, encoding="utf-8")
    status, out, _ = run(capsys, str(pool))
    assert status == 0
    assert "Optimal total score 19.00 over 2 pairs; greedy total 13.33 over 1 pairs." in out


def test_weights_file_changes_the_scores(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL, encoding="utf-8")
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"weights": {"directorate": 0, "background": 0, "band": 0}}))
    _, out, _ = run(capsys, str(pool), "--weights", str(weights), "--format", "json")
    assert json.loads(out)["total_score"] == 15.0  # m1-B 5 + m2-A 10


def test_given_scores_replace_computed_ones_and_absent_pairs_are_not_allowed(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL, encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text("mentee_id,mentor_id,score\nm1,A,2\nm2,B,1.5\n", encoding="utf-8")
    _, out, _ = run(capsys, str(pool), "--scores", str(scores), "--format", "json")
    result = json.loads(out)
    assert [(p["mentee_id"], p["mentor_id"]) for p in result["pairs"]] == [("m1", "A"), ("m2", "B")]
    assert result["total_score"] == 3.5


def test_a_bad_pool_exits_2_listing_every_problem(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "person_id,role,pay_band,directorate,capacity\nA,mentor,5,People,lots\nm1,boss,2,,\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, str(pool))
    assert status == 2 and out == ""
    assert "3 problem(s); nothing was matched" in err
    assert "row 2, column capacity, value 'lots'" in err
    assert "row 3, column role, value 'boss'" in err
    assert "row 3, column directorate: is blank" in err


def test_bad_scores_and_weights_are_listed_together(tmp_path, capsys):
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL, encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text("mentee_id,mentor_id,score\nm9,A,2\nm1,A,high\nm1,B,1\nm1,B,2\n")
    weights = tmp_path / "w.json"
    weights.write_text("{not json")
    status, _, err = run(capsys, str(pool), "--scores", str(scores), "--weights", str(weights))
    assert status == 2
    assert "w.json: not JSON" in err
    assert "row 2, column mentee_id, value 'm9': is not a mentee in the pool" in err
    assert "row 3, column score, value 'high': must be a number" in err
    assert "row 5, column mentor_id, value 'B': repeats the pair of row 4" in err
