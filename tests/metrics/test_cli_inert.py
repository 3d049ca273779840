"""`equitable metrics --format csv|xlsx` writes directorate names, grades and pay bands that
start with "=", "+", "-", "@", a tab or a carriage return as text, never as formulas, and keeps
every figure a number."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.cli import main
from equitable.metrics import synthetic
from tests.files.inert import DANGEROUS, assert_inert_csv, assert_inert_xlsx

SNAPSHOT = ["--snapshot-date", "2024-03-31"]


@pytest.fixture(scope="module")
def dangerous_extract(tmp_path_factory):
    """A synthetic extract whose directorates and grades are the dangerous texts."""
    frame = synthetic.generate_workforce(600, 3)
    names = pl.Series(DANGEROUS * (frame.height // len(DANGEROUS) + 1))[: frame.height]
    frame = frame.with_columns(directorate=names, grade=names)
    path = tmp_path_factory.mktemp("inert") / "extract.csv"
    synthetic.write_workforce_csv(frame, path)
    return path


def test_the_csv_has_no_live_formula_and_numbers_stay_numbers(dangerous_extract, tmp_path):
    out = tmp_path / "figures.csv"
    assert (
        main(["metrics", str(dangerous_extract), *SNAPSHOT, "--format", "csv", "--out", str(out)])
        == 0
    )
    rows = assert_inert_csv(out.read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    directorates = {row[header.index("directorate")] for row in body} - {""}
    assert "'" + DANGEROUS[0] in directorates and "'-2+3" in directorates
    counts = [row[header.index("count")] for row in body if row[header.index("count")]]
    assert counts and all(float(c) == int(float(c)) for c in counts)


def test_the_xlsx_has_no_formula_cell_and_numeric_counts(dangerous_extract, tmp_path):
    out = tmp_path / "figures.xlsx"
    assert (
        main(["metrics", str(dangerous_extract), *SNAPSHOT, "--format", "xlsx", "--out", str(out)])
        == 0
    )
    workbook = assert_inert_xlsx(out.read_bytes())
    sheet = workbook["representation_by_directorate"]
    header = [cell.value for cell in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    assert {row[header.index("directorate")].value for row in body} >= {
        "'" + DANGEROUS[0],
        "'@SUM(A1:A9)",
    }
    assert {row[header.index("count")].data_type for row in body} == {"n"}
