"""WRES indicators picked from the tables: indicator 3 from casework (T11), indicator 9 in
percentage points (T11), the survey indicators marked, and missing data said plainly."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics.disclosure_control import protect
from equitable.metrics.lifecycle import casework as cw
from equitable.metrics.lifecycle import wres

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
AGGREGATE = "Black, Asian and Multi-ethnic"


def _representation(count: int, total: int, population: float | None = None) -> pl.DataFrame:
    row = {"ethnic_group": AGGREGATE, "count": count, "total": total}
    row |= {"percent": 100 * count / total, "percent_of_known": 100 * count / total}
    if population is not None:
        row["population_percent"] = population
    return pl.DataFrame([row])


def _staff(groups: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"employee_key": f"{e}-{i}", "ethnicity": e, "sex": "Female", "disability": "Not known"}
            for e, n in groups.items()
            for i in range(n)
        ]
    )


def _by(frame: pl.DataFrame, indicator: str) -> dict:
    return frame.filter(pl.col("indicator") == indicator).row(0, named=True)


def test_t11_indicator_9_is_minus_15_points_and_indicator_3_is_2():
    staff = _staff({"African": 800, WHITE_BRITISH: 1200})
    cases = pl.DataFrame(
        [
            {
                "case_id": f"{e}{i}",
                "employee_key": f"{e}-{i}",
                "case_type": "disciplinary",
                "formal": True,
                "date_opened": date(2024, 9, 1),
            }
            for e, n in (("African", 16), (WHITE_BRITISH, 12))
            for i in range(n)
        ]
    )
    tables = cw.casework_tables(cases, [(date(2025, 3, 31), staff)])
    tables["representation_overall"] = _representation(800, 2000)
    tables["representation_in_leadership_tiers"] = _representation(3, 12, population=30.0)
    indicators = wres.wres_indicators(tables)
    three = _by(indicators, "3")
    assert three["value"] == pytest.approx(2.0)
    assert three["status"] == wres.FROM_DATA
    assert three["source_table"] == "casework_relative_likelihood"
    nine = _by(indicators, "9a")
    assert nine["value"] == pytest.approx(-15.0)
    assert "15.0 percentage points below" in nine["reading"]
    assert _by(indicators, "9b")["value"] == pytest.approx(-5.0)
    for survey in ("5", "6", "7", "8"):
        row = _by(indicators, survey)
        assert (row["status"], row["value"]) == (wres.FROM_SURVEYS, None)
    assert _by(indicators, "2")["status"] == wres.NO_DATA  # no recruitment table given
    # protect() knows the table: its values are picked published figures.
    published = protect({"wres_indicators": indicators}, layouts=wres.LAYOUTS)
    assert _by(published["wres_indicators"], "9a")["value"] == pytest.approx(-15.0)


def _survey_row(indicator, group, percent, low=None, high=None, suppressed=False):
    return {
        "indicator": indicator,
        "title": indicator,
        "question": "q",
        "ethnic_group": group,
        "respondents": None if suppressed else 100,
        "percent": None if suppressed else percent,
        "ci_low": None if suppressed else low,
        "ci_high": None if suppressed else high,
        "suppressed": suppressed,
    }


def test_indicators_5_to_8_are_read_from_the_survey_table_beside_white():
    survey = pl.DataFrame(
        [
            _survey_row("wres6", "White", 22.2, 17.5, 27.7),
            _survey_row("wres6", "Black, Asian and Multi-ethnic", 26.8, 22.4, 31.9),
            _survey_row("wres7", "White", None, suppressed=True),
            _survey_row("wres7", "Black, Asian and Multi-ethnic", 42.1, 37.0, 47.5),
            _survey_row("wres8", "White", 9.6, 6.6, 13.7),
            _survey_row("wres8", "Black, Asian and Multi-ethnic", None, suppressed=True),
        ]
    )
    indicators = wres.wres_indicators({"wres_survey": survey}, "staff survey: Race Survey 2022")
    six = _by(indicators, "6")
    assert (six["value"], six["ci_low"], six["ci_high"]) == (26.8, 22.4, 31.9)
    assert six["status"] == wres.FROM_SURVEY
    assert six["source_table"] == "staff survey: Race Survey 2022"
    assert six["reading"] == (
        "26.8% of Black, Asian and Multi-ethnic respondents (95% CI 22.4% to 31.9%) "
        "against 22.2% of White respondents."
    )
    assert "White respondents' share, withheld" in _by(indicators, "7")["reading"]
    eight = _by(indicators, "8")  # the group's own row withheld: no number at all
    assert (eight["value"], eight["reading"]) == (None, wres.WITHHELD_READING)
    five = _by(indicators, "5")  # no question marked with it
    assert (five["status"], five["value"]) == (wres.FROM_SURVEYS, None)


def test_social_care_metrics_6_and_7_take_the_wres_5_and_6_questions_for_everyone():
    survey = pl.DataFrame(
        [
            _survey_row("wres5", "White", 30.4, 25.1, 36.2),
            _survey_row("wres5", "Black, Asian and Multi-ethnic", 31.1, 26.4, 36.2),
            _survey_row("wres6", "White", 22.2, 17.5, 27.7),
            _survey_row("wres6", "Black, Asian and Multi-ethnic", 26.8, 22.4, 31.9),
            _survey_row("scwres7", "White", 12.0, 8.0, 17.0),
            _survey_row("scwres7", "Black, Asian and Multi-ethnic", 19.0, 14.0, 25.0),
        ]
    )
    metrics = wres.social_care_wres_return({"wres_survey": survey}, "staff survey: Race 2022")
    six = _by(metrics, "6")
    assert (six["value"], six["status"]) == (31.1, wres.FROM_SURVEY)
    assert six["reading"].endswith("not only the social care workforce.")
    seven = _by(metrics, "7")  # a question marked SC-WRES 7 comes before the WRES 6 one
    assert (seven["value"], seven["ci_low"], seven["ci_high"]) == (19.0, 14.0, 25.0)
    assert "against 12.0% of White respondents" in seven["reading"]
