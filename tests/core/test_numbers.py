"""Rounding as a person writes it, shared by pages and downloads."""

import pytest

from equitable.core.numbers import round_half_up


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (90.05, 1, 90.1),  # 1,801 of 2,000; round() gives 90.0
        (2.675, 2, 2.68),  # round() gives 2.67
        (-0.04, 1, 0.0),
        (-15.65, 1, -15.7),
        (2.5, 0, 3),
        (18.758176, 2, 18.76),
        (510, 1, 510),
    ],
)
def test_half_rounds_away_from_zero(value, places, rounded):
    result = round_half_up(value, places)
    assert result == rounded and str(result) != "-0.0"


def test_no_places_gives_a_whole_number_and_odd_floats_pass_through():
    assert isinstance(round_half_up(2.5, 0), int)
    assert round_half_up(float("inf"), 1) == float("inf")
