"""Councils' published figures side by side, and the Standard's 3.1, 3.4 and 3.6 read from
what was published in the last year."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from django.urls import reverse
from django.utils import timezone

from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.publications import comparison, services
from equitable.publications.models import Kind, Publication
from equitable.standard.suggestions import PublishedEvidence, suggest_from_publications
from equitable.workforce.services import encode_tables
from tests.publications.factories import stored_publication


def with_tables(publication: Publication, **tables: pl.DataFrame) -> Publication:
    Publication.objects.filter(pk=publication.pk).update(
        tables=encode_tables(dict(tables)), published_at=timezone.now()
    )
    return Publication.objects.get(pk=publication.pk)


def representation(staff: float | None, residents: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ethnic_group": [AGGREGATE_LABEL, "White"],
            "percent_of_known": [staff, 50.0],
            "population_percent": [residents, 37.0],
        },
        schema_overrides={"percent_of_known": pl.Float64},
    )


def test_the_newest_published_annual_report_of_each_council_side_by_side(org, other_org):
    with_tables(stored_publication(org), representation_overall=representation(51.5, 63.0))
    with_tables(stored_publication(other_org), representation_overall=representation(None, 40.0))
    # A draft never counts, whatever it holds.
    with_tables(
        stored_publication(other_org, status=Publication.Status.DRAFT),
        representation_overall=representation(99.0, 99.0),
    )
    rows = comparison.comparison(viewer=None)
    assert [row.organisation.slug for row in rows] == ["other-borough", "our-borough"]
    ours = rows[1].figures
    assert ours["aggregate_staff"] == 51.5 and ours["aggregate_residents"] == 63.0
    assert rows[0].figures["aggregate_staff"] is None  # withheld there: shown as [c]
    assert rows[0].standard_level is None


def test_the_public_index_and_the_coordinator_see_the_comparison(client, client_as, org):
    with_tables(stored_publication(org), representation_overall=representation(51.5, 63.0))
    public = client.get(reverse("published:index")).content.decode()
    assert "51.5%" in public and "Standard level" not in public
    coordinator = client_as("coordinator").get(reverse("publications:compare")).content.decode()
    assert "51.5%" in coordinator and "Standard level (shared)" in coordinator
    assert "Not shared" in coordinator


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (PublishedEvidence(), {}),
        (
            PublishedEvidence(annual_report_on="1 October 2026", annual_report_links_actions=True),
            {"3.1": "established"},
        ),
        (
            PublishedEvidence(
                annual_report_on="1 October 2026",
                annual_report_links_actions=True,
                councils_compared=2,
            ),
            {"3.1": "leading"},
        ),
        (PublishedEvidence(annual_report_on="1 October 2026"), {"3.1": "developing"}),
        (
            PublishedEvidence(
                pay_gap_report_on="1 October 2026", pay_gap_report_links_actions=True
            ),
            {"3.4": "leading"},
        ),
        (PublishedEvidence(pay_gap_report_on="1 October 2026"), {"3.4": "established"}),
        (
            PublishedEvidence(
                annual_report_on="1 October 2026",
                annual_report_links_actions=True,
                annual_report_has_lifecycle=True,
            ),
            {"3.1": "established", "3.6": "leading"},
        ),
    ],
)
def test_suggestions_from_what_was_published(evidence, expected):
    suggested = suggest_from_publications(evidence)
    assert {cid: s.level for cid, s in suggested.items()} == expected
    assert all(s.source == "publications" for s in suggested.values())


def test_only_publications_of_the_last_year_count(org, other_org):
    old = stored_publication(org, kind=Kind.PAY_GAP)
    Publication.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=400))
    assert services.published_evidence(org).pay_gap_report_on is None
    assert not services.published_in_last_year(org)
    recent = with_tables(stored_publication(org))
    stored_publication(other_org)
    evidence = services.published_evidence(org)
    assert evidence.annual_report_on is not None and evidence.councils_compared == 1
    assert services.published_in_last_year(org)
    from equitable.standard.services import suggest_levels

    assert suggest_levels(org, figures={}, criteria={"3.1"})["3.1"].level == "developing"
    assert recent.pk
