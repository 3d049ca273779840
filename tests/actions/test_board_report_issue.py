"""Board reports kept by quarter: key messages on the draft, issuing freezes the report (PDF
bytes, page and figures), an issued report re-downloads byte for byte after the data change,
a correction supersedes it, and only the EDI officer writes and issues."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from equitable.actions import board_reports
from equitable.actions.models import Action, BoardReport, MeasureValue
from equitable.core.models import AuditEvent
from equitable.workforce import services as workforce
from tests.workforce.conftest import extract_rows, write_csv

pytestmark = pytest.mark.django_db

QUARTER = "2025Q2"


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _frozen_part(page: bytes) -> bytes:
    """The issued report's own content (the page around it carries a fresh CSP nonce)."""
    return page.split(b'<div class="eq-issued-report">', 1)[1].split(b"</main>", 1)[0]


@pytest.fixture
def march_snapshot(org, tmp_path):
    outcome = workforce.import_file(
        org, write_csv(tmp_path / "march.csv", extract_rows()), snapshot_date=date(2025, 3, 31)
    )
    assert outcome.ok, outcome.problems
    return outcome.snapshot


def _save_messages(client, text, quarter=QUARTER):
    return client.post(
        reverse("actions:board-report-messages", args=[quarter]), {"key_messages": text}
    )


def _issue(client, quarter=QUARTER, **data):
    return client.post(reverse("actions:board-report-issue", args=[quarter]), data)


# --- key messages ---------------------------------------------------------------------------


def test_key_messages_are_saved_and_rendered_escaped(client_as, org, corporate):
    edi = client_as("edi_officer")
    text = "Progress is <b>slow</b> & uneven.\n\n- <script>alert(1)</script>\n- panels & training"
    response = _save_messages(edi, text)
    assert response.status_code == 302
    assert response["Location"].endswith("#key-messages")
    assert board_reports.draft_for(org, QUARTER).key_messages == text
    assert AuditEvent.objects.filter(object_type="board_report", action="change").exists()

    page = client_as("board_member").get(reverse("actions:board-report", args=[QUARTER]))
    html = page.content.decode()
    assert '<p class="govuk-body">Progress is &lt;b&gt;slow&lt;/b&gt; &amp; uneven.</p>' in html
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<li>panels &amp; training</li>" in html
    assert "<script>alert(1)" not in html
    # The board member reads the messages but gets no form.
    assert 'name="key_messages"' not in html

    pdf = client_as("board_member").get(reverse("actions:board-report-pdf", args=[QUARTER]))
    text_in_pdf = _pdf_text(pdf.content)
    assert "DRAFT: not issued" in text_in_pdf
    assert "Progress is <b>slow</b> & uneven." in text_in_pdf  # printed as text, not markup
    assert "panels & training" in text_in_pdf


