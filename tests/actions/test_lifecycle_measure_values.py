"""Lifecycle measures stored by the app: recomputed when lifecycle records are imported, exact
for the EDI and HR teams and from the protected tables for everyone else, with a clear state
before the data exist."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.actions import services
from equitable.actions.models import Measure, MeasureValue
from equitable.lifecycle import imports
from equitable.lifecycle import services as lifecycle

pytestmark = pytest.mark.django_db

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"


def _applications_csv(tmp_path, years: dict[str, dict[str, tuple[int, int]]]):
    """For each year's application date, each ethnicity's (applied, appointed)."""
    rows = []
    for day, groups in years.items():
        for ethnicity, (applied, appointed) in groups.items():
            for n in range(applied):
                rows.append(
                    {
                        "application_id": f"A{len(rows)}",
                        "ethnicity": ethnicity,
                        "stage_reached": "appointed" if n < appointed else "applied",
                        "date_applied": day,
                    }
                )
    path = tmp_path / "applications.csv"
    pl.DataFrame(rows).write_csv(path)
    return path


# 2024-25: White 10 of 40 appointed, African 6 of 60. 2025-26: 20 of 100 each.
YEARS = {
    "2024-06-01": {WHITE_BRITISH: (40, 10), "African": (60, 6)},
    "2025-06-01": {WHITE_BRITISH: (100, 20), "African": (100, 20)},
}


@pytest.fixture
def success_measure(corporate):
    _, _, measure = corporate
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "applicant_success_relative_likelihood"
    measure.unit = "ratio"
    measure.save()
    measure.values.all().delete()  # the factory's hand-entered value
    return measure


def _import(org, tmp_path, years=YEARS):
    outcome = imports.import_file(org, "applications", _applications_csv(tmp_path, years))
    assert outcome.ok, outcome.problems[:5]


def test_before_any_recruitment_data_the_measure_says_what_to_import(success_measure):
    services.refresh_computed_values(success_measure.plan.organisation)
    assert not success_measure.values.exists()
    assert services.lifecycle_availability(success_measure) == (
        "Not available yet: import recruitment applications (one row per application, or "
        "counts per stage)."
    )


def test_importing_applications_stores_one_value_per_year(org, success_measure, tmp_path):
    _import(org, tmp_path)  # figures_changed: no explicit refresh
    stored = MeasureValue.objects.filter(measure=success_measure).order_by("on")
    # 2024-25: (10/40) / (6/60) = 0.25 / 0.10 = 2.50; 2025-26: 0.20 / 0.20 = 1.00.
    assert [(v.on, v.value, v.origin) for v in stored] == [
        (date(2025, 3, 31), 2.5, "lifecycle"),
        (date(2026, 3, 31), 1.0, "lifecycle"),
    ]
    assert services.lifecycle_availability(success_measure) is None


def test_the_published_value_is_the_protected_tables_figure(org, success_measure, tmp_path):
    _import(org, tmp_path)
    published = lifecycle.published_family(org, "recruitment")["recruitment_relative_likelihood"]
    shown = {
        row["period"]: row["relative_likelihood"]
        for row in published.to_dicts()
        if row["applicant_type"] == "All"
        and row["stage"] == "applied to appointed"
        and row["ethnic_group"] == "Black, Asian and Multi-ethnic"
    }
    stored = {v.on: v.published_value for v in success_measure.values.all()}
    assert stored == {date(2025, 3, 31): shown["2024-25"], date(2026, 3, 31): shown["2025-26"]}
    # 6 Black, Asian and Multi-ethnic appointees in 2024-25 is under the threshold: withheld.
    assert org.suppression_threshold > 6
    assert stored[date(2025, 3, 31)] is None
    status = services.measure_status(success_measure, date(2026, 12, 1), published=True)
    assert [v.on for v in status.values] == [date(2026, 3, 31)]
    # The exact value is the EDI officer's; the reader without personal access never gets it.
    assert services.measure_status(success_measure, date(2026, 12, 1)).values[0].value == 2.5


def test_deleting_the_records_removes_the_values(org, success_measure, tmp_path):
    _import(org, tmp_path)
    assert success_measure.values.count() == 2
    lifecycle.delete_records(org, "applications", user=None)
    assert not success_measure.values.exists()


def test_a_year_that_gives_no_figure_stores_no_value(org, success_measure, tmp_path):
    # Nobody Black, Asian or Multi-ethnic appointed: White's rate over 0 is not calculable.
    _import(org, tmp_path, {"2024-06-01": {WHITE_BRITISH: (40, 10), "African": (60, 0)}})
    assert not success_measure.values.exists()
    assert services.lifecycle_availability(success_measure).startswith("No value yet")


def test_the_measure_page_says_not_available_yet(client_as, success_measure):
    client = client_as("edi_officer")
    response = client.get(f"/actions/measures/{success_measure.pk}/")
    assert response.status_code == 200
    assert "Not available yet: import recruitment applications" in response.content.decode()


def test_lifecycle_keys_are_accepted_in_a_workbook():
    assert {
        "applicant_success_relative_likelihood",
        "disciplinary_black_asian_multi_ethnic_share",
        "promotion_black_asian_multi_ethnic_rate",
    } <= services.computed_keys()
