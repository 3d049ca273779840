"""The mapping step of a service's upload: a complaints system's own headers and values are
matched once on the mapping page, checked all or nothing, stored as the hand-checked counts,
and remembered for the organisation and kind of service, so the next quarter's file is stored
with no questions. No uploaded file is left on disk at any ending."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.lifecycle.imports import uploads_dir
from equitable.service_users import services
from equitable.service_users.models import Service, ServiceImport, ServiceMapping
from tests.service_users.factories import (
    COUNCIL_COLUMNS,
    COUNCIL_CSV,
    COUNCIL_VALUES,
    make_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_uploads(settings, tmp_path):
    """Each test its own upload directory, so "no file left" is about this test's files."""
    settings.MEDIA_ROOT = tmp_path


HEADERS = ["Case Ref", "Date Logged", "Ethnic Origin", "Gender Identity", "Sex", "Name", "Email"]


def _files_left() -> list[str]:
    return sorted(p.name for p in uploads_dir().glob("service-*"))


def _upload(client, service, body=COUNCIL_CSV, name="complaints.csv"):
    return client.post(
        reverse("service_users:upload", args=[service.pk]),
        {"extract": SimpleUploadedFile(name, body, content_type="text/csv")},
    )


def _choices(job, columns=COUNCIL_COLUMNS, values=COUNCIL_VALUES) -> dict[str, str]:
    """The mapping page's fields as the council fills them in (columns in file order, then
    the values in the order the page asks: columns in file order, values sorted)."""
    data = {f"column_{i}": columns.get(c, "") for i, c in enumerate(job.source_columns)}
    preview = services.preview_import(job)
    index = 0
    for column, found in preview.unmapped_values.items():
        for value in found:
            data[f"value_{index}"] = values[column][value]
            index += 1
    return data


def _counts(service) -> dict[tuple[str, str, str], int]:
    counts = services.counts_frame(service)
    assert counts is not None
    return {(r["quarter"], r["characteristic"], r["value"]): r["count"] for r in counts.to_dicts()}


@pytest.fixture
def complaints(org):
    return make_service(org, "Complaints", with_extract=False)


def test_a_file_in_the_councils_own_words_maps_imports_and_gives_the_hand_checked_counts(
    client_as, complaints
):
    client = client_as("edi_officer")
    before = _files_left()
    response = _upload(client, complaints)
    job = ServiceImport.objects.get(service=complaints)
    assert response.status_code == 302
    assert response["Location"] == reverse("service_users:import-mapping", args=[job.pk])
    assert job.source_columns == HEADERS

    page = client.get(response["Location"]).content.decode()
    assert "Date Logged" in page and "“Wht Brit”" in page and "“Cis”" in page
    assert "Suggested: “African”" in page  # "Black African (BA)" says what it means

    response = client.post(response["Location"], _choices(job))
    assert response.status_code == 302
    assert response["Location"] == reverse("service_users:service", args=[complaints.pk])
    got = _counts(complaints)
    assert got[("2024-Q1", "ethnicity", "White")] == 2
    assert got[("2024-Q1", "ethnicity", "Black")] == 1
    assert got[("2024-Q2", "ethnicity", "Asian")] == 1
    assert got[("2024-Q2", "ethnicity", "Prefer not to say")] == 1
    same, different = (
        "Gender identity the same as sex registered at birth",
        "Gender identity different from sex registered at birth",
    )
    assert got[("2024-Q1", "gender_reassignment", same)] == 3
    assert got[("2024-Q2", "gender_reassignment", different)] == 1
    assert got[("2024-Q2", "gender_reassignment", "Not known")] == 1
    assert sum(v for (q, c, _), v in got.items() if c == "sex") == 7
    assert "Ann A" not in str(got) and "a@example.org" not in str(got)

    job.refresh_from_db()
    assert job.status == ServiceImport.Status.DONE and job.upload_path == ""
    assert _files_left() == before
    remembered = ServiceMapping.objects.get(organisation=complaints.organisation, kind="complaints")
    assert remembered.columns["Date Logged"] == "date" and remembered.columns["Name"] == ""
    assert remembered.values["ethnicity"]["Wht Brit"] == COUNCIL_VALUES["ethnicity"]["Wht Brit"]
    event = AuditEvent.objects.filter(object_type="service_extract").latest("pk")
    assert "7 rows" in event.detail and "Wht" not in event.detail
    event = AuditEvent.objects.filter(object_type="service_mapping").latest("pk")
    assert event.detail == "complaints files: 7 columns and 3 values remembered"


