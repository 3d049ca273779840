"""Survey services: figures stored once, filters pick published rows, comments only above the
minimum, none when switched off."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.surveys import figures
from equitable.surveys.models import StoredSurveyFigures, Survey


@pytest.fixture
def race_2022(surveyed):
    return Survey.objects.get(organisation=surveyed, title="Race Survey 2022")


def test_tables_are_protected_and_stored_once(race_2022, django_assert_max_num_queries):
    tables = figures.published_tables(race_2022)
    assert StoredSurveyFigures.objects.filter(survey=race_2022).count() == 1
    for name, table in tables.items():
        if name.startswith("results_"):
            assert not {"favourable", "neutral", "unfavourable"} & set(table.columns), name
            assert "why_withheld" in table.columns
            hidden = table.filter(pl.col("suppressed"))
            assert hidden["why_withheld"].null_count() == 0, name
    again = figures.published_tables(race_2022)
    assert set(again) == set(tables)
    assert StoredSurveyFigures.objects.filter(survey=race_2022).count() == 1


def test_a_filter_only_picks_rows_of_a_published_cross_tab(race_2022):
    code = race_2022.questions.filter(kind="scaled").first().code
    tables = figures.published_tables(race_2022)
    rows = figures.question_result(
        race_2022, code, breakdown="sex", filter_by="directorate", filter_value="People"
    )
    source = tables["results_by_directorate_and_sex"].filter(
        (pl.col("question") == code) & (pl.col("directorate") == "People")
    )
    assert rows.equals(source)
    with pytest.raises(ValueError):
        figures.question_result(race_2022, code, breakdown="religion", filter_by="pay_band")
    with pytest.raises(ValueError):
        figures.question_result(race_2022, code, breakdown="shoe_size")


def test_comments_need_the_minimum_and_the_switch(race_2022):
    code = race_2022.questions.get(kind="free_text").code
    shown = figures.comments(race_2022, code)
    assert len(shown) >= race_2022.threshold
    # A group whose row is withheld gets no comments.
    table = figures.published_tables(race_2022)["results_by_ethnic_group"]
    hidden = table.filter(pl.col("suppressed"))["ethnic_group"].to_list()
    for group in hidden[:3]:
        assert figures.comments(race_2022, code, breakdown="ethnic_group", group=group) == []
    race_2022.show_comments = False
    race_2022.save()
    assert figures.comments(race_2022, code) == []


def test_measure_value_is_a_published_figure_or_none(race_2022):
    code = race_2022.questions.filter(kind="scaled").first().code
    overall = figures.published_tables(race_2022)["results_overall"]
    expected = overall.filter(pl.col("question") == code)["percent_favourable"][0]
    assert figures.measure_value(race_2022, code) == pytest.approx(expected)
    assert figures.measure_value(race_2022, "no-such-question") is None
