"""`equitable standard show|score|check|versions`: no database, exit status 2 on refused input."""

from __future__ import annotations

import json

import pytest

from equitable.cli import main
from equitable.standard import library as lib

EXAMPLE = lib.DATA_DIR / "examples" / "worked-example.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["standard", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_show_json_lists_categories_criteria_levels_and_both_ranges(capsys):
    status, out, _ = run(capsys, "show", "--json")
    assert status == 0
    shown = json.loads(out)
    assert (shown["id"], shown["version"]) == ("celc-tri", "2022")
    categories = {c["id"]: c for c in shown["categories"]}
    assert list(categories) == ["1", "2", "3", "4", "5", "6", "7"]
    first = categories["1"]["criteria"][0]
    assert first["id"] == "1.1"
    assert [(lv["level"], lv["points"]) for lv in first["levels"]] == [
        ("developing", 1),
        ("established", 2),
        ("leading", 3),
    ]
    assert categories["2"]["published_ranges"][0] == {"level": "developing", "min": 0, "max": 36}
    assert categories["2"]["derived_ranges"][0] == {"level": "developing", "min": 0, "max": 38}
    assert categories["2"]["ranges_agree"] is False
    assert all(categories[c]["ranges_agree"] for c in "134567")
    assert len(shown["anti_racist_statement"]["commitments"]) == 8


def test_show_text_reports_the_disagreement(capsys):
    status, out, _ = run(capsys, "show")
    assert status == 0
    assert "Ranges disagree: Category 2 (Employee Lifecycle)" in out
    assert "7.7   leading (3)" in out


def test_show_refuses_an_unknown_version(capsys):
    status, _, err = run(capsys, "show", "--version", "1999")
    assert status == 2
    assert "celc-tri has no version '1999'; available: 2022" in err


def test_score_the_worked_example(capsys):
    status, out, _ = run(capsys, "score", str(EXAMPLE), "--json")
    assert status == 0
    result = json.loads(out)
    assert result["overall"]["points"] == 15
    assert result["overall"]["level"] == "established"
    [category] = result["categories"]
    assert (category["id"], category["points"], category["max_points"], category["level"]) == (
        "1",
        15,
        22,
        "established",
    )


def test_score_text_output(capsys):
    status, out, _ = run(capsys, "score", str(EXAMPLE))
    assert status == 0
    assert "Overall: 15 of 22 points, Established" in out


def test_score_json_file_with_missing_ids_scores_every_category(tmp_path, capsys):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            {"standard": "celc-tri", "organisation": "Our Borough", "responses": {"3.3": "leading"}}
        )
    )
    status, out, _ = run(capsys, "score", str(path), "--json")
    assert status == 0
    result = json.loads(out)
    assert result["organisation"] == "Our Borough"
    assert [c["points"] for c in result["categories"]] == [0, 0, 3, 0, 0, 0, 0]
    assert result["overall"]["max_points"] == 190


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ('"1.7": developing', "1.7: developing is not offered; 1.7 offers none, leading"),
        ('"9.1": leading', "9.1: no such criterion in celc-tri 2022"),
        ('"2c.3": established', "2c.3: established is not offered; 2c.3 offers none, developing"),
    ],
)
def test_score_refuses_with_exit_status_2(tmp_path, capsys, responses, message):
    path = tmp_path / "a.yaml"
    path.write_text(f"standard: celc-tri\nresponses:\n  {responses}\n")
    status, out, err = run(capsys, "score", str(path))
    assert status == 2
    assert out == ""
    assert message in err


def test_score_refuses_a_missing_file(tmp_path, capsys):
    status, _, err = run(capsys, "score", str(tmp_path / "nope.yaml"))
    assert status == 2 and "cannot read the file" in err


def test_check_validates_a_file_and_lists_disagreements(capsys, tmp_path):
    status, out, _ = run(capsys, "check", str(lib.DATA_DIR / "celc-tri-2022.yaml"))
    assert status == 0
    assert "69 criteria" in out and "Category 2" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: celc-tri\n")
    status, _, err = run(capsys, "check", str(broken))
    assert status == 2 and "version: expected quoted text" in err


def test_versions_lists_the_data_files(capsys):
    status, out, _ = run(capsys, "versions")
    assert status == 0 and out.startswith("celc-tri\t2022\tcelc-tri-2022.yaml")