def test_the_next_file_uses_the_remembered_mapping_with_no_questions(client_as, org, complaints):
    client = client_as("edi_officer")
    job = ServiceImport.objects.get(pk=_upload(client, complaints)["Location"].split("/")[-2])
    client.post(reverse("service_users:import-mapping", args=[job.pk]), _choices(job))
    # Another complaints service of the same council, next quarter's file: same system.
    housing = make_service(org, "Housing complaints", with_extract=False)
    next_quarter = COUNCIL_CSV.replace(b"/2024,", b"/2025,")
    response = _upload(client, housing, next_quarter)
    assert response.status_code == 302
    assert response["Location"] == reverse("service_users:service", args=[housing.pk])
    assert not ServiceImport.objects.filter(service=housing).exists()
    assert _counts(housing)[("2025-Q1", "ethnicity", "White")] == 2
    assert _files_left() == []


def test_the_mapping_is_remembered_per_kind_of_service(client_as, org, complaints):
    client = client_as("edi_officer")
    job = ServiceImport.objects.get(pk=_upload(client, complaints)["Location"].split("/")[-2])
    client.post(reverse("service_users:import-mapping", args=[job.pk]), _choices(job))
    users = services.create_service(
        org, name="Sign-ups", kind=Service.Kind.USERS, description="", user=None
    )
    response = _upload(client, users)
    assert "/imports/" in response["Location"]  # a users' file is not a complaints file


def test_a_refused_mapping_lists_every_problem_and_stores_nothing(client_as, complaints):
    client = client_as("hr_analyst")
    body = COUNCIL_CSV.replace(b"C2,20/02/2024", b"C2,sometime").replace(
        b"C6,30/06/2024", b"C6,31/06/2024"
    )
    job = ServiceImport.objects.get(pk=_upload(client, complaints, body)["Location"].split("/")[-2])
    response = client.post(reverse("service_users:import-mapping", args=[job.pk]), _choices(job))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not imported: 2 problems" in page
    assert "Row 3, column date" in page and "Row 7, column date" in page
    assert not hasattr(Service.objects.get(pk=complaints.pk), "extract")
    assert not ServiceMapping.objects.filter(organisation=complaints.organisation).exists()
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.REFUSED and _files_left() == []
    event = AuditEvent.objects.filter(object_type="service_import").latest("pk")
    assert "2 problems, nothing stored" in event.detail
    # The import has ended: its page is gone.
    assert client.get(reverse("service_users:import-mapping", args=[job.pk])).status_code == 404


def test_every_value_must_be_chosen(client_as, complaints):
    client = client_as("edi_officer")
    job = ServiceImport.objects.get(pk=_upload(client, complaints)["Location"].split("/")[-2])
    response = client.post(
        reverse("service_users:import-mapping", args=[job.pk]), {"column_0": "record_id"}
    )
    assert response.status_code == 200
    assert "Choose what “Wht Brit” means in ethnicity" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.WAITING


def test_cancelling_deletes_the_file(client_as, complaints):
    client = client_as("edi_officer")
    job = ServiceImport.objects.get(pk=_upload(client, complaints)["Location"].split("/")[-2])
    assert _files_left() != []
    response = client.post(reverse("service_users:import-cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.CANCELLED and _files_left() == []


def test_a_new_upload_ends_the_one_left_waiting(client_as, complaints):
    client = client_as("edi_officer")
    first = ServiceImport.objects.get(pk=_upload(client, complaints)["Location"].split("/")[-2])
    _upload(client, complaints)
    first.refresh_from_db()
    assert first.status == ServiceImport.Status.CANCELLED
    assert len(_files_left()) == 1


def test_a_file_refused_outright_leaves_no_file(client_as, complaints):
    body = b"Service,Sex\nLibraries,F\n"
    response = _upload(client_as("edi_officer"), complaints, body)
    assert response.status_code == 200
    assert "other services (Libraries)" in response.content.decode()
    assert _files_left() == [] and not ServiceImport.objects.exists()


def test_another_councils_import_is_a_404(client_as, complaints):
    job = ServiceImport.objects.get(
        pk=_upload(client_as("edi_officer"), complaints)["Location"].split("/")[-2]
    )
    other = client_as("other:edi_officer")
    assert other.get(reverse("service_users:import-mapping", args=[job.pk])).status_code == 404
    assert other.post(reverse("service_users:import-cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.WAITING


def test_the_mapping_page_requires_an_import_role(client_as, complaints):
    job = ServiceImport.objects.get(
        pk=_upload(client_as("edi_officer"), complaints)["Location"].split("/")[-2]
    )
    for role in ("board_member", "champion"):
        client = client_as(role)
        assert client.get(reverse("service_users:import-mapping", args=[job.pk])).status_code == 403
        assert client.post(reverse("service_users:import-cancel", args=[job.pk])).status_code == 403
