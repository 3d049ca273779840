"""Reading a mentoring pool: all-or-nothing, every problem with its row and column."""

from __future__ import annotations

from equitable.metrics.mentoring.pool import read_pool, split_list

HEADER = "person_id,role,pay_band,directorate,capacity,offers,seeks,line_chain,exclude\n"


def test_a_valid_pool_splits_mentors_from_mentees_with_clean_topic_lists():
    data = (
        HEADER + "A,Mentor,5,People,2,Leadership; budgets;;leadership,,,\n"
        "m1,mentee,2,Place,,, Career  planning ;Leadership,A,\n"
    ).encode()
    reading = read_pool(data, "pool.csv")
    assert reading.problems == []
    pool = reading.pool
    assert pool.mentors["person_id"].to_list() == ["A"]
    assert pool.mentors["capacity"].to_list() == [2]
    assert pool.mentors["offers"].to_list() == [["leadership", "budgets"]]
    assert pool.mentees["seeks"].to_list() == [["career planning", "leadership"]]
    assert pool.mentees["line_chain"].to_list() == [["A"]]
    assert pool.mentees["capacity"].to_list() == [0]
    assert pool.band_order == ("2", "5")


def test_every_problem_is_listed_with_its_row_and_column_and_no_pool_is_returned():
    data = (
        HEADER + "A,mentor,5,People,0,,,,\nA,guide,2,,,,,,\nm1,mentee,x,Place,3,,,Z,m1\n"
    ).encode()
    reading = read_pool(data, "pool.csv")
    assert reading.pool is None
    found = {(p.row, p.column) for p in reading.problems}
    assert {
        (2, "capacity"),
        (3, "person_id"),
        (3, "role"),
        (3, "directorate"),
        (None, "pay_band"),
        (4, "capacity"),
        (4, "exclude"),
        (4, "line_chain"),
    } <= found
    assert any("repeats the id of row 2" in str(p) for p in reading.problems)
    assert any("Z" in str(p) and "not a person_id" in str(p) for p in reading.problems)


def test_a_missing_required_column_is_reported_before_any_row():
    reading = read_pool(b"person_id,role,directorate\nA,mentor,People\n", "pool.csv")
    assert [str(p) for p in reading.problems] == ["file, column pay_band: required column missing"]


def test_named_bands_need_an_order_and_are_ranked_by_it():
    data = (HEADER + "A,mentor,PO1,People,,,,,\nm1,mentee,SO1,Place,,,,,\n").encode()
    assert read_pool(data, "pool.csv").pool is None
    pool = read_pool(data, "pool.csv", band_order=["SO1", "SO2", "PO1"]).pool
    assert pool.mentors["band_rank"].to_list() == [2]
    assert pool.mentees["band_rank"].to_list() == [0]


def test_a_pool_without_mentees_is_refused():
    reading = read_pool((HEADER + "A,mentor,5,People,,,,,\n").encode(), "pool.csv")
    assert [p.message for p in reading.problems] == ["the pool has no mentees"]


def test_split_list_drops_blanks_and_repeats_and_ignores_case():
    assert split_list(" A ;b;;a; B  c ") == ["a", "b", "b c"]
    assert split_list(None) == []
