"""Sample URL parameters for the training views (see tests/matrix_support.py)."""

from __future__ import annotations

NOT_OBJECT_SCOPED = {"training:overdue_download"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.training.models import TrainingImport
    from equitable.workforce.services import frame_to_parquet
    from tests.training.conftest import records_frame

    pending = TrainingImport.objects.create(
        organisation=org,
        kind="records",
        source_filename="training.csv",
        row_count=2,
        summary={"rows": 2},
        parquet=frame_to_parquet(records_frame()),
    )
    return {
        "training:preview": {"pk": pending.pk},
        "training:confirm": {"pk": pending.pk},
        "training:overdue_download": {"fmt": "csv"},
    }
