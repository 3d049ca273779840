"""The training figures beside 2b.2, 2c.4 and 2c.6: read from the protected all-staff row,
withheld figures shown as withheld, empty pools left out."""

from __future__ import annotations

from datetime import date

from equitable.standard.training_evidence import figures

ON = date(2025, 3, 31)
ROW = {
    "staff": 200,
    "mandatory_completed": 150,
    "mandatory_completed_percent": 75.0,
    "mandatory_completed_percent_ci_low": 68.6,
    "mandatory_completed_percent_ci_high": 80.5,
    "new_starters": 0,
    "inducted_in_8_weeks": 0,
    "inducted_in_8_weeks_percent": None,
    "existing_staff": 190,
    "up_to_date": 120,
    "up_to_date_percent": 63.2,
    "up_to_date_percent_ci_low": 56.1,
    "up_to_date_percent_ci_high": 69.7,
    "facilitated_workshop": None,  # withheld
    "facilitated_workshop_percent": None,
    "panel_members": 12,
    "panel_trained": 9,
    "panel_trained_percent": 75.0,
    "panel_trained_percent_ci_low": 46.8,
    "panel_trained_percent_ci_high": 91.1,
}


def test_each_criterion_gets_its_figures_from_the_protected_row():
    found = figures(ROW, ON)
    assert [f["measure"] for f in found["2b.2"]] == ["Completed mandatory EDI training"]
    assert found["2b.2"][0]["percent"] == 75.0  # new starters: none, so left out
    facilitated, up_to_date = found["2c.4"]
    assert facilitated["withheld"] is True and facilitated["count"] is None
    assert up_to_date["pool"] == 190 and up_to_date["withheld"] is False
    assert found["2c.6"][0]["count"] == 9 and found["2c.6"][0]["as_of"] == ON


def test_no_panel_list_means_nothing_beside_2c6():
    assert "2c.6" not in figures({**ROW, "panel_members": 0}, ON)
