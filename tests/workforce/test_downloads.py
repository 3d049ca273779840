"""A figure's download is the table on the page: the page's headings and words, numbers rounded
as shown, withheld values as [c], a file name saying what it holds, and nothing that a
spreadsheet would run as a formula."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.workforce import services
from tests.files.inert import DANGEROUS, assert_inert_csv, assert_inert_xlsx
from tests.workforce.conftest import SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db

BY_DIRECTORATE = "representation_by_directorate"


def download(client, name, fmt, **query):
    url = reverse("workforce:download", args=[name, fmt])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(url)


@pytest.fixture
def dangerous_snapshot(org, tmp_path):
    """An extract whose directorates are the texts a spreadsheet would run."""
    rows = extract_rows()
    for n, row in enumerate(rows):
        row["directorate"] = DANGEROUS[n % len(DANGEROUS)]
    outcome = services.import_file(
        org, write_csv(tmp_path / "x.csv", rows), snapshot_date=SNAPSHOT_DATE
    )
    assert outcome.ok, outcome.problems
    return outcome.snapshot


@pytest.mark.parametrize("persona", ["edi_officer", "board_member"])
def test_csv_and_xlsx_downloads_are_inert_and_keep_numbers(client_as, dangerous_snapshot, persona):
    client = client_as(persona)
    rows = assert_inert_csv(download(client, BY_DIRECTORATE, "csv").content)
    header = rows[0]
    directorates = {row[header.index("Directorate")] for row in rows[1:]}
    assert "'" + DANGEROUS[0] in directorates and "'+1" in directorates
    workbook = assert_inert_xlsx(download(client, BY_DIRECTORATE, "xlsx").content)
    sheet = workbook.worksheets[0]
    people = [c.value for c in sheet[1]].index("People") + 1
    counts = [row[people - 1] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in counts if c.value != "[c]"} == {"n"}


def test_headings_are_the_pages_and_numbers_are_rounded_as_shown(client_as, snapshot):
    rows = assert_inert_csv(download(client_as("edi_officer"), "pay_gap_ethnicity", "csv").content)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Comparison", "Ethnic group", "Compared with", "People"]
    assert "Mean hourly pay (£)" in header and "Median gap (%)" in header
    record = dict(zip(header, body[0], strict=True))
    assert record["Comparison"] == "White compared with everyone else (WRES)"
    assert len(record["Mean hourly pay (£)"].split(".")[1]) <= 2
    assert len(record["Mean gap (%)"].split(".")[1]) <= 1


def test_withheld_values_are_marked_as_on_the_page(client_as, snapshot):
    rows = assert_inert_csv(download(client_as("board_member"), BY_DIRECTORATE, "csv").content)
    header = rows[0]
    place_black = next(
        r for r in rows[1:] if r[header.index("Directorate")] == "Place" and "Black" in r
    )
    assert place_black[header.index("People")] == "[c]"
    assert "suppressed" not in header


def test_the_file_name_says_what_it_holds_filters_included(client_as, snapshot, org):
    response = download(
        client_as("hr_analyst"), BY_DIRECTORATE, "csv", snapshot="2025-03-31", directorate="People"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="our-borough-representation-by-directorate-2025-03-31-people.csv"'
    )
    whole = download(client_as("hr_analyst"), "disclosure", "xlsx")
    assert whole["Content-Disposition"].endswith(
        'filename="our-borough-disclosure-2025-03-31.xlsx"'
    )
