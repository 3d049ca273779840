"""Mentoring pages: sign-up signed in and by the open link, matching, the pair page."""

from __future__ import annotations

import pytest
from django.test import Client

from equitable.mentoring.models import Pair, Participant
from tests.mentoring.factories import make_scheme, small_pool

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": "Testperson Signup",
    "email": "testperson@example.test",
    "role": "mentee",
    "pay_band": "2",
    "directorate": "People",
    "seeks": ["leadership", "coaching"],
    "availability": ["tue-am"],
    "background_preference": "any",
    "other_directorate": "yes",
    "chain_emails": "boss@example.test\n",
    "consent": "on",
}


def test_a_signed_in_member_of_staff_signs_up(org, client_as):
    scheme = make_scheme(org)
    client = client_as("champion")
    assert client.get(f"/mentoring/{scheme.pk}/join/").status_code == 200
    response = client.post(f"/mentoring/{scheme.pk}/join/", ANSWERS)
    assert response.status_code == 200 and b"Your reference is" in response.content
    person = Participant.objects.get()
    assert person.seeks == ["leadership", "coaching"] and not person.gave_characteristics


def test_every_problem_of_the_form_is_shown(org, client_as):
    scheme = make_scheme(org)
    response = client_as("champion").post(
        f"/mentoring/{scheme.pk}/join/", {"role": "mentor", "chain_emails": "not an email"}
    )
    text = response.content.decode()
    for message in (
        "Choose at least one thing you can offer",
        "is not an e-mail address",
        "Agree to your name",
    ):
        assert message in text
    assert not Participant.objects.exists()


def test_characteristics_are_kept_only_when_the_person_chooses(org, client_as):
    scheme = make_scheme(org)
    client = client_as("champion")
    client.post(f"/mentoring/{scheme.pk}/join/", {**ANSWERS, "ethnic_group": "Black"})
    client.post(
        f"/mentoring/{scheme.pk}/join/",
        {
            **ANSWERS,
            "email": "b@example.test",
            "ethnic_group": "Black",
            "use_characteristics": "on",
        },
    )
    assert [p.gave_characteristics for p in Participant.objects.order_by("pk")] == [False, True]


def test_the_open_link_works_without_signing_in_and_a_wrong_token_is_not_found(org):
    scheme = make_scheme(org)
    client = Client()
    assert client.get(f"/mentoring/join/{scheme.signup_token}/").status_code == 200
    assert client.get("/mentoring/join/guessed-token/").status_code == 404
    response = client.post(f"/mentoring/join/{scheme.signup_token}/", ANSWERS)
    assert b"Your reference is" in response.content
    scheme.open_for_signup = False
    scheme.save()
    assert client.get(f"/mentoring/join/{scheme.signup_token}/").status_code == 404


def test_the_open_link_is_rate_limited(org, settings):
    settings.EQUITABLE_REPORT_RATE_LIMIT = 2
    scheme = make_scheme(org)
    client = Client()
    statuses = [
        client.post(f"/mentoring/join/{scheme.signup_token}/", {}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_matching_page_runs_the_optimum_and_shows_both_totals(org, client_as):
    scheme, _ = small_pool(org)
    client = client_as("edi_officer")
    weights = {"topics": 10, "directorate": 3, "background": 3, "availability": 2, "band": 1}
    response = client.post(f"/mentoring/{scheme.pk}/matching/", weights, follow=True)
    text = response.content.decode()
    assert "Whole-pool optimum" in text and "19.00" in text and "13.33" in text
    client.post(f"/mentoring/{scheme.pk}/matching/confirm/")
    assert scheme.pairs.filter(status=Pair.Status.CONFIRMED).count() == 2


def test_a_weight_out_of_range_is_refused(org, client_as):
    scheme, _ = small_pool(org)
    response = client_as("edi_officer").post(f"/mentoring/{scheme.pk}/matching/", {"topics": -1})
    assert response.status_code == 200 and not scheme.pairs.exists()


def test_staff_without_a_coordinator_role_cannot_open_the_scheme(org, client_as):
    scheme = make_scheme(org)
    assert client_as("hr_analyst").get(f"/mentoring/{scheme.pk}/").status_code == 403
    assert client_as("hr_analyst").get("/mentoring/").status_code == 200


def test_the_pair_page_explains_the_score_and_ends_with_a_reason(org, client_as):
    scheme, people = small_pool(org)
    client = client_as("edi_officer")
    client.post(
        f"/mentoring/{scheme.pk}/matching/",
        {"topics": 10, "directorate": 3, "background": 3, "availability": 2, "band": 1},
    )
    pair = scheme.pairs.get(mentee=people["m2"])
    page = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Topics sought that the mentor offers" in page and "10.50" in page
    client.post(f"/mentoring/pairs/{pair.pk}/confirm/")
    client.post(f"/mentoring/pairs/{pair.pk}/check-in/", {"rating": 3, "meetings": 1, "note": ""})
    client.post(f"/mentoring/pairs/{pair.pk}/end/", {"reason": "not a good fit"})
    pair.refresh_from_db()
    assert pair.status == "ended" and pair.ended_early and pair.check_ins.count() == 1
