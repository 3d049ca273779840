"""The staff survey figures beside 2c.5 and 4.2 on the category pages, from the demo's four
waves (Staff Survey on Race 2020, Race Survey 2022, the 2023 and 2024 pulse surveys)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from equitable.standard import services

pytestmark = pytest.mark.django_db


def _section(page: str, criterion: str) -> str:
    """The criterion's section of a category page."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="heading-{re.escape(criterion)}">(.*?)</section>',
        page,
        re.S,
    )
    assert match, f"no section for {criterion}"
    return match[1]


def test_the_figures_and_suggestions_sit_beside_2c_5_and_4_2(surveyed, client_as):
    """2022 to 2023 (to 31 March 2023): the Race Survey 2022 is the year's race survey, and
    against 2020 favourable answers on equal opportunities for progression rose beyond chance
    for Asian and Black staff."""
    assessment = services.start_assessment(surveyed, "2022 to 2023")
    client = client_as("board_member")  # a role without access to personal records sees it
    training = _section(
        client.get(reverse("standard:category", args=[assessment.pk, "2"])).content.decode(),
        "2c.5",
    )
    assert "From your staff survey data:</strong> Race Survey 2022 (November 2022), a race " in (
        training
    )
    assert "Suggested level: Established. Rule: an annual staff survey" in training
    assert (
        "Gaps beyond chance between Black, Asian and Multi-ethnic and White staff, Race Survey "
        "2022 (November 2022)"
    ) in training
    assert '<th scope="col" class="govuk-table__header">Group</th>' in training
    assert '<th scope="rowgroup" colspan="4"' in training
    assert "govuk-table__cell--numeric" in training
    assert 'class="eq-table-scroll"' in training
    racism = training.index("In the last 12 months I have personally experienced racism")
    aggregate = "\u22129.8 (\u221214.8 to \u22124.5)"  # beyond chance
    assert aggregate in training[racism:]
    # Withheld comparisons are counted in one collapsed list, never shown as numbers.
    withheld = re.search(r"Withheld to protect small groups: (\d+) comparisons?", training)
    if withheld:
        assert int(withheld[1]) == training.count("): withheld, ")
    assert "BAME" not in training

    change = _section(
        client.get(reverse("standard:category", args=[assessment.pk, "4"])).content.decode(),
        "4.2",
    )
    assert (
        "rose beyond chance on 2 questions for Black, Asian and Multi-ethnic, Asian and Black "
        "staff."
    ) in change
    assert "+17.1 (+9.4 to +24.4)" in change  # Black, Asian and Multi-ethnic, equal opportunities
    assert "Suggested level: Leading. Rule: at least one question" in change
    assert (
        "Changes beyond chance, Staff Survey on Race 2020 (December 2020) to Race Survey "
        "2022 (November 2022)"
    ) in change
    assert "The council provides equal opportunities for career progression" in change
    assert "+22.7 (+7.4 to +36.5)" in change  # Black staff, equal opportunities
    assert "BAME" not in change


def test_a_later_period_reads_the_pulse_surveys_and_suggests_only_what_they_show(
    surveyed, client_as
):
    """2024 to 2025: the newest race survey (2022) is older than 12 months (none for 2c.5);
    the 2024 pulse survey against 2023 shows no rise beyond chance (no suggestion for 4.2),
    but its figures are shown."""
    assessment = services.start_assessment(surveyed, "2024 to 2025")
    client = client_as("edi_officer")
    training = _section(
        client.get(reverse("standard:category", args=[assessment.pk, "2"])).content.decode(),
        "2c.5",
    )
    assert "Suggested level: None. Rule: established needs an annual staff survey" in training
    change = _section(
        client.get(reverse("standard:category", args=[assessment.pk, "4"])).content.decode(),
        "4.2",
    )
    assert "From your staff survey data" not in change
    assert (
        "From Pulse survey summer 2023 (June 2023) to Pulse survey summer 2024 (June 2024) no "
        "change is beyond what chance alone would give"
    ) in change
    assert "+22.7" not in change  # the 2020 to 2022 change is not this period's


def test_a_category_without_2c_5_or_4_2_does_not_read_the_surveys(org, client_as, monkeypatch):
    from equitable.surveys import figures

    def surveys_for(organisation):
        raise AssertionError("category 1 has neither 2c.5 nor 4.2")

    monkeypatch.setattr(figures, "surveys_for", surveys_for)
    assessment = services.start_assessment(org, "2024 to 2025")
    page = client_as("edi_officer").get(reverse("standard:category", args=[assessment.pk, "1"]))
    assert page.status_code == 200
    assert services.suggest_levels(org, {}, criteria=["1.1", "1.2"]) == {}


def test_only_the_waves_read_are_given_their_tables(surveyed):
    from datetime import date

    waves = services.survey_tables(surveyed, date(2023, 3, 31))
    read = {w.title for w in waves if w.tables}
    assert read == {"Race Survey 2022"}  # both the race survey and the newest with a previous
    assert all(
        set(w.tables) <= {"questions", "comparison_with_white", "change_since_previous"}
        for w in waves
    )