def test_too_long_key_messages_are_refused_and_kept(client_as, org):
    edi = client_as("edi_officer")
    text = "A long message. " * 200  # 3,200 characters
    response = _save_messages(edi, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Key messages must be 3,000 characters or fewer" in html
    assert "A long message. A long message." in html  # nothing lost: the text is still there
    assert board_reports.draft_for(org, QUARTER) is None


@pytest.mark.parametrize("persona", ["board_member", "champion", "hr_analyst", "org_admin"])
def test_only_the_edi_officer_writes_and_issues(client_as, org, persona):
    client = client_as(persona)
    assert _save_messages(client, "Ours").status_code == 403
    assert client.get(reverse("actions:board-report-issue", args=[QUARTER])).status_code == 403
    assert _issue(client).status_code == 403
    assert not BoardReport.objects.filter(organisation=org).exists()
    page = client.get(reverse("actions:board-report", args=[QUARTER])).content.decode()
    assert "Issue this report" not in page and 'name="key_messages"' not in page


# --- issuing and freezing -------------------------------------------------------------------


def test_issuing_freezes_bytes_and_figures_through_data_changes(
    client_as, org, corporate, march_snapshot, tmp_path
):
    edi = client_as("edi_officer")
    _save_messages(edi, "The quarter in one line.")
    response = _issue(edi)
    report = BoardReport.objects.get(organisation=org, quarter=QUARTER)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:board-report-issued", args=[report.pk])
    assert (report.status, report.version) == (BoardReport.Status.ISSUED, 1)
    assert board_reports.draft_for(org, QUARTER) is None  # the draft became the issued report
    event = AuditEvent.objects.get(object_type="board_report", action="create")
    assert "issued the 2025Q2 board report, version 1" in event.detail

    stored = bytes(report.pdf)
    assert hashlib.sha256(stored).hexdigest() == report.pdf_sha256
    text = _pdf_text(stored)
    assert "version 1" in text and "DRAFT" not in text
    assert "The quarter in one line." in text
    # The 31 March snapshot is a quarter older than this Q2 report, and says so.
    assert "from the 31 Mar 2025 snapshot — 1 quarter before this report" in text
    frozen_figures = report.figures
    assert frozen_figures["headline"][0]["as_at"] == "2025-03-31"
    assert (
        frozen_figures["headline"][0]["age"]
        == "from the 31 Mar 2025 snapshot — 1 quarter before this report"
    )
    awareness = next(t for t in frozen_figures["targets"] if t["ref"] == "C-M1")
    assert (awareness["latest"], awareness["latest_on"]) == (42, "2024-12-31")
    assert awareness["age"] == "from the 31 Dec 2024 value — 2 quarters before this report"

    board = client_as("board_member")
    url = reverse("actions:board-report-issued-pdf", args=[report.pk])
    first = board.get(url)
    assert first.status_code == 200 and first.content == stored
    page_before = board.get(reverse("actions:board-report-issued", args=[report.pk])).content

    # The data change: a new snapshot in the quarter, a measure value and an action's status.
    outcome = workforce.import_file(
        org, write_csv(tmp_path / "june.csv", extract_rows()), snapshot_date=date(2025, 6, 30)
    )
    assert outcome.ok, outcome.problems
    _, action, measure = corporate
    MeasureValue.objects.filter(measure=measure).update(value=60)
    MeasureValue.objects.create(measure=measure, on=date(2025, 5, 31), value=61)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.OFF_TRACK)

    # The draft follows the data …
    live = board_reports.figures_of(board_reports.report_context(org, QUARTER, "board_member"))
    assert live["headline"][0]["as_at"] == "2025-06-30" and live["headline"][0]["age"] is None
    assert next(t for t in live["targets"] if t["ref"] == "C-M1")["latest"] == 61
    assert live != frozen_figures
    # … the issued report does not: same bytes, same figures, same page.
    again = board.get(url)
    assert again.content == stored
    assert hashlib.sha256(again.content).hexdigest() == report.pdf_sha256
    report.refresh_from_db()
    assert report.figures == frozen_figures
    page_after = board.get(reverse("actions:board-report-issued", args=[report.pk])).content
    assert _frozen_part(page_after) == _frozen_part(page_before)
    assert b"1 quarter before this report" in _frozen_part(page_after)
    draft_page = board.get(reverse("actions:board-report", args=[QUARTER])).content.decode()
    assert "1 quarter before this report" not in draft_page  # the June snapshot is in Q2


def test_an_issued_report_cannot_be_edited(org):
    report = BoardReport.objects.create(
        organisation=org, quarter=QUARTER, status=BoardReport.Status.ISSUED, version=1
    )
    report.key_messages = "changed afterwards"
    with pytest.raises(ValidationError):
        report.save()
    report.refresh_from_db()
    report.status = BoardReport.Status.DRAFT
    with pytest.raises(ValidationError):
        report.save()


