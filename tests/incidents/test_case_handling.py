"""Case handling: only EDI case handlers read content; every opening is audited."""

import pytest
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.core.roles import CASE_HANDLER_ROLES
from equitable.incidents import services
from equitable.incidents.models import InternalNote, Message, Report, Source, Status
from tests.conftest import ORG_ROLES
from tests.incidents.helpers import paper_report, receipt_from, submit

SECRET_TEXT = "Only case handlers may read this sentence"


@pytest.fixture
def report(org):
    return paper_report(org, text=SECRET_TEXT)


def test_the_edi_officer_reads_the_report_and_the_opening_is_audited(client_as, report):
    response = client_as("edi_officer").get(reverse("incidents:detail", args=[report.pk]))
    assert response.status_code == 200
    assert SECRET_TEXT in response.content.decode()
    event = AuditEvent.objects.get(action="view", object_type="incident_report")
    assert event.object_id == str(report.pk) and SECRET_TEXT not in event.detail


@pytest.mark.parametrize(
    "persona", [r for r in ORG_ROLES if r not in CASE_HANDLER_ROLES] + ["coordinator"]
)
def test_no_other_role_can_read_report_content(persona, client_as, report):
    client = client_as(persona)
    for name in ("incidents:detail", "incidents:index", "incidents:trends"):
        url = reverse(name, args=[report.pk]) if name == "incidents:detail" else reverse(name)
        response = client.get(url, follow=True)
        assert SECRET_TEXT not in response.content.decode(), (persona, name)
    assert client.get(reverse("incidents:detail", args=[report.pk])).status_code == 403


def test_another_councils_edi_officer_gets_404(client_as, report):
    response = client_as("other:edi_officer").get(reverse("incidents:detail", args=[report.pk]))
    assert response.status_code == 404


def test_the_inbox_lists_open_cases_with_paper_marked(client_as, report):
    page = client_as("edi_officer").get(reverse("incidents:index")).content.decode()
    assert report.reference in page and "Paper" in page
    assert SECRET_TEXT not in page


def test_status_handler_and_closing_need_an_outcome(client_as, users, report):
    client = client_as("edi_officer")
    url = reverse("incidents:update", args=[report.pk])
    response = client.post(url, {"status": "closed", "outcome": ""})
    assert response.status_code == 400
    assert "Choose the outcome when closing a case" in response.content.decode()
    response = client.post(
        url,
        {
            "status": "closed",
            "outcome": "resolved",
            "category": "Team culture",
            "severity": "high",
            "handler": str(users["edi_officer"].pk),
            "first_response_due": "2026-12-01",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.outcome, report.severity) == (Status.CLOSED, "resolved", "high")
    assert report.handler == users["edi_officer"] and report.closed_at is not None


def test_notes_are_encrypted_and_replies_reach_the_reporter(client, client_as, org):
    code = receipt_from(submit(client, org))
    report = Report.objects.get(source=Source.ONLINE)
    officer = client_as("edi_officer")
    officer.post(reverse("incidents:note", args=[report.pk]), {"text": "Internal: speak to HR"})
    officer.post(reverse("incidents:reply", args=[report.pk]), {"text": "We are looking into it"})
    assert b"speak to HR" not in bytes(InternalNote.objects.get().body)
    assert b"looking" not in bytes(Message.objects.get().body)
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    from tests.incidents.helpers import answers

    page = client.post(
        reverse("report:follow-up"), {"receipt": code, "form_token": answers()["form_token"]}
    ).content.decode()
    assert "We are looking into it" in page and "speak to HR" not in page


def test_paper_reports_are_keyed_in_marked_and_get_no_receipt(client_as, org):
    response = client_as("edi_officer").post(
        reverse("incidents:paper"),
        {
            "box_emptied": "2026-11-19",
            "incident_type": "harassment",
            "characteristics": ["sex"],
            "what_happened": "Handwritten note",
            "reported_elsewhere": "no",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.source == Source.PAPER and report.receipt_lookup is None
    assert str(report.submitted_week) == "2026-11-16"  # the Monday of the box-emptying week


def test_the_inbox_flags_reports_whose_reporter_wrote_last(client_as, org):
    report = paper_report(org)
    services.add_message(report, "reporter", "More detail")
    page = client_as("edi_officer").get(reverse("incidents:index")).content.decode()
    assert "New message" in page and "More detail" not in page
