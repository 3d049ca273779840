"""Coarse dates: the anonymous channel keeps weeks and quarters (`metrics.quarters`, written
`2025-Q1`), never times. Pure module."""

from __future__ import annotations

from datetime import date, timedelta


def week_of(day: date) -> date:
    """The Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())


def add_working_days(day: date, days: int) -> date:
    current = day
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
