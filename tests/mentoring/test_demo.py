"""The demo's mentoring: Demo Borough awaiting matching, Riverside matched from the shared pool."""

from __future__ import annotations

import pytest

from equitable.mentoring import demo, services
from equitable.mentoring.models import Pair, Scheme
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def test_demo_loads_60_mentees_40_mentors_and_a_shared_riverside_pool():
    borough = make_organisation("demo-borough", "Demo Borough")
    riverside = make_organisation("riverside-borough", "Riverside Borough")
    demo.load_demo(borough)
    demo.load_demo(riverside)
    demo.load_demo(borough)  # idempotent
    scheme = Scheme.objects.get(organisation=borough)
    assert services.scheme_counts(scheme)["mentees"] == 60
    assert services.scheme_counts(scheme)["mentors"] == 40
    assert not scheme.pairs.exists()  # awaiting matching
    theirs = Scheme.objects.get(organisation=riverside)
    assert theirs.shared_pool and scheme.shared_pool
    assert theirs.pairs.filter(status=Pair.Status.CONFIRMED).count() == 1
    run = services.run_matching(scheme, user=None)
    assert run.optimum_pairs == 60 and run.optimum_total >= run.greedy_total
