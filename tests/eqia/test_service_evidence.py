"""The evidence of a service change: each service the assessment names, its users' (or
complaints') profile against residents, on the evidence page and in the PDF, exactly as the
service's own page shows it to the reader (exact and audited for the EDI officer, protected
for a board member), and only the organisation's own services can be named."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from equitable.core.models import AuditEvent
from equitable.eqia import evidence, pdf
from equitable.eqia.models import Assessment, ProposalType
from equitable.metrics.population import population_from_percentages
from equitable.service_users import services as service_users
from equitable.workforce import services as workforce
from tests.eqia.factories import make_assessment
from tests.service_users.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(org):
    """40 complaints: 30 White British, 7 Indian (a small count), 3 not recorded; the
    borough's residents 37% White and 44% Asian."""
    shares = {"Asian": 44, "Black": 7, "Mixed": 3, "White": 37, "Other": 9}
    workforce.save_population(
        org, population_from_percentages(shares), source="typed in", user=None
    )
    return make_service(org)


@pytest.fixture
def change(org, complaints):
    assessment = make_assessment(
        org,
        title="Complaints handled online only",
        proposal_type=ProposalType.SERVICE_CHANGE,
        status=Assessment.Status.FULL,
        full_assessment_needed=True,
    )
    assessment.affected_services.add(complaints)
    return assessment


def _services_section(page: str) -> str:
    return page[page.index('id="services"') :]


def test_the_edi_officer_sees_the_services_exact_profile_and_the_view_is_audited(
    client_as, change, complaints
):
    response = client_as("edi_officer").get(reverse("eqia:evidence", args=[change.pk]))
    assert response.status_code == 200
    section = _services_section(response.content.decode())
    assert "Complaints: complaints against residents" in section
    assert f'id="service-{complaints.pk}-profile_ethnicity"' in section
    assert ">7<" in section  # the seven Indian complainants, exactly as the service page
    assert "Lower 95%" in section and "Residents (%)" in section
    # 30 White of the 37 of known ethnicity (81.1%) against 37.0% of residents: +44.1 points
    assert "81.1" in section and "37.0" in section and "44.1" in section
    assert f'id="service-{complaints.pk}-completeness"' in section
    assert "[c]" not in section
    assert "Person 1" not in section  # names were never stored
    viewed = AuditEvent.objects.filter(object_type="service_figures", action="view")
    assert [e.object_id for e in viewed] == [str(complaints.pk)]


def test_a_board_member_sees_the_protected_profile_without_small_counts(
    client_as, users, change, complaints
):
    response = client_as("board_member").get(reverse("eqia:evidence", args=[change.pk]))
    assert response.status_code == 200
    section = _services_section(response.content.decode())
    assert "Complaints: complaints against residents" in section
    assert "[c]" in section
    assert ">7<" not in section
    # The rows shown are the service page's protected publication, not a recomputation.
    [found] = evidence.service_evidence(change, users["board_member"])
    published = service_users.service_tables(complaints, published=True)["profile_ethnicity"]
    ethnicity = next(p for p in found.profiles if p["name"] == "profile_ethnicity")
    assert ethnicity["rows"] == published.to_dicts()
    assert not found.exact
    assert not AuditEvent.objects.filter(object_type="service_figures", action="view").exists()


def test_a_service_without_an_extract_is_said_plainly(client_as, org, change):
    waiting = make_service(org, "Adult social care", with_extract=False)
    change.affected_services.add(waiting)
    response = client_as("edi_officer").get(reverse("eqia:evidence", args=[change.pk]))
    section = _services_section(response.content.decode())
    assert "Adult social care has no extract yet" in section
    viewed = AuditEvent.objects.filter(object_type="service_figures", action="view")
    assert viewed.count() == 1  # only the service with figures was viewed


def test_an_assessment_without_services_says_how_to_add_them(client_as, org):
    assessment = make_assessment(org)
    response = client_as("edi_officer").get(reverse("eqia:evidence", args=[assessment.pk]))
    assert "No service is linked to this assessment" in response.content.decode()


def _details(assessment, **extra):
    return {
        "title": assessment.title,
        "proposal_type": assessment.proposal_type,
        "owner": assessment.owner,
        "directorate": assessment.directorate_id,
        "decision_date": "2025-09-30",
        **extra,
    }


def test_the_form_links_the_organisations_services(client_as, org, complaints):
    assessment = make_assessment(org)
    client = client_as("edi_officer")
    form = client.get(reverse("eqia:edit", args=[assessment.pk])).content.decode()
    assert "Services the proposal changes (optional)" in form
    assert f'value="{complaints.pk}"' in form
    response = client.post(
        reverse("eqia:edit", args=[assessment.pk]),
        _details(assessment, affected_services=[complaints.pk]),
    )
    assert response.status_code == 302
    assert list(assessment.affected_services.all()) == [complaints]
    changed = AuditEvent.objects.filter(object_type="eqia", action="change").latest("pk")
    assert "affected_services" in changed.detail


def test_a_new_assessment_can_name_its_services(client_as, org, complaints):
    response = client_as("edi_officer").post(
        reverse("eqia:new"),
        {
            "title": "Complaints handled online only",
            "proposal_type": "service change",
            "owner": "Head of Customer Services",
            "affected_services": [complaints.pk],
        },
    )
    assert response.status_code == 302
    created = Assessment.objects.get(title="Complaints handled online only")
    assert list(created.affected_services.all()) == [complaints]


def test_another_organisations_service_cannot_be_linked(client_as, org, other_org, complaints):
    theirs = make_service(other_org, "Housing repairs")
    assessment = make_assessment(org)
    client = client_as("edi_officer")
    assert "Housing repairs" not in (
        client.get(reverse("eqia:edit", args=[assessment.pk])).content.decode()
    )
    response = client.post(
        reverse("eqia:edit", args=[assessment.pk]),
        _details(assessment, affected_services=[complaints.pk, theirs.pk]),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Choose only services your organisation monitors ({theirs.pk} is not one of them)" in (
        page
    )
    assert 'class="govuk-error-summary"' in page
    assert not assessment.affected_services.exists()  # nothing half-saved


def test_the_pdf_carries_each_services_profile(users, change):
    context = pdf.context(change, users["board_member"])
    assert [item.service.name for item in context["service_evidence"]] == ["Complaints"]
    content = pdf.render(change, users["board_member"])
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Evidence from service monitoring" in text
    assert "Complaints: complaints against residents" in text
    assert "Services it changes Complaints" in text
    assert "[c]" in text  # the board member's copy is protected


def test_the_edi_officers_pdf_has_the_exact_profile(users, change):
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(pdf.render(change, users["edi_officer"]))).pages
    )
    assert "Complaints: complaints against residents" in text
    assert "Exact counts, including small numbers" in text


def test_the_service_page_is_linked_only_for_those_who_may_open_it(client_as, change, complaints):
    link = reverse("service_users:service", args=[complaints.pk])
    for persona, linked in (("edi_officer", True), ("board_member", True), ("org_admin", False)):
        page = client_as(persona).get(reverse("eqia:evidence", args=[change.pk]))
        assert (link in page.content.decode()) is linked, persona
        assert client_as(persona).get(link).status_code == (200 if linked else 403)
