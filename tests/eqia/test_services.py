"""The services: moves audited, sign-off by a second person, mitigations made actions once,
the organisation's own characteristics."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from equitable.actions.models import Action
from equitable.core.models import AuditEvent
from equitable.eqia import mitigations, services
from equitable.eqia.models import (
    DEFAULT_ADDITIONAL,
    PROTECTED_CHARACTERISTICS,
    Assessment,
    CharacteristicImpact,
    SignOffRefused,
)
from tests.actions.factories import make_plan
from tests.eqia.factories import add_mitigation, awaiting_sign_off, make_assessment

S = Assessment.Status


def _events(assessment):
    return list(
        AuditEvent.objects.filter(object_type="eqia", object_id=str(assessment.pk)).order_by("id")
    )


def test_sign_off_by_the_person_who_submitted_is_refused_and_not_audited(org, users):
    assessment = make_assessment(org, full_assessment_needed=False, screening_reason="None")
    services.move(assessment, "submit", users["edi_officer"])
    with pytest.raises(SignOffRefused, match="someone else"):
        services.move(assessment, "sign-off", users["edi_officer"])
    assessment.refresh_from_db()
    assert assessment.status == S.AWAITING_SIGN_OFF
    assert [e.detail for e in _events(assessment)] == [
        "submitted for sign-off (Screening → Awaiting sign-off)"
    ]


def test_sign_off_by_a_second_person_is_stored_and_audited(org, users):
    assessment = awaiting_sign_off(org, submitted_by=users["edi_officer"])
    services.move(assessment, "sign-off", users["org_admin"])
    assessment.refresh_from_db()
    assert assessment.status == S.SIGNED_OFF
    assert assessment.signed_off_by == users["org_admin"]
    assert assessment.signed_off_at is not None
    event = _events(assessment)[-1]
    assert (event.user, event.action) == (users["org_admin"], AuditEvent.Action.CHANGE)
    assert "signed off" in event.detail


def test_a_champion_cannot_sign_off(org, users):
    assessment = awaiting_sign_off(org)
    with pytest.raises(PermissionDenied):
        services.move(assessment, "sign-off", users["champion"])


def test_a_champion_edits_only_their_directorate(org, users):
    ours = make_assessment(org, directorate="People")
    theirs = make_assessment(org, directorate="Place")
    corporate = make_assessment(org, directorate=None)
    services.require_edit(users["champion"], ours)
    for assessment in (theirs, corporate):
        with pytest.raises(PermissionDenied):
            services.require_edit(users["champion"], assessment)
    with pytest.raises(PermissionDenied):
        services.require_edit(users["board_member"], ours)


def test_screening_stores_a_row_per_characteristic_and_starts_the_full_assessment(org, users):
    assessment = make_assessment(org)
    names = services.characteristic_names(org)
    answers = [{"evidence": f"evidence on {n}", "impact": "neutral"} for n in names]
    services.record_screening(
        assessment, users["edi_officer"], needed=True, reason="Restructure", answers=answers
    )
    assessment.refresh_from_db()
    assert assessment.status == S.FULL
    rows = assessment.characteristics.filter(stage=CharacteristicImpact.Stage.SCREENING)
    assert [r.characteristic for r in rows] == [*PROTECTED_CHARACTERISTICS, *DEFAULT_ADDITIONAL]
    assert rows.get(characteristic="Race").evidence == "evidence on Race"
    details = [e.detail for e in _events(assessment)]
    assert "screening: full assessment needed" in details
    # The audit names what changed, never what was written.
    assert not any("evidence on" in d for d in details)


def test_the_organisation_edits_its_additional_characteristics(org, users):
    assert services.characteristic_names(org)[-3:] == list(DEFAULT_ADDITIONAL)
    services.save_additional_characteristics(
        org, ["Carers", "Care leavers", " ", "Carers"], users["edi_officer"]
    )
    assert services.characteristic_names(org)[9:] == ["Carers", "Care leavers"]
    assert AuditEvent.objects.filter(object_type="eqia_characteristics").count() == 1


def test_a_retired_characteristic_answered_before_is_still_shown(org, users):
    assessment = make_assessment(org)
    CharacteristicImpact.objects.create(
        assessment=assessment,
        stage="screening",
        characteristic="Armed forces community",
        evidence="Veterans in the service",
        position=11,
    )
    services.save_additional_characteristics(org, ["Care leavers"], users["edi_officer"])
    names = [r.characteristic for r in services.rows_for(assessment, "screening")]
    assert names[-2:] == ["Care leavers", "Armed forces community"]


def test_mitigations_become_actions_once(org, users):
    people = org.directorates.get(name="People")
    plan, _, _ = make_plan(org, "People plan", people)
    assessment = make_assessment(org, status=S.SIGNED_OFF, full_assessment_needed=True)
    race = add_mitigation(assessment, "Race", "Ring-fence the new roles")
    add_mitigation(assessment, "Sex", "Offer job shares")
    created = mitigations.create_actions(
        assessment, plan, mitigations.pending(assessment), users["edi_officer"]
    )
    assert [a.text for a in created] == [
        "Race: Ring-fence the new roles",
        "Sex: Offer job shares",
    ]
    action = created[0]
    assert action.plan == plan
    assert action.objective.theme.title == "Equality impact assessments"
    assert action.owner == "Director of People"
    race.refresh_from_db()
    assert race.action == action
    assert mitigations.pending(assessment) == []
    # A second run makes nothing twice.
    again = mitigations.create_actions(assessment, plan, [race], users["edi_officer"])
    assert again == []
    assert Action.objects.filter(objective__theme__plan=plan).count() == 3  # 1 + 2 new
    assert AuditEvent.objects.filter(object_type="action", action="create").count() == 2


def test_a_champion_cannot_put_actions_in_another_directorates_plan(org, users):
    place_plan, _, _ = make_plan(org, "Place plan", org.directorates.get(name="Place"))
    assessment = make_assessment(org, status=S.SIGNED_OFF)
    rows = [add_mitigation(assessment)]
    with pytest.raises(PermissionDenied):
        mitigations.create_actions(assessment, place_plan, rows, users["champion"])
    assert assessment.characteristics.get().action is None


def test_another_organisations_plan_is_refused(org, other_org, users):
    plan, _, _ = make_plan(other_org, "Their plan")
    assessment = make_assessment(org, status=S.SIGNED_OFF)
    with pytest.raises(PermissionDenied):
        mitigations.create_actions(
            assessment, plan, [add_mitigation(assessment)], users["edi_officer"]
        )


def test_refs_are_numbered_within_the_organisation(org, other_org):
    assert services.next_ref(org) == "EQIA-001"
    make_assessment(org)
    assert services.next_ref(org) == "EQIA-002"
    assert services.next_ref(other_org) == "EQIA-001"


def test_only_the_latest_stage_mitigations_are_offered(org):
    assessment = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    CharacteristicImpact.objects.create(
        assessment=assessment, stage="screening", characteristic="Race", mitigation="Draft idea"
    )
    full = add_mitigation(assessment, "Race", "Ring-fence the new roles")
    assert mitigations.pending(assessment) == [full]
