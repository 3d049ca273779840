"""Pools for the mentoring tests, written as rows of the pool file."""

from __future__ import annotations

from equitable.metrics.mentoring.pool import Pool, pool_from_people


def person(person_id: str, role: str, band: int, directorate: str = "People", **rest) -> dict:
    return {
        "person_id": person_id,
        "role": role,
        "pay_band": str(band),
        "band_rank": band,
        "directorate": directorate,
        "capacity": rest.pop("capacity", 1 if role == "mentor" else 0),
        **rest,
    }


def pool_of(*people: dict, characteristics=("ethnic_group",)) -> Pool:
    return pool_from_people(list(people), characteristics)
