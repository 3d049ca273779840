"""The surveys API: the same protected tables as the pages, scoped like them."""

from __future__ import annotations

import pytest

from equitable.surveys.models import Survey


@pytest.fixture
def race_2022(surveyed):
    return Survey.objects.get(organisation=surveyed, title="Race Survey 2022")


def test_the_list_and_the_tables_are_protected_for_the_edi_officer_too(client_as, race_2022):
    client = client_as("edi_officer")
    waves = client.get("/api/surveys/").json()
    assert race_2022.pk in {w["id"] for w in waves}
    data = client.get(f"/api/surveys/{race_2022.pk}/tables").json()
    assert data["protected"] is True
    rows = data["tables"]["results_by_ethnic_group"]
    assert rows and all("favourable" not in row and "why_withheld" in row for row in rows)
    assert any(row["suppressed"] and row["why_withheld"] for row in rows) or all(
        not row["suppressed"] for row in rows
    )
    one = client.get(f"/api/surveys/{race_2022.pk}/tables/questions").json()
    assert one["name"] == "questions" and one["rows"]
    assert client.get(f"/api/surveys/{race_2022.pk}/tables/nonsense").status_code == 404


def test_other_organisations_and_the_coordinator_get_nothing(client_as, race_2022):
    assert (
        client_as("other:edi_officer").get(f"/api/surveys/{race_2022.pk}/tables").status_code == 404
    )
    assert client_as("coordinator").get("/api/surveys/").status_code == 403
    assert client_as("champion").get(f"/api/surveys/{race_2022.pk}/tables").status_code == 200
