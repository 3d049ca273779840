"""Closed reports are deleted after the retention period; trend counts survive, protected."""

from datetime import date, timedelta

from django.urls import reverse

from equitable.cli import main
from equitable.incidents import services
from equitable.incidents.models import Attachment, Report, Status, TrendCount
from tests.incidents.helpers import paper_report


def _close(report, on: date):
    Report.objects.filter(pk=report.pk).update(
        status=Status.CLOSED, closed_at=on, outcome="resolved"
    )


def test_closed_reports_past_the_period_are_deleted_and_counts_kept(org):
    org.report_retention_days = 30
    org.save()
    old, recent, still_open = (paper_report(org) for _ in range(3))
    Attachment.objects.create(
        report=old, content=b"x", content_type="text/plain", extension="txt", size=1
    )
    _close(old, date(2026, 1, 1))
    _close(recent, date(2026, 1, 20))
    assert services.purge_closed(date(2026, 2, 1)) == {org.slug: 1}
    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert Attachment.objects.count() == 0
    assert sum(t.count for t in TrendCount.objects.filter(characteristic="*")) == 3


def test_nothing_is_deleted_before_its_time(org):
    report = paper_report(org)
    _close(report, date(2026, 1, 1))
    assert services.purge_closed(date(2026, 1, 1) + timedelta(days=364)) == {}
    assert Report.objects.count() == 1


def test_the_purge_command(org, capsys, settings):
    report = paper_report(org)
    _close(report, date(2020, 1, 1))
    assert main(["incidents", "purge", "--today", "2026-01-01"]) == 0
    assert "deleted 1 closed report" in capsys.readouterr().out
    assert Report.objects.count() == 0


def test_trends_suppress_small_counts_and_their_complement(org):
    org.suppression_threshold = 5
    org.save()
    for _ in range(6):
        paper_report(org, incident_type="racism", characteristics=["race"])
    for _ in range(2):
        paper_report(org, incident_type="bullying", characteristics=[])
    quarter = TrendCount.objects.first().quarter
    data = services.incident_trends(org, quarter)
    by_type = {row["label"]: row["count"] for row in data["by_type"]}
    assert by_type["Bullying"] is None  # 2 < 5: withheld
    assert by_type["Racism"] is None  # complement: total 8 would give the 2 away
    assert by_type["Harassment"] == 0  # true zeros are shown
    assert data["total"] == 8
    # 6 of the 8 name race: 8 − 6 = 2 that do not, so the 6 is withheld too.
    assert {row["label"]: row["count"] for row in data["by_characteristic"]}[
        "Race, ethnicity or nationality"
    ] is None
    assert [row["quarter"] for row in data["trend"]][-1] == quarter


def test_board_members_see_trends_without_content(client_as, org):
    paper_report(org, text="NEVER-ON-TRENDS")
    response = client_as("board_member").get(reverse("incidents:trends"))
    assert response.status_code == 200
    page = response.content.decode()
    # One report: its count is withheld, so no chart of zeros is drawn; the page says why.
    assert "NEVER-ON-TRENDS" not in page
    assert "<svg" not in page and "No chart is drawn" in page
    assert (
        client_as("board_member").get(reverse("incidents:trends") + "?quarter=nonsense").status_code
        == 404
    )


def test_the_api_gives_trends_to_board_members_only(client_as, org):
    paper_report(org, text="NEVER-IN-API")
    response = client_as("board_member").get("/api/incidents/trends")
    assert response.status_code == 200
    assert "by_type" in response.json() and "NEVER-IN-API" not in response.content.decode()
    assert client_as("hr_analyst").get("/api/incidents/trends").status_code == 403
    assert client_as("board_member").get("/api/incidents/trends?quarter=x").status_code == 422


def test_a_small_directorate_cannot_be_worked_out_from_the_quarter_total(org):
    """3 reports from People, 12 and 15 from the others, 30 in all: People is withheld and so
    is a partner big enough that People could be 10 more, so the total minus the shown ones
    leaves a wide range."""
    from equitable.metrics.attack import feasible_range

    people, place, resources = org.directorates.order_by("name")
    for directorate, count in ((people, 3), (place, 12), (resources, 15)):
        for _ in range(count):
            paper_report(org, directorate=directorate)
    quarter = TrendCount.objects.first().quarter
    data = services.incident_trends(org, quarter)
    shown = {row["label"]: row["count"] for row in data["by_directorate"]}
    assert shown[people.name] is None
    assert data["total"] == 30
    withheld = [label for label, count in shown.items() if count is None]
    assert len(withheld) >= 2
    published = {label: count for label, count in shown.items()} | {"total": data["total"]}
    low, high = feasible_range(published, [("total", list(shown))], people.name)
    assert high - low >= 10
