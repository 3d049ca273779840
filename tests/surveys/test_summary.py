"""The board report's staff survey panel: the newest wave, its figures exactly the published
(protected) ones, a withheld figure carried as withheld with its reason and never a number."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from equitable.metrics.labels import AGGREGATE_LABEL, WHITE
from equitable.surveys import bank, figures, summary
from equitable.surveys.models import Survey

pytestmark = pytest.mark.django_db

NUMBERS = {"value", "points", "from", "to", "ci_low", "ci_high", "significant"}


def _row(table: pl.DataFrame, **match: str) -> dict:
    rows = table.filter(*(pl.col(c) == v for c, v in match.items()))
    assert rows.height == 1, match
    return rows.row(0, named=True)


def _figures(panel: dict) -> list[tuple[str, str, dict]]:
    found = []
    for q in panel["questions"]:
        for key in ("all_staff", "black_asian_multi_ethnic", "white", "difference", "change"):
            if q[key] is not None:
                found.append((q["code"], key, q[key]))
    return found


def test_the_panel_is_the_newest_wave(surveyed):
    panel = summary.board_panel(surveyed)
    latest = Survey.objects.get(organisation=surveyed, title="Pulse survey summer 2024")
    assert figures.latest_survey(surveyed) == latest
    assert panel["title"] == "Pulse survey summer 2024"
    assert panel["month"] == "2024-06" and panel["month_label"] == "June 2024"
    assert panel["respondents"] == latest.respondent_count
    assert panel["threshold"] == latest.threshold
    assert panel["previous"] == {"title": "Pulse survey summer 2023", "month_label": "June 2023"}
    assert [q["code"] for q in panel["questions"]] == [
        q.code for q in latest.questions.filter(kind="scaled").order_by("position")
    ]
    # No workforce snapshot of the survey's date: no response rate is published.
    assert panel["response_rate"] is None


def test_the_figures_are_the_published_ones(surveyed):
    panel = summary.board_panel(surveyed)
    tables = figures.published_tables(figures.latest_survey(surveyed))
    for q in panel["questions"]:
        code = q["code"]
        sources = {
            "all_staff": _row(tables["results_overall"], question=code),
            "black_asian_multi_ethnic": _row(
                tables["results_by_ethnic_group"], question=code, ethnic_group=AGGREGATE_LABEL
            ),
            "white": _row(tables["results_by_ethnic_group"], question=code, ethnic_group=WHITE),
            "difference": _row(
                tables["comparison_with_white"], question=code, ethnic_group=AGGREGATE_LABEL
            ),
            "change": _row(
                tables["change_since_previous"],
                question=code,
                characteristic="ethnic_group",
                group=AGGREGATE_LABEL,
            ),
        }
        for key, source in sources.items():
            shown = q[key]
            if source["suppressed"]:
                assert shown["withheld"] and shown["why"] == source["why_withheld"]
                assert panel["notes"][shown["note"] - 1] == source["why_withheld"]
                continue
            assert not shown["withheld"]
            if key in ("all_staff", "black_asian_multi_ethnic", "white"):
                assert shown["value"] == source["percent_favourable"]
            elif key == "difference":
                assert (shown["points"], shown["ci_low"], shown["ci_high"]) == (
                    source["difference_points"],
                    source["ci_low"],
                    source["ci_high"],
                )
                assert shown["significant"] == source["significant"]
            else:
                assert (shown["from"], shown["to"], shown["points"]) == (
                    source["previous_percent_favourable"],
                    source["percent_favourable"],
                    source["change_points"],
                )
                assert (shown["ci_low"], shown["ci_high"]) == (source["ci_low"], source["ci_high"])


def _white_withheld(real):
    """published_tables with every White row withheld, as disclosure control marks it (and the
    comparisons with White that rest on it)."""

    def tables(survey):
        found = dict(real(survey))
        for name, frame in found.items():
            if "ethnic_group" not in frame.columns or "suppressed" not in frame.columns:
                continue
            # Every comparison with White rests on White's row: withheld with it.
            white = (
                pl.lit(True)
                if name == "comparison_with_white"
                else pl.col("ethnic_group") == "White"
            )
            numbers = [
                c
                for c, dtype in frame.schema.items()
                if dtype.is_numeric() and c not in ("position",)
            ]
            found[name] = frame.with_columns(
                *(pl.when(white).then(None).otherwise(pl.col(c)).alias(c) for c in numbers),
                pl.when(white).then(True).otherwise(pl.col("suppressed")).alias("suppressed"),
                *(
                    [
                        pl.when(white)
                        .then(pl.lit("Fewer than 10 respondents."))
                        .otherwise(pl.col("why_withheld"))
                        .alias("why_withheld")
                    ]
                    if "why_withheld" in frame.columns
                    else []
                ),
            )
        return found

    return tables


def test_withheld_figures_carry_their_reason_and_no_number(surveyed, monkeypatch):
    monkeypatch.setattr(summary, "published_tables", _white_withheld(summary.published_tables))
    panel = summary.board_panel(surveyed)
    withheld = [(code, key, f) for code, key, f in _figures(panel) if f["withheld"]]
    shown = [f for _, _, f in _figures(panel) if not f["withheld"]]
    assert withheld and shown
    assert {key for _, key, _ in withheld} >= {"white"}
    for _, _, figure in withheld:
        assert not NUMBERS & set(figure)
        assert figure["why"].strip()
        assert panel["notes"][figure["note"] - 1] == figure["why"]
    assert len(panel["notes"]) == len(set(panel["notes"])) == len({f["why"] for *_, f in withheld})
    first = panel["questions"][0]
    assert first["white"]["withheld"] and first["difference"]["withheld"]


def test_the_panel_is_plain_json(surveyed):
    panel = summary.board_panel(surveyed)
    assert json.loads(json.dumps(panel)) == panel


def test_the_wave_is_the_newest_closed_by_the_date(surveyed):
    assert summary.board_panel(surveyed, on=date(2024, 6, 1))["title"] == "Pulse survey summer 2024"
    assert (
        summary.board_panel(surveyed, on=date(2024, 5, 31))["title"] == "Pulse survey summer 2023"
    )
    assert summary.board_panel(surveyed, on=date(2020, 11, 30)) is None


def test_no_survey_no_panel(org):
    assert summary.board_panel(org) is None


def test_a_long_survey_keeps_its_indicator_and_index_questions_first(surveyed):
    wave = Survey.objects.get(organisation=surveyed, title="Staff Survey on Race 2020")
    scaled = list(wave.questions.filter(kind="scaled").order_by("position"))
    assert len(scaled) > summary.MAX_QUESTIONS
    marked = set(bank.indicators_for(wave).values()) | {
        code for members in bank.indices_for(wave).values() for code in members
    }
    assert marked
    chosen = summary.headline_questions(wave)
    assert len(chosen) == summary.MAX_QUESTIONS
    assert marked <= {q.code for q in chosen}
    assert [q.position for q in chosen] == sorted(q.position for q in chosen)
    panel = summary.board_panel(surveyed, on=date(2021, 1, 1))
    assert panel["title"] == "Staff Survey on Race 2020" and panel["previous"] is None
    assert [q["code"] for q in panel["questions"]] == [q.code for q in chosen]
    # The first wave has nothing to compare with.
    assert not panel["any_change"]


def _rates(**overall) -> dict[str, pl.DataFrame]:
    row = {
        "characteristic": "overall",
        "group": "All staff",
        "respondents": 455,
        "headcount": 1000,
        "response_rate": 45.5,
        "ci_low": 42.4,
        "ci_high": 48.6,
        "suppressed": False,
        "why_withheld": None,
    } | overall
    return {"response_rates": pl.DataFrame([row])}


def test_the_response_rate_is_the_published_overall_one():
    notes: list[str] = []
    assert summary._response_rate(_rates(), notes) == {"withheld": False, "value": 45.5}
    withheld = summary._response_rate(
        _rates(response_rate=None, suppressed=True, why_withheld="fewer than 10 respondents"),
        notes,
    )
    assert withheld == {"withheld": True, "why": "fewer than 10 respondents", "note": 1}
    assert notes == ["fewer than 10 respondents"]
    assert summary._response_rate({}, notes) is None
    # More respondents than the HR headcount: no rate can be given, none is shown.
    assert summary._response_rate(_rates(response_rate=None), notes) is None
