"""The action-plan workbook is inert: text a person typed never becomes a formula, and the
workbook reads back exactly as it was written (export then import loses nothing)."""

from __future__ import annotations

import pytest

from equitable.actions.spreadsheet import (
    ActionRow,
    MeasureRow,
    PlanWorkbook,
    RecommendationRow,
    read_workbook,
    write_workbook,
)
from tests.files.inert import DANGEROUS, assert_inert_xlsx


def dangerous_book() -> PlanWorkbook:
    actions = [
        ActionRow(
            plan="Corporate plan",
            directorate=text,
            theme=text,
            objective="Objective " + str(n),
            ref=f"A{n}",
            action=text,
            owner=text,
            dropped_reason="",
        )
        for n, text in enumerate(DANGEROUS, start=1)
    ]
    recommendations = [
        RecommendationRow(theme="Theme", recommendation=text, ref=f"R{n}", response=text)
        for n, text in enumerate(DANGEROUS, start=1)
    ]
    measures = [
        MeasureRow(plan="Corporate plan", theme="Theme", objective="O", measure=text, ref=f"M{n}")
        for n, text in enumerate(DANGEROUS, start=1)
    ]
    return PlanWorkbook(actions=actions, recommendations=recommendations, measures=measures)


def test_no_cell_of_the_workbook_is_a_formula():
    workbook = assert_inert_xlsx(write_workbook(dangerous_book()))
    actions = list(workbook["Action plan"].iter_rows(min_row=2, values_only=True))
    assert actions[0][5] == "'" + DANGEROUS[0]  # shown as text, with Excel's text mark


@pytest.mark.parametrize("text", [t for t in DANGEROUS if not t[0].isspace()])
def test_export_then_import_gives_back_what_was_typed(text):
    """Tab and carriage return are trimmed on import like any surrounding space, so the round
    trip is checked on the others (each still written inert above)."""
    book = dangerous_book()
    back = read_workbook(write_workbook(book))
    index = DANGEROUS.index(text)
    assert back.actions[index].action == text
    assert back.actions[index].directorate == text
    assert back.actions[index].owner == text
    assert back.recommendations[index].recommendation == text
    assert back.recommendations[index].response == text
    assert back.measures[index].measure == text


def test_a_person_who_types_a_leading_quote_keeps_it():
    book = PlanWorkbook(
        actions=[ActionRow(plan="P", theme="T", objective="O", action="'=not a formula")],
        recommendations=[RecommendationRow(theme="T", recommendation="'quoted")],
    )
    back = read_workbook(write_workbook(book))
    assert back.actions[0].action == "'=not a formula"
    assert back.recommendations[0].recommendation == "'quoted"
