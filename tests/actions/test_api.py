"""The JSON API gives the same plans and RAG as the pages, scoped to the caller's council."""

from __future__ import annotations

import pytest

from equitable.core.models import ApiToken

pytestmark = pytest.mark.django_db


def _get(client, user, path):
    _, token = ApiToken.issue(user, "script")
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_plans_and_measures(client, users, corporate, people):
    response = _get(client, users["board_member"], "/api/actions/plans")
    assert response.status_code == 200
    assert [(p["title"], p["directorate"], p["actions"]) for p in response.json()] == [
        ("Race Equality Action Plan", None, 1),
        ("People plan", "People", 1),
    ]
    measures = _get(client, users["champion"], "/api/actions/measures").json()
    # 42% on 31 December 2024 against a trajectory of 50%: 8 points behind, red.
    assert [(m["ref"], m["latest_value"], m["trajectory_value"], m["rag"]) for m in measures] == [
        ("P-M1", 42.0, 50.0, "red"),
        ("C-M1", 42.0, 50.0, "red"),
    ]


def test_other_council_sees_only_its_own_and_coordinator_is_refused(client, users, corporate):
    assert _get(client, users["other:edi_officer"], "/api/actions/plans").json() == []
    assert _get(client, users["coordinator"], "/api/actions/plans").status_code == 403
    assert client.get("/api/actions/measures").status_code == 401
