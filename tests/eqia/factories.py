"""Building blocks for the EqIA tests (used by conftest.py and matrix.py)."""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.eqia.models import Assessment, CharacteristicImpact, ProposalType
from equitable.workforce import services as workforce

ETHNICITIES = ("English, Welsh, Scottish, Northern Irish or British", "Indian", "African", "Irish")


def make_assessment(org, *, directorate="People", status=Assessment.Status.SCREENING, **fields):
    number = Assessment.objects.filter(organisation=org).count() + 1
    values = {
        "organisation": org,
        "ref": f"EQIA-{number:03d}",
        "title": "Business Support restructure",
        "proposal_type": ProposalType.RESTRUCTURE,
        "owner": "Director of People",
        "directorate": org.directorates.get(name=directorate) if directorate else None,
        "decision_date": date(2025, 6, 30),
        "decision_maker": "Cabinet",
        "status": status,
    }
    values.update(fields)
    return Assessment.objects.create(**values)


def awaiting_sign_off(org, submitted_by=None, **fields):
    return make_assessment(
        org,
        status=Assessment.Status.AWAITING_SIGN_OFF,
        full_assessment_needed=False,
        screening_reason="No impact found",
        submitted_by=submitted_by,
        **fields,
    )


def add_mitigation(assessment, characteristic="Race", text="Ring-fence the new roles"):
    return CharacteristicImpact.objects.create(
        assessment=assessment,
        stage=CharacteristicImpact.Stage.FULL,
        characteristic=characteristic,
        evidence="Snapshot",
        impact=CharacteristicImpact.Impact.NEGATIVE,
        size=CharacteristicImpact.Size.MEDIUM,
        mitigation=text,
    )


def staff_frame(count: int, *, offset: int = 0) -> pl.DataFrame:
    """Text cells as an HR extract gives them: ids E0000 …, ethnicity, sex, directorate."""
    ids = range(offset, offset + count)
    return pl.DataFrame(
        {
            "employee_id": [f"E{n:04d}" for n in ids],
            "ethnicity": [ETHNICITIES[n % len(ETHNICITIES)] for n in ids],
            "sex": ["Female" if n % 3 else "Male" for n in ids],
            "directorate": ["People" if n % 2 else "Place" for n in ids],
            "pay_band": [f"Band {1 + (n * 7) % 4}" for n in ids],
        }
    )


def store_snapshot(org, on: date, frame: pl.DataFrame):
    result = workforce.validate_file(org, frame, snapshot_date=on)
    assert not result.problems, result.problems[:5]
    return workforce.store_snapshot(
        org,
        result.frame,
        snapshot_date=on,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )
