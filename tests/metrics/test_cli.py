"""`equitable generate-workforce` and `equitable metrics`, run in-process."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest
from openpyxl import load_workbook

from equitable.cli import main

SNAPSHOT = ["--snapshot-date", "2024-03-31"]


@pytest.fixture(scope="module")
def extract_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "workforce.csv"
    assert (
        main(["generate-workforce", "--employees", "1500", "--seed", "5", "--out", str(path)]) == 0
    )
    return path


def test_generate_workforce_writes_a_canonical_csv(extract_file):
    frame = pl.read_csv(extract_file, infer_schema=False)
    assert frame.height == 1500
    assert {"employee_id", "ethnicity", "pay_band", "hourly_pay"} <= set(frame.columns)


def test_generate_workforce_refuses_a_large_xlsx(tmp_path, capsys):
    code = main(["generate-workforce", "--employees", "200000", "--out", str(tmp_path / "w.xlsx")])
    assert code == 2
    assert "use .csv" in capsys.readouterr().err


def test_metrics_prints_every_table_as_json(extract_file, capsys):
    assert main(["metrics", str(extract_file), *SNAPSHOT, "--demo-population"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    for name in (
        "disclosure",
        "representation_overall",
        "representation_by_directorate",
        "representation_by_pay_band",
        "top_5_percent_earners",
        "pay_gap_ethnicity",
        "pay_quartiles_ethnicity",
        "pay_gap_sex",
    ):
        assert tables[name], name
    overall = {row["ethnic_group"]: row for row in tables["representation_overall"]}
    assert (
        sum(overall[g]["count"] for g in ("Asian", "Black", "Mixed", "White", "Other", "Unknown"))
        == 1500
    )
    gap = tables["pay_gap_ethnicity"][0]
    assert {"ethnic_group", "reference_group", "mean_gap_percent", "median_gap_percent"} <= set(gap)


def test_published_output_marks_suppressed_cells(extract_file, tmp_path, capsys):
    # Fewer columns, fewer tables: disclosure control runs over every table and its totals.
    small = tmp_path / "small.csv"
    columns = ["employee_id", "ethnicity", "pay_band", "hourly_pay"]
    pl.read_csv(extract_file, infer_schema=False).select(columns).write_csv(small)
    code = main(["metrics", str(small), *SNAPSHOT, "--published", "--threshold", "10"])
    assert code == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    rows = tables["representation_by_pay_band"]
    suppressed = [row for row in rows if row["suppressed"]]
    assert suppressed, "band 6 has fewer than 10 people in any group"
    assert any(row["count"] is None and row["percent"] is None for row in suppressed)
    shown = [row["count"] for row in rows if row["count"] is not None]
    assert all(count == 0 or count >= 10 for count in shown)


def test_a_threshold_below_five_is_refused(extract_file, capsys):
    assert main(["metrics", str(extract_file), *SNAPSHOT, "--published", "--threshold", "3"]) == 2
    assert "threshold" in capsys.readouterr().err


def test_csv_output_is_tidy_with_a_table_column(extract_file, tmp_path):
    out = tmp_path / "figures.csv"
    assert (
        main(["metrics", str(extract_file), *SNAPSHOT, "--format", "csv", "--out", str(out)]) == 0
    )
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns[0] == "table"
    assert "representation_by_pay_band" in set(frame["table"].to_list())


def test_xlsx_output_has_one_sheet_per_table(extract_file, tmp_path):
    out = tmp_path / "figures.xlsx"
    assert (
        main(["metrics", str(extract_file), *SNAPSHOT, "--format", "xlsx", "--out", str(out)]) == 0
    )
    sheets = load_workbook(out, read_only=True).sheetnames
    assert "representation_overall" in sheets
    assert all(len(name) <= 31 for name in sheets)


def test_a_bad_file_exits_2_and_lists_every_problem(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_id,ethnicity,hourly_pay\n1,Asain,10\n1,Indian,-2\n")
    assert main(["metrics", str(bad), *SNAPSHOT]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "row 2, column ethnicity, value 'Asain'" in captured.err
    assert "row 3, column hourly_pay, value '-2': must not be negative" in captured.err
    assert "employee_id appears 2 times (rows 2, 3)" in captured.err
    assert "--value-map" in captured.err


def test_a_value_map_file_fixes_unknown_values(tmp_path, capsys):
    bad = tmp_path / "odd.csv"
    bad.write_text("employee_id,ethnicity,hourly_pay\n1,Asain,11\n2,Indian,12\n")
    value_map = tmp_path / "map.json"
    value_map.write_text(json.dumps({"ethnicity": {"Asain": "Indian"}}))
    assert main(["metrics", str(bad), *SNAPSHOT, "--value-map", str(value_map)]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    asian = next(r for r in tables["representation_overall"] if r["ethnic_group"] == "Asian")
    assert asian["count"] == 2


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["metrics", str(tmp_path / "nope.csv")]) == 2
    assert "is not a file" in capsys.readouterr().err


def test_the_metrics_commands_do_not_import_django():
    code = (
        "import sys, equitable.metrics.cli as c, equitable.metrics.extract; "
        "print('django' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"


def test_the_example_value_map_suggests_only_by_meaning(tmp_path, capsys):
    """Issue 12: the example map printed with a refusal used to pair each unplaced value with
    the first accepted value ("X": "Female"). Now: a value found by meaning, or "" to fill in
    (an empty target is itself refused), and the column plan is printed first."""
    odd = tmp_path / "odd.csv"
    odd.write_text(
        "Staff Number,Assignment Number,Ethnic Origin,Gender,Religion\n"
        "1,1-1,Indian,X,Christian (Church in Wales)\n2,2-1,Asain,F,None\n"
    )
    assert main(["metrics", str(odd), *SNAPSHOT]) == 2
    err = capsys.readouterr().err
    assert err.index("Headers found in row 1 of the CSV file.") < err.index("problem(s)")
    assert "Assignment Number (looks like employee_id" in err
    example = json.loads(err.split("for example", 1)[1].split("\n", 1)[1].strip())
    assert example == {
        "ethnicity": {"Asain": ""},
        "sex": {"X": ""},
        "religion": {"Christian (Church in Wales)": "Christian"},
    }
    assert "'X': no good suggestion" in err

    mapped = tmp_path / "map.json"
    mapped.write_text(json.dumps(example))
    assert main(["metrics", str(odd), *SNAPSHOT, "--value-map", str(mapped)]) == 2
    assert "the value mapping leaves it empty" in capsys.readouterr().err
