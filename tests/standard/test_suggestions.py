"""Levels suggested from workforce figures (3.3, 2d.1, 2a.8), and overruling them with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.standard import services
from equitable.standard.models import Response
from equitable.standard.suggestions import (
    suggest_disclosure,
    suggest_from_figures,
    suggest_pay_gap,
    suggest_representation,
)
from tests.standard.helpers import category_post


@pytest.mark.parametrize(
    ("unknown", "level"),
    [
        (0.0, "leading"),
        (4.9, "leading"),
        (5.0, "established"),
        (9.9, "established"),
        (10.0, "none"),
        (23.5, "none"),
    ],
)
def test_3_3_follows_the_10_and_5_percent_thresholds(unknown, level):
    assert suggest_disclosure(unknown).level == level


def test_3_3_shows_the_figure_beside_the_suggestion():
    suggestion = suggest_disclosure(7.25, " (workforce snapshot 2025-03-31)")
    assert suggestion.figure_text == (
        "Ethnicity unknown or not disclosed: 7.2% of staff (workforce snapshot 2025-03-31)"
    )


@pytest.mark.parametrize(
    ("gap", "level"),
    [(-3.0, "leading"), (0.9, "leading"), (1.0, "developing"), (12.4, "developing")],
)
def test_2d_1_reads_the_median_ethnicity_pay_gap(gap, level):
    assert suggest_pay_gap(gap).level == level


def test_2d_1_explains_that_established_depends_on_measures_taken():
    assert "If measures have been introduced" in suggest_pay_gap(8.0).reason


BANDS = [
    {"level": "Grades 1-3", "workforce_percent": 58.0, "community_percent": 55.0},
    {"level": "Grades 4-6", "workforce_percent": 51.0, "community_percent": 55.0},
    {"level": "Senior managers", "workforce_percent": 21.0, "community_percent": 55.0},
]


def test_2a_8_some_levels_reflect_the_community():
    suggestion = suggest_representation(BANDS)
    assert suggestion.level == "established"
    assert "Grades 1-3, Grades 4-6" in suggestion.reason
    assert suggestion.figure_text.startswith(
        "Black, Asian and Multi-ethnic staff reflect the community (55%) at 2 of 3 levels"
    )


def test_2a_8_all_levels_and_no_level():
    all_levels = [dict(b, workforce_percent=55.0) for b in BANDS]
    assert suggest_representation(all_levels).level == "leading"
    none = [dict(b, workforce_percent=10.0) for b in BANDS]
    assert suggest_representation(none).level == "developing"
    assert (
        suggest_representation(
            [{"level": "All", "workforce_percent": None, "community_percent": 50}]
        )
        is None
    )


def test_only_the_figures_present_give_suggestions():
    assert suggest_from_figures({}) == {}
    suggestions = suggest_from_figures(
        {"unknown_ethnicity_percent": 3, "ethnicity_pay_gap_percent": 6.5}
    )
    assert {k: s.level for k, s in suggestions.items()} == {"3.3": "leading", "2d.1": "developing"}


FIGURES = {"unknown_ethnicity_percent": 8.0, "as_of": "2025-03-31"}


@pytest.fixture
def with_figures(monkeypatch):
    monkeypatch.setattr(services, "workforce_figures", lambda organisation: dict(FIGURES))


@pytest.mark.django_db
def test_without_workforce_data_there_are_no_suggestions(org):
    assert services.suggest_levels(org) == {}


@pytest.mark.django_db
def test_the_category_page_shows_the_figure_and_the_suggested_level(client_as, org, with_figures):
    assessment = services.start_assessment(org, "2025")
    page = client_as("edi_officer").get(reverse("standard:category", args=[assessment.pk, "3"]))
    text = page.content.decode()
    assert (
        "Ethnicity unknown or not disclosed: 8.0% of staff (workforce snapshot 2025-03-31)" in text
    )
    assert "Suggested level: Established" in text


@pytest.mark.django_db
def test_overruling_a_suggestion_needs_a_reason(client_as, org, with_figures):
    assessment = services.start_assessment(org, "2025")
    client = client_as("edi_officer")
    url = reverse("standard:category", args=[assessment.pk, "3"])
    refused = client.post(url, category_post("3", {"3.3": "leading"}))
    assert refused.status_code == 400
    assert (
        "3.3: the figures suggest established; give a reason for choosing leading"
        in refused.content.decode()
    )
    accepted = client.post(
        url,
        category_post(
            "3", {"3.3": "leading"}, **{"reason-3.3": "Figures exclude agency staff, 4% unknown"}
        ),
    )
    assert accepted.status_code == 302
    saved = Response.objects.get(assessment=assessment, criterion_id="3.3")
    assert (saved.level, saved.suggested_level) == ("leading", "established")
    assert saved.overruled_reason == "Figures exclude agency staff, 4% unknown"
    assert saved.suggestion_figure.startswith("Ethnicity unknown or not disclosed: 8.0%")


@pytest.mark.django_db
def test_following_the_suggestion_needs_no_reason(client_as, org, with_figures):
    assessment = services.start_assessment(org, "2025")
    url = reverse("standard:category", args=[assessment.pk, "3"])
    response = client_as("edi_officer").post(url, category_post("3", {"3.3": "established"}))
    assert response.status_code == 302
    assert Response.objects.get(assessment=assessment, criterion_id="3.3").overruled_reason == ""


def test_figures_are_read_from_the_workforce_tables():
    from equitable.standard.suggestions import figures_from_tables

    tables = {
        "disclosure": [
            {"characteristic": "sex", "percent_known": 97.0},
            {"characteristic": "ethnicity", "percent_known": 89.25},
        ],
        "pay_gap_ethnicity": [
            {"grouping": "wres", "ethnic_group": "Asian", "median_gap_percent": 9.0},
            {
                "grouping": "wres",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "median_gap_percent": 4.3,
            },
            {
                "grouping": "ons",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "median_gap_percent": 7.0,
            },
        ],
        "representation_by_pay_band": [
            {
                "pay_band": "1",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "percent_of_known": 55.2,
            },
            {"pay_band": "1", "ethnic_group": "White", "percent_of_known": 44.8},
            {
                "pay_band": "6",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "percent_of_known": 33.3,
            },
        ],
    }
    population = [
        {"ethnic_group": "White", "percent": 46.0},
        {"ethnic_group": "Asian", "percent": 30.0},
        {"ethnic_group": "Black", "percent": 24.0},
    ]
    figures = figures_from_tables(tables, population, as_of="2024-03-31")
    assert figures["unknown_ethnicity_percent"] == 10.75
    assert figures["ethnicity_pay_gap_percent"] == 4.3
    assert figures["representation_by_level"] == [
        {"level": "Pay band 1", "workforce_percent": 55.2, "community_percent": 54.0},
        {"level": "Pay band 6", "workforce_percent": 33.3, "community_percent": 54.0},
    ]
    levels = {k: s.level for k, s in suggest_from_figures(figures).items()}
    assert levels == {"3.3": "none", "2d.1": "developing", "2a.8": "established"}


def test_withheld_figures_give_no_suggestion():
    from equitable.standard.suggestions import figures_from_tables

    tables = {"disclosure": [{"characteristic": "ethnicity", "percent_known": None}]}
    assert figures_from_tables(tables, None) == {}


def test_figures_about_fewer_people_than_the_threshold_are_left_out():
    from equitable.standard.suggestions import figures_from_tables

    tables = {
        "disclosure": [{"characteristic": "ethnicity", "percent_known": 96.0, "total": 8}],
        "pay_gap_ethnicity": [
            {
                "grouping": "wres",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "median_gap_percent": 4.0,
                "count": 30,
                "reference_count": 4,
            }
        ],
        "representation_by_grade": [
            {
                "grade": "A",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "percent_of_known": 60.0,
                "total": 40,
            },
            {
                "grade": "Z",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "percent_of_known": 0.0,
                "total": 3,
            },
        ],
    }
    population = [
        {"ethnic_group": "White", "percent": 40.0},
        {"ethnic_group": "Asian", "percent": 60.0},
    ]
    figures = figures_from_tables(tables, population, min_count=10)
    assert "unknown_ethnicity_percent" not in figures
    assert "ethnicity_pay_gap_percent" not in figures
    assert figures["representation_by_level"] == [
        {"level": "Grade A", "workforce_percent": 60.0, "community_percent": 60.0}
    ]
