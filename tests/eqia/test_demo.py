"""The demo council's register: a signed-off restructure with workforce evidence and actions,
a policy at screening and one awaiting sign-off."""

from __future__ import annotations

import pytest

from equitable.core.demo import load_demo
from equitable.core.models import Organisation, User
from equitable.eqia import evidence
from equitable.eqia.models import Assessment


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_register():
    load_demo(employees=300)
    demo = Organisation.objects.get(slug="demo-borough")
    register = {a.title: a for a in Assessment.objects.filter(organisation=demo)}
    restructure = register["People directorate Business Support restructure"]
    assert restructure.status == Assessment.Status.SIGNED_OFF
    assert restructure.signed_off_by != restructure.submitted_by
    assert restructure.directorate.name == "People"
    assert restructure.characteristics.filter(action__isnull=False).count() == 4
    assert register["Hybrid working policy"].status == Assessment.Status.SCREENING
    assert register["Recruitment and selection policy"].status == (
        Assessment.Status.AWAITING_SIGN_OFF
    )
    found = evidence.evidence_for(restructure, User.objects.get(username="board.member"))
    assert found.problems == [] and found.before is not None and found.after is not None
    assert not Assessment.objects.filter(organisation__slug="riverside-borough").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_service_change_is_evidenced_by_its_services():
    """The services demo loads before the register, so the service change links them."""
    load_demo(employees=300)
    change = Assessment.objects.get(
        organisation__slug="demo-borough", proposal_type="service change"
    )
    assert change.status == Assessment.Status.FULL and change.full_assessment_needed
    assert [s.name for s in change.affected_services.all()] == ["Adult social care", "Complaints"]
    found = evidence.service_evidence(change, User.objects.get(username="board.member"))
    assert [item.has_data for item in found] == [True, True]
    assert all(item.profiles and item.completeness and not item.exact for item in found)
