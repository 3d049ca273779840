"""Levels suggested for 2a.1, 2a.5, 2e.2 and 3.6 from the lifecycle data held, each with its
rule beside it; from the protected tables only."""

from __future__ import annotations

import copy
import functools
from datetime import date

import polars as pl
import pytest

from equitable.metrics import disclosure_control
from equitable.metrics.lifecycle import records, recruitment
from equitable.standard import lifecycle_suggestions as ls
from equitable.standard import services

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
END_2024_25 = date(2025, 3, 31)


def _recruitment(stops: dict[str, int], day: str = "2024-06-01", threshold: int = 10):
    """Protected recruitment tables (as rows): as many White British and as many Indian
    applicants stopped at each stage as `stops` says."""
    return copy.deepcopy(_protected(tuple(stops.items()), day, threshold))


@functools.cache
def _protected(stops: tuple[tuple[str, int], ...], day: str, threshold: int):
    rows = []
    for ethnicity in (WHITE_BRITISH, "Indian"):
        for stage, count in stops:
            rows += [
                {
                    "application_id": f"A{len(rows) + n}",
                    "ethnicity": ethnicity,
                    "stage_reached": stage,
                    "date_applied": day,
                }
                for n in range(count)
            ]
    result = records.validate_records(pl.DataFrame(rows), recruitment.APPLICATIONS)
    assert result.ok, result.problems
    exact = recruitment.recruitment_tables(result.frame)
    protected = disclosure_control.protect(exact, layouts=recruitment.LAYOUTS, threshold=threshold)
    return {name: frame.to_dicts() for name, frame in protected.items()}


def _evidence(families, on=END_2024_25):
    return ls.lifecycle_evidence(families, on)


WITH_SHORTLIST = {"applied": 20, "shortlisted": 15, "appointed": 15}


def test_2a_1_shortlisted_and_appointed_stages_of_the_last_year_suggest_established():
    evidence = _evidence({"recruitment": _recruitment(WITH_SHORTLIST)})
    assert evidence.recruitment_stages == {"applied", "shortlisted", "appointed"}
    suggestion = ls.suggest_recruitment_stages(evidence)
    assert suggestion.level == "established"
    assert suggestion.figure_text == (
        "Recruitment data for 2024-25 with the stages applied, shortlisted, appointed"
    )
    assert suggestion.reason.startswith("Rule: recruitment data of the last 12 months")
    assert "add the interviewed stage" in suggestion.reason


def test_2a_1_with_the_interview_stage_suggests_leading():
    stops = {"applied": 20, "shortlisted": 10, "interviewed": 10, "appointed": 10}
    assert ls.suggest_recruitment_stages(_evidence({"recruitment": _recruitment(stops)})).level == (
        "leading"
    )


def test_2a_1_without_a_shortlisting_stage_is_developing_and_says_what_is_missing():
    suggestion = ls.suggest_recruitment_stages(
        _evidence({"recruitment": _recruitment({"applied": 30, "appointed": 20})})
    )
    assert suggestion.level == "developing"
    assert "this data has no shortlisted stage" in suggestion.reason


def test_2a_1_with_data_older_than_a_year_is_developing():
    old = _recruitment(WITH_SHORTLIST, day="2022-06-01")
    suggestion = ls.suggest_recruitment_stages(_evidence({"recruitment": old}))
    assert suggestion.level == "developing"
    assert (
        suggestion.figure_text == "Recruitment data held, none for the 12 months to 31 March 2025"
    )


def test_2a_5_needs_a_longlisted_stage_in_the_last_year():
    with_longlist = {"applied": 20, "longlisted": 15, "shortlisted": 10, "appointed": 10}
    yes = ls.suggest_longlist_review(_evidence({"recruitment": _recruitment(with_longlist)}))
    assert (yes.level, yes.figure_text) == (
        "established",
        "Appointments compared with the longlist for 2024-25",
    )
    no = ls.suggest_longlist_review(_evidence({"recruitment": _recruitment(WITH_SHORTLIST)}))
    assert (no.level, no.figure_text) == (
        "none",
        "Recruitment data for 2024-25 with no longlisted stage",
    )
    assert no.reason.startswith("Rule: established needs")


def _rl_rows(table, low, high, **keys):
    return {
        table: [
            {
                "period": "2024-25",
                "ethnic_group": "Black, Asian and Multi-ethnic",
                "reference_group": "White",
                "relative_likelihood": (low + high) / 2,
                "ci_low": low,
                "ci_high": high,
                **keys,
            }
        ]
    }


def _four_areas(*, disciplinary=(0.7, 1.4), promotion=(0.8, 1.2)):
    return {
        "recruitment": _recruitment(WITH_SHORTLIST),
        "movements": {
            **_rl_rows("promotions", *promotion),
            **_rl_rows("leavers_relative_likelihood", 0.9, 1.1),
        },
        "casework": _rl_rows("casework_relative_likelihood", *disciplinary, process="disciplinary"),
        "development": _rl_rows("development_relative_likelihood", 0.6, 1.3),
    }


