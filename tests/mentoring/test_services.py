"""Mentoring services: the sealed personal store, matching, confirmation, pairs, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from equitable.core.models import AuditEvent
from equitable.mentoring import services
from equitable.mentoring.models import Pair, PersonalDetails
from tests.mentoring.factories import join, make_scheme, small_pool

pytestmark = pytest.mark.django_db


def test_names_and_emails_are_sealed_and_never_on_the_participant(org):
    scheme = make_scheme(org)
    person = join(scheme, "mentee", 2, name="Testmentee Zed", seeks=["leadership"])
    stored = bytes(PersonalDetails.objects.get(participant=person).ciphertext)
    assert b"Testmentee" not in stored and b"example.test" not in stored
    assert "Testmentee" not in str(person.__dict__)
    assert AuditEvent.objects.filter(object_type="mentoring_participant").count() == 1


def test_coordinators_see_names_and_each_view_is_audited(org, users):
    scheme = make_scheme(org)
    person = join(scheme, "mentee", 2, name="Testmentee Zed", seeks=["leadership"])
    shown = services.personal_details(users["edi_officer"], [person], purpose="test")
    assert shown[person.pk]["name"] == "Testmentee Zed"
    assert AuditEvent.objects.filter(object_type="mentoring_personal", action="view").count() == 1
    assert services.personal_details(users["hr_analyst"], [person], purpose="test") == {}
    assert services.personal_details(users["other:edi_officer"], [person], purpose="t") == {}


def test_matching_proposes_the_optimum_and_keeps_the_greedy_total_beside_it(org):
    scheme, people = small_pool(org)
    run = services.run_matching(scheme, user=None)
    # As the CLI's hand-worked example: m1-B 8.5 + m2-A 10.5 = 19; greedy m1-A 13.33 alone.
    assert run.optimum_total == pytest.approx(19.0)
    assert run.greedy_total == pytest.approx(10 + 3 + 1 / 3)
    assert run.greedy_pairs == 1
    chosen = {(p.mentee.ref, p.mentor.ref) for p in scheme.pairs.all()}
    assert chosen == {(people["m1"].ref, people["B"].ref), (people["m2"].ref, people["A"].ref)}
    pair = scheme.pairs.get(mentee=people["m2"])
    assert sum(part["contribution"] for part in pair.explanation) == pytest.approx(pair.score)


def test_the_line_chain_given_by_email_forbids_the_pair(org):
    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    first = scheme.pairs.get(mentee=people["m1"])
    options = services.alternatives(scheme.pairs.get(mentee=people["m2"]))
    assert people["B"].pk not in [o["mentor"].pk for o in options]
    assert first.mentor == people["B"]


def test_a_swap_is_refused_when_the_mentor_has_no_place_and_allowed_when_freed(org):
    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    pair = scheme.pairs.get(mentee=people["m1"])
    with pytest.raises(services.PairRefused, match="no place"):
        services.change_mentor(pair, people["A"], user=None)
    scheme.pairs.filter(mentee=people["m2"]).delete()
    services.change_mentor(pair, people["A"], user=None)
    pair.refresh_from_db()
    assert pair.mentor == people["A"] and pair.score == pytest.approx(10 + 3 + 1 / 3)


def test_confirming_tells_both_by_email_and_ending_sets_the_retention_date(org):
    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    pair = scheme.pairs.get(mentee=people["m2"])
    services.confirm(pair, user=None)
    assert pair.status == Pair.Status.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "testmentee.two@example.test",
        "testmentor.alpha@example.test",
    ]
    assert "Testmentor Alpha" in next(m.body for m in mail.outbox if "two" in m.to[0])
    with pytest.raises(services.PairRefused):
        services.add_check_in(
            scheme.pairs.get(mentee=people["m1"]), rating=3, meetings=1, note="", user=None
        )
    services.add_check_in(pair, rating=3, meetings=2, note="Met twice", user=None)
    services.end_pair(pair, Pair.EndReason.NO_TIME, early=True, user=None)
    keep = PersonalDetails.objects.get(participant=people["m2"]).purge_after
    assert keep == (timezone.now() + timedelta(days=scheme.retention_days)).date()
    assert services.purge_expired(keep) == 0
    assert services.purge_expired(keep + timedelta(days=1)) == 2
    assert not PersonalDetails.objects.filter(participant__in=[people["m2"], people["A"]]).exists()


def test_a_confirmed_pair_holds_the_mentors_place_at_the_next_run(org):
    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    services.confirm(scheme.pairs.get(mentee=people["m2"]), user=None)
    run = services.run_matching(scheme, user=None)
    # A is taken by m2 now; m1 has only B left.
    assert run.optimum_pairs == 1
    assert scheme.pairs.get(status=Pair.Status.PROPOSED).mentor == people["B"]


def test_leaving_deletes_the_details_and_withdraws_proposed_pairs(org):
    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    services.leave(people["m1"], user=None)
    assert not PersonalDetails.objects.filter(participant=people["m1"]).exists()
    assert not scheme.pairs.filter(mentee=people["m1"]).exists()
    run = services.run_matching(scheme, user=None)
    assert run.optimum_pairs == 1


def test_reverse_mentoring_pairs_junior_mentors_with_senior_mentees(org):
    scheme = make_scheme(org, kind="reverse")
    join(scheme, "mentor", 2, name="Testjunior", offers=["digital skills"])
    join(scheme, "mentee", 6, name="Testdirector", seeks=["digital skills"])
    assert services.run_matching(scheme, user=None).optimum_pairs == 1


def test_purge_by_default_deletes_what_expired_before_today_only(org):
    scheme, people = small_pool(org)
    today = timezone.localdate()
    PersonalDetails.objects.filter(participant=people["m1"]).update(
        purge_after=today - timedelta(days=1)
    )
    PersonalDetails.objects.filter(participant=people["m2"]).update(purge_after=today)
    assert services.purge_expired() == 1
    assert not PersonalDetails.objects.filter(participant=people["m1"]).exists()
    assert PersonalDetails.objects.filter(participant=people["m2"]).exists()
    assert AuditEvent.objects.filter(object_type="mentoring_personal", action="delete").count() == 1
