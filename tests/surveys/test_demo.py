"""The demo's surveys go through the real reader, mapping, storage and protection."""

from __future__ import annotations

import polars as pl

from equitable.surveys import figures, storage
from equitable.surveys.models import Survey, SurveyResponses


def test_the_four_waves_are_imported_linked_and_published(surveyed):
    waves = list(Survey.objects.filter(organisation=surveyed).order_by("fieldwork_month"))
    assert [w.respondent_count for w in waves] == [573, 640, 410, 455]
    assert waves[1].previous == waves[0]
    assert waves[0].tool == "surveymonkey" and waves[1].tool == "qualtrics"
    tables = figures.published_tables(waves[1])
    by_group = tables["results_by_ethnic_group"]
    assert by_group.height > 0
    white = tables["comparison_with_white"].filter(pl.col("ethnic_group") == "Black")
    assert white.height > 0
    change = tables["change_since_previous"]
    assert change.filter(~pl.col("suppressed")).height > 0
    assert tables["wres_survey"].height > 0
    assert tables["indices"].filter(pl.col("index") == "Psychological safety").height > 0


def test_responses_are_encrypted_at_rest_and_hold_no_respondent_id(surveyed):
    wave = Survey.objects.filter(organisation=surveyed).order_by("fieldwork_month").first()
    sealed = bytes(SurveyResponses.objects.get(survey=wave).ciphertext)
    for plain in (b"Caribbean", b"Strongly agree", b"People", b"mentoring"):
        assert plain not in sealed
    responses = storage.responses_for(wave)
    assert responses.frame.height == 573
    assert not any("id" == c.lower() or "respondent" in c.lower() for c in responses.frame.columns)


def test_every_withheld_row_says_why(surveyed):
    wave = Survey.objects.filter(organisation=surveyed).order_by("fieldwork_month").first()
    for name, table in figures.published_tables(wave).items():
        if "suppressed" in table.columns and "why_withheld" in table.columns:
            hidden = table.filter(pl.col("suppressed"))
            assert hidden["why_withheld"].null_count() == 0, name
