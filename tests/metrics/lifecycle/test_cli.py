"""`equitable lifecycle`, run in-process: every lifecycle figure from files, no database."""

from __future__ import annotations

import json

import polars as pl
import pytest

from equitable.cli import main
from equitable.metrics.lifecycle import synthetic
from tests.files.inert import DANGEROUS, assert_inert_csv, assert_inert_xlsx

REQUIRED_TABLES = (
    "recruitment_stages",
    "recruitment_relative_likelihood",
    "casework_relative_likelihood",
    "leavers",
    "promotions",
    "development_relative_likelihood",
)
RL_COLUMNS = {"reference_group", "relative_likelihood", "ci_low", "ci_high"}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Three consecutive snapshots of about 1,500 staff and the four lifecycle files."""
    folder = tmp_path_factory.mktemp("lifecycle")
    snapshots = synthetic.generate_snapshots(1500, 21)
    records = synthetic.generate_lifecycle(snapshots, 21)
    paths = {
        "workforce": [
            synthetic.write_snapshot_csv(frame, on, folder / f"workforce-{on.year}.csv")
            for on, frame in snapshots
        ],
        "applications": synthetic.write_applications_csv(
            records.applications, folder / "applications.csv"
        ),
        "cases": synthetic.write_cases_csv(records.cases, folder / "cases.csv"),
        "leavers": synthetic.write_leavers_csv(records.leavers, folder / "leavers.csv"),
        "development": synthetic.write_development_csv(
            records.development, folder / "development.csv"
        ),
    }
    return paths, records


def _every_file(paths) -> list[str]:
    return [
        "lifecycle",
        "--workforce",
        *map(str, paths["workforce"]),
        *("--applications", str(paths["applications"])),
        *("--cases", str(paths["cases"])),
        *("--leavers", str(paths["leavers"])),
        *("--development", str(paths["development"])),
    ]


@pytest.fixture(scope="module")
def every_table(files):
    paths, _ = files
    capture = pytest.MonkeyPatch()
    import io
    import sys

    out = io.StringIO()
    capture.setattr(sys, "stdout", out)
    try:
        assert main(_every_file(paths)) == 0
    finally:
        capture.undo()
    return json.loads(out.getvalue())["tables"]


def test_every_family_is_printed_as_json_tables(every_table):
    for name in REQUIRED_TABLES:
        assert every_table[name], name
    for name in ("recruitment_relative_likelihood", "casework_relative_likelihood"):
        assert {"ethnic_group", *RL_COLUMNS} <= set(every_table[name][0]), name
    assert "stage" in every_table["recruitment_relative_likelihood"][0]
    assert "process" in every_table["casework_relative_likelihood"][0]
    assert "process" in every_table["development_relative_likelihood"][0]
    assert {"sex", *RL_COLUMNS} <= set(every_table["recruitment_relative_likelihood_by_sex"][0])


def test_appointments_from_shortlisting_show_the_synthetic_disparity(every_table, files):
    """The synthetic applications are built so White shortlisted applicants are about 1.6
    times as likely to be appointed; the figure printed is the count-based one."""
    _, records = files
    rows = [
        row
        for row in every_table["recruitment_relative_likelihood"]
        if row["stage"] == "shortlisted to appointed"
        and row["applicant_type"] == "All"
        and row["ethnic_group"] == "Black, Asian and Multi-ethnic"
    ]
    assert len(rows) == 3  # one per financial year
    for row in rows:
        assert 1.1 < row["relative_likelihood"] < 2.4
        assert row["ci_low"] < row["relative_likelihood"] < row["ci_high"]
    assert records.applications.filter(pl.col("stage_reached") == "appointed").height > 100


def test_applications_alone_give_the_recruitment_figures(files, capsys):
    paths, _ = files
    assert main(["lifecycle", "--applications", str(paths["applications"])]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert set(tables) and all(name.startswith("recruitment_") for name in tables)


def test_a_bad_file_exits_2_listing_every_problem_with_row_and_column(files, tmp_path, capsys):
    paths, records = files
    bad = records.applications.head(20).with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("hired maybe"))
        .otherwise(pl.col("stage_reached"))
        .alias("stage_reached"),
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("31/31/2024"))
        .otherwise(pl.col("date_applied").cast(pl.String))
        .alias("date_applied"),
    )
    path = tmp_path / "bad.csv"
    bad.write_csv(path)
    cases = tmp_path / "cases.csv"
    records.cases.head(5).with_columns(case_type=pl.lit("duel")).write_csv(cases)
    argv = ["lifecycle", "--workforce", str(paths["workforce"][0])]
    argv += ["--snapshot-dates", "2023-03-31", "--applications", str(path), "--cases", str(cases)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no figures were computed" in err
    assert f"{path}: row 4, column stage_reached, value 'hired maybe'" in err
    assert f"{path}: row 7, column date_applied, value '31/31/2024'" in err
    assert f"{cases}: row 2, column case_type, value 'duel'" in err


def test_a_workforce_file_without_a_date_is_refused(files, tmp_path, capsys):
    paths, _ = files
    undated = tmp_path / "undated.csv"
    pl.read_csv(paths["workforce"][0], infer_schema=False).drop("snapshot_date").write_csv(undated)
    assert main(["lifecycle", "--workforce", str(undated)]) == 2
    assert "snapshot_date" in capsys.readouterr().err


def test_files_that_need_snapshots_are_refused_without_them(files, capsys):
    paths, _ = files
    assert main(["lifecycle", "--applications", str(paths["applications"]),
                 "--cases", str(paths["cases"])]) == 2  # fmt: skip
    assert "--cases need the --workforce snapshots" in capsys.readouterr().err


COUNTS = """stage,ethnicity,count
applied,"English, Welsh, Scottish, Northern Irish or British",120
shortlisted,"English, Welsh, Scottish, Northern Irish or British",40
appointed,"English, Welsh, Scottish, Northern Irish or British",12
applied,Indian,150
shortlisted,Indian,45
appointed,Indian,8
applied,Caribbean,30
shortlisted,Caribbean,9
appointed,Caribbean,2
"""


def test_published_withholds_small_counts(tmp_path, capsys):
    """Counts per stage: 2 Caribbean appointees (below 10) are withheld, and with them what
    would give them away (Indian 8 too, and the Asian and aggregate rows above them)."""
    path = tmp_path / "counts.csv"
    path.write_text(COUNTS, encoding="utf-8")
    assert main(["lifecycle", "--applications", str(path)]) == 0
    exact = json.loads(capsys.readouterr().out)["tables"]["recruitment_relative_likelihood"]
    assert main(["lifecycle", "--applications", str(path), "--published"]) == 0
    published = json.loads(capsys.readouterr().out)["tables"]["recruitment_relative_likelihood"]

    def row(rows, group):
        return next(
            r
            for r in rows
            if r["ethnic_group"] == group
            and r["stage"] == "shortlisted to appointed"
            and r["applicant_type"] == "All"
        )

    assert row(exact, "Caribbean")["group_count"] == 2
    caribbean = row(published, "Caribbean")
    assert caribbean["suppressed"] and caribbean["group_count"] is None
    assert caribbean["relative_likelihood"] is None
    shown = [r["group_count"] for r in published if r["group_count"] is not None]
    assert all(count == 0 or count >= 10 for count in shown)


def test_a_threshold_below_five_is_refused(tmp_path, capsys):
    path = tmp_path / "counts.csv"
    path.write_text(COUNTS, encoding="utf-8")
    assert main(["lifecycle", "--applications", str(path), "--published", "--threshold", "3"]) == 2
    assert "threshold" in capsys.readouterr().err


@pytest.fixture(scope="module")
def dangerous_applications(files, tmp_path_factory):
    """Applications whose directorates and grades are texts a spreadsheet would run."""
    _, records = files
    frame = records.applications.head(3000)
    names = pl.Series(DANGEROUS * (frame.height // len(DANGEROUS) + 1))[: frame.height]
    path = tmp_path_factory.mktemp("inert") / "applications.csv"
    frame.with_columns(directorate=names, grade=names).write_csv(path)
    return path


def test_the_csv_output_is_inert(dangerous_applications, tmp_path):
    out = tmp_path / "figures.csv"
    argv = ["lifecycle", "--applications", str(dangerous_applications)]
    assert main([*argv, "--format", "csv", "--output", str(out)]) == 0
    rows = assert_inert_csv(out.read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    directorates = {row[header.index("directorate")] for row in body} - {""}
    assert "'" + DANGEROUS[0] in directorates


def test_the_xlsx_output_is_inert(dangerous_applications, tmp_path):
    out = tmp_path / "figures.xlsx"
    argv = ["lifecycle", "--applications", str(dangerous_applications)]
    assert main([*argv, "--format", "xlsx", "--output", str(out)]) == 0
    workbook = assert_inert_xlsx(out.read_bytes())
    # Sheet names are cut to Excel's 31 characters.
    (title,) = [t for t in workbook.sheetnames if t.startswith("recruitment_stages_by_dir")]
    sheet = workbook[title]
    header = [cell.value for cell in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    assert "'" + DANGEROUS[0] in {row[header.index("directorate")].value for row in body}
    assert {row[header.index("reached")].data_type for row in body} == {"n"}
