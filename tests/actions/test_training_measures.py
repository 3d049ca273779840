"""Computed measures from training compliance: one percentage of one row, per snapshot,
exact for the EDI and HR teams and as protected for everyone else."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from equitable.actions import services
from equitable.actions import training_measures as training_computed
from equitable.actions.models import Measure, MeasureValue
from equitable.training import services as training
from tests.actions.factories import make_plan
from tests.training.conftest import SNAPSHOT_DATE, records_csv
from tests.training.conftest import snapshot as snapshot  # noqa: F401 (the fixture)

ROWS = {
    "all_staff": [{"scope": "All staff", "mandatory_completed_percent": 75.0}],
    "by_directorate": [
        {"directorate": "People", "mandatory_completed_percent": 100.0},
        {"directorate": "Place", "mandatory_completed_percent": None},
    ],
    "by_ethnic_group": [
        {"ethnic_group": "Black, Asian and Multi-ethnic", "panel_trained_percent": 62.5}
    ],
}


def test_a_measure_reads_one_percentage_of_one_row():
    assert training_computed.value("training_mandatory_edi_completed", ROWS) == 75.0
    assert training_computed.value("training_mandatory_edi_completed", ROWS, "People") == 100.0
    # withheld (or nobody in the pool) stays None, never re-derived
    assert training_computed.value("training_mandatory_edi_completed", ROWS, "Place") is None
    key = "training_recruitment_panel_trained_black_asian_multi_ethnic"
    assert training_computed.value(key, ROWS) == 62.5
    assert training_computed.value(key, ROWS, "People") is None
    assert training_computed.value("training_mandatory_edi_completed", {}) is None


def test_training_keys_are_computed_keys_a_plan_may_use():
    assert set(training_computed.TRAINING_MEASURES) <= services.computed_keys()


def test_importing_records_sets_the_measure_for_the_snapshot(org, users, snapshot):
    _, _, measure = make_plan(org, "Corporate plan")
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "training_mandatory_edi_completed"
    measure.save()
    upload = SimpleUploadedFile("training.csv", records_csv().encode(), content_type="text/csv")
    checked = training.check_upload(org, users["edi_officer"], "records", upload)
    training.confirm(checked.pending, users["edi_officer"])  # figures_changed → refresh
    stored = MeasureValue.objects.get(measure=measure)
    assert (stored.on, stored.value, stored.origin) == (
        SNAPSHOT_DATE,
        75.0,
        MeasureValue.Origin.SNAPSHOT,
    )
    assert stored.published_value == 75.0  # 30 of 40: nothing small to withhold
