"""Training compliance figures beside 2b.2, 2c.4 and 2c.6 (protected figures only: every role
that reads the Standard reads these).

Pure (no Django): `figures(row, as_of)` turns the all-staff row of a snapshot's PROTECTED
training tables into the figures each criterion shows; `equitable.training.services`
feeds it. A withheld figure is shown as withheld, never derived.

What the figures can and cannot show:
* 2b.2 ("EDI is part of the mandatory induction for all staff"): how many staff have completed
  the mandatory course, and how many new starters did within 8 weeks. Not what the induction
  contains.
* 2c.4 ("facilitator-led workshops are mandatory for all staff"): how many staff attended a
  facilitator-led (face-to-face or virtual classroom) EDI or anti-racism session, and how many
  are up to date with the two-yearly refresher. Not whether the workshops cover bias and
  micro-aggressions.
* 2c.6 ("mandatory EDI recruitment training for all hiring managers"): how many people on the
  recruitment panel list have had recruitment panel training (the panel list stands for the
  hiring managers). Not the training's content.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from equitable.metrics.training.compliance import MEASURE_LABELS, MEASURES, POOL_LABELS

CRITERIA: dict[str, tuple[str, ...]] = {
    "2b.2": ("mandatory_completed", "inducted_in_8_weeks"),
    "2c.4": ("facilitated_workshop", "up_to_date"),
    "2c.6": ("panel_trained",),
}


def figures(row: Mapping[str, Any], as_of: date) -> dict[str, list[dict[str, Any]]]:
    """Criterion → its figures ({measure, pool_label, pool, count, percent, ci_low, ci_high,
    withheld, as_of}); a measure whose pool is empty (no panel list, no new starters) is left
    out."""
    found: dict[str, list[dict[str, Any]]] = {}
    for criterion, measures in CRITERIA.items():
        shown = []
        for measure in measures:
            count, pool, _, _ = MEASURES[measure]
            if row.get(pool) == 0:
                continue
            percent = row.get(f"{count}_percent")
            shown.append(
                {
                    "measure": MEASURE_LABELS[measure],
                    "pool_label": POOL_LABELS[pool],
                    "pool": row.get(pool),
                    "count": row.get(count),
                    "percent": percent,
                    "ci_low": row.get(f"{count}_percent_ci_low"),
                    "ci_high": row.get(f"{count}_percent_ci_high"),
                    "withheld": percent is None,
                    "as_of": as_of,
                }
            )
        if shown:
            found[criterion] = shown
    return found
