"""Plans for the action-plan tests: a corporate plan and a People directorate plan (the
champion persona's directorate) in "our" council, each with an action, a measure and a target."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile

from equitable.actions.models import ProgressUpdate, Recommendation
from tests.actions.factories import make_plan
from tests.surveys.conftest import surveyed  # noqa: F401 - the demo surveys, for survey measures


@pytest.fixture
def corporate(org):
    return make_plan(org, "Race Equality Action Plan")


@pytest.fixture
def people(org):
    directorate = org.directorates.get(name="People")
    plan, action, measure = make_plan(org, "People plan", directorate, ref_prefix="P")
    update = ProgressUpdate.objects.create(
        action=action, on=date(2025, 1, 10), note="Panels set up"
    )
    update.file.save("panel-guidance.txt", ContentFile(b"guidance"), save=True)
    update.original_name = "panel-guidance.txt"
    update.save()
    return plan, action, measure, update


@pytest.fixture
def register(org, corporate):
    recommendation = Recommendation.objects.create(
        organisation=org,
        ref="RR-2",
        theme="Recruitment and retention of staff",
        text="Diverse panels for MG grade and above",
        response="Training launched",
        who="Resources Team, L&D Team",
        when="December 2021",
        status=Recommendation.Status.DONE,
    )
    recommendation.actions.add(corporate[1])
    return recommendation
