"""Copying an assessment forward: answers and evidence copied, each for review until confirmed,
audited; submission refused while any is unconfirmed; another council's assessment is a 404."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.standard import services
from equitable.standard.models import Assessment, EvidenceFile, Response
from tests.standard.helpers import category_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def previous(org):
    assessment = services.start_assessment(org, "2024 to 2025")
    Response.objects.create(
        assessment=assessment,
        criterion_id="1.1",
        level="established",
        evidence_notes="Board minutes, May",
        links="https://example.org/minutes",
        owner="EDI team",
        next_steps="Publish the plan",
    )
    Response.objects.create(assessment=assessment, criterion_id="1.2", level="developing")
    EvidenceFile.objects.create(
        assessment=assessment,
        criterion_id="1.1",
        file=ContentFile(b"minutes of the board", name="minutes.txt"),
        original_name="minutes.txt",
    )
    return assessment


def start(client, period, copy_from):
    return client.post(reverse("standard:start"), {"period": period, "copy_from": str(copy_from)})


def test_it_copies_answers_and_evidence_each_marked_for_review(client_as, previous):
    response = start(client_as("edi_officer"), "2025 to 2026", previous.pk)
    new = Assessment.objects.get(period="2025 to 2026")
    assert response.status_code == 302
    assert new.copied_from == previous and new.status == Assessment.Status.DRAFT
    copied = {r.criterion_id: r for r in new.responses.all()}
    assert set(copied) == {"1.1", "1.2"}
    first = copied["1.1"]
    assert (first.level, first.evidence_notes, first.links, first.owner, first.next_steps) == (
        "established",
        "Board minutes, May",
        "https://example.org/minutes",
        "EDI team",
        "Publish the plan",
    )
    assert all(r.needs_review for r in copied.values())
    (evidence,) = new.evidence_files.all()
    assert evidence.original_name == "minutes.txt"
    assert evidence.file.name != previous.evidence_files.get().file.name  # a copy, not shared
    with evidence.file.open("rb") as handle:
        assert handle.read() == b"minutes of the board"
    # The earlier period is untouched.
    assert not previous.responses.filter(needs_review=True).exists()
    event = AuditEvent.objects.get(object_type="assessment", action="create", object_id=new.pk)
    assert "copied forward from 2024 to 2025: 2 answers and 1 evidence files" in event.detail


def test_the_pages_say_what_is_for_review(client_as, previous):
    client = client_as("edi_officer")
    start(client, "2025 to 2026", previous.pk)
    new = Assessment.objects.get(period="2025 to 2026")
    summary = client.get(reverse("standard:assessment", args=[new.pk])).content.decode()
    assert "2 answers copied from 2024 to 2025 still need review: 1.1, 1.2" in summary
    page = client.get(reverse("standard:category", args=[new.pk, "1"])).content.decode()
    assert page.count("For review</strong>") == 2
    assert 'name="confirm-1.1"' in page and 'name="confirm-1.3"' not in page


def test_confirming_clears_the_mark_and_is_audited(client_as, previous):
    client = client_as("edi_officer")
    start(client, "2025 to 2026", previous.pk)
    new = Assessment.objects.get(period="2025 to 2026")
    data = category_post("1", {"1.1": "established", "1.2": "developing"}, **{"confirm-1.1": "1"})
    assert client.post(reverse("standard:category", args=[new.pk, "1"]), data).status_code == 302
    assert services.unreviewed(new) == ["1.2"]
    event = AuditEvent.objects.filter(object_type="assessment", action="change").latest("id")
    assert "copied answers confirmed: 1.1" in event.detail


def test_submission_is_refused_while_answers_await_review(client_as, previous):
    client = client_as("edi_officer")
    start(client, "2025 to 2026", previous.pk)
    new = Assessment.objects.get(period="2025 to 2026")
    response = client.post(reverse("standard:submit", args=[new.pk]), follow=True)
    new.refresh_from_db()
    assert new.status == Assessment.Status.DRAFT
    assert "2 answers copied from the previous period still need review (1.1, 1.2)" in (
        response.content.decode()
    )
    data = category_post("1", {"1.1": "established", "1.2": "developing"})
    data.update({"confirm-1.1": "1", "confirm-1.2": "1"})
    client.post(reverse("standard:category", args=[new.pk, "1"]), data)
    client.post(reverse("standard:submit", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == Assessment.Status.SUBMITTED


def test_starting_empty_copies_nothing(client_as, previous):
    assert start(client_as("edi_officer"), "2025 to 2026", "empty").status_code == 302
    new = Assessment.objects.get(period="2025 to 2026")
    assert new.copied_from is None and not new.responses.exists()


def test_another_councils_assessment_cannot_be_copied(client_as, other_org):
    theirs = services.start_assessment(other_org, "2024 to 2025")
    response = start(client_as("edi_officer"), "2025 to 2026", theirs.pk)
    assert response.status_code == 400
    assert "Choose an assessment of your organisation to copy" in response.content.decode()
    assert not Assessment.objects.filter(period="2025 to 2026").exists()


def test_a_period_already_assessed_is_refused_and_nothing_is_copied(client_as, previous):
    response = start(client_as("edi_officer"), "2024 to 2025", previous.pk)
    assert response.status_code == 400
    assert "There is already an assessment for 2024 to 2025" in response.content.decode()
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("role", ["board_member", "champion", "hr_analyst"])
def test_copying_forward_needs_a_programme_role(client_as, previous, role):
    assert start(client_as(role), "2025 to 2026", previous.pk).status_code == 403
    assert not Assessment.objects.filter(period="2025 to 2026").exists()


def test_the_start_form_offers_copying_only_when_there_is_something_to_copy(client_as, org):
    client = client_as("edi_officer")
    assert 'name="copy_from"' not in client.get(reverse("standard:index")).content.decode()
    services.start_assessment(org, "2024 to 2025")
    page = client.get(reverse("standard:index")).content.decode()
    assert "Copy answers and evidence from 2024 to 2025" in page
    assert not re.search(r'name="copy_from"[^>]*checked', page)  # nothing chosen for them
