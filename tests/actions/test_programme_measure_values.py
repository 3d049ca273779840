"""Programme measures stored by the app: recomputed when a cohort's list changes, exact for
the EDI and HR teams and from the cohorts' protected tables for everyone else."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions.models import Measure, MeasureValue
from equitable.programmes import services as programmes
from tests.programmes.factories import make_cohort, with_snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation_measure(corporate):
    _, _, measure = corporate
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "programme_talent_black_asian_multi_ethnic_participation"
    measure.unit = "%"
    measure.save()
    measure.values.all().delete()  # the factory's hand-entered value
    return measure


def test_a_cohorts_list_gives_the_years_value(org, participation_measure):
    with_snapshots(org)
    cohort = make_cohort(org, "Talent (tests)")
    cohort.programme.kind = "talent"
    cohort.programme.save()
    # People (E001-E024), 31 March 2023: Indian (n % 4 = 0 → E004 …) and African (n % 4 = 2)
    # are the Black, Asian and Multi-ethnic staff: 12 of the 24. Three of them take part.
    assert programmes.enter_ids(cohort, "E002\nE004\nE006\nE001", "participant", user=None) == []
    (value,) = MeasureValue.objects.filter(measure=participation_measure)
    assert value.on == date(2024, 3, 31)  # the financial year 2023-24 of the start
    assert value.value == 25.0  # 3 of 12
    assert value.published_value is None  # 3 taking part is under the threshold
    assert value.origin == MeasureValue.Origin.LIFECYCLE
    programmes.clear_list(cohort, user=None)
    assert not MeasureValue.objects.filter(measure=participation_measure).exists()
