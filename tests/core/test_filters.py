"""The template filters that put numbers and codes in the users' words, on hand-worked values."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines

from equitable.jinja2env import (
    format_date,
    format_figure,
    format_label,
    format_money,
    format_number,
    format_percent,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (18.8, "£18.80"),
        (18.758176, "£18.76"),
        (2342.4347, "£2,342.43"),
        (-1.5, "-£1.50"),
        (-0.001, "£0.00"),  # shows as zero: no minus sign
        (0, "£0.00"),
        (None, "–"),
        (float("nan"), "–"),
    ],
)
def test_money(value, text):
    assert format_money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(25.5, "25.5%"), (28.3176, "28.3%"), (-0.04, "0.0%"), (-15.68, "-15.7%"), (None, "–")],
)
def test_percent(value, text):
    assert format_percent(value) == text


def test_numbers_counts_and_ratios():
    assert format_number(1259) == "1,259"
    assert format_number(-15.682, 1) == "-15.7"
    assert format_figure(1259, "count") == "1,259"
    assert format_figure(0.6435818, "ratio") == "0.64"
    assert format_figure(-15.6824, "points") == "-15.7"
    assert format_figure(17.14, "money") == "£17.14"
    assert format_figure(90.05, "percent") == "90.1%"  # 1,801 of 2,000: half rounds up
    assert format_figure("Place", "text") == "Place"
    assert format_figure(None, "count") == "–"
    assert format_figure(3.25) == "3.3"  # no kind: one decimal place, as tables always had


def test_a_moment_is_shown_in_london_time():
    from datetime import UTC, datetime

    from equitable.jinja2env import format_datetime

    assert format_datetime(datetime(2025, 7, 1, 9, 5, tzinfo=UTC)) == "1 July 2025, 10:05"
    assert format_datetime(datetime(2025, 12, 2, 9, 5, tzinfo=UTC)) == "2 December 2025, 09:05"


def test_dates_and_labels():
    assert format_date(date(2025, 3, 31)) == "31 March 2025"
    assert format_date("2024-03-01") == "1 March 2024"
    assert format_figure("2023-03-31", "date") == "31 March 2023"
    assert format_label("sexual_orientation") == "Sexual orientation"
    assert format_label("wres") == "Wres"  # generic: named codes have their own words (catalogue)


def test_the_filters_are_in_the_template_environment():
    env = engines["jinja2"].env
    source = (
        "{{ 18.8|money }} {{ 25.53|percent }} {{ 'not_known'|label }} {{ 0.64|figure('ratio') }}"
    )
    assert env.from_string(source).render() == "£18.80 25.5% Not known 0.64"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.84, "+0.8"), (-8.66, "-8.7"), (-0.04, "0.0"), (0.04, "0.0"), (0, "0.0"), (None, "–")],
)
def test_a_signed_change_never_reads_minus_zero(value, shown):
    from equitable.jinja2env import format_signed

    assert format_signed(value) == shown
