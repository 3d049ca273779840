"""An assessment's status moves only by its methods, and only where the register allows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from equitable.eqia.models import Assessment, Conclusion, IllegalTransition, SignOffRefused
from tests.eqia.factories import make_assessment

S = Assessment.Status


def _concluded(assessment):
    assessment.conclusion = Conclusion.ADJUST
    assessment.aim_discrimination = "Criteria checked"
    assessment.aim_opportunity = "Ring-fenced roles"
    assessment.aim_relations = "Networks consulted"


def test_a_screening_that_needs_a_full_assessment_leads_to_it(org):
    assessment = make_assessment(org)
    assessment.record_screening(True, "A restructure", date(2025, 1, 6))
    assessment.start_full_assessment()
    assert assessment.status == S.FULL
    assert assessment.screened_on == date(2025, 1, 6)


def test_the_full_assessment_cannot_start_before_the_screening_asks_for_it(org):
    assessment = make_assessment(org)
    with pytest.raises(IllegalTransition, match="screening must find"):
        assessment.start_full_assessment()
    assert assessment.status == S.SCREENING


def test_a_screening_needs_its_reason(org):
    with pytest.raises(IllegalTransition, match="reason"):
        make_assessment(org).record_screening(False, "  ", date(2025, 1, 6))


def test_the_whole_way_to_signed_off_review_and_closed(org, users):
    assessment = make_assessment(org)
    assessment.record_screening(True, "A restructure", date(2025, 1, 6))
    assessment.start_full_assessment()
    assessment.start_consultation()
    assert assessment.status == S.CONSULTATION
    assessment.end_consultation()
    _concluded(assessment)
    assessment.submit_for_sign_off(users["edi_officer"])
    assert (assessment.status, assessment.submitted_by) == (
        S.AWAITING_SIGN_OFF,
        users["edi_officer"],
    )
    assessment.sign_off(users["org_admin"])
    assert assessment.status == S.SIGNED_OFF
    assert assessment.signed_off_by == users["org_admin"]
    assessment.start_review()
    assert (assessment.status, assessment.signed_off_by) == (S.UNDER_REVIEW, None)
    assessment.close()
    assert assessment.status == S.CLOSED


def test_submitting_lists_every_missing_answer(org, users):
    assessment = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    with pytest.raises(IllegalTransition) as raised:
        assessment.submit_for_sign_off(users["edi_officer"])
    message = str(raised.value)
    for part in (
        "overall conclusion",
        "eliminating discrimination",
        "equality of opportunity",
        "good relations",
    ):
        assert part in message
    assert assessment.status == S.FULL


def test_continuing_despite_impact_needs_a_justification(org, users):
    assessment = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    _concluded(assessment)
    assessment.conclusion = Conclusion.CONTINUE
    with pytest.raises(IllegalTransition, match="justification"):
        assessment.submit_for_sign_off(users["edi_officer"])
    with pytest.raises(ValidationError) as raised:
        assessment.clean()
    assert "justification" in raised.value.message_dict


def test_the_person_who_submitted_cannot_sign_off(org, users):
    assessment = make_assessment(org, full_assessment_needed=False, screening_reason="None")
    assessment.submit_for_sign_off(users["edi_officer"])
    with pytest.raises(SignOffRefused, match="someone else must sign it off"):
        assessment.sign_off(users["edi_officer"])
    assert assessment.status == S.AWAITING_SIGN_OFF


def test_returned_for_changes_goes_back_to_where_the_work_is(org, users):
    assessment = make_assessment(org, full_assessment_needed=False, screening_reason="None")
    assessment.submit_for_sign_off(users["edi_officer"])
    assessment.return_for_changes()
    assert (assessment.status, assessment.submitted_by) == (S.SCREENING, None)


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.CLOSED, "start_review"),
        (S.CLOSED, "start_consultation"),
        (S.SCREENING, "start_review"),
        (S.SIGNED_OFF, "start_consultation"),
        (S.AWAITING_SIGN_OFF, "close"),
        (S.FULL, "end_consultation"),
        (S.FULL, "return_for_changes"),
    ],
)
def test_illegal_moves_raise_and_change_nothing(org, status, move):
    assessment = make_assessment(org, status=status)
    with pytest.raises(IllegalTransition):
        getattr(assessment, move)()
    assert assessment.status == status


def test_sign_off_is_only_from_awaiting_sign_off(org, users):
    assessment = make_assessment(org, status=S.FULL)
    with pytest.raises(IllegalTransition, match="awaiting sign-off"):
        assessment.sign_off(users["org_admin"])


def test_a_review_is_overdue_only_once_signed_off_and_past_its_date(org):
    signed = make_assessment(org, status=S.SIGNED_OFF, review_date=date(2025, 3, 31))
    assert signed.is_review_overdue(date(2025, 4, 1))
    assert not signed.is_review_overdue(date(2025, 3, 31))
    closed = make_assessment(org, status=S.CLOSED, review_date=date(2025, 3, 31))
    assert not closed.is_review_overdue(date(2025, 4, 1))


def test_the_review_date_is_not_before_the_decision(org):
    assessment = make_assessment(org, review_date=date(2025, 1, 1))
    with pytest.raises(ValidationError) as raised:
        assessment.clean()
    assert "review_date" in raised.value.message_dict
