"""The demo programmes: seed 000's programmes with cohorts each April from 2023, drawn from
the demo workforce snapshots, so the early cohorts have outcomes."""

from __future__ import annotations

import pytest

from equitable.programmes import demo, services
from equitable.programmes.models import Cohort, Programme
from equitable.workforce import demo as workforce_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_programmes_have_cohorts_lists_and_outcomes(org):
    workforce_demo.load_demo(org, employees=600)
    demo.load_demo(org)
    demo.load_demo(org)  # once only
    assert Programme.objects.filter(organisation=org).count() == len(demo.DEMO_PROGRAMMES)
    cohort = Cohort.objects.get(programme__name="Leadership Forum mentoring", name="2023-24")
    figures = services.exact_figures(cohort)
    assert figures.missing_from_start == 0
    assert figures.tables["outcomes"]["horizon_months"].unique().sort().to_list() == [12, 18, 24]
    aggregate = figures.tables["participation_by_ethnicity"].filter(
        ethnic_group="Black, Asian and Multi-ethnic"
    )
    assert aggregate["relative_likelihood"].item() > 1  # the draw favours them
    latest = Cohort.objects.get(programme__name="Leadership Forum mentoring", name="2025-26")
    assert services.exact_figures(latest).tables["outcomes"].is_empty()
