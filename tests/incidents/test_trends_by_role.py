"""Case handlers see exact trend counts and response times; board members see protected counts
and no response times; a chart never shows only zeros when counts are withheld."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from equitable.incidents import services
from equitable.incidents.dates import week_of
from equitable.incidents.models import Report, Status
from equitable.metrics.quarters import Quarter
from tests.incidents.helpers import paper_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bullying_reports(org):
    org.suppression_threshold = 5
    org.save()
    return [paper_report(org, incident_type="bullying") for _ in range(2)]


def test_case_handlers_get_exact_counts(org, two_bullying_reports):
    quarter = Quarter.of(services.today()).dashed
    exact = services.incident_trends(org, quarter, exact=True)
    assert exact["exact"] and exact["total"] == 2
    assert {r["label"]: r["count"] for r in exact["by_type"]}["Bullying"] == 2
    assert not any(r["suppressed"] for r in exact["trend"])
    protected = services.incident_trends(org, quarter)
    assert not protected["exact"]
    assert {r["label"]: r["count"] for r in protected["by_type"]}["Bullying"] is None


def test_the_trends_page_is_exact_for_the_edi_officer_and_protected_for_the_board(
    client_as, two_bullying_reports
):
    officer = client_as("edi_officer").get(reverse("incidents:trends")).content.decode()
    assert "exact counts" in officer and "[c]" not in officer
    assert "<svg" in officer  # 2 bullying reports: a line that is not zero
    assert "Response times by quarter of receipt" in officer
    board = client_as("board_member").get(reverse("incidents:trends")).content.decode()
    assert "[c]" in board and "exact counts" not in board
    assert "Response times by quarter" not in board
    assert "<svg" not in board and "No chart is drawn" in board


def test_the_board_report_stays_protected(org, two_bullying_reports):
    data = services.incident_trends(org, Quarter.of(services.today()).dashed)
    assert data["total"] is None or data["total"] >= org.suppression_threshold


def test_withheld_and_empty_series_are_left_out_of_the_chart_and_named():
    trend = [
        {"quarter": "2026-Q1", "type": "Racism", "count": 6, "suppressed": False},
        {"quarter": "2026-Q2", "type": "Racism", "count": 7, "suppressed": False},
        {"quarter": "2026-Q1", "type": "Bullying", "count": None, "suppressed": True},
        {"quarter": "2026-Q2", "type": "Bullying", "count": 8, "suppressed": False},
        {"quarter": "2026-Q1", "type": "Harassment", "count": 0, "suppressed": False},
        {"quarter": "2026-Q2", "type": "Harassment", "count": 0, "suppressed": False},
    ]
    series = services.trend_chart_series(trend)
    assert {row["type"] for row in series["rows"]} == {"Racism"}
    assert series["withheld"] == ["Bullying"] and series["empty"] == ["Harassment"]


def test_only_zeros_and_withheld_counts_give_no_chart():
    trend = [
        {"quarter": "2026-Q1", "type": "Racism", "count": None, "suppressed": True},
        {"quarter": "2026-Q1", "type": "Harassment", "count": 0, "suppressed": False},
    ]
    assert services.trend_chart_series(trend)["rows"] == []


def test_the_page_names_the_series_not_drawn(client_as, org):
    org.suppression_threshold = 5
    org.save()
    for incident_type, count in (("racism", 10), ("harassment", 8), ("bullying", 1)):
        for _ in range(count):
            paper_report(org, incident_type=incident_type)
    page = client_as("board_member").get(reverse("incidents:trends")).content.decode()
    assert "<svg" in page
    assert "Not drawn because some of their counts are withheld:" in page


def test_response_times_on_the_page_come_from_the_coarse_weeks(client_as, org):
    this_week = week_of(services.today())
    answered, waiting = paper_report(org), paper_report(org)
    Report.objects.filter(pk=answered.pk).update(
        submitted_week=this_week - timedelta(weeks=3),
        first_response_week=this_week - timedelta(weeks=2),
        status=Status.CLOSED,
        closed_at=this_week,
        outcome="resolved",
    )
    Report.objects.filter(pk=waiting.pk).update(submitted_week=this_week - timedelta(weeks=3))
    table = services.response_time_table(org)
    (row,) = [r for r in table["rows"] if r["received"] == 2]
    assert (row["first_response_within"], row["first_response_decided"]) == (1, 2)
    assert row["first_response_median_days"] == 7 and row["close_median_days"] == 21
    page = client_as("edi_officer").get(reverse("incidents:trends")).content.decode()
    assert "only the week of each date" in page
    assert 'id="response-times-table"' in page and "1 of 2" in page
