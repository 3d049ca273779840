"""Across councils: a shared pool, and what each council's coordinator may see of the other's
people (anonymous entries until a pair is confirmed, then only that pair's names)."""

from __future__ import annotations

import pytest

from equitable.mentoring import services
from tests.mentoring.factories import join, make_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(org, other_org):
    ours = make_scheme(org, name="Ours", shared_pool=True)
    theirs = make_scheme(other_org, name="Theirs", shared_pool=True)
    mentee = join(ours, "mentee", 2, name="Ourmentee Fakename", seeks=["commissioning"])
    mentor = join(theirs, "mentor", 5, name="Theirmentor Fakename", offers=["commissioning"])
    bystander = join(theirs, "mentee", 1, name="Theirmentee Fakename", seeks=["networking"])
    services.run_matching(ours, user=None)
    return ours, theirs, mentee, mentor, bystander


def test_a_shared_pool_matches_one_councils_mentee_with_anothers_mentor(shared):
    ours, _, mentee, mentor, _ = shared
    pair = ours.pairs.get()
    assert (pair.mentee, pair.mentor) == (mentee, mentor)


def test_a_pool_not_shared_never_reaches_another_council(org, other_org):
    ours = make_scheme(org, name="Ours")
    theirs = make_scheme(other_org, name="Theirs", shared_pool=True)
    join(ours, "mentee", 2, name="Ourmentee Fakename", seeks=["commissioning"])
    join(theirs, "mentor", 5, name="Theirmentor Fakename", offers=["commissioning"])
    assert services.run_matching(ours, user=None).optimum_pairs == 0


def test_before_confirmation_neither_coordinator_sees_the_others_names(shared, client_as):
    ours, _, _, _, _ = shared
    pair = ours.pairs.get()
    theirs_page = client_as("other:edi_officer").get(f"/mentoring/pairs/{pair.pk}/")
    assert theirs_page.status_code == 200
    assert b"Theirmentor Fakename" in theirs_page.content  # their own person
    assert b"Ourmentee Fakename" not in theirs_page.content
    ours_page = client_as("edi_officer").get(f"/mentoring/pairs/{pair.pk}/")
    assert b"Ourmentee Fakename" in ours_page.content
    assert b"Theirmentor Fakename" not in ours_page.content
    matching = client_as("edi_officer").get(f"/mentoring/{ours.pk}/matching/")
    assert b"Theirmentor" not in matching.content and pair.mentor.ref.encode() in matching.content


def test_after_confirmation_both_see_the_pairs_names_and_nobody_elses(shared, client_as):
    ours, theirs, _, _, bystander = shared
    pair = ours.pairs.get()
    services.confirm(pair, user=None)
    for persona in ("edi_officer", "other:edi_officer"):
        page = client_as(persona).get(f"/mentoring/pairs/{pair.pk}/")
        assert b"Ourmentee Fakename" in page.content and b"Theirmentor Fakename" in page.content
    assert (
        services.personal_details(
            client_as("edi_officer").get("/").wsgi_request.user, [bystander], purpose="t"
        )
        == {}
    )


def test_another_councils_scheme_pages_are_not_found(shared, client_as):
    _, theirs, _, _, _ = shared
    client = client_as("edi_officer")
    for path in (
        f"/mentoring/{theirs.pk}/",
        f"/mentoring/{theirs.pk}/people/",
        f"/mentoring/{theirs.pk}/matching/",
    ):
        assert client.get(path).status_code == 404


def test_only_the_schemes_own_council_confirms_or_swaps(shared, client_as):
    ours, _, _, _, _ = shared
    pair = ours.pairs.get()
    response = client_as("other:edi_officer").post(f"/mentoring/pairs/{pair.pk}/confirm/")
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == "proposed"


def test_a_third_council_sees_nothing(shared, client_as, db):
    from equitable.core.models import Organisation
    from tests.conftest import make_user

    third = Organisation.objects.create(slug="third", name="Third Borough")
    user = make_user("third-edi", "edi_officer", third)
    from django.test import Client

    client = Client()
    client.force_login(user)
    pair = shared[0].pairs.get()
    assert client.get(f"/mentoring/pairs/{pair.pk}/").status_code == 404
    assert b"Fakename" not in client.get("/mentoring/pairs/").content
