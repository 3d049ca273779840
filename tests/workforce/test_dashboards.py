"""Dashboards: exact counts for the EDI and HR teams, protected figures for everyone else."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from equitable.core.models import AuditEvent
from equitable.workforce import catalogue

pytestmark = pytest.mark.django_db

BY_DIRECTORATE = "representation_by_directorate"


def figure_url(name, **query):
    url = reverse("workforce:figure", args=[name])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def csv_rows(response) -> list[dict]:
    """The download's rows, by the headings the page shows (tests/workforce/test_downloads.py)."""
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_index_lists_every_figure_and_the_snapshot(client_as, snapshot):
    html = client_as("board_member").get(reverse("workforce:index")).content.decode()
    assert "31 March 2025" in html
    for figure in catalogue.FIGURES:
        assert figure.title in html


def test_every_figure_page_renders_a_chart_and_a_table(client_as, snapshot):
    client = client_as("edi_officer")
    for figure in catalogue.FIGURES:
        response = client.get(figure_url(figure.name))
        assert response.status_code == 200, figure.name
        html = response.content.decode()
        assert figure.title in html


def test_a_figure_needing_a_missing_column_says_which(client_as, snapshot):
    html = client_as("edi_officer").get(figure_url("bonus_gap_sex")).content.decode()
    assert "bonus_pay" in html and "does not have" in html


def test_the_edi_officer_sees_the_exact_small_count_and_the_view_is_audited(client_as, snapshot):
    client = client_as("edi_officer")
    rows = csv_rows(client.get(reverse("workforce:download", args=[BY_DIRECTORATE, "csv"])))
    place_black = next(
        r for r in rows if r["Directorate"] == "Place" and r["Ethnic group"] == "Black"
    )
    assert place_black["People"] == "3"
    client.get(figure_url(BY_DIRECTORATE))
    assert AuditEvent.objects.filter(action="view", username="edi_officer").exists()
    assert AuditEvent.objects.filter(action="export", username="edi_officer").exists()


def test_a_board_member_sees_the_small_count_withheld(client_as, snapshot):
    client = client_as("board_member")
    rows = csv_rows(client.get(reverse("workforce:download", args=[BY_DIRECTORATE, "csv"])))
    place_black = next(
        r for r in rows if r["Directorate"] == "Place" and r["Ethnic group"] == "Black"
    )
    assert place_black["People"] == "[c]"
    assert not any(r["People"] not in ("[c]", "0") and int(r["People"]) < 10 for r in rows)
    html = client.get(figure_url(BY_DIRECTORATE)).content.decode()
    assert "[c]" in html


def test_a_champion_sees_only_their_directorate_rows_and_the_overall(client_as, snapshot):
    client = client_as("champion")
    rows = csv_rows(client.get(reverse("workforce:download", args=[BY_DIRECTORATE, "csv"])))
    assert {r["Directorate"] for r in rows} == {"People"}
    overall = csv_rows(
        client.get(reverse("workforce:download", args=["representation_overall", "csv"]))
    )
    assert {r["Ethnic group"] for r in overall} >= {"Asian", "Black", "White"}


def test_a_champion_asking_for_another_directorate_is_refused(client_as, snapshot):
    client = client_as("champion")
    assert client.get(figure_url(BY_DIRECTORATE, directorate="Place")).status_code == 403
    assert client.get(figure_url(BY_DIRECTORATE, directorate="People")).status_code == 200


def test_the_champion_rows_are_the_organisation_rows_not_a_recomputation(client_as, snapshot):
    """Their rows must equal the board's rows for People, so nothing differs to difference."""
    board = csv_rows(
        client_as("board_member").get(reverse("workforce:download", args=[BY_DIRECTORATE, "csv"]))
    )
    champion = csv_rows(
        client_as("champion").get(reverse("workforce:download", args=[BY_DIRECTORATE, "csv"]))
    )
    assert champion == [r for r in board if r["Directorate"] == "People"]


def test_the_hr_analyst_can_filter_exact_figures_by_directorate(client_as, snapshot):
    client = client_as("hr_analyst")
    url = reverse("workforce:download", args=["representation_overall", "csv"])
    rows = csv_rows(client.get(url + "?directorate=Place"))
    counts = {r["Ethnic group"]: r["People"] for r in rows}
    assert counts["Black"] == "3" and counts["White"] == "25"


def test_xlsx_download_has_the_same_rows(client_as, snapshot):
    client = client_as("board_member")
    response = client.get(reverse("workforce:download", args=["representation_overall", "xlsx"]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Ethnic group", "People", "Total")
    assert len(values) - 1 == len(
        csv_rows(client.get(reverse("workforce:download", args=["representation_overall", "csv"])))
    )


def test_an_unknown_figure_or_snapshot_is_404(client_as, snapshot):
    client = client_as("board_member")
    assert client.get(figure_url("nonsense")).status_code == 404
    assert client.get(figure_url("disclosure", snapshot="1999-01-01")).status_code == 404
    assert client.get(reverse("workforce:download", args=["disclosure", "pdf"])).status_code == 404


def test_another_council_sees_none_of_our_snapshots(client_as, snapshot):
    html = client_as("other:edi_officer").get(figure_url("disclosure")).content.decode()
    assert "No workforce extract has been imported yet" in html


def test_trends_show_every_snapshot(client_as, snapshot, org, good_csv):
    from datetime import date

    from equitable.workforce import services

    services.import_file(org, good_csv, snapshot_date=date(2024, 3, 31))
    client = client_as("board_member")
    html = client.get(reverse("workforce:trends")).content.decode()
    assert "31 March 2024" in html and "31 March 2025" in html
    assert "<svg" in html
    for name in ("representation_by_directorate", "pay_gap_ethnicity", "pay_quartiles_sex"):
        response = client.get(reverse("workforce:trends") + f"?figure={name}")
        assert response.status_code == 200, name
