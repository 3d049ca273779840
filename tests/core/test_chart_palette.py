"""The chart colours stay apart for people with colour-vision deficiency.

Every family of labels drawn together (charts.COLOUR_FAMILIES) and the fallback palette, in
every order a chart can take them, are simulated for protanopia, deuteranopia and tritanopia
with the matrices of Machado, Oliveira and Fernandes (2009, "A physiologically-based model for
simulation of color vision deficiency", IEEE TVCG 15(6), severity 1.0, applied to linear RGB),
and every pair must stay at least charts.MIN_DELTA_E apart in CIEDE2000 (Sharma, Wu and Dalal
2005, "The CIEDE2000 color-difference formula: implementation notes"). Each colour also has
3:1 contrast with the white page (WCAG 2.2 success criterion 1.4.11).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from equitable.core import charts
from equitable.metrics.labels import (
    DETAILED_ETHNICITIES,
    DISABILITY_VALUES,
    ETHNIC_GROUP_VALUES,
    SEX_VALUES,
)

MACHADO = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    t = (SRGB_TO_XYZ @ linear) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def simulated_lab(hex_colour: str, vision: str) -> np.ndarray:
    return lab(np.clip(MACHADO[vision] @ linear_rgb(hex_colour), 0, 1))


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    rc = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    rt = -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    return float(
        np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))
    )


def contrast_with_white(hex_colour: str) -> float:
    luminance = float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(hex_colour))
    return 1.05 / (luminance + 0.05)


def closest_pair(colours: list[str]) -> tuple[float, str]:
    worst = (float("inf"), "")
    for vision in MACHADO:
        for a, b in itertools.combinations(colours, 2):
            difference = ciede2000(simulated_lab(a, vision), simulated_lab(b, vision))
            worst = min(worst, (difference, f"{a} and {b} in {vision}"))
    return worst


def test_the_colour_difference_matches_the_published_test_data():
    # Sharma, Wu and Dalal (2005), table 1, pairs 1 and 17.
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == (
        pytest.approx(2.0425, abs=1e-4)
    )
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == (
        pytest.approx(27.1492, abs=1e-4)
    )


def test_a_full_deficiency_turns_red_and_green_alike():
    """The simulation does what it is for: pure red and a green of the same lightness, far
    apart in normal vision, come close for a deuteranope."""
    red, green = "#d55e00", "#5e8f00"
    normal = ciede2000(simulated_lab(red, "normal vision"), simulated_lab(green, "normal vision"))
    deutan = ciede2000(simulated_lab(red, "deuteranopia"), simulated_lab(green, "deuteranopia"))
    assert normal > 30 and deutan < normal / 2


@pytest.mark.parametrize("family", sorted(charts.COLOUR_FAMILIES))
def test_each_family_of_groups_stays_apart_in_every_colour_vision(family):
    labels = charts.COLOUR_FAMILIES[family]
    colours = charts.colours_for(labels)
    assert len(set(colours)) == len(labels), "two groups drawn together share a colour"
    assert all(label in charts.GROUP_COLOURS for label in labels)
    difference, where = closest_pair(colours)
    assert difference >= charts.MIN_DELTA_E, f"{family}: ΔE2000 {difference:.1f} for {where}"


def test_the_fallback_colours_stay_apart_in_every_colour_vision():
    difference, where = closest_pair(list(charts.FALLBACK))
    assert difference >= charts.MIN_DELTA_E, f"ΔE2000 {difference:.1f} for {where}"


def test_every_colour_has_three_to_one_contrast_with_the_page():
    for colour in {*charts.GROUP_COLOURS.values(), *charts.FALLBACK, charts.SINGLE_COLOUR}:
        assert contrast_with_white(colour) >= 3.0, colour


def test_every_group_the_figures_report_has_its_own_fixed_colour():
    for label in (*ETHNIC_GROUP_VALUES, *SEX_VALUES, *DISABILITY_VALUES):
        assert label in charts.GROUP_COLOURS, label
    for name, group in DETAILED_ETHNICITIES:
        assert charts.GROUP_COLOURS[name] == charts.GROUP_COLOURS[group]
    for family in charts.COLOUR_FAMILIES.values():
        for label in family:
            assert charts.colours_for([label]) == [charts.GROUP_COLOURS[label]]