def test_2e_2_all_four_areas_and_no_disparity_beyond_chance_suggest_established():
    suggestion = ls.suggest_lifecycle_impact(_evidence(_four_areas()))
    assert suggestion.level == "established"
    assert suggestion.figure_text.startswith(
        "Lifecycle data for the 12 months to 31 March 2025: 4 of 4 areas"
    )
    assert "Leading (a positive impact" in suggestion.reason


def test_2e_2_a_disparity_beyond_chance_keeps_it_developing():
    # Black, Asian and Multi-ethnic staff entering a formal disciplinary 1.8 times as often
    # (95% CI 1.3 to 2.5), and promoted less (0.5 to 0.9): both against them, beyond chance.
    evidence = _evidence(_four_areas(disciplinary=(1.3, 2.5), promotion=(0.5, 0.9)))
    # In the order of the areas: movements before casework.
    assert evidence.disparities == ("promotion (2024-25)", "formal disciplinaries (2024-25)")
    suggestion = ls.suggest_lifecycle_impact(evidence)
    assert suggestion.level == "developing"
    assert "disparities in promotion (2024-25), formal disciplinaries (2024-25)" in (
        suggestion.figure_text
    )


def test_2e_2_a_withheld_interval_shows_nothing_either_way():
    families = _four_areas()
    families["casework"]["casework_relative_likelihood"][0].update(ci_low=None, ci_high=None)
    assert ls.suggest_lifecycle_impact(_evidence(families)).level == "established"


def test_2e_2_and_3_6_count_the_areas_with_data_of_the_last_year():
    two = {"recruitment": _recruitment(WITH_SHORTLIST), "casework": _four_areas()["casework"]}
    evidence = _evidence(two)
    assert evidence.recent == {"recruitment", "casework"}
    impact = ls.suggest_lifecycle_impact(evidence)
    assert impact.level == "developing"
    assert "missing: movements (starters, leavers, promotions) and training and development" in (
        impact.reason
    )
    capture = ls.suggest_lifecycle_capture(evidence)
    assert capture.level == "developing"
    assert capture.figure_text == (
        "Lifecycle data for the 12 months to 31 March 2025: 2 of 4 areas (recruitment and "
        "casework (formal processes))"
    )
    one = ls.suggest_lifecycle_capture(_evidence({"casework": _four_areas()["casework"]}))
    assert one.level == "none"


def test_no_lifecycle_data_gives_no_suggestion():
    assert ls.suggest_from_lifecycle(_evidence({})) == {}


def test_old_data_gives_none_for_2e_2_and_3_6():
    evidence = _evidence(_four_areas(), on=date(2027, 3, 31))
    assert evidence.held == set(ls.FAMILIES) and not evidence.recent
    assert ls.suggest_lifecycle_impact(evidence).level == "none"
    assert ls.suggest_lifecycle_capture(evidence).level == "none"


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2024 to 2025", date(2025, 3, 31)),
        ("2024-25", date(2025, 3, 31)),
        ("2024/2025", date(2025, 3, 31)),
        ("Calendar year 2024", date(2026, 12, 2)),
        ("2024 to 2026", date(2026, 12, 2)),
    ],
)
def test_the_window_ends_with_the_period_assessed(period, end):
    assert ls.assessment_window_end(period, today=date(2026, 12, 2)) == end


@pytest.mark.django_db
def test_the_app_reads_the_protected_recruitment_tables(org, tmp_path, monkeypatch):
    """The suggestion is shown to every role reading the assessment: it is built from
    `published_family`, never from the exact tables."""
    from equitable.lifecycle import services as lifecycle

    asked = []

    def published(organisation, family):
        asked.append(family)
        return (
            {"recruitment_stages": pl.DataFrame(_recruitment(WITH_SHORTLIST)["recruitment_stages"])}
            if family == "recruitment"
            else {}
        )

    def exact(organisation, family):
        raise AssertionError("the suggestions must not read exact figures")

    monkeypatch.setattr(lifecycle, "published_family", published)
    monkeypatch.setattr(lifecycle, "exact_family", exact)
    suggestions = services.suggest_levels(org, {}, period="2024 to 2025")
    assert asked == list(ls.FAMILIES)
    assert suggestions["2a.1"].level == "established"
    assert suggestions["2a.1"].source == "lifecycle data"
    assert suggestions["3.6"].level == "none"


@pytest.mark.django_db
def test_a_category_without_these_criteria_does_not_read_the_lifecycle_data(org, monkeypatch):
    from equitable.lifecycle import services as lifecycle

    def published(organisation, family):
        raise AssertionError("category 1 has none of 2a.1, 2a.5, 2e.2, 3.6")

    monkeypatch.setattr(lifecycle, "published_family", published)
    assert services.suggest_levels(org, {}, criteria=["1.1", "1.2"]) == {}
