"""Uploaded lists of employee ids: read with every problem named, hashed to match a snapshot."""

from __future__ import annotations

from equitable.metrics.eqia.evidence import evidence_tables
from equitable.metrics.eqia.id_lists import hash_ids, read_id_list
from tests.metrics.eqia.support import ID_KEY, snapshot

STAFF = [
    ("E1", "Indian", "Female", "Not disabled", "People", "5", "30"),
    ("E2", "African", "Male", "Not disabled", "People", "5", "40"),
    ("E3", "Irish", "Female", "Disabled", "Place", "4", "50"),
]


def test_a_header_and_blank_rows_are_skipped_and_ids_stripped():
    found = read_id_list(b"\xef\xbb\xbfEmployee number\r\n E1 \r\n\r\nE3,\r\n", "pool.csv")
    assert (found.ids, found.problems) == (["E1", "E3"], [])
    assert read_id_list(b"E1\nE2\n").ids == ["E1", "E2"]  # no header: the first row is an id


def test_every_bad_row_is_named_and_an_empty_list_refused():
    found = read_id_list(b"employee_id\nE1,E2\n,E3\nE4\n", "pool.csv")
    assert found.ids == ["E4"]
    assert found.problems == [
        "pool.csv: row 2: 2 values in columns 1, 2; the list must be one column of employee ids",
        "pool.csv: row 3: 1 values in columns 2; the list must be one column of employee ids",
    ]
    assert read_id_list(b"employee_id\n\n", "pool.csv").problems == [
        "pool.csv: holds no employee ids"
    ]


def test_windows_1252_is_read_too():
    assert read_id_list("Zoë-1\n".encode("cp1252")).ids == ["Zoë-1"]


def test_hashed_ids_match_the_snapshot_they_were_keyed_for():
    frame = snapshot(STAFF)
    listed = hash_ids(read_id_list(b"E1\nE3\n").ids, ID_KEY)
    assert set(listed) <= set(frame["employee_key"].to_list())
    # An empty scope is no filter: the list alone chooses E1 and E3.
    tables = evidence_tables(frame, {}, in_scope_keys=listed)
    assert tables["in_scope_by_ethnic_group"]["total"][0] == 2
    # A scope as the app stores it (tuples) is read as the JSON's lists.
    tables = evidence_tables(frame, {"directorate": ("People",)}, in_scope_keys=listed)
    assert tables["in_scope_by_ethnic_group"]["total"][0] == 1
    other_key = hash_ids(["E1"], b"another organisation's key......")
    assert not set(other_key) & set(frame["employee_key"].to_list())
