"""The canonical values a column may hold, offered when mapping a council's own values."""

from __future__ import annotations

from equitable.metrics.labels import (
    DETAILED_ETHNICITIES,
    DISABILITY_VALUES,
    SEX_VALUES,
    UNDISCLOSED,
)

_FIXED = {
    "ethnicity": (*(name for name, _ in DETAILED_ETHNICITIES), *UNDISCLOSED),
    "sex": SEX_VALUES,
    "disability": DISABILITY_VALUES,
}


def vocabulary_for(column: str) -> tuple[str, ...]:
    """Canonical values of `column` (the library's vocabularies)."""
    from equitable.metrics import schema

    vocabularies = {
        "ethnicity": schema.ETHNICITY_VALUES,
        "sex": schema.SEX_VALUES,
        "disability": schema.DISABILITY_VALUES,
        "sexual_orientation": schema.SEXUAL_ORIENTATION_VALUES,
        "religion": schema.RELIGION_VALUES,
    }
    return tuple(vocabularies.get(column) or _FIXED.get(column, UNDISCLOSED))
