"""Computed measures from the training compliance tables: one value per workforce snapshot
(the compliance of its date), like the workforce measures of `measures.py`.

Pure (no Django): the inputs are one snapshot's training tables (`equitable.training` gives
them exact or protected) as rows. Every measure reads ONE percentage of ONE row (all staff, a
directorate plan's directorate, or the Black, Asian and Multi-ethnic row), so read from the
protected tables it is exactly a figure disclosure control let through, and withheld (None)
when that figure is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.metrics.training.compliance import MEASURES

Tables = Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class TrainingMeasure:
    key: str
    name: str
    measure: str  # a key of metrics.training.compliance.MEASURES
    group: str | None = None  # an ethnic group row instead of all staff
    unit: str = "%"
    direction: str = "higher"


TRAINING_MEASURES: dict[str, TrainingMeasure] = {
    m.key: m
    for m in (
        TrainingMeasure(
            "training_mandatory_edi_completed",
            "% of staff who have completed mandatory EDI training",
            "mandatory_completed",
        ),
        TrainingMeasure(
            "training_staff_up_to_date",
            "% of existing staff whose mandatory EDI training is within the last two years",
            "up_to_date",
        ),
        TrainingMeasure(
            "training_new_starters_within_8_weeks",
            "% of new starters who completed mandatory EDI training within 8 weeks of starting",
            "inducted_in_8_weeks",
        ),
        TrainingMeasure(
            "training_senior_leaders_face_to_face",
            "% of senior leaders (leadership tiers) trained face to face",
            "senior_face_to_face",
        ),
        TrainingMeasure(
            "training_recruitment_panel_trained",
            "% of recruitment panel members with recruitment panel training",
            "panel_trained",
        ),
        TrainingMeasure(
            "training_recruitment_panel_trained_black_asian_multi_ethnic",
            "% of Black, Asian and Multi-ethnic recruitment panel members with recruitment "
            "panel training",
            "panel_trained",
            group=AGGREGATE_LABEL,
        ),
    )
}


def is_training_key(key: str) -> bool:
    return key in TRAINING_MEASURES


def value(key: str, tables: Tables, directorate: str | None = None) -> float | None:
    """The measure's percentage in one snapshot's tables (None: no data, nobody in the pool,
    or withheld). A directorate plan reads its directorate's row; a group measure has no
    directorate breakdown, so it is None in a directorate plan."""
    definition = TRAINING_MEASURES[key]
    count = MEASURES[definition.measure][0]
    if definition.group is not None:
        if directorate is not None:
            return None
        rows = [
            r for r in tables.get("by_ethnic_group", ()) if r["ethnic_group"] == definition.group
        ]
    elif directorate is not None:
        rows = [r for r in tables.get("by_directorate", ()) if r["directorate"] == directorate]
    else:
        rows = list(tables.get("all_staff", ()))
    if not rows or rows[0].get(f"{count}_percent") is None:
        return None
    return round(float(rows[0][f"{count}_percent"]), 2)
