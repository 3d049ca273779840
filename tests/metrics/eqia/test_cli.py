"""`equitable eqia evidence`: the EqIA workforce figures from files, with no database."""

from __future__ import annotations

import csv
import json

import pytest

from equitable.cli import main
from equitable.metrics.labels import AGGREGATE_LABEL
from tests.metrics.eqia.support import COLUMNS
from tests.metrics.eqia.test_evidence import STAFF


@pytest.fixture
def files(tmp_path):
    workforce = tmp_path / "staff.csv"
    with workforce.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(STAFF)
    scope = tmp_path / "scope.json"
    scope.write_text(json.dumps({"directorate": ["People"]}), encoding="utf-8")
    affected = tmp_path / "affected.csv"
    affected.write_text("Employee number\nP01\nP02\n\nP06\nP08\n", encoding="utf-8")
    return tmp_path, workforce, scope, affected


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["eqia", "evidence", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_has_the_tables_and_rows_the_issue_names(files, capsys):
    _, workforce, scope, affected = files
    status, out, _ = run(
        capsys, "--workforce", str(workforce), "--scope", str(scope), "--affected",
        str(affected), "--demo-population",
    )  # fmt: skip
    assert status == 0
    tables = json.loads(out)["tables"]
    for name in ("in_scope_by_ethnic_group", "organisation_by_ethnic_group",
                 "in_scope_relative_likelihood", "affected_relative_likelihood",
                 "residents_by_ethnic_group", "evidence_notes"):  # fmt: skip
        assert name in tables
    asian = next(r for r in tables["in_scope_by_ethnic_group"] if r["ethnic_group"] == "Asian")
    assert {"ethnic_group", "count", "percent", "percent_ci_low", "percent_ci_high"} <= set(asian)
    assert (asian["count"], asian["percent"]) == (5, 41.67)
    assert [r["ethnic_group"] for r in tables["organisation_by_ethnic_group"]][-1] == (
        AGGREGATE_LABEL
    )
    likelihood = next(
        r for r in tables["in_scope_relative_likelihood"] if r["ethnic_group"] == "Asian"
    )
    assert (likelihood["relative_likelihood"], likelihood["ci_low"]) == (2.5, 1.04)
    affected_asian = next(
        r for r in tables["affected_relative_likelihood"] if r["ethnic_group"] == "Asian"
    )
    # Ids hashed with the snapshot's key link the list to the people: 2 of the 5 Asian staff.
    assert (affected_asian["group_count"], affected_asian["group_pool"]) == (2, 5)


def test_published_withholds_the_small_cells(files, capsys):
    _, workforce, scope, _ = files
    status, out, _ = run(
        capsys, "--workforce", str(workforce), "--scope", str(scope), "--published",
        "--threshold", "5",
    )  # fmt: skip
    assert status == 0
    tables = json.loads(out)["tables"]
    in_scope = {r["ethnic_group"]: r for r in tables["in_scope_by_ethnic_group"]}
    assert in_scope["Black"]["count"] is None and in_scope["Black"]["suppressed"] is True
    assert in_scope["Black"]["percent"] is None
    for rows in tables.values():
        for row in rows:
            for column in ("count", "group_count", "group_pool"):
                value = row.get(column)
                assert value is None or value == 0 or value >= 5, (column, row)


def test_text_format_prints_readable_tables(files, capsys):
    _, workforce, scope, _ = files
    status, out, _ = run(
        capsys, "--workforce", str(workforce), "--scope", str(scope), "--format", "text"
    )
    assert status == 0
    assert "In scope by ethnic group\n========================" in out
    assert "Asian staff were 2.5 times as likely as White staff to be in scope" in out
    assert "- figures are of the staff in the workforce snapshot" in out


def test_a_bad_scope_file_exits_2_listing_every_problem(files, capsys):
    folder, workforce, _, _ = files
    scope = folder / "bad.json"
    scope.write_text(json.dumps({"sex": ["Female"], "pay_band": [5]}), encoding="utf-8")
    listed = folder / "list.csv"
    listed.write_text("P01,extra\nP02\n", encoding="utf-8")
    status, out, err = run(
        capsys, "--workforce", str(workforce), "--scope", str(scope), "--affected", str(listed)
    )
    assert status == 2
    assert out == ""
    assert "3 problem(s); no figures were computed" in err
    assert "'sex' is not a column a scope can name" in err
    assert "pay_band: value 1 (5) is not text" in err
    assert "row 1: 2 values in columns 1, 2; the list must be one column of employee ids" in err


def test_a_scope_file_that_is_not_json_or_a_bad_extract_is_listed_too(files, capsys):
    folder, _, _, _ = files
    scope = folder / "scope.json"
    scope.write_text("{directorate: People", encoding="utf-8")
    extract = folder / "broken.csv"
    extract.write_text("employee_id,ethnicity\nA1,Martian\n", encoding="utf-8")
    status, _, err = run(capsys, "--workforce", str(extract), "--scope", str(scope))
    assert status == 2
    assert "not JSON" in err
    assert "row 2, column ethnicity" in err


def test_it_needs_a_scope(files, capsys):
    _, workforce, _, _ = files
    status, _, err = run(capsys, "--workforce", str(workforce))
    assert status == 2
    assert "give --scope FILTER.json, --scope-list KEYS.csv or both" in err
