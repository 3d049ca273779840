"""Values a measure or target cannot hold are form errors, not server errors: NaN and infinity,
numbers past a billion, percentages past ±100, negative counts, dates outside 1900-2100."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from equitable.actions.forms import MeasureValueForm, TargetForm, value_problem
from equitable.actions.models import TargetPoint


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
    "line",
    [
        "2025-12-31 nan",
        "2025-12-31 inf",
        "2025-12-31 1e400",
        "2025-12-31 -5e20",
        "0001-01-01 50",
        "2025-12-31 150",
    ],
)
def test_a_target_line_out_of_bounds_is_refused_with_its_line(line):
    form = TargetForm({"points": f"2024-12-31 40\n{line}", "tolerance": "5"}, unit="%")
    assert not form.is_valid()
    assert "line 2" in form.errors["points"][0]


def test_a_long_list_of_bad_lines_is_summed_up():
    form = TargetForm({"points": "\n".join(["nonsense"] * 50), "tolerance": "5"})
    assert not form.is_valid()
    assert "and 40 more lines" in form.errors["points"][0]


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
        {"points": "2025-12-31 nan", "tolerance": "5"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    after = list(TargetPoint.objects.filter(target__measure=measure).values_list("on", "value"))
    assert after == before == [(date(2023, 12, 31), 30.0), (date(2024, 12, 31), 50.0)]
