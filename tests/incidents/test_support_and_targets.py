"""Support signposted to reporters and response targets, set per organisation by the EDI
officer or the admin: validated, escaped, audited; other councils' rows are a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.incidents import services
from equitable.incidents.dates import add_working_days, week_of
from equitable.incidents.models import IncidentSettings, Report, SupportContact
from tests.incidents.helpers import paper_report, submit

pytestmark = pytest.mark.django_db

SETTINGS = "incidents:settings"


def contact_data(**overrides) -> dict:
    data = {
        "action": "add-contact",
        "kind": "eap",
        "name": "Employee Assistance Programme",
        "description": "Free, confidential counselling",
        "phone": "0808 157 0192",
        "url": "https://demo.example/eap",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["edi_officer", "org_admin"])
def test_the_edi_officer_and_admin_add_a_support_service(client_as, org, role):
    response = client_as(role).post(reverse(SETTINGS), contact_data())
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    assert (contact.organisation, contact.kind, contact.phone) == (org, "eap", "0808 157 0192")
    event = AuditEvent.objects.get(object_type="support_contact", action="create")
    assert event.detail == "added Employee assistance programme: Employee Assistance Programme"


@pytest.mark.parametrize("role", ["hr_analyst", "champion", "board_member"])
def test_other_roles_cannot_change_the_settings(client_as, org, role):
    assert client_as(role).get(reverse(SETTINGS)).status_code == 403
    assert client_as(role).post(reverse(SETTINGS), contact_data()).status_code == 403
    assert not SupportContact.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"url": "javascript:alert(1)"}, "Enter a web address starting https://"),
        ({"url": "http://demo.example/eap"}, "Enter a web address starting https://"),
        ({"url": "data:text/html,hi"}, "Enter a web address starting https://"),
        ({"phone": "call <b>me</b>"}, "Enter a phone number using digits"),
        ({"phone": "", "url": ""}, "Enter a phone number or a web address"),
        ({"name": ""}, "Enter the name of the service"),
        ({"kind": ""}, "Choose the kind of support"),
    ],
)
def test_bad_support_details_are_refused_with_a_clear_error(client_as, org, overrides, message):
    response = client_as("edi_officer").post(reverse(SETTINGS), contact_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupportContact.objects.exists()


def test_the_form_and_the_confirmation_page_signpost_support_escaped(client, org, other_org):
    SupportContact.objects.create(
        organisation=org,
        kind="union",
        name="UNISON <b>branch</b>",
        description="Advice & representation",
        phone="020 7946 0417",
        url="https://demo.example/unions?a=1&b=2",
    )
    SupportContact.objects.create(
        organisation=other_org, kind="eap", name="THEIR-EAP", phone="0808 157 0000"
    )
    form = client.get(reverse("report:form", args=[org.slug])).content.decode()
    confirmation = submit(client, org).content.decode()
    for page in (form, confirmation):
        assert "Support you can get now" in page
        assert "UNISON &lt;b&gt;branch&lt;/b&gt;" in page and "<b>branch" not in page
        assert 'href="tel:02079460417"' in page
        assert 'href="https://demo.example/unions?a=1&amp;b=2"' in page
        assert "Trade union" in page
        assert "THEIR-EAP" not in page


def test_without_support_services_the_section_is_left_out(client, org):
    page = client.get(reverse("report:form", args=[org.slug])).content.decode()
    assert "Support you can get now" not in page


def test_a_support_service_is_changed_and_removed_with_an_audit_entry(client_as, org):
    contact = SupportContact.objects.create(organisation=org, kind="eap", name="EAP", phone="0800")
    client = client_as("edi_officer")
    url = reverse("incidents:contact", args=[contact.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, contact_data(url="ftp://x", name="EAP"))
    assert bad.status_code == 400
    assert client.post(url, contact_data(name="EAP 24 hours")).status_code == 302
    contact.refresh_from_db()
    assert contact.name == "EAP 24 hours"
    assert client.post(reverse("incidents:contact-delete", args=[contact.pk])).status_code == 302
    assert not SupportContact.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="support_contact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["change", "delete"]


def test_another_councils_support_service_is_a_404(client_as, other_org):
    theirs = SupportContact.objects.create(organisation=other_org, kind="eap", name="X", phone="1")
    client = client_as("edi_officer")
    assert client.get(reverse("incidents:contact", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("incidents:contact-delete", args=[theirs.pk])).status_code == 404
    assert SupportContact.objects.filter(pk=theirs.pk).exists()


def test_targets_are_saved_audited_and_set_the_first_response_date(client_as, org):
    client = client_as("edi_officer")
    data = {"action": "targets", "first_response_working_days": "3", "close_days": "45"}
    assert client.post(reverse(SETTINGS), data).status_code == 302
    saved = IncidentSettings.for_organisation(org)
    assert (saved.first_response_working_days, saved.close_days) == (3, 45)
    assert AuditEvent.objects.filter(object_type="incident_settings", action="change").exists()
    report = paper_report(org)
    assert report.first_response_due == add_working_days(report.submitted_week, 3)


def test_without_saved_targets_the_documented_defaults_apply(org):
    targets = IncidentSettings.for_organisation(org)
    assert (targets.first_response_working_days, targets.close_days) == (5, 60)
    assert targets.pk is None


@pytest.mark.parametrize(
    ("first", "close", "message"),
    [
        ("0", "60", "from 1 to 30 working days"),
        ("31", "60", "from 1 to 30 working days"),
        ("five", "60", "whole number of working days"),
        ("5", "0", "from 1 to 365 days"),
        ("", "60", "Enter the first-response target"),
    ],
)
def test_bad_targets_are_refused(client_as, org, first, close, message):
    data = {"action": "targets", "first_response_working_days": first, "close_days": close}
    response = client_as("edi_officer").post(reverse(SETTINGS), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not IncidentSettings.objects.exists()


def test_first_response_week_is_the_first_reply_or_acknowledgement(client_as, org):
    replied, acknowledged = paper_report(org), paper_report(org)
    client = client_as("edi_officer")
    client.post(reverse("incidents:reply", args=[replied.pk]), {"text": "Thank you"})
    client.post(
        reverse("incidents:update", args=[acknowledged.pk]),
        {"status": "acknowledged", "outcome": "", "category": "", "severity": "", "handler": ""},
    )
    this_week = week_of(services.today())
    for report in (replied, acknowledged):
        report.refresh_from_db()
        assert report.first_response_week == this_week
    # A later reply does not move it.
    Report.objects.filter(pk=replied.pk).update(first_response_week=this_week.replace(year=2020))
    client.post(reverse("incidents:reply", args=[replied.pk]), {"text": "Again"})
    replied.refresh_from_db()
    assert replied.first_response_week.year == 2020
