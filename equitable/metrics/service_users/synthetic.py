"""Synthetic service extracts for the demo borough: made up, not any council's records.

`complaints(n=1200)`: one row per complaint over eight quarters (April 2023 to March 2025),
with the gaps real complaint systems show: ethnicity recorded for about two in three
complaints (more in later quarters, as recording improves), sex for most, disability,
religion and sexual orientation for fewer, the other three rarely. Black residents complain
more often than their share of residents (a disparity the pages should show), Asian residents
less often. `social_care_users(n=800)`: one row per adult social care user, older and more
often disabled than residents. Both are CSV text in the spellings councils' systems use, so
the demo goes through the same import as an upload. Pure module: no Django.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

QUARTER_STARTS = [date(2023, 4, 1) + timedelta(days=91 * i) for i in range(8)]

ETHNICITY = {  # complaints: spelling → weight
    "Indian": 18,
    "Pakistani": 4,
    "Other Asian": 7,
    "Black African": 8,
    "Black Caribbean": 5,
    "Mixed White and Black Caribbean": 2,
    "Mixed other": 2,
    "White British": 28,
    "White Irish": 2,
    "White Other": 15,
    "Arab": 2,
    "Any other ethnic group": 4,
    "Prefer not to say": 3,
}
CARE_ETHNICITY = {
    "Indian": 20,
    "Pakistani": 3,
    "Other Asian": 8,
    "Black African": 4,
    "Black Caribbean": 5,
    "White British": 36,
    "White Irish": 4,
    "White Other": 12,
    "Any other ethnic group": 5,
    "Mixed other": 2,
    "Not stated": 1,
}
RELIGION = {
    "Christian": 38,
    "Hindu": 22,
    "Muslim": 16,
    "No religion": 14,
    "Jewish": 4,
    "Sikh": 1,
    "Buddhist": 1,
    "Other religion": 1,
    "Prefer not to say": 3,
}
ORIENTATION = {
    "Heterosexual": 88,
    "Gay or lesbian": 2,
    "Bisexual": 2,
    "Other": 1,
    "Prefer not to say": 7,
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _maybe(rng: random.Random, share: float, value: str) -> str:
    return value if rng.random() < share else ""


def _write(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def complaints(n: int = 1200, seed: int = 19) -> bytes:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        quarter = rng.randrange(8)
        received = QUARTER_STARTS[quarter] + timedelta(days=rng.randrange(90))
        recorded = 0.55 + 0.03 * quarter  # ethnicity recording improves over the quarters
        rows.append(
            {
                "Case reference": f"CMP-{100000 + i}",
                "Date received": received.strftime("%d/%m/%Y"),
                "Ethnicity": _maybe(rng, recorded, _pick(rng, ETHNICITY)),
                "Sex": _maybe(rng, 0.9, rng.choices(("Female", "Male"), weights=(56, 44))[0]),
                "Age": _maybe(rng, 0.75, str(min(95, max(18, int(rng.gauss(48, 16)))))),
                "Disability": _maybe(
                    rng, 0.55, rng.choices(("Yes", "No", "Prefer not to say"), (22, 74, 4))[0]
                ),
                "Religion": _maybe(rng, 0.45, _pick(rng, RELIGION)),
                "Sexual orientation": _maybe(rng, 0.3, _pick(rng, ORIENTATION)),
                "Gender identity": _maybe(
                    rng, 0.2, rng.choices(("Same", "Different", "Prefer not to say"), (96, 1, 3))[0]
                ),
                "Marital status": _maybe(
                    rng,
                    0.25,
                    rng.choices(("Married", "Single", "Divorced", "Widowed"), (45, 35, 12, 8))[0],
                ),
                "Pregnancy": _maybe(rng, 0.15, rng.choices(("No", "Yes"), (97, 3))[0]),
            }
        )
    return _write(rows)


def social_care_users(n: int = 800, seed: int = 20) -> bytes:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        quarter = rng.randrange(8)
        started = QUARTER_STARTS[quarter] + timedelta(days=rng.randrange(90))
        age = min(101, max(18, int(rng.gauss(74, 14))))
        rows.append(
            {
                "Person id": f"ASC-{200000 + i}",
                "Start date": started.isoformat(),
                "Ethnicity": _maybe(rng, 0.92, _pick(rng, CARE_ETHNICITY)),
                "Sex": rng.choices(("F", "M"), weights=(60, 40))[0],
                "Age": str(age),
                "Disability": _maybe(rng, 0.85, rng.choices(("Yes", "No"), (78, 22))[0]),
                "Religion": _maybe(rng, 0.6, _pick(rng, RELIGION)),
            }
        )
    return _write(rows)


__all__ = ["complaints", "social_care_users"]
