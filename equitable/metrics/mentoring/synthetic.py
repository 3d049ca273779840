"""Synthetic mentoring pools for the benchmark, the tests and the demo: people with topics,
directorates, pay bands, preferences and (for some) characteristics, from a seed.

Mentees sit in the lower bands and mentors in the upper ones, overlapping in the middle, so the
seniority constraint removes a real share of pairs; one mentee in ten names a mentor of the
pool in their line chain. Pure library: no Django.
"""

from __future__ import annotations

import csv
import io

import numpy as np

TOPICS = (
    "leadership",
    "career planning",
    "budgets and finance",
    "project management",
    "public speaking",
    "digital skills",
    "people management",
    "policy writing",
    "working with councillors",
    "resilience",
    "networking",
    "interview skills",
    "data and analysis",
    "community engagement",
    "commissioning",
    "change management",
    "procurement",
    "safeguarding",
    "coaching",
    "strategy",
)
DIRECTORATES = (
    "Adults",
    "Children",
    "Place",
    "Resources",
    "People",
    "Housing",
    "Public Health",
    "Chief Executive's",
)
SLOTS = ("mon-am", "mon-pm", "tue-am", "tue-pm", "wed-am", "wed-pm", "thu-am", "thu-pm", "fri-am")
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
COLUMNS = (
    "person_id",
    "role",
    "pay_band",
    "directorate",
    "capacity",
    "offers",
    "seeks",
    "background_preference",
    "other_directorate",
    "availability",
    "line_chain",
    "exclude",
    "ethnic_group",
)


def _some(rng: np.random.Generator, items: tuple[str, ...], low: int, high: int) -> list[str]:
    count = int(rng.integers(low, high + 1))
    return [items[i] for i in sorted(rng.choice(len(items), size=count, replace=False))]


def synthetic_pool(
    seed: int, *, mentees: int, mentors: int, capacity: int = 2
) -> list[dict[str, object]]:
    """People as pool rows (lists as lists), mentors first; ids M0001…, E0001…."""
    rng = np.random.default_rng(seed)
    people: list[dict[str, object]] = []
    mentor_ids = [f"M{i + 1:04d}" for i in range(mentors)]
    for person_id in mentor_ids:
        people.append(
            {
                "person_id": person_id,
                "role": "mentor",
                "pay_band": str(int(rng.integers(3, 7))),
                "directorate": DIRECTORATES[int(rng.integers(len(DIRECTORATES)))],
                "capacity": capacity,
                "offers": _some(rng, TOPICS, 3, 7),
                "seeks": [],
                "background_preference": "any",
                "other_directorate": ("any", "yes")[int(rng.random() < 0.2)],
                "availability": _some(rng, SLOTS, 2, 5),
                "line_chain": [],
                "exclude": [],
                "ethnic_group": (
                    ETHNIC_GROUPS[int(rng.integers(len(ETHNIC_GROUPS)))]
                    if rng.random() < 0.6
                    else None
                ),
            }
        )
    for index in range(mentees):
        chain = [mentor_ids[int(rng.integers(mentors))]] if rng.random() < 0.1 else []
        people.append(
            {
                "person_id": f"E{index + 1:04d}",
                "role": "mentee",
                "pay_band": str(int(rng.integers(1, 5))),
                "directorate": DIRECTORATES[int(rng.integers(len(DIRECTORATES)))],
                "capacity": 0,
                "offers": [],
                "seeks": _some(rng, TOPICS, 1, 4),
                "background_preference": ("any", "same", "different")[
                    int(rng.choice(3, p=[0.6, 0.3, 0.1]))
                ],
                "other_directorate": ("any", "yes", "no")[int(rng.choice(3, p=[0.5, 0.4, 0.1]))],
                "availability": _some(rng, SLOTS, 1, 4),
                "line_chain": chain,
                "exclude": [],
                "ethnic_group": (
                    ETHNIC_GROUPS[int(rng.integers(len(ETHNIC_GROUPS)))]
                    if rng.random() < 0.6
                    else None
                ),
            }
        )
    return people


def pool_csv(people: list[dict[str, object]]) -> bytes:
    """The pool file for `people` (lists joined with semicolons, mentees' capacity blank)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for person in people:
        cells = []
        for column in COLUMNS:
            value = person.get(column)
            if isinstance(value, list):
                value = "; ".join(value)
            if column == "capacity" and person["role"] == "mentee":
                value = ""
            cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")
