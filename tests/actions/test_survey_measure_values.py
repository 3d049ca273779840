"""A measure computed from a survey question: its values are the waves' published figures,
it follows the waves as they are imported and deleted, and the officer chooses it on the
measure page (or goes back to values entered by hand)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.actions import services, survey_sources
from equitable.actions.models import Measure, MeasureValue
from equitable.core.models import AuditEvent
from equitable.metrics.surveys import synthetic
from equitable.surveys import figures, storage
from equitable.surveys.models import QuestionBankItem, Survey

pytestmark = pytest.mark.django_db

DIGNITY = next(q.text for q in synthetic.QUESTIONS if q.code == "Q7")
REPORTING = next(q.text for q in synthetic.QUESTIONS if q.code == "Q8")


@pytest.fixture
def measure(corporate, surveyed):
    _, _, measure = corporate
    return measure


def _item(org, text):
    return QuestionBankItem.objects.get(organisation=org, text=text)


def _published(survey, table, question_text, group=None):
    code = survey.questions.get(text=question_text).code
    frame = figures.published_tables(survey)[table].filter(pl.col("question") == code)
    if group is not None:
        frame = frame.filter(pl.col("ethnic_group") == group)
    return frame.row(0, named=True)


def test_each_wave_asking_the_question_gives_its_published_percentage(measure, surveyed):
    written = survey_sources.use_survey_question(None, measure, _item(surveyed, DIGNITY), "all")
    waves = Survey.objects.filter(organisation=surveyed).order_by("fieldwork_month")
    assert written == waves.count() == 4  # Q7 is in the pulse surveys too
    values = list(measure.values.order_by("on"))
    assert [v.on for v in values] == [
        date(2020, 12, 31),
        date(2022, 11, 30),
        date(2023, 6, 30),
        date(2024, 6, 30),
    ]
    for value, survey in zip(values, waves, strict=True):
        row = _published(survey, "results_overall", DIGNITY)
        assert value.value == value.published_value == round(row["percent_favourable"], 1)
        assert value.origin == MeasureValue.Origin.SURVEY and value.note == survey.title
    measure.refresh_from_db()
    assert measure.kind == Measure.Kind.COMPUTED and measure.unit == "%"
    assert measure.computed_key.startswith("survey:all:")
    assert AuditEvent.objects.filter(object_type="measure", object_id=str(measure.pk)).exists()


def test_a_group_reads_its_row_and_a_withheld_wave_gives_no_value_but_a_reason(measure, surveyed):
    survey_sources.use_survey_question(None, measure, _item(surveyed, REPORTING), "other")
    waves = Survey.objects.filter(organisation=surveyed).order_by("fieldwork_month")
    shown = {v.on: v.value for v in measure.values.all()}
    notes = survey_sources.survey_notes(measure)
    for survey in waves:
        row = _published(survey, "results_by_ethnic_group", REPORTING, "Other")
        on = date(survey.fieldwork_month.year, survey.fieldwork_month.month, 1)
        kept = [v for d, v in shown.items() if (d.year, d.month) == (on.year, on.month)]
        if row["suppressed"]:
            assert kept == []
            assert any(note.startswith(f"{survey.title}: no value") for note in notes)
        else:
            assert kept == [round(row["percent_favourable"], 1)]


def test_deleting_a_wave_takes_its_value_away(measure, surveyed):
    survey_sources.use_survey_question(None, measure, _item(surveyed, DIGNITY), "all")
    latest = Survey.objects.filter(organisation=surveyed).latest("fieldwork_month")
    storage.delete_survey(latest, user=None)
    survey_sources.refresh_survey_values(surveyed)
    assert date(2024, 6, 30) not in set(measure.values.values_list("on", flat=True))
    assert measure.values.count() == 3


def test_the_whole_refresh_of_computed_measures_keeps_survey_values(measure, surveyed):
    survey_sources.use_survey_question(None, measure, _item(surveyed, DIGNITY), "all")
    before = sorted(measure.values.values_list("on", "value"))
    services.refresh_computed_values(surveyed)
    assert sorted(measure.values.values_list("on", "value")) == before


def test_the_workbook_accepts_a_survey_key_of_the_organisation_only(measure, surveyed, other_org):
    item = _item(surveyed, DIGNITY)
    assert f"survey:black-asian-multi-ethnic:{item.code}" in services.computed_keys(surveyed)
    assert f"survey:all:{item.code}" not in services.computed_keys(other_org)
    assert not any(k.startswith("survey:") for k in services.computed_keys())


def test_the_officer_chooses_the_question_on_the_measure_page(client_as, measure, surveyed):
    client = client_as("edi_officer")
    page = client.get(f"/actions/measures/{measure.pk}/").content.decode()
    assert "Compute it from a staff survey" in page and DIGNITY in page
    item = _item(surveyed, REPORTING)
    response = client.post(
        f"/actions/measures/{measure.pk}/survey/",
        {"item": item.pk, "group": "black-asian-multi-ethnic"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.computed_key == f"survey:black-asian-multi-ethnic:{item.code}"
    page = client.get(f"/actions/measures/{measure.pk}/").content.decode()
    assert "From the staff surveys" in page
    assert "Black, Asian and Multi-ethnic respondents answering favourably" in page
    assert f"/surveys/trends/{item.code}/" in page

    client.post(f"/actions/measures/{measure.pk}/survey/", {"stop": "1", "item": item.pk})
    measure.refresh_from_db()
    assert measure.kind == Measure.Kind.MANUAL and measure.computed_key == ""
    assert not measure.values.exists()


def test_a_choice_that_is_not_offered_is_refused_and_changes_nothing(client_as, measure):
    before = (measure.kind, measure.computed_key, measure.values.count())
    response = client_as("edi_officer").post(
        f"/actions/measures/{measure.pk}/survey/", {"item": "999999", "group": "everyone"}
    )
    assert response.status_code == 200  # the page again, with the problem (as every form here)
    page = response.content.decode()
    assert "There is a problem" in page and "Choose one of the questions listed" in page
    measure.refresh_from_db()
    assert (measure.kind, measure.computed_key, measure.values.count()) == before


def test_people_who_cannot_edit_the_plan_cannot_choose(client_as, measure, surveyed):
    item = _item(surveyed, DIGNITY)
    response = client_as("board_member").post(
        f"/actions/measures/{measure.pk}/survey/", {"item": item.pk, "group": "all"}
    )
    assert response.status_code == 403
    page = client_as("board_member").get(f"/actions/measures/{measure.pk}/").content.decode()
    assert "Compute it from a staff survey" not in page
