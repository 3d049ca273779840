"""The workforce API returns what the pages show: scoped, and protected for most roles."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_snapshots_are_listed_newest_first(client_as, snapshot):
    body = client_as("board_member").get("/api/workforce/snapshots").json()
    assert body == [
        {
            "snapshot_date": "2025-03-31",
            "row_count": 112,
            "present_columns": snapshot.present_columns,
        }
    ]


def test_the_figure_list_names_every_figure(client_as):
    names = [f["name"] for f in client_as("champion").get("/api/workforce/figures").json()]
    assert "pay_gap_ethnicity" in names and "representation_overall" in names


def test_a_board_member_gets_protected_rows(client_as, snapshot):
    body = (
        client_as("board_member").get("/api/workforce/figures/representation_by_directorate").json()
    )
    assert body["exact"] is False
    place_black = next(
        r for r in body["rows"] if r["directorate"] == "Place" and r["ethnic_group"] == "Black"
    )
    assert place_black == {**place_black, "count": None, "percent": None, "suppressed": True}


def test_the_hr_analyst_gets_exact_rows(client_as, snapshot):
    body = (
        client_as("hr_analyst")
        .get("/api/workforce/figures/representation_by_directorate?snapshot=2025-03-31")
        .json()
    )
    assert body["exact"] is True
    place_black = next(
        r for r in body["rows"] if r["directorate"] == "Place" and r["ethnic_group"] == "Black"
    )
    assert place_black["count"] == 3


def test_a_champion_gets_only_their_directorate(client_as, snapshot):
    client = client_as("champion")
    body = client.get("/api/workforce/figures/representation_by_directorate").json()
    assert {r["directorate"] for r in body["rows"]} == {"People"}
    refused = client.get("/api/workforce/figures/representation_by_directorate?directorate=Place")
    assert refused.status_code == 403


def test_the_coordinator_and_other_councils_get_nothing_of_ours(client_as, snapshot):
    assert client_as("coordinator").get("/api/workforce/snapshots").status_code == 403
    other = client_as("other:edi_officer")
    assert other.get("/api/workforce/snapshots").json() == []
    assert other.get("/api/workforce/figures/disclosure").status_code == 404


def test_unknown_figures_and_anonymous_calls_are_refused(client, client_as, snapshot):
    assert client.get("/api/workforce/snapshots").status_code == 401
    assert client_as("edi_officer").get("/api/workforce/figures/nonsense").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/workforce/snapshots", "/api/workforce/figures/{name}"} <= set(paths)