def test_a_correction_supersedes_and_keeps_the_old_version(client_as, org, corporate):
    edi = client_as("edi_officer")
    _save_messages(edi, "First version.")
    _issue(edi)
    first = BoardReport.objects.get(organisation=org, quarter=QUARTER)
    first_bytes = bytes(first.pdf)

    # Correcting needs a reason; the form says so and nothing is issued.
    page = edi.get(reverse("actions:board-report-issue", args=[QUARTER])).content.decode()
    assert "Issue a corrected version" in page
    refused = _issue(edi)
    assert refused.status_code == 200
    assert "Say what this version corrects" in refused.content.decode()
    assert BoardReport.objects.filter(organisation=org).count() == 1

    # The draft of the correction starts from the issued key messages.
    draft_page = edi.get(reverse("actions:board-report", args=[QUARTER])).content.decode()
    assert "First version." in draft_page and "read the issued report" in draft_page
    _save_messages(edi, "Second version.")
    first.refresh_from_db()
    assert first.key_messages == "First version."  # the issued one is untouched
    response = _issue(edi, correction="The awareness figure was misread")
    second = BoardReport.objects.get(organisation=org, quarter=QUARTER, version=2)
    assert response["Location"] == reverse("actions:board-report-issued", args=[second.pk])
    first.refresh_from_db()
    assert first.status == BoardReport.Status.SUPERSEDED
    assert first.superseded_by == second
    assert second.status == BoardReport.Status.ISSUED
    assert "corrects version 1 (The awareness figure was misread)" in _pdf_text(bytes(second.pdf))

    board = client_as("board_member")
    listing = board.get(reverse("actions:board-report-choose")).content.decode()
    assert reverse("actions:board-report-issued", args=[second.pk]) in listing
    assert reverse("actions:board-report-issued", args=[first.pk]) in listing
    assert "(superseded)" in listing
    old_page = board.get(reverse("actions:board-report-issued", args=[first.pk])).content.decode()
    assert "This version was superseded by version 2" in old_page
    assert "First version." in old_page and "Second version." not in old_page
    old_pdf = board.get(reverse("actions:board-report-issued-pdf", args=[first.pk]))
    assert old_pdf.content == first_bytes


# --- who reads what -------------------------------------------------------------------------


@pytest.fixture
def issued(client_as, org, corporate):
    _issue(client_as("edi_officer"))
    return BoardReport.objects.get(organisation=org, quarter=QUARTER)


def test_another_council_gets_404(client_as, issued):
    for persona in ("other:edi_officer", "other:board_member"):
        client = client_as(persona)
        for name in ("actions:board-report-issued", "actions:board-report-issued-pdf"):
            assert client.get(reverse(name, args=[issued.pk])).status_code == 404
    listing = client_as("other:board_member").get(reverse("actions:board-report-choose"))
    assert reverse("actions:board-report-issued", args=[issued.pk]) not in listing.content.decode()


@pytest.mark.parametrize(
    ("persona", "full"),
    [("board_member", True), ("edi_officer", True), ("hr_analyst", False), ("champion", False)],
)
def test_the_incidents_section_and_pdf_follow_the_trends_rules(client_as, issued, persona, full):
    client = client_as(persona)
    page = client.get(reverse("actions:board-report-issued", args=[issued.pk])).content.decode()
    assert ("Reports received this quarter" in page) == full
    assert ('id="incidents-withheld"' in page) == (not full)
    pdf = client.get(reverse("actions:board-report-issued-pdf", args=[issued.pk]))
    assert pdf.status_code == (200 if full else 403)


def test_a_draft_cannot_be_read_as_an_issued_report(client_as, org):
    _save_messages(client_as("edi_officer"), "Draft only")
    draft = board_reports.draft_for(org, QUARTER)
    url = reverse("actions:board-report-issued", args=[draft.pk])
    assert client_as("board_member").get(url).status_code == 404


def test_issued_reports_resting_on_a_snapshot_are_found(client_as, org, corporate, march_snapshot):
    _issue(client_as("edi_officer"))
    report = BoardReport.objects.get(organisation=org, quarter=QUARTER)
    assert board_reports.issued_showing_snapshot(org, date(2025, 3, 31)) == [report]
    assert board_reports.issued_showing_snapshot(org, date(2024, 3, 31)) == []
