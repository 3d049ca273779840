"""Coarse dates: the anonymous channel keeps weeks and quarters, never times. Pure module."""

from __future__ import annotations

import re
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def week_of(day: date) -> date:
    """The Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text: str) -> tuple[int, int]:
    match = _QUARTER.match(text or "")
    if not match:
        raise ValueError(f"A quarter is written like 2026-Q3, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def previous_quarters(quarter: str, count: int) -> list[str]:
    """`count` quarters ending with `quarter`, oldest first (4 = the last 12 months)."""
    year, number = parse_quarter(quarter)
    index = year * 4 + number - 1
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def add_working_days(day: date, days: int) -> date:
    current = day
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
