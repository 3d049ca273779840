"""Targets are entered as rows of date and value (a formset), not free text: a date on every
row, a value in range for the measure's unit, dates unique and in order, none on or before the
baseline. Every bad row is listed with its number and nothing is saved."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.urls import reverse

from equitable.actions.models import TargetPoint
from tests.actions.factories import target_post

pytestmark = pytest.mark.django_db


def _post(client, measure, data):
    return client.post(reverse("actions:measure-target", args=[measure.pk]), data)


def _points(measure):
    return list(
        TargetPoint.objects.filter(target__measure=measure).values_list(
            "on", "value", "is_baseline"
        )
    )


def test_rows_with_a_baseline_are_saved(client_as, people):
    _, _, measure, _ = people
    response = _post(
        client_as("champion"),
        measure,
        target_post(
            [("2025-12-31", "45"), ("2026-12-31", "55")], baseline=("2024-03-31", "38"), extra=2
        ),
    )
    assert response.status_code == 302
    assert _points(measure) == [
        (date(2024, 3, 31), 38.0, True),
        (date(2025, 12, 31), 45.0, False),
        (date(2026, 12, 31), 55.0, False),
    ]
    page = client_as("champion").get(reverse("actions:measure-target", args=[measure.pk]))
    html = page.content.decode()
    assert 'name="baseline_on" type="text" value="2024-03-31"' in html
    assert 'name="rows-0-on" type="text" value="2025-12-31"' in html
    assert 'name="rows-4-on"' in html  # three blank rows for more


@pytest.mark.parametrize(
    ("rows", "baseline", "message"),
    [
        ([("", "50")], ("", ""), "Row 1: Enter the date"),
        ([("2025-12-31", "")], ("", ""), "Row 1: Enter the value"),
        ([("2025-12-31", "fifty")], ("", ""), "Row 1: Enter a number"),
        ([("2025-12-31", "140")], ("", ""), "Row 1: A percentage must be between -100 and 100"),
        (
            [("2025-12-31", "40"), ("2025-12-31", "50")],
            ("", ""),
            "Row 2: 31 Dec 2025 is already in row 1",
        ),
        (
            [("2026-12-31", "40"), ("2025-12-31", "50")],
            ("", ""),
            "Row 2: Put the rows in date order: this date is before row 1&#x27;s (31 Dec 2026)",
        ),
        (
            [("2024-01-31", "40")],
            ("2024-03-31", "38"),
            "Row 1: The date must be after the baseline date (31 Mar 2024)",
        ),
        ([("", "")], ("", ""), "Enter at least one date and value"),
        ([("2025-12-31", "40")], ("2024-03-31", ""), "Enter the baseline value, or clear its date"),
    ],
)
def test_bad_rows_are_refused_with_their_row_number(client_as, people, rows, baseline, message):
    _, _, measure, _ = people
    before = _points(measure)
    response = _post(client_as("edi_officer"), measure, target_post(rows, baseline=baseline))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page.replace("&#39;", "&#x27;")
    assert _points(measure) == before  # nothing saved


def test_the_error_summary_links_to_the_row(client_as, people):
    _, _, measure, _ = people
    page = _post(
        client_as("edi_officer"), measure, target_post([("2025-12-31", "40"), ("soon", "50")])
    ).content.decode()
    assert 'href="#id_rows-1-on"' in page
    assert 'value="soon"' in page  # what was typed is kept


def test_a_tampered_row_count_is_an_error_not_a_crash(client_as, people):
    _, _, measure, _ = people
    data = target_post([("2025-12-31", "40")])
    del data["rows-TOTAL_FORMS"]
    response = _post(client_as("edi_officer"), measure, data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_migration_reports_rows_the_new_form_would_refuse(people, capsys):
    _, _, measure, _ = people
    target = measure.targets.get()
    TargetPoint.objects.create(target=target, on=date(2024, 6, 30), value=35, is_baseline=True)
    TargetPoint.objects.create(target=target, on=date(2025, 12, 31), value=140)
    migration = import_module("equitable.actions.migrations.0005_action_updates_and_targets")
    from django.apps import apps

    migration.report_targets_the_new_form_would_refuse(apps, None)
    out = capsys.readouterr().out
    assert "140.0 is outside -100 to 100" in out
    assert "2023-12-31: dated on or before the baseline (2024-06-30)" in out
    assert TargetPoint.objects.filter(target=target).count() == 4  # nothing changed
