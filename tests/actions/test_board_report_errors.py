"""A bug in another app shows as an error, never as a board-report section quietly missing.

The report calls the standard, incidents and workforce apps through plain imports and lets
their exceptions through: the board must not read a report that silently lacks a section.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from equitable.actions import services
from equitable.incidents import services as incident_services
from equitable.standard import services as standard_services
from equitable.workforce import services as workforce_services

pytestmark = pytest.mark.django_db


class SectionBug(RuntimeError):
    """Stands for any bug in the code that builds a section."""


def _raise(*args, **kwargs):
    raise SectionBug("a bug in a section builder")


@pytest.mark.parametrize(
    ("module", "function"),
    [
        (standard_services, "current_levels"),
        (incident_services, "incident_trends"),
        (workforce_services, "snapshots_of"),
    ],
)
def test_a_failing_section_stops_the_report(monkeypatch, org, corporate, module, function):
    monkeypatch.setattr(module, function, _raise)
    with pytest.raises(SectionBug):
        services.board_report(org, "2025Q1")


def test_the_page_answers_500_not_a_report_without_the_section(monkeypatch, users, org, corporate):
    monkeypatch.setattr(standard_services, "current_levels", _raise)
    client = Client(raise_request_exception=False)
    client.force_login(users["board_member"])
    response = client.get(reverse("actions:board-report", args=["2025Q1"]))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
