"""The resident population page: the 19 ONS 2021 categories from a file or typed in, the five
groups as their sums, and the workforce compared with residents category by category."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.workforce.models import PopulationBenchmark
from equitable.workforce.services import current_population
from tests.metrics.test_population import one_row_per_category, small_counts

pytestmark = pytest.mark.django_db
URL = "workforce:population"


def upload(client, content: bytes, name="ts021.csv", authority=""):
    return client.post(
        reverse(URL),
        {
            "source": "nomis",
            "nomis-census_file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "nomis-local_authority": authority,
        },
    )


def test_a_bad_population_file_is_refused_with_its_reasons_and_nothing_saved(client_as):
    client = client_as("hr_analyst")
    bad = one_row_per_category().decode().replace('Indian",300', 'Indian",lots').encode()
    response = upload(client, bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "is not a whole number of residents" in page
    response = upload(client, b"name,age\nA,3\n")
    assert "neither the Nomis bulk CSV" in response.content.decode()
    response = upload(client, b"x", name="ts021.xlsx")
    assert "must be a CSV file" in response.content.decode()
    assert not PopulationBenchmark.objects.exists()


def test_ts021_with_one_row_per_category_is_saved_with_its_19_categories(client_as, org):
    client = client_as("hr_analyst")
    two = one_row_per_category((("E09000015", "Harrow", 0), ("E09000003", "Barnet", 5)))
    assert "lists 2 areas" in upload(client, two).content.decode()
    response = upload(client, two, authority="Harrow")
    assert response.status_code == 302
    benchmark = current_population(org)
    assert benchmark.source == "Census 2021 TS021 Harrow"
    assert len([row for row in benchmark.rows if row["ethnicity"]]) == 19
    page = client.get(reverse(URL)).content.decode()
    assert "Asian, Asian British or Asian Welsh" in page and "Indian" in page
    assert "340" in page and "38.6%" in page  # the group, summed from its categories


def test_the_19_counts_can_be_typed_in_and_every_one_is_required(client_as, org):
    from equitable.metrics.labels import DETAILED_ETHNICITIES

    client = client_as("edi_officer")
    response = client.post(reverse(URL), {"source": "counts"})
    assert response.status_code == 200
    assert "Enter the number of Roma residents (0 if none)" in response.content.decode()
    counts = small_counts()
    data = {"source": "counts"} | {
        f"counts-category_{i}": str(counts[name])
        for i, (name, _) in enumerate(DETAILED_ETHNICITIES)
    }
    assert client.post(reverse(URL), data).status_code == 302
    benchmark = current_population(org)
    assert benchmark.source == "the 19 categories entered by hand"
    asian = next(r for r in benchmark.rows if r["ethnic_group"] == "Asian" and not r["ethnicity"])
    assert asian["count"] == 340


def test_the_workforce_is_compared_with_residents_in_the_19_categories(client_as, org, snapshot):
    from equitable.metrics.population import population_from_counts
    from equitable.workforce import services

    services.save_population(org, population_from_counts(small_counts()), source="t", user=None)
    url = reverse("workforce:figure", args=["representation_detailed_overall"])
    for role in ("edi_officer", "board_member"):
        page = client_as(role).get(url).content.decode()
        assert "34.1%" in page, role  # Indian residents: 300 of 880
        assert "Residents (Census 2021)" in page, role  # the chart's second bar
