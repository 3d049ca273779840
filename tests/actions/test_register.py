"""The recommendations register: filterable by theme, status and owner; editable in the
browser by the programme roles (audited); linked to its actions both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.actions.models import Recommendation
from equitable.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(org):
    return Recommendation.objects.create(
        organisation=org,
        ref="WC-1",
        theme="Workplace culture",
        text="Reverse mentoring for the leadership team",
        who="EDI Team",
        status=Recommendation.Status.IN_PROGRESS,
    )


def _register(client, **params):
    return client.get(reverse("actions:recommendations"), params).content.decode()


def test_the_register_filters_by_theme_status_and_owner(client_as, register, second):
    client = client_as("board_member")
    everything = _register(client)
    assert "Diverse panels" in everything and "Reverse mentoring" in everything
    by_theme = _register(client, theme="Workplace culture")
    assert "Reverse mentoring" in by_theme and "Diverse panels" not in by_theme
    by_status = _register(client, status="done")
    assert "Diverse panels" in by_status and "Reverse mentoring" not in by_status
    by_owner = _register(client, who="EDI Team")
    assert "Reverse mentoring" in by_owner and "Diverse panels" not in by_owner
    none = _register(client, theme="Workplace culture", status="done")
    assert "No recommendation matches the filters" in none


def test_an_unknown_filter_value_is_an_error_not_a_crash(client_as, register):
    page = _register(client_as("edi_officer"), status="nonsense")
    assert "govuk-error-summary" in page
    assert "Diverse panels" in page  # the register is still shown, unfiltered


def test_the_register_and_its_actions_link_both_ways(client_as, register, corporate):
    _, action, _ = corporate
    client = client_as("champion")
    detail = client.get(reverse("actions:recommendation", args=[register.pk])).content.decode()
    assert reverse("actions:action", args=[action.pk]) in detail
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    assert reverse("actions:recommendation", args=[register.pk]) in page


def test_the_edi_officer_adds_and_edits_a_recommendation(client_as, corporate, users):
    _, action, _ = corporate
    client = client_as("edi_officer")
    response = client.post(
        reverse("actions:recommendation-new"),
        {
            "ref": "RR-9",
            "theme": "Recruitment and retention of staff",
            "text": "Publish the shortlisting data by grade",
            "status": "not started",
            "actions": [str(action.pk)],
        },
    )
    assert response.status_code == 302
    created = Recommendation.objects.get(ref="RR-9")
    assert list(created.actions.all()) == [action]
    assert AuditEvent.objects.filter(
        object_type="recommendation", object_id=str(created.pk), action="create"
    ).exists()
    edit = reverse("actions:recommendation-edit", args=[created.pk])
    assert "Publish the shortlisting data" in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "ref": "RR-9",
            "theme": "Recruitment and retention of staff",
            "text": "Publish the shortlisting data by grade",
            "status": "in progress",
            "who": "Resources Team",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == "in progress" and created.who == "Resources Team"
    assert not created.actions.exists()  # unticked


def test_a_recommendation_needs_its_theme_and_text(client_as):
    response = client_as("edi_officer").post(reverse("actions:recommendation-new"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the theme" in page and "Enter the recommendation" in page
    assert not Recommendation.objects.exists()


def test_only_programme_roles_edit_the_register(client_as, register):
    for persona in ("champion", "board_member", "hr_analyst"):
        client = client_as(persona)
        assert client.get(reverse("actions:recommendation-new")).status_code == 403
        edit = reverse("actions:recommendation-edit", args=[register.pk])
        assert client.post(edit, {"theme": "x", "text": "y", "status": "done"}).status_code == 403
    register.refresh_from_db()
    assert register.text == "Diverse panels for MG grade and above"


def test_another_councils_recommendation_is_not_found(client_as, register):
    client = client_as("other:edi_officer")
    assert client.get(reverse("actions:recommendation", args=[register.pk])).status_code == 404
    edit = reverse("actions:recommendation-edit", args=[register.pk])
    assert client.get(edit).status_code == 404


def test_the_actions_offered_are_only_this_councils(client_as, register, other_org):
    from tests.actions.factories import make_plan

    _, foreign, _ = make_plan(other_org, "Their plan", ref_prefix="THEIRS")
    client = client_as("edi_officer")
    response = client.post(
        reverse("actions:recommendation-edit", args=[register.pk]),
        {"theme": "x", "text": "y", "status": "done", "actions": [str(foreign.pk)]},
    )
    assert response.status_code == 200  # not a valid choice
    assert not register.actions.filter(pk=foreign.pk).exists()
