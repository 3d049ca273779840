"""The self-assessment pages: start, save as you go, levels and points, submit, evidence."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.standard import services
from equitable.standard.models import Assessment, EvidenceFile, Response
from tests.standard.helpers import WORKED_EXAMPLE, category_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(org):
    return services.start_assessment(org, "2024 to 2025")


def category_url(assessment, category_id="1"):
    return reverse("standard:category", args=[assessment.pk, category_id])


def test_it_starts_an_assessment_against_the_newest_version(client_as, org):
    response = client_as("edi_officer").post(reverse("standard:start"), {"period": "2024 to 2025"})
    assessment = Assessment.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("standard:assessment", args=[assessment.pk])
    assert (assessment.standard_id, assessment.standard_version) == ("celc-tri", "2022")
    assert AuditEvent.objects.filter(object_type="assessment", action="create").count() == 1


def test_it_refuses_a_second_assessment_for_the_same_period(client_as, assessment):
    response = client_as("edi_officer").post(reverse("standard:start"), {"period": "2024  to 2025"})
    assert response.status_code == 400
    assert "There is already an assessment for 2024 to 2025" in response.content.decode()


def test_the_worked_example_scores_15_established_in_the_web_app(client_as, assessment):
    client = client_as("edi_officer")
    response = client.post(category_url(assessment), category_post("1", WORKED_EXAMPLE))
    assert response.status_code == 302
    page = client.get(category_url(assessment)).content.decode()
    assert "15 of 22 points: Established." in page
    assert "Leading needs 19 points (4 more)." in page
    summary = client.get(reverse("standard:assessment", args=[assessment.pk])).content.decode()
    assert "Overall: 15 of 190 points, Developing" in summary
    assert "Category 2 by part" in summary and "2e: Disciplinary and Grievances" in summary
    result = services.result_of(assessment)
    assert (result.category("1").points, result.category("1").level) == (15, "established")


def test_progress_is_saved_per_category_with_evidence_owner_and_next_steps(client_as, assessment):
    data = category_post(
        "3",
        {"3.3": "established"},
        **{
            "notes-3.3": "HR dashboard, March",
            "links-3.3": "https://example.org/report",
            "owner-3.3": "HR business partners",
            "next-3.3": "Disclosure campaign",
        },
    )
    response = client_as("org_admin").post(category_url(assessment, "3"), data)
    assert response.status_code == 302
    saved = Response.objects.get(assessment=assessment, criterion_id="3.3")
    assert (saved.level, saved.owner, saved.next_steps) == (
        "established",
        "HR business partners",
        "Disclosure campaign",
    )
    assert saved.link_list() == ["https://example.org/report"]
    assert Response.objects.filter(assessment=assessment).count() == 6  # every row of category 3


def test_save_and_next_goes_to_the_following_category(client_as, assessment):
    data = category_post("1", {}, save_and_next="1")
    response = client_as("edi_officer").post(category_url(assessment), data)
    assert response["Location"] == category_url(assessment, "2")


def test_a_level_the_row_does_not_offer_is_refused_and_nothing_is_saved(client_as, assessment):
    data = category_post("1", {"1.7": "developing", "1.3": "leading"})
    response = client_as("edi_officer").post(category_url(assessment), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "1.3: choose one of none, established" in page
    assert "1.7: choose one of none, leading" in page
    assert not Response.objects.filter(assessment=assessment).exists()


def test_links_must_be_web_addresses(client_as, assessment):
    data = category_post("1", {}, **{"links-1.1": "file://share/x.docx"})
    response = client_as("edi_officer").post(category_url(assessment), data)
    assert response.status_code == 400
    assert "1.1: links must be web addresses" in response.content.decode()


def test_category_pages_show_every_level_text_the_row_offers(client_as, assessment):
    page = client_as("edi_officer").get(category_url(assessment, "2")).content.decode()
    assert "2a: Recruitment" in page and "2e: Disciplinary and Grievances" in page
    assert 'name="level-2c.2"' in page
    assert 'value="established"' not in page.split('name="level-2c.2"')[1].split("</fieldset>")[0]


def test_unknown_category_is_404(client_as, assessment):
    assert client_as("edi_officer").get(category_url(assessment, "9")).status_code == 404


def test_reading_roles_see_the_category_but_cannot_save(client_as, assessment):
    client = client_as("board_member")
    page = client.get(category_url(assessment)).content.decode()
    assert '<form method="post" enctype' not in page
    assert client.post(category_url(assessment), category_post("1", {})).status_code == 403


def test_submit_makes_the_assessment_read_only_until_reopened(client_as, assessment):
    client = client_as("edi_officer")
    client.post(reverse("standard:submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.is_submitted and assessment.submitted_by.username == "edi_officer"
    response = client.post(category_url(assessment), category_post("1", WORKED_EXAMPLE))
    assert response.status_code == 302
    assert not Response.objects.filter(assessment=assessment).exists()
    client.post(reverse("standard:reopen", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_submit_requires_a_programme_role(client_as, assessment):
    assert (
        client_as("hr_analyst").post(reverse("standard:submit", args=[assessment.pk])).status_code
        == 403
    )


def test_another_council_cannot_open_our_assessment(client_as, assessment):
    client = client_as("other:edi_officer")
    assert client.get(reverse("standard:assessment", args=[assessment.pk])).status_code == 404
    assert client.post(category_url(assessment), category_post("1", {})).status_code == 404


def test_evidence_files_are_uploaded_and_downloaded(client_as, assessment):
    client = client_as("edi_officer")
    upload = SimpleUploadedFile(
        "race review.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"
    )
    data = category_post("1", {}, **{"file-1.1": upload})
    assert client.post(category_url(assessment), data).status_code == 302
    evidence = EvidenceFile.objects.get(assessment=assessment)
    assert (evidence.criterion_id, evidence.original_name) == ("1.1", "race_review.pdf")
    download = client_as("board_member").get(reverse("standard:evidence-file", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert (
        client_as("other:edi_officer")
        .get(reverse("standard:evidence-file", args=[evidence.pk]))
        .status_code
        == 404
    )


def test_evidence_files_of_other_kinds_are_refused(client_as, assessment):
    upload = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    data = category_post("1", {}, **{"file-1.1": upload})
    response = client_as("edi_officer").post(category_url(assessment), data)
    assert response.status_code == 400
    assert "1.1: evidence files must be one of" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_compare_over_time_shows_a_chart_and_a_table(client_as, org):
    for period, levels in (("2023", {"1.1": "developing"}), ("2024", WORKED_EXAMPLE)):
        assessment = services.start_assessment(org, period)
        for criterion_id, level in levels.items():
            Response.objects.create(assessment=assessment, criterion_id=criterion_id, level=level)
        assessment.status = Assessment.Status.SUBMITTED
        assessment.save()
    services.start_assessment(org, "2025 draft")  # drafts are not compared
    page = client_as("champion").get(reverse("standard:compare")).content.decode()
    assert "<svg" in page and "2025 draft" not in page
    assert "1 of 22 (Developing)" in page and "15 of 22 (Established)" in page


def test_the_coordinator_is_sent_to_the_london_benchmark(client_as):
    response = client_as("coordinator").get(reverse("standard:index"))
    assert response["Location"] == reverse("standard:coordinator")


def test_statement_adoption_and_commitment_progress(client_as, org):
    client = client_as("edi_officer")
    response = client.post(
        reverse("standard:statement"),
        {"adoption-adopted_on": "2023-01-31", "adoption-adopted_by": "Full Council"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("standard:statement"),
        {"commitment": "approach.5", "status": "in_progress", "evidence": "Pay gap published"},
    )
    assert response.status_code == 302
    page = client.get(reverse("standard:statement")).content.decode()
    assert "Adopted on 31 January 2023 by Full Council." in page
    progress = services.statement_progress(org)
    approach5 = next(p for p in progress if p["id"] == "approach.5")
    assert approach5["progress"].status == "in_progress"
    assert approach5["progress"].evidence == "Pay gap published"


def test_statement_refuses_a_bad_date_and_an_unknown_commitment(client_as):
    client = client_as("edi_officer")
    response = client.post(
        reverse("standard:statement"),
        {"adoption-adopted_on": "31/31/2023", "adoption-adopted_by": "Cabinet"},
    )
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()
    client.post(reverse("standard:statement"), {"commitment": "approach.9", "status": "met"})
    page = client.get(reverse("standard:statement")).content.decode()
    assert "No commitment" in page


def test_evidence_files_can_be_removed_when_saving(client_as, assessment):
    client = client_as("edi_officer")
    upload = SimpleUploadedFile("old.txt", b"old", content_type="text/plain")
    client.post(category_url(assessment), category_post("1", {}, **{"file-1.2": upload}))
    evidence = EvidenceFile.objects.get()
    stored = evidence.file.path
    page = client.get(category_url(assessment)).content.decode()
    assert f'id="remove-file-{evidence.pk}"' in page
    response = client.post(
        category_url(assessment), {**category_post("1", {}), "remove-file": [str(evidence.pk)]}
    )
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    import os

    assert not os.path.exists(stored)


def test_the_standard_can_be_read_by_every_role(client_as):
    page = client_as("coordinator").get(reverse("standard:about")).content.decode()
    assert "Category 7: Community Engagement" in page
    assert "Derived from the criteria: Developing 0–38, Established 39–60, Leading 61–76." in page
    assert page.count("Derived from the criteria") == 1
    assert "Racial trauma" in page and "its definition is blank" in page
