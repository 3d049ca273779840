"""WRES 5-8 from the staff survey: on the survey page and in the WRES report, the published
shares of White and Black, Asian and Multi-ethnic respondents for the marked questions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.surveys import figures
from equitable.surveys.models import Survey

pytestmark = pytest.mark.django_db


def test_the_newest_wave_with_marked_questions_gives_the_indicators(surveyed):
    wave, rows = figures.latest_wres(surveyed)
    # The pulse surveys do not ask the WRES questions: the 2022 Race Survey is the newest.
    assert wave is not None and wave.title == "Race Survey 2022"
    assert {r["indicator"] for r in rows} == {"wres5", "wres6", "wres7", "wres8"}
    assert {r["ethnic_group"] for r in rows} == {"White", "Black, Asian and Multi-ethnic"}
    for row in rows:
        if row["suppressed"]:
            assert row["percent"] is None
        else:
            assert 0 <= row["ci_low"] <= row["percent"] <= row["ci_high"] <= 100


def test_an_organisation_without_marked_questions_has_none(org):
    assert figures.latest_wres(org) == (None, [])


def test_the_survey_page_and_the_wres_report_show_them(client_as, surveyed):
    wave = Survey.objects.get(organisation=surveyed, title="Race Survey 2022")
    client = client_as("edi_officer")
    page = client.get(reverse("surveys:survey", args=[wave.pk])).content.decode()
    assert 'id="wres-survey"' in page and "WRES 7: believe the organisation provides" in page
    report = client.get(reverse("lifecycle:wres")).content.decode()
    assert 'id="wres-survey"' in report and "Race Survey 2022" in report
    assert 'id="wres-survey-missing"' not in report


def test_the_wres_report_says_where_indicators_5_to_8_would_come_from(client_as, org):
    report = client_as("edi_officer").get(reverse("lifecycle:wres")).content.decode()
    assert 'id="wres-survey-missing"' in report


def test_one_table_read_alone_is_the_table_of_the_whole_publication(surveyed):
    from polars.testing import assert_frame_equal

    wave = Survey.objects.get(organisation=surveyed, title="Race Survey 2022")
    wave.stored_figures.all().delete()  # not stored yet: computed and stored on the way
    alone = figures.published_table(wave, "results_by_ethnic_group")
    assert alone is not None
    assert_frame_equal(alone, figures.published_tables(wave)["results_by_ethnic_group"])
    assert figures.published_table(wave, "no_such_table") is None
