"""Navigation and home-page links are never dropped quietly: a wrong URL name is an error."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch

from equitable.core import navigation
from equitable.core import roles as R
from equitable.core import services as core_services
from equitable.core.navigation import NavItem


@pytest.fixture
def request_as(users):
    def make(persona: str):
        request = RequestFactory().get("/workforce/")
        request.user = users[persona]
        return request

    return make


def test_each_role_sees_its_sections(request_as):
    texts = [item["text"] for item in navigation.nav_items(request_as("board_member"))]
    assert texts == [
        "Home",
        "Workforce",
        "Action plan",
        "Lifecycle",
        "Training",
        "Surveys",
        "Impact assessments",
        "Service users",
        "Mentoring",
        "Programmes",
        "Standard",
        "Incidents",
    ]
    assert [i["text"] for i in navigation.nav_items(request_as("coordinator"))] == [
        "Home",
        "Published figures",
        "Standard",
    ]


def test_a_section_with_a_wrong_url_name_is_an_error_not_a_missing_link(monkeypatch, request_as):
    broken = [*navigation.NAV_ITEMS, NavItem("Reports", "reports:index", R.ALL_ROLES, "/r/")]
    monkeypatch.setattr(navigation, "NAV_ITEMS", broken)
    with pytest.raises(NoReverseMatch):
        navigation.nav_items(request_as("edi_officer"))


def test_a_home_card_with_a_wrong_url_name_is_an_error(monkeypatch, users):
    broken = [*core_services.HOME_SECTIONS, ("Reports", "", "reports:index", set(R.Role))]
    monkeypatch.setattr(core_services, "HOME_SECTIONS", broken)
    with pytest.raises(NoReverseMatch):
        core_services.home_sections(users["edi_officer"])


def test_the_command_line_has_every_capabilitys_commands():
    from equitable.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert {
        "demo",
        "serve",
        "metrics",
        "generate-workforce",
        "workforce",
        "standard",
        "action-plan",
        "board-report",
        "incidents",
        "eqia",
        "mentoring",
        "mentoring-purge",
        "programme-figures",
        "worker",
        "backup",
        "restore",
    } <= set(commands)
