"""The register's quality measures against a hand-worked example (module docstring's
formulas; Wilson intervals worked by hand with z = 1.96)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics.eqia.quality import INPUT_SCHEMA, quality_measures

ON = date(2025, 6, 30)
REGISTER = pl.DataFrame(
    [
        # decided, screened in time, signed off in time, evidence for all 12
        (date(2025, 3, 31), date(2025, 1, 10), date(2025, 3, 1), 12, 12),
        # decided, screened after the decision, not signed off, one characteristic without
        (date(2025, 4, 30), date(2025, 5, 2), None, 12, 11),
        # decided, screened in time, signed off after the decision, evidence for all
        (date(2025, 5, 31), date(2025, 2, 1), date(2025, 6, 15), 12, 12),
        # decision still to come: counts only for evidence (screened, none recorded)
        (date(2025, 9, 30), date(2025, 6, 1), None, 12, 0),
        # no decision date, not screened: counts nowhere
        (None, None, None, 12, 0),
    ],
    schema=INPUT_SCHEMA,
    orient="row",
)


def _by_measure(frame):
    return {row["measure"]: row for row in frame.to_dicts()}


def test_the_hand_worked_register():
    rows = _by_measure(quality_measures(REGISTER, ON))
    screened = rows["screened_before_decision"]
    assert (screened["numerator"], screened["denominator"]) == (2, 3)
    assert screened["percent"] == pytest.approx(66.667, abs=0.001)
    # Wilson 2 of 3: centre (2/3 + z²/6) / (1 + z²/3) = 0.5731, half-width 0.3654.
    assert (screened["ci_low"], screened["ci_high"]) == (
        pytest.approx(20.77, abs=0.01),
        pytest.approx(93.85, abs=0.01),
    )
    evidence = rows["evidence_for_every_characteristic"]
    assert (evidence["numerator"], evidence["denominator"]) == (2, 4)
    # Wilson 2 of 4: centred on 0.5, half-width 0.3500.
    assert (evidence["ci_low"], evidence["ci_high"]) == (
        pytest.approx(15.00, abs=0.01),
        pytest.approx(85.00, abs=0.01),
    )
    signed = rows["signed_off_on_time"]
    assert (signed["numerator"], signed["denominator"]) == (1, 3)
    assert (signed["ci_low"], signed["ci_high"]) == (
        pytest.approx(6.15, abs=0.01),
        pytest.approx(79.23, abs=0.01),
    )


def test_an_empty_register_has_no_shares():
    rows = quality_measures(pl.DataFrame(schema=INPUT_SCHEMA), ON).to_dicts()
    assert [r["denominator"] for r in rows] == [0, 0, 0]
    assert all(r["percent"] is None and r["ci_low"] is None for r in rows)


def test_a_register_without_a_column_is_refused_by_name():
    with pytest.raises(ValueError, match="signed_off_on"):
        quality_measures(REGISTER.drop("signed_off_on"), ON)
