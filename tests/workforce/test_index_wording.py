"""The workforce index says where the resident figures come from, in sentences, for that
council; only people who can change them are offered the link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from equitable.core.models import Organisation
from equitable.metrics.population import demo_population
from equitable.workforce import services
from equitable.workforce.demo import demo_population_source

pytestmark = pytest.mark.django_db


def _paragraph(client) -> str:
    html = client.get(reverse("workforce:index")).content.decode()
    match = re.search(r'<p class="govuk-body" id="population-source">(.*?)</p>', html, re.S)
    assert match, "no population sentence"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_source_and_the_link_read_as_sentences(client_as, org, snapshot):
    services.save_population(org, demo_population(), source="Census 2021 TS021 Harrow", user=None)
    assert _paragraph(client_as("hr_analyst")) == (
        "Resident population for comparison: Census 2021 TS021 Harrow. "
        "Change the resident population."
    )
    assert _paragraph(client_as("board_member")) == (
        "Resident population for comparison: Census 2021 TS021 Harrow."
    )


def test_without_a_population_it_says_so(client_as, org, snapshot):
    assert _paragraph(client_as("org_admin")) == (
        "No resident population is set, so representation is not compared with residents. "
        "Set the resident population."
    )


def test_each_demo_council_names_its_own_source():
    demo = Organisation(slug="demo-borough", name="Demo Borough")
    riverside = Organisation(slug="riverside-borough", name="Riverside Borough")
    assert demo_population_source(demo).startswith("Demo Borough's action plan")
    assert "seed 000" not in demo_population_source(demo)
    assert demo_population_source(riverside) == (
        "made-up demo figures for Riverside Borough (copied from Demo Borough)"
    )
