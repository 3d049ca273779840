"""Bodies over Django's limits sent to the anonymous channel are refused with a plain page
(413) and nothing kept, not turned into a server error. waitress refuses bodies over
ANONYMOUS_BODY_LIMIT before Django sees them (test_waitress.py); these are the ones under it
that Django still cannot take: one enormous text field, thousands of fields, too many files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equitable.incidents.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_url(org):
    return f"/report-an-incident/{org.slug}/"


def assert_refused(response):
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert response.cookies == {} and response["Cache-Control"] == "no-store"
    assert Report.objects.count() == 0


def test_one_enormous_text_field_is_refused(client, form_url, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert_refused(client.post(form_url, {"what_happened": big}))
    assert_refused(
        client.post(
            form_url, f"what_happened={big}", content_type="application/x-www-form-urlencoded"
        )
    )


def test_thousands_of_fields_are_refused(client, form_url, settings):
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_refused(client.post(form_url, fields))


def test_too_many_files_are_refused(client, settings):
    files = [
        SimpleUploadedFile(f"note{i}.txt", b"note")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    assert_refused(client.post("/report-an-incident/follow-up/", {"attachments": files}))
