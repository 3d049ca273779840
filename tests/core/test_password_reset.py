"""An admin sends a password reset link; the link works signed out, once, until it expires."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from equitable.core.models import AuditEvent, User

NEW_PASSWORD = "violet-lantern-harbour-42"


def _send(client_as, person):
    return client_as("org_admin").post(reverse("core:admin-user-reset", args=[person.pk]))


def _link_path(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def person(users):
    user = users["hr_analyst"]
    user.email = "hr.analyst@our-borough.gov.uk"
    user.save()
    return user


def test_admin_sends_a_link_by_email_and_it_is_audited(client_as, person, settings):
    settings.EQUITABLE_SITE_URL = "https://equitable.our-borough.gov.uk"
    assert _send(client_as, person).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hr.analyst@our-borough.gov.uk"]
    assert "https://equitable.our-borough.gov.uk/reset-password/" in message.body
    assert AuditEvent.objects.filter(
        object_type="user", object_id=str(person.pk), detail="password reset link sent"
    ).exists()


def test_the_link_sets_a_password_signed_out_and_then_stops_working(client_as, person):
    _send(client_as, person)
    path = _link_path(mail.outbox[0])
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and "Set a new password" in page.content.decode()
    response = anonymous.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:sign-in")
    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(detail="password set from a reset link").exists()
    # used: refused
    again = anonymous.post(path, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert again.status_code == 410 and "This link no longer works" in again.content.decode()
    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(client_as, person, settings):
    from datetime import datetime, timedelta

    from django.contrib.auth.tokens import default_token_generator

    _send(client_as, person)
    path = _link_path(mail.outbox[0])
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    default_token_generator._now = lambda: later  # type: ignore[method-assign]
    try:
        response = Client().get(path)
    finally:
        del default_token_generator._now
    assert response.status_code == 410


def test_a_forged_or_garbled_link_is_refused(person, db):
    for path in (
        reverse("core:password-reset", args=["MQ", "abc-123"]),
        reverse("core:password-reset", args=["!!!", "abc-123"]),
        reverse("core:password-reset", args=["OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "x-y"]),
    ):
        assert Client().get(path).status_code == 410


def test_a_weak_or_mismatched_password_is_an_error_on_the_form(client_as, person):
    _send(client_as, person)
    path = _link_path(mail.outbox[0])
    html = (
        Client().post(path, {"new_password1": "short", "new_password2": "short"}).content.decode()
    )
    assert "There is a problem" in html and "too short" in html
    html = (
        Client()
        .post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
        .content.decode()
    )
    assert "didn’t match" in html or "didn't match" in html
    assert not User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)


def test_no_link_without_an_email_address_or_for_a_deactivated_user(client_as, users):
    person = users["board_member"]
    response = client_as("org_admin").post(
        reverse("core:admin-user-reset", args=[person.pk]), follow=True
    )
    assert "has no e-mail address" in response.content.decode()
    person.email = "b@our-borough.gov.uk"
    person.is_active = False
    person.save()
    response = client_as("org_admin").post(
        reverse("core:admin-user-reset", args=[person.pk]), follow=True
    )
    assert "is deactivated" in response.content.decode()
    assert mail.outbox == []


def test_a_deactivated_users_link_stops_working(client_as, person):
    _send(client_as, person)
    path = _link_path(mail.outbox[0])
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert Client().get(path).status_code == 410
