"""Signing in: good credentials work, repeated failures lock the account, redirects stay local."""

import pytest
from django.urls import reverse

from equitable.core.models import AuditEvent


@pytest.fixture
def officer(users):
    return users["edi_officer"]


def test_it_signs_in_and_records_it(client, officer):
    response = client.post(
        reverse("core:sign-in"), {"username": "edi_officer", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert AuditEvent.objects.filter(action="sign_in", user=officer).exists()


def test_it_redisplays_the_form_with_an_error_summary(client, officer):
    response = client.post(reverse("core:sign-in"), {"username": "edi_officer", "password": "no"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html


def test_it_locks_out_after_five_failures_even_with_the_right_password(client, officer):
    for _ in range(5):
        client.post(reverse("core:sign-in"), {"username": "edi_officer", "password": "wrong"})
    response = client.post(
        reverse("core:sign-in"), {"username": "edi_officer", "password": "a-long-test-password"}
    )
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()


def test_it_refuses_to_redirect_off_site(client, officer):
    response = client.post(
        reverse("core:sign-in") + "?next=https://evil.example/",
        {"username": "edi_officer", "password": "a-long-test-password"},
    )
    assert response["Location"] == reverse("core:home")


def test_sign_out_needs_post(client_as):
    client = client_as("edi_officer")
    assert client.get(reverse("core:sign-out")).status_code == 405
    assert client.post(reverse("core:sign-out")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302
