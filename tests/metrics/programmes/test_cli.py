"""`equitable programme-figures` from files: the figures as JSON, every problem on stderr with
exit status 2."""

from __future__ import annotations

import json

from equitable.cli import main
from tests.programmes.factories import staff


def _files(tmp_path, listing: str):
    first, second = tmp_path / "staff-2023.csv", tmp_path / "staff-2024.csv"
    staff().write_csv(first)
    staff(promoted={"E002", "E005"}, gone={"E008"}).write_csv(second)
    listed = tmp_path / "cohort.csv"
    listed.write_text(listing)
    return [
        "programme-figures",
        "--snapshot",
        f"2023-03-31={first}",
        "--snapshot",
        f"2024-03-31={second}",
        "--list",
        str(listed),
        "--start",
        "2023-04-01",
        "--directorates",
        "People",
    ]


def test_the_figures_of_a_cohort_from_files(tmp_path, capsys):
    listing = "employee_id,status\nE002,participant\nE005,completed\nE008,withdrawn\nE003,applied\n"
    assert main(_files(tmp_path, listing)) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    overall = tables["participation_overall"][0]
    assert (overall["eligible"], overall["took_part"]) == (24, 3)
    everyone = next(
        r
        for r in tables["outcomes"]
        if r["horizon_months"] == 12 and r["ethnic_group"] == "All ethnic groups"
    )
    # E002 and E005 a band up a year later, E008 gone.
    assert (everyone["participants_promoted"], everyone["participants_left"]) == (2, 1)
    assert "selection_by_ethnic_group" in tables


def test_every_problem_is_listed_and_nothing_printed(tmp_path, capsys):
    listing = "employee_id,status\nE002,mentored\n,applied\nE002,participant\n"
    assert main(_files(tmp_path, listing)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "row 2, column status: must be one of applied" in captured.err
    assert "row 3, column employee_id: no employee id" in captured.err
    assert "row 4, column employee_id: the same id as row 2" in captured.err
