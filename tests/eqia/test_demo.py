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
