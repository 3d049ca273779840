"""Values a measure or target cannot hold are form errors, not server errors: NaN and infinity,
numbers past a billion, percentages past ±100, negative counts, dates outside 1900-2100."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from equitable.actions.forms import MeasureValueForm, TargetRowFormSet, value_problem
from equitable.actions.models import TargetPoint
from tests.actions.factories import target_post


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        (float("nan"), "%", "Enter a number"),
        (float("inf"), "", "Enter a number"),
        (1e308, "", "between -1,000,000,000 and 1,000,000,000"),
        (150, "%", "between -100 and 100"),
        (-3, "count", "cannot be negative"),
        (-0.5, "ratio", "cannot be negative"),
    ],
)
def test_value_problems(value, unit, problem):
    assert problem in value_problem(value, unit)


@pytest.mark.parametrize(("value", "unit"), [(-12.5, "%"), (0, "count"), (54.5, "%"), (-7, "")])
def test_values_a_council_could_mean_are_accepted(value, unit):
    assert value_problem(value, unit) is None  # a pay gap can be negative


@pytest.mark.parametrize(
    ("on", "value", "problem"),
    [
        ("2025-12-31", "nan", "Enter a number"),
        ("2025-12-31", "inf", "Enter a number"),
        ("2025-12-31", "1e400", "Enter a number"),
        ("2025-12-31", "-5e20", "between -1,000,000,000"),
        ("0001-01-01", "50", "between 1900 and 2100"),
        ("2025-12-31", "150", "between -100 and 100"),
    ],
)
def test_a_target_row_out_of_bounds_is_refused_with_its_row(on, value, problem):
    data = target_post([("2024-12-31", "40"), (on, value)])
    formset = TargetRowFormSet(data, prefix="rows", unit="%")
    assert not formset.is_valid()
    messages = [m for _, m in formset.error_items()]
    assert any(m.startswith("Row 2: ") and problem in m for m in messages), messages


def test_every_bad_row_is_listed_with_its_number():
    data = target_post([("nonsense", "1")] * 5)
    formset = TargetRowFormSet(data, prefix="rows", unit="%")
    assert not formset.is_valid()
    rows = [m.split(":")[0] for _, m in formset.error_items()]
    assert rows == ["Row 1", "Row 2", "Row 3", "Row 4", "Row 5"]


def test_a_measure_value_out_of_bounds_is_refused():
    form = MeasureValueForm({"on": "2025-01-31", "value": "nan"}, unit="%")
    assert not form.is_valid() and "value" in form.errors
    form = MeasureValueForm({"on": "0001-01-01", "value": "50"}, unit="%")
    assert not form.is_valid() and "between 1900 and 2100" in form.errors["on"][0]


def test_a_target_of_nan_is_an_error_on_the_page(client_as, people):
    _, _, measure, _ = people
    before = list(TargetPoint.objects.filter(target__measure=measure).values_list("on", "value"))
    response = client_as("edi_officer").post(
        reverse("actions:measure-target", args=[measure.pk]),
        target_post([("2025-12-31", "nan")]),
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    after = list(TargetPoint.objects.filter(target__measure=measure).values_list("on", "value"))
    assert after == before == [(date(2023, 12, 31), 30.0), (date(2024, 12, 31), 50.0)]
