"""A hand-worked cohort: ten eligible staff in People at bands 1-2, two snapshots after.

Start (31 March 2023), all in People unless said:
    a1-a4 Indian, band 1: a1 participant, a2 completed, a3 applied, a4 not listed
    w1-w6 White British, band 1: w1 participant, w2 selected, w3 w4 applied, w5 w6 not listed
    x1 Indian, band 3 (outside the eligibility): participant
    p1 White British, band 1, in Place (outside the eligibility): not listed
31 March 2024: a1 and a3 in band 2, w1 in the Leadership Forum (still band 1), w2 in band 2;
    x1, a4 and w3 gone.
31 March 2025: as 2024, and a2 in band 2.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.metrics.programmes.figures import Eligibility
from tests.metrics.lifecycle.snapshots import WHITE_BRITISH, frame, person

START = date(2023, 4, 1)
ELIGIBILITY = Eligibility(pay_bands=("Band 1", "Band 2"), directorates=("People",))
LISTED = pl.DataFrame(
    {
        "employee_key": ["a1", "a2", "a3", "w1", "w2", "w3", "w4", "x1"],
        "status": [
            "participant",
            "completed",
            "applied",
            "participant",
            "selected",
            "applied",
            "applied",
            "participant",
        ],
    }
)


def _staff(changes: dict[str, dict], gone: set[str]) -> pl.DataFrame:
    people = [
        *(person(f"a{i}", "Indian") for i in range(1, 5)),
        *(person(f"w{i}", WHITE_BRITISH) for i in range(1, 7)),
        person("x1", "Indian", pay_band="Band 3"),
        person("p1", WHITE_BRITISH, directorate="Place"),
    ]
    kept = []
    for row in people:
        if row["employee_key"] in gone:
            continue
        change = changes.get(row["employee_key"], {})
        row = {**row, **change}
        if "pay_band" in change:
            row["hourly_pay"] = {"Band 1": 12.0, "Band 2": 15.0, "Band 3": 20.0}[row["pay_band"]]
        kept.append(row)
    return frame(kept)


LATER = {"a1": {"pay_band": "Band 2"}, "a3": {"pay_band": "Band 2"},
         "w1": {"leadership_tier": "Leadership Forum"}, "w2": {"pay_band": "Band 2"}}  # fmt: skip
SNAPSHOTS = [
    (date(2023, 3, 31), _staff({}, set())),
    (date(2024, 3, 31), _staff(LATER, {"x1", "a4", "w3"})),
    (date(2025, 3, 31), _staff({**LATER, "a2": {"pay_band": "Band 2"}}, {"x1", "a4", "w3"})),
]
