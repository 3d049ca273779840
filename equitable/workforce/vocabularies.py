"""The canonical values a column may hold, offered when mapping a council's own values."""

from __future__ import annotations

from equitable.metrics.classification import VOCABULARIES
from equitable.metrics.labels import UNDISCLOSED


def vocabulary_for(column: str) -> tuple[str, ...]:
    """Canonical values of `column`, as the library accepts them in a value mapping: for
    ethnicity the 19 ONS 2021 categories, each group's "(category not given)" and the two
    undisclosed values, in table order."""
    return tuple(VOCABULARIES.get(column, UNDISCLOSED))
