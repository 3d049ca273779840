"""Service monitoring pages: exact figures for the EDI officer and HR analyst, protected ones
for board members and champions, another council's service a 404, a role without rights a
403, uploads listing every problem, inert downloads, and an audit entry for each."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.service_users import services
from equitable.service_users.models import Service
from tests.service_users.factories import SAMPLE, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(org):
    return make_service(org)


def test_it_shows_exact_counts_to_the_edi_officer(client_as, service):
    response = client_as("edi_officer").get(reverse("service_users:service", args=[service.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page  # the profile chart beside its table
    assert ">7<" in page  # the seven Indian complainants, exactly
    assert "Person 1" not in page


def test_it_withholds_small_counts_from_board_members(client_as, service):
    response = client_as("board_member").get(reverse("service_users:service", args=[service.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "[c]" in page
    published = services.service_tables(service, published=True)["profile_ethnicity"]
    asian = published.filter(value="Asian").to_dicts()[0]
    assert asian["count"] is None and asian["suppressed"]


def test_it_checks_ownership(client_as, service):
    for name, kwargs in (
        ("service_users:service", {"pk": service.pk}),
        ("service_users:upload", {"pk": service.pk}),
        ("service_users:download", {"pk": service.pk, "table": "completeness"}),
    ):
        response = client_as("other:edi_officer").get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, name


def test_it_requires_its_role(client_as, service):
    assert client_as("org_admin").get(reverse("service_users:index")).status_code == 403
    assert (
        client_as("board_member")
        .get(reverse("service_users:upload", args=[service.pk]))
        .status_code
        == 403
    )
    assert client_as("champion").get(reverse("service_users:census")).status_code == 403


def test_upload_lists_every_problem_with_row_and_column(client_as, org):
    service = make_service(org, "Sign-ups", with_extract=False)
    body = b"Ethnicity,Date\nMartian,01/01/2024\nIndian,not a date\n"
    response = client_as("hr_analyst").post(
        reverse("service_users:upload", args=[service.pk]),
        {"extract": SimpleUploadedFile("signups.csv", body, content_type="text/csv")},
    )
    # "Martian" can be given a meaning on the mapping page; the bad date is listed there too.
    assert response.status_code == 302
    page = client_as("hr_analyst").get(response["Location"]).content.decode()
    assert "“Martian”" in page
    assert "Row 3, column date" in page
    assert not hasattr(Service.objects.get(pk=service.pk), "extract")


def test_upload_refuses_rows_of_another_service(client_as, org):
    service = make_service(org, "Sign-ups", with_extract=False)
    body = b"service,ethnicity\nSign-ups,Indian\nLibraries,Irish\n"
    response = client_as("edi_officer").post(
        reverse("service_users:upload", args=[service.pk]),
        {"extract": SimpleUploadedFile("signups.csv", body, content_type="text/csv")},
    )
    assert "other services (Libraries)" in response.content.decode()


def test_a_clean_upload_is_stored_as_counts_and_audited(client_as, org):
    service = make_service(org, "Sign-ups", with_extract=False)
    response = client_as("edi_officer").post(
        reverse("service_users:upload", args=[service.pk]),
        {"extract": SimpleUploadedFile("complaints.csv", SAMPLE, content_type="text/csv")},
    )
    assert response.status_code == 302
    counts = services.counts_frame(service)
    assert counts is not None and set(counts.columns) == {
        "service",
        "quarter",
        "characteristic",
        "value",
        "count",
    }
    assert "Person 1" not in str(counts.to_dicts())
    event = AuditEvent.objects.filter(object_type="service_extract").latest("pk")
    assert "40 rows" in event.detail


def test_download_is_inert_and_audited(client_as, org):
    service = services.create_service(
        org, name="=HYPERLINK(1)", kind="users", description="", user=None
    )
    result = services.import_extract(
        service, SAMPLE.replace(b"Full name", b"Name"), "x.csv", user=None
    )
    assert result.ok
    response = client_as("edi_officer").get(
        reverse("service_users:download", args=[service.pk, "completeness"])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "'=HYPERLINK(1)" in body and "\n=HYPERLINK" not in body
    assert AuditEvent.objects.filter(object_type="service_figures", action="export").exists()
    missing = client_as("edi_officer").get(
        reverse("service_users:download", args=[service.pk, "no-such-table"])
    )
    assert missing.status_code == 404


def test_new_service_and_census_upload(client_as, org):
    client = client_as("edi_officer")
    response = client.post(
        reverse("service_users:service-new"), {"name": "Libraries", "kind": "users"}
    )
    assert response.status_code == 302
    duplicate = client.post(
        reverse("service_users:service-new"), {"name": "libraries", "kind": "users"}
    )
    assert "already a service of that name" in duplicate.content.decode()
    census = b"category,count\nFemale,600\nMale,400\n"
    response = client.post(
        reverse("service_users:census"),
        {"characteristic": "sex", "table": SimpleUploadedFile("ts008.csv", census)},
    )
    assert response.status_code == 302
    residents = services.residents(org)
    assert residents.filter(value="Female")["percent"].to_list() == [60.0]
    bad = client.post(
        reverse("service_users:census"),
        {
            "characteristic": "sex",
            "table": SimpleUploadedFile("ts008.csv", b"category,count\nFemale,x\n"),
        },
    )
    assert "not a whole number" in bad.content.decode()


def test_index_lists_services_and_completeness(client_as, service):
    response = client_as("champion").get(reverse("service_users:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Complaints" in page and "Data completeness" in page


def test_the_profile_compares_with_the_workforce_resident_population(client_as, org, service):
    from equitable.metrics.population import population_from_percentages
    from equitable.workforce import services as workforce

    shares = {"Asian": 44, "Black": 7, "Mixed": 3, "White": 37, "Other": 9}
    workforce.save_population(
        org, population_from_percentages(shares), source="typed in", user=None
    )
    exact = services.service_tables(service, published=False)["profile_ethnicity"]
    # 30 White British of the 37 of known ethnicity: 81.08%, against 37% of residents
    white = exact.filter(value="White").to_dicts()[0]
    assert (white["count"], white["known"]) == (30, 37)
    assert white["resident_percent"] == pytest.approx(37.0)
    assert white["difference_pp"] == pytest.approx(100 * 30 / 37 - 37)
    page = client_as("hr_analyst").get(reverse("service_users:service", args=[service.pk]))
    assert "Residents (Census 2021)" in page.content.decode()


def test_a_file_with_only_a_header_is_refused(client_as, org):
    service = make_service(org, "Sign-ups", with_extract=False)
    response = client_as("edi_officer").post(
        reverse("service_users:upload", args=[service.pk]),
        {"extract": SimpleUploadedFile("empty.csv", b"ethnicity,sex\n", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "no rows below the header" in response.content.decode()


def test_empty_forms_say_what_is_missing(client_as, service):
    client = client_as("edi_officer")
    for name, args, message in (
        ("service_users:service-new", [], "Enter the name of the service"),
        ("service_users:upload", [service.pk], "Choose the file to upload"),
        ("service_users:census", [], "Choose which census table the file is"),
    ):
        response = client.post(reverse(name, args=args), {})
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
