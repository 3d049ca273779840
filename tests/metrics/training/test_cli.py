"""`equitable training`, run in-process: the compliance tables from files, and a bad file
refused with every problem."""

from __future__ import annotations

import json

from equitable.cli import main

WORKFORCE = """employee_id,ethnicity,sex,disability,pay_band,directorate,leadership_tier,start_date
E1,Irish,Female,Not disabled,3,People,,2010-01-01
E2,Indian,Male,Not disabled,3,People,,2024-12-01
E3,African,Female,Not disabled,5,People,,2025-03-01
E4,Irish,Male,Not disabled,5,Finance,Corporate Leadership Group,2015-05-05
E5,White and Asian,Female,Not disabled,4,Finance,,2024-10-01
E6,Irish,,Not disabled,4,Finance,Directors,
"""
RECORDS = """Employee number,Course,Category,Mode,Completion date
E1,Equality Matters,Mandatory EDI,E-learning,01/06/2024
E1,Anti-racism workshop,Anti-racism,Face to face,01/05/2025
E2,Equality Matters,Mandatory EDI,E-learning,10/01/2025
E4,EDI for leaders,Mandatory EDI,Face to face,01/06/2022
E5,Equality Matters,Mandatory EDI,online,15/01/2025
E5,Recruiting fairly,Recruitment panel training,Virtual classroom,01/11/2024
Z9,Equality Matters,Mandatory EDI,E-learning,01/01/2024
"""


def files(tmp_path, records: str = RECORDS):
    paths = {}
    for name, text in (
        ("workforce", WORKFORCE),
        ("records", records),
        ("panel", "employee_id\nE5\nE6\n"),
    ):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_json_gives_the_hand_worked_tables(tmp_path, capsys):
    paths = files(tmp_path)
    status = main(
        [
            "training",
            str(paths["records"]),
            "--workforce",
            str(paths["workforce"]),
            "--panel",
            str(paths["panel"]),
            "--as-of",
            "2025-03-31",
            "--senior-by",
            "2022-12-31",
            "--format",
            "json",
        ]
    )
    assert status == 0
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == "2025-03-31" and document["panel_given"] is True
    everyone = document["tables"]["all_staff"][0]
    assert (everyone["staff"], everyone["mandatory_completed"]) == (6, 4)
    assert everyone["mandatory_completed_percent"] == 66.7
    assert (everyone["new_starters"], everyone["inducted_in_8_weeks"]) == (2, 1)
    assert (everyone["panel_members"], everyone["panel_trained"]) == (2, 1)
    assert set(document["tables"]) == {
        "all_staff",
        "by_directorate",
        "by_pay_band",
        "by_ethnic_group",
        "by_sex",
        "by_disability",
    }


def test_published_output_withholds_small_counts(tmp_path, capsys):
    paths = files(tmp_path)
    args = ["training", str(paths["records"]), "--workforce", str(paths["workforce"])]
    assert main([*args, "--as-of", "2025-03-31", "--published", "--format", "json"]) == 0
    everyone = json.loads(capsys.readouterr().out)["tables"]["all_staff"][0]
    assert everyone["staff"] is None and everyone["suppressed"] is True


def test_text_reads_as_sentences(tmp_path, capsys):
    paths = files(tmp_path)
    args = ["training", str(paths["records"]), "--workforce", str(paths["workforce"])]
    assert main([*args, "--as-of", "2025-03-31"]) == 0
    out = capsys.readouterr().out
    assert "Completed mandatory EDI training: 4 of 6 (66.7%, 95% CI 30.0–90.3)" in out


def test_a_bad_file_exits_2_listing_every_problem(tmp_path, capsys):
    bad = "employee_id,course,category,mode,completion_date\nE1,X,Mandatory,Pigeon,32/13/2024\n"
    paths = files(tmp_path, bad + ",Y,Nonsense,E-learning,2024-01-01\n")
    args = ["training", str(paths["records"]), "--workforce", str(paths["workforce"])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "4 problem(s)" in err
    for where in ("row 2, column mode", "row 2, column completion_date", "row 3, column category"):
        assert where in err
