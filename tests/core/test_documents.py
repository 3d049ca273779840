"""With the job queue, asking for a PDF answers at once with a page that follows it; a worker
makes the file for the person who asked, and only they can fetch it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from equitable.core import documents, jobs
from equitable.core.models import DocumentJob

pytestmark = pytest.mark.django_db

QUARTER = "2025Q1"


@pytest.fixture
def on_the_queue(settings, monkeypatch):
    """Queue mode, with the queue replaced by a list: the test plays the worker."""
    settings.EQUITABLE_JOBS = "queue"
    settings.EQUITABLE_REDIS_URL = "redis://127.0.0.1:6379/15"
    queued: list[int] = []
    submit = jobs.submit

    def enqueue(name, *args, background, **kwargs):
        if name != "document.make":
            return submit(name, *args, background=background, **kwargs)
        assert background
        queued.append(args[0])
        return True

    monkeypatch.setattr(jobs, "submit", enqueue)
    return queued


def test_the_request_answers_with_a_page_that_follows_the_document(client_as, on_the_queue):
    client = client_as("board_member")
    response = client.get(f"/actions/board-report/{QUARTER}/pdf/")
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{job.pk}/"
    assert on_the_queue == [job.pk]
    waiting = client.get(f"/documents/{job.pk}/")
    assert waiting.status_code == 200
    assert b'http-equiv="refresh"' in waiting.content
    assert b"Waiting for a worker" in waiting.content
    assert client.get(f"/documents/{job.pk}/download/").status_code == 404

    documents.make(job.pk)  # the worker

    ready = client.get(f"/documents/{job.pk}/")
    assert b"Download the PDF" in ready.content
    assert b'http-equiv="refresh"' not in ready.content
    download = client.get(f"/documents/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert f"board-report-{QUARTER}-draft.pdf" in download["Content-Disposition"]


def test_nobody_else_sees_the_document(client_as, on_the_queue):
    client_as("board_member").get(f"/actions/board-report/{QUARTER}/pdf/")
    job = DocumentJob.objects.get()
    documents.make(job.pk)
    for someone in ("edi_officer", "other:board_member"):
        other = client_as(someone)
        assert other.get(f"/documents/{job.pk}/").status_code == 404
        assert other.get(f"/documents/{job.pk}/download/").status_code == 404


def test_a_person_who_lost_access_before_it_was_made_does_not_get_it(
    client_as, users, on_the_queue
):
    client = client_as("board_member")
    client.get(f"/actions/board-report/{QUARTER}/pdf/")
    job = DocumentJob.objects.get()
    users["board_member"].is_active = False
    users["board_member"].save()
    documents.make(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert job.content is None
    assert "no longer have access" in job.message


def test_a_document_that_cannot_be_made_says_so_and_the_error_is_not_swallowed(
    users, monkeypatch, on_the_queue
):
    def broken(job):
        raise RuntimeError("layout failed")

    monkeypatch.setitem(documents.MAKERS, "board_report.draft", broken)
    job = documents.request(users["board_member"], "board_report.draft", "Draft", quarter=QUARTER)
    with pytest.raises(RuntimeError):
        documents.make(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "could not be made" in job.message
    documents.make(job.pk)  # a retry by the queue finds it finished and does nothing


def test_a_job_whose_workers_died_is_failed_with_a_sentence(users, on_the_queue):
    job = documents.request(users["board_member"], "board_report.draft", "Draft", quarter=QUARTER)
    documents.abandoned(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "worker stopped" in job.message


def test_finished_documents_are_deleted_after_an_hour(users, on_the_queue):
    old = documents.request(users["board_member"], "board_report.draft", "Old", quarter=QUARTER)
    DocumentJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - documents.KEPT_FOR - timedelta(minutes=1)
    )
    documents.request(users["board_member"], "board_report.draft", "New", quarter=QUARTER)
    assert list(DocumentJob.objects.values_list("title", flat=True)) == ["New"]


def test_without_the_queue_the_file_is_the_answer(client_as):
    response = client_as("board_member").get(f"/actions/board-report/{QUARTER}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert DocumentJob.objects.get().status == DocumentJob.Status.READY


@pytest.mark.parametrize("kind", ["board_report.draft", "eqia.assessment", "standard.assessment"])
def test_every_pdf_of_the_service_is_a_registered_document(kind):
    assert kind in documents.MAKERS
