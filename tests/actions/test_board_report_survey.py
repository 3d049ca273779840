"""The board report's staff survey panel on the page, in the PDF and in an issued report's
figures, with the demo's four waves (tests/surveys/conftest.py); and the report of an
organisation without a survey."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pypdf import PdfReader

from equitable.actions import board_reports, services
from equitable.surveys import summary
from tests.surveys.conftest import surveyed  # noqa: F401  (the fixture, for this directory)

pytestmark = pytest.mark.django_db

QUARTER = "2025Q1"


class _SurveyTable(HTMLParser):
    """The cells of the survey table, row by row, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._inside = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "eq-board-survey" in (dict(attrs).get("class") or ""):
            self._inside = True
        elif self._inside and tag == "tr":
            self.rows.append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._inside = False
        elif self._inside and tag in ("td", "th") and self._cell is not None:
            # Collapse the markup's spaces and line breaks, keep the no-break spaces.
            self.rows[-1].append(re.sub(r"[ \t\r\n]+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _survey_rows(html: str) -> list[list[str]]:
    parser = _SurveyTable()
    parser.feed(html)
    return parser.rows


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def test_the_page_shows_the_panel(client_as, surveyed):  # noqa: F811
    page = client_as("board_member").get(reverse("actions:board-report", args=[QUARTER]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h2 class="govuk-heading-m" id="staff-survey">Staff survey</h2>' in html
    assert "From the Pulse survey summer 2024 (fieldwork closed June 2024)" in html
    assert "compared with the Pulse survey summer 2023 (June 2023)" in html
    assert "BAME" not in html
    panel = summary.board_panel(surveyed, on=services.parse_quarter(QUARTER)[1])
    header, *rows = _survey_rows(html)
    assert header == [
        "Question",
        "All staff",
        "Black, Asian and Multi-ethnic",
        "White",
        "Difference (points, 95% CI)",
        "Black, Asian and Multi-ethnic: change since June 2023",
    ]
    assert len(rows) == len(panel["questions"])
    for cells, question in zip(rows, panel["questions"], strict=True):
        assert cells[0] == question["text"]
        for cell, key in zip(
            cells[1:4], ("all_staff", "black_asian_multi_ethnic", "white"), strict=True
        ):
            figure = question[key]
            if figure["withheld"]:
                # Withheld: the marker and its note, nothing that looks like a figure.
                assert cell == f"[c]\xa0[note\xa0{figure['note']}]"
            else:
                assert cell == _percent(figure["value"])
        difference = question["difference"]
        if difference["withheld"]:
            assert cells[4] == f"[c]\xa0[note\xa0{difference['note']}]"
        else:
            assert cells[4].startswith(f"{difference['points']:+.1f}")
            assert f"{difference['ci_low']:+.1f} to {difference['ci_high']:+.1f}" in cells[4]
            assert ("significant" if difference["significant"] else "within chance") in cells[4]
        change = question["change"]
        if change["withheld"]:
            assert cells[5] == f"[c]\xa0[note\xa0{change['note']}]"
        else:
            assert cells[5].startswith(f"{_percent(change['from'])} → {_percent(change['to'])}")
            assert f"{change['points']:+.1f} points" in cells[5]
    for number, why in enumerate(panel["notes"], start=1):
        assert f'id="survey-note-{number}">[note {number}] {why[0].upper()}{why[1:]}.' in html


def test_the_table_is_accessible_and_scrolls_on_its_own(client_as, surveyed):  # noqa: F811
    html = client_as("board_member").get(reverse("actions:board-report", args=[QUARTER]))
    text = html.content.decode()
    table = text.split('id="staff-survey"', 1)[1].split("</table>", 1)[0]
    assert '<div class="eq-table-scroll" role="region"' in table
    assert '<caption class="govuk-table__caption' in table
    assert table.count('<th scope="col"') == 6
    assert 'class="govuk-table__cell govuk-table__cell--numeric num"' in table


def test_the_pdf_shows_the_panel(client_as, surveyed):  # noqa: F811
    response = client_as("edi_officer").get(reverse("actions:board-report-pdf", args=[QUARTER]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Staff survey" in text
    assert "From the Pulse survey summer 2024 (fieldwork closed June 2024)" in text
    panel = summary.board_panel(surveyed)
    first = panel["questions"][0]
    assert _percent(first["all_staff"]["value"]) in text
    assert ("[note 1] " in text) == bool(panel["notes"])  # a note only for withheld cells


def test_figures_keep_the_panel(surveyed):  # noqa: F811
    context = board_reports.report_context(surveyed, QUARTER, "board_member")
    kept = board_reports.figures_of(context)
    assert kept["survey"] == summary.board_panel(surveyed, on=context["end"])
    assert kept["survey"]["title"] == "Pulse survey summer 2024"
    assert {"quarter", "headline", "targets", "actions", "levels", "incidents"} <= set(kept)
    json.dumps(kept)


def test_an_issued_report_keeps_the_survey_figures(users, surveyed):  # noqa: F811
    report = board_reports.issue(users["edi_officer"], surveyed, QUARTER)
    assert report.figures["survey"]["title"] == "Pulse survey summer 2024"
    assert report.figures["survey"] == summary.board_panel(surveyed)
    assert 'id="staff-survey"' in report.body_html


def test_an_earlier_quarter_shows_the_wave_of_then(client_as, surveyed):  # noqa: F811
    html = client_as("board_member").get(reverse("actions:board-report", args=["2023Q3"]))
    assert "From the Pulse survey summer 2023 (fieldwork closed June 2023)" in html.content.decode()


def test_without_a_survey(client_as, org):
    page = client_as("board_member").get(reverse("actions:board-report", args=[QUARTER]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Staff survey" in html
    assert "No staff survey has been imported yet with fieldwork closed by 31 Mar 2025." in html
    assert (
        board_reports.figures_of(board_reports.report_context(org, QUARTER, "board_member"))[
            "survey"
        ]
        is None
    )
    pdf = client_as("edi_officer").get(reverse("actions:board-report-pdf", args=[QUARTER]))
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "No staff survey has been imported yet" in " ".join(text.split())
