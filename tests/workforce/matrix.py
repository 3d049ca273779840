"""Sample URL parameters for the workforce views (see tests/matrix_support.py)."""

from __future__ import annotations

from datetime import date

NOT_OBJECT_SCOPED = {"workforce:figure", "workforce:download"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.workforce.models import ImportJob

    job = ImportJob.objects.create(
        organisation=org,
        source_filename="extract.csv",
        snapshot_date=date(2025, 3, 31),
        status=ImportJob.Status.INVALID,
        source_columns=["employee_id", "ethnicity"],
        column_mapping={"employee_id": "employee_id", "ethnicity": "ethnicity"},
        problems=[{"row": 2, "column": "ethnicity", "value": "?", "message": "not known"}],
        problem_count=1,
        unmapped_values={"ethnicity": ["?"]},
    )
    job_kwargs = {"pk": job.pk}
    return {
        "workforce:figure": {"name": "representation_overall"},
        "workforce:download": {"name": "representation_overall", "fmt": "csv"},
        "workforce:import-job": job_kwargs,
        "workforce:import-mapping": job_kwargs,
        "workforce:import-values": job_kwargs,
        "workforce:import-confirm": job_kwargs,
        "workforce:import-confirm-pay": job_kwargs,
        "workforce:import-cancel": job_kwargs,
    }
