"""URL converters of the action-plan app."""

from __future__ import annotations

from equitable.actions import services


class QuarterConverter:
    """A calendar quarter in the address (`2025Q1`): a year the service can report on, else the
    address matches nothing (404), so no view ever sees `0001Q1`."""

    regex = r"[0-9]{4}Q[1-4]"

    def to_python(self, value: str) -> str:
        services.parse_quarter(value)  # ValueError: Django treats the address as not found
        return value

    def to_url(self, value: str) -> str:
        services.parse_quarter(value)
        return value
