"""Signing in: good credentials work, redirects stay local, and repeated failures slow the
guesser down without letting anyone lock the account's owner out (equitable/core/auth.py)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from equitable.core import auth
from equitable.core.models import AuditEvent

PASSWORD = "a-long-test-password"
OWNER_ADDRESS = "198.51.100.10"
STRANGER_ADDRESS = "203.0.113.66"


@pytest.fixture
def officer(users):
    return users["edi_officer"]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """A clock the tests move by hand; the throttle's counters start empty."""
    cache.clear()
    state = {"now": 1_900_000_000.0}
    monkeypatch.setattr(auth, "now", lambda: state["now"])
    yield state
    cache.clear()


def attempt(client, username, password, address):
    return client.post(
        reverse("core:sign-in"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def refused(response) -> bool:
    return response.status_code == 200 and "Too many failed attempts" in response.content.decode()


def test_it_signs_in_and_records_it(client, officer):
    response = client.post(
        reverse("core:sign-in"), {"username": "edi_officer", "password": PASSWORD}
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


def test_a_strangers_50_wrong_guesses_do_not_stop_the_owner_signing_in(users, clock):
    """The issue's attack: five wrong passwords used to lock board_member out for 15 minutes."""
    owner = Client()
    assert attempt(owner, "board_member", PASSWORD, OWNER_ADDRESS).status_code == 302
    owner.post(reverse("core:sign-out"))
    stranger = Client()
    for _ in range(50):
        attempt(stranger, "board_member", "guess", STRANGER_ADDRESS)
        clock["now"] += 1
    response = attempt(owner, "board_member", PASSWORD, OWNER_ADDRESS)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_a_distributed_attack_costs_the_owner_on_a_new_device_a_few_seconds_at_most(users, clock):
    for number in range(50):  # a new address for every guess, each one checked
        clock["now"] += auth.MAX_ACCOUNT_DELAY
        response = attempt(Client(), "board_member", "guess", f"203.0.113.{number}")
        assert "Enter a correct" in response.content.decode()
    new_device = Client()  # right after the 50th guess: the longest the owner can be held up
    response = attempt(new_device, "board_member", PASSWORD, OWNER_ADDRESS)
    assert refused(response) and "Wait 5 seconds" in response.content.decode()
    clock["now"] += auth.MAX_ACCOUNT_DELAY
    assert attempt(new_device, "board_member", PASSWORD, OWNER_ADDRESS).status_code == 302


def test_guesses_from_one_client_wait_longer_and_longer_and_are_not_checked_meanwhile(
    officer, clock
):
    stranger = Client()
    for _ in range(3):
        response = attempt(stranger, "edi_officer", "wrong", STRANGER_ADDRESS)
        assert "Enter a correct username and password" in response.content.decode()
    waits = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
    for expected_wait in waits:
        response = attempt(stranger, "edi_officer", PASSWORD, STRANGER_ADDRESS)
        assert refused(response)  # even the right password is not checked while it waits
        shown = (
            f"{expected_wait} second"
            if expected_wait < 120
            else f"{-(-expected_wait // 60)} minutes"
        )
        assert f"Wait {shown}" in response.content.decode()
        clock["now"] += expected_wait
        response = attempt(stranger, "edi_officer", "wrong", STRANGER_ADDRESS)
        assert "Enter a correct" in response.content.decode()
    response = attempt(stranger, "edi_officer", PASSWORD, STRANGER_ADDRESS)
    assert refused(response) and "Wait 15 minutes" in response.content.decode()  # the cap
    failed = AuditEvent.objects.filter(action="sign_in_failed")
    assert failed.count() == 3 + 2 * len(waits) + 1  # every attempt audited, checked or not
    assert failed.filter(detail__contains="not checked").count() == len(waits) + 1
    clock["now"] += auth.WINDOW_SECONDS  # an hour without failures forgets them
    assert attempt(stranger, "edi_officer", PASSWORD, STRANGER_ADDRESS).status_code == 302


def test_one_address_guessing_across_accounts_is_refused_for_the_hour(users, clock):
    owner = Client()
    assert attempt(owner, "hr_analyst", PASSWORD, STRANGER_ADDRESS).status_code == 302
    owner.post(reverse("core:sign-out"))
    sprayer = Client()
    for number in range(50):  # two guesses each at 25 names: no single account slows down
        attempt(sprayer, f"user{number // 2}", "Password1", STRANGER_ADDRESS)
    response = attempt(sprayer, "champion", PASSWORD, STRANGER_ADDRESS)
    assert refused(response) and "Wait 60 minutes" in response.content.decode()
    # The owner's own device behind the same address still gets in.
    assert attempt(owner, "hr_analyst", PASSWORD, STRANGER_ADDRESS).status_code == 302
    clock["now"] += auth.WINDOW_SECONDS
    assert attempt(sprayer, "champion", PASSWORD, STRANGER_ADDRESS).status_code == 302


def test_the_device_cookie_is_signed_http_only_and_names_no_one(officer):
    client = Client()
    response = attempt(client, "edi_officer", PASSWORD, OWNER_ADDRESS)
    cookie = response.cookies[auth.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "edi_officer" not in cookie.value
    forged = Client()
    forged.cookies[auth.DEVICE_COOKIE] = cookie.value[:-2] + "xx"
    assert not auth.client_of(_request_with(forged.cookies[auth.DEVICE_COOKIE].value)).device
    assert auth.client_of(_request_with(cookie.value)).knows("EDI_Officer")


def _request_with(cookie_value: str):
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR=OWNER_ADDRESS)
    request.COOKIES[auth.DEVICE_COOKIE] = cookie_value
    return request


def test_the_counters_hold_no_username_or_address(users):
    for _ in range(5):
        attempt(Client(), "board_member", "guess", STRANGER_ADDRESS)
    stored = repr(cache._cache) + repr(list(cache._cache))  # LocMemCache, as in the tests
    assert "board_member" not in stored and STRANGER_ADDRESS not in stored
    assert "equitable:sign-in" in stored


def test_it_refuses_to_redirect_off_site(client, officer):
    response = client.post(
        reverse("core:sign-in") + "?next=https://evil.example/",
        {"username": "edi_officer", "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:home")


def test_sign_out_needs_post(client_as):
    client = client_as("edi_officer")
    assert client.get(reverse("core:sign-out")).status_code == 405
    assert client.post(reverse("core:sign-out")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302
