"""Benchmarking and pairing: nobody sees a borough that did not opt in; pairs need both to agree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.standard import services
from equitable.standard.models import Assessment, Pairing, Response
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def submitted(organisation, levels: dict[str, str], period: str = "2025") -> Assessment:
    assessment = services.start_assessment(organisation, period)
    for criterion_id, level in levels.items():
        Response.objects.create(assessment=assessment, criterion_id=criterion_id, level=level)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save()
    return assessment


def share(organisation, opted_in=True):
    services.set_sharing(organisation, opted_in, None)


@pytest.fixture
def boroughs(org, other_org):
    """Four boroughs with category 1 points 2, 4, 6 and 15 (the worked example)."""
    third = make_organisation("third-borough", "Third Borough")
    fourth = make_organisation("fourth-borough", "Fourth Borough")
    submitted(org, {"1.1": "established"})  # 2 points
    submitted(other_org, {"1.1": "established", "1.3": "established"})  # 4
    submitted(third, {"1.1": "established", "1.3": "established", "1.4": "established"})  # 6
    submitted(
        fourth,
        {"1.1": "established", "1.2": "developing", "1.3": "established", "1.4": "established",
         "1.5": "established", "1.6": "leading", "1.8": "leading"},
    )  # fmt: skip
    return org, other_org, third, fourth


def test_quartiles_by_mid_rank():
    points = [2, 4, 6, 15]
    assert [services.quartile_of(p, points) for p in points] == [1, 2, 3, 4]
    assert services.quartile_of(5, [5, 5, 5]) == 3  # ties share the middle


def test_the_coordinator_sees_only_boroughs_that_opted_in(boroughs, client_as):
    org, other_org, third, fourth = boroughs
    share(org)
    share(third)
    share(fourth)  # other_org does not opt in
    distribution = services.distribution()
    assert distribution["boroughs"] == 3
    first = distribution["categories"][0]
    assert first["counts"] == {"developing": 2, "established": 1, "leading": 0}
    assert (first["lowest"], first["median"], first["highest"]) == (2, 6, 15)
    page = client_as("coordinator").get(reverse("standard:coordinator")).content.decode()
    assert "3 boroughs share" in page
    for name in ("Our Borough", "Other Borough", "Third Borough", "Fourth Borough"):
        assert name not in page


def test_with_two_boroughs_sharing_the_coordinator_sees_no_points(boroughs, client_as):
    """With two, the lowest and highest points are each borough's exact result: one minimum
    (three sharing boroughs) holds for the coordinator's view as for a borough's position."""
    org, other_org, *_ = boroughs
    share(org)
    share(other_org)
    distribution = services.distribution()
    assert not distribution["available"] and distribution["categories"] == []
    assert distribution["minimum"] == services.MIN_SHARING == 3
    page = client_as("coordinator").get(reverse("standard:coordinator")).content.decode()
    assert "at least 3 boroughs" in page
    assert 'id="distribution"' not in page
    assert "Lowest" not in page


def test_drafts_and_withdrawn_consent_are_never_counted(boroughs):
    org, other_org, third, fourth = boroughs
    share(org)
    share(other_org)
    share(other_org, opted_in=False)
    services.start_assessment(third, "draft")
    share(third, opted_in=False)
    assert services.distribution()["boroughs"] == 1


def test_a_borough_sees_its_quarter_without_other_names(boroughs, client_as):
    org, other_org, third, fourth = boroughs
    for borough in boroughs:
        share(borough)
    position = services.position(fourth)
    assert position["available"] and position["boroughs"] == 4
    assert position["categories"][0]["quarter"] == "top quarter"
    assert services.position(org)["categories"][0]["quarter"] == "bottom quarter"
    page = client_as("edi_officer").get(reverse("standard:benchmarking")).content.decode()
    assert "Bottom quarter" in page
    for name in ("Other Borough", "Third Borough", "Fourth Borough"):
        assert name not in page


def test_a_borough_that_does_not_share_sees_no_position(boroughs):
    org, other_org, third, fourth = boroughs
    for borough in (other_org, third, fourth):
        share(borough)
    position = services.position(org)
    assert not position["available"]
    assert position["reason"] == "Your organisation does not share its levels."


def test_positions_need_at_least_three_sharing_boroughs(boroughs):
    org, other_org, *_ = boroughs
    share(org)
    share(other_org)
    assert "at least 3 boroughs" in services.position(org)["reason"]


def test_opting_in_needs_a_programme_role(client_as, org):
    assert (
        client_as("board_member")
        .post(reverse("standard:benchmarking"), {"share": "yes"})
        .status_code
        == 403
    )
    response = client_as("org_admin").post(reverse("standard:benchmarking"), {"share": "yes"})
    assert response.status_code == 302 and services.is_sharing(org)


def test_pairing_is_active_only_once_the_partner_accepts(boroughs, client_as):
    org, other_org, *_ = boroughs
    ours = client_as("edi_officer")
    theirs = client_as("other:edi_officer")
    ours.post(reverse("standard:pairing"), {"partner": other_org.pk})
    pairing = Pairing.objects.get()
    assert pairing.status == Pairing.Status.REQUESTED
    assert ours.get(reverse("standard:paired", args=[pairing.pk])).status_code == 404
    assert theirs.get(reverse("standard:paired", args=[pairing.pk])).status_code == 404
    # the borough that asked cannot accept for the other
    assert (
        ours.post(
            reverse("standard:pairing-answer", args=[pairing.pk]), {"action": "accept"}
        ).status_code
        == 403
    )
    theirs.post(reverse("standard:pairing-answer", args=[pairing.pk]), {"action": "accept"})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    page = ours.get(reverse("standard:paired", args=[pairing.pk])).content.decode()
    assert "Our Borough and Other Borough" in page
    comparison = services.side_by_side(pairing, org)
    first_rows = comparison["categories"][0]["rows"]
    assert (first_rows[2]["ours"], first_rows[2]["theirs"]) == ("none", "established")
    assert (
        comparison["categories"][0]["ours"].points,
        comparison["categories"][0]["theirs"].points,
    ) == (2, 4)


def test_a_third_borough_never_sees_a_pairing(boroughs, client_as, users):
    org, other_org, third, _ = boroughs
    pairing = Pairing.objects.create(
        organisation=org, partner=other_org, status=Pairing.Status.ACTIVE
    )
    assert services.active_pairing(third, pairing.pk) is None
    from tests.conftest import make_user

    outsider = make_user("third-officer", "edi_officer", third)
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("standard:paired", args=[pairing.pk])).status_code == 404


def test_declined_or_ended_pairings_show_nothing(boroughs, client_as):
    org, other_org, *_ = boroughs
    pairing = services.request_pairing(org, other_org)
    services.answer_pairing(pairing, other_org, accept=False)
    assert services.active_pairing(org, pairing.pk) is None
    again = services.request_pairing(org, other_org)
    services.answer_pairing(again, other_org, accept=True)
    services.end_pairing(again, other_org)
    assert services.active_pairing(org, again.pk) is None


def test_pairing_with_oneself_or_twice_is_refused(org, other_org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose another borough"):
        services.request_pairing(org, org)
    services.request_pairing(org, other_org)
    with pytest.raises(ValidationError, match="already have a pairing"):
        services.request_pairing(other_org, org)
