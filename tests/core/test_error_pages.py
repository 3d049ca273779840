"""404, 403, 429 and 500 in the service's design, with a way back, with DEBUG off."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from equitable.core import errors


@override_settings(DEBUG=False)
def test_404_page_is_ours_with_a_way_back(client_as, users, client):
    response = client_as("edi_officer").get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'class="govuk-header' in html or "eq-header" in html
    assert f'href="{reverse("core:home")}"' in html
    anonymous = client.get("/no-such-page/").content.decode()
    assert f'href="{reverse("core:sign-in")}"' in anonymous


@override_settings(DEBUG=False)
def test_403_page_is_ours_with_a_way_back(client_as, users):
    response = client_as("board_member").get(reverse("core:audit-log"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html and "eq-header" in html
    assert "Go to your home page" in html


def test_429_page_is_ours(client_as, users):
    request = RequestFactory().get("/")
    request.user = users["edi_officer"]
    request.csp_nonce = "n"
    response = errors.too_many_requests(request)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()


def test_500_page_renders_without_a_request_or_a_database(monkeypatch, db):
    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", no_database)
        response = errors.server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "equitable.css" in html and 'href="/"' in html


def test_500_page_falls_back_to_plain_html_when_the_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("templates gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(None)
    assert response.status_code == 500 and "Go to the home page" in response.content.decode()


@pytest.fixture
def failing_view(settings):
    settings.ROOT_URLCONF = "tests.core.urls_failing"


@override_settings(DEBUG=False)
def test_an_unhandled_error_gives_our_500_page_not_djangos(failing_view, users):
    client = Client(raise_request_exception=False)
    client.force_login(users["edi_officer"])
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html


def test_the_url_map_uses_our_handlers():
    from equitable import urls

    assert urls.handler404 == "equitable.core.errors.not_found"
    assert urls.handler403 == "equitable.core.errors.forbidden"
    assert urls.handler500 == "equitable.core.errors.server_error"


def test_a_form_without_its_csrf_token_gets_our_page(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["org_admin"])
    response = client.post(reverse("core:admin-logo-remove"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in html and "eq-header" in html
