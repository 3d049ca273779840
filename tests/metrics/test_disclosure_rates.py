"""Disclosure rates per characteristic, overall and by directorate."""

from __future__ import annotations

from equitable.metrics.figures import compute_all, skipped
from tests.metrics.frames import present, workforce


def rows_by(table, *keys):
    return {tuple(row[k] for k in keys): row for row in table.iter_rows(named=True)}


FRAME = workforce(
    ethnicity=["Indian", "Prefer not to say", "Not known", "Irish", None],
    sex=["Female", "Male", "Prefer not to say", None, "Female"],
    religion=["Christian", None, "Prefer not to say", "Not known", "None"],
    directorate=["People", "People", "Place", "Place", "Place"],
)


def test_overall_counts_known_prefer_not_and_not_known_separately():
    """Ethnicity: 2 known of 5 (40%), 1 prefer not to say, 2 not known (a blank counts as not
    known). Religion: "None" is an answer (known); blank and "Not known" are not known."""
    rows = rows_by(
        compute_all(FRAME, present_columns=present(FRAME))["disclosure"], "characteristic"
    )
    ethnicity = rows[("ethnicity",)]
    assert (ethnicity["known"], ethnicity["prefer_not_to_say"], ethnicity["not_known"]) == (2, 1, 2)
    assert ethnicity["percent_known"] == 40.0
    assert rows[("sex",)]["percent_known"] == 60.0
    religion = rows[("religion",)]
    assert (religion["known"], religion["prefer_not_to_say"], religion["not_known"]) == (2, 1, 2)
    assert list(rows) == [("ethnicity",), ("sex",), ("religion",)]  # only those present, in order


def test_by_directorate():
    """People: Indian, Prefer not to say -> ethnicity 1 of 2 known (50%).
    Place: Not known, Irish, blank -> 1 of 3 (33.3%)."""
    table = compute_all(FRAME)["disclosure_by_directorate"]
    rows = rows_by(table, "directorate", "characteristic")
    assert rows[("People", "ethnicity")]["percent_known"] == 50.0
    assert rows[("Place", "ethnicity")]["known"] == 1
    assert rows[("Place", "ethnicity")]["total"] == 3
    assert table["directorate"].to_list()[:3] == ["People"] * 3


def test_by_directorate_needs_a_directorate_column():
    frame = workforce(ethnicity=["Indian"])
    assert skipped(compute_all(frame))["disclosure_by_directorate"] == (
        "the extract has no directorate column"
    )


def test_a_column_the_source_lacked_is_not_reported_even_if_the_frame_has_it():
    rows = rows_by(
        compute_all(FRAME, present_columns={"ethnicity", "directorate"})["disclosure"],
        "characteristic",
    )
    assert list(rows) == [("ethnicity",)]
