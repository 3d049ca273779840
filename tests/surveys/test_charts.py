"""Survey charts: unfavourable left of the centre, favourable right, withheld rows explained,
accessible names unique on the page."""

from __future__ import annotations

import json
import re

from equitable.surveys import charts

SCALE = {
    "points": ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree"],
    "favourable": ["Strongly agree", "Agree"],
    "unfavourable": ["Disagree", "Strongly disagree"],
}
SHOWN = {
    "group": "White",
    "suppressed": False,
    "distribution": json.dumps(
        [
            ["Strongly agree", 20],
            ["Agree", 40],
            ["Neither", 20],
            ["Disagree", 10],
            ["Strongly disagree", 10],
        ]
    ),
    "percent_favourable": 60.0,
    "ci_low": 50.0,
    "ci_high": 70.0,
}
HIDDEN = {
    "group": "Mixed",
    "suppressed": True,
    "distribution": None,
    "percent_favourable": None,
    "why_withheld": "fewer than 10 respondents",
}


def _rects(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(w), answer)
        for x, w, answer in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="[^"]+">'
            r"<title>([^:]+):",
            svg,
        )
    ]


def test_unfavourable_lies_left_of_the_centre_and_neutral_straddles_it():
    svg = str(
        charts.diverging_bars([SHOWN], label="group", scale=SCALE, title="T", description="D")
    )
    centre = charts.LABEL_WIDTH + charts.BAR_WIDTH / 2
    parts = {answer: (x, x + w) for x, w, answer in _rects(svg)}
    assert parts["Disagree"][1] <= centre + 0.1 and parts["Strongly disagree"][1] <= centre + 0.1
    assert parts["Agree"][0] >= centre - 0.1
    assert parts["Neither"][0] < centre < parts["Neither"][1]
    assert parts["Strongly disagree"][0] < parts["Disagree"][0]


def test_a_withheld_row_is_a_labelled_gap_not_a_zero():
    for svg in (
        charts.diverging_bars(
            [SHOWN, HIDDEN], label="group", scale=SCALE, title="T", description="D"
        ),
        charts.favourable_bars([SHOWN, HIDDEN], label="group", title="T", description="D"),
    ):
        text = str(svg)
        assert "withheld" in text
        assert "Mixed:" not in text


def test_every_chart_has_its_own_title_and_description_and_whiskers():
    first = str(charts.favourable_bars([SHOWN], label="group", title="One", description="D1"))
    second = str(charts.favourable_bars([SHOWN], label="group", title="Two", description="D2"))
    ids = [re.search(r'aria-labelledby="([^"]+)"', s).group(1) for s in (first, second)]
    assert ids[0] != ids[1]
    assert "<title id=" in first and "<desc id=" in first
    assert "<path d=" in first  # the 95% interval whisker


def test_no_rows_no_chart():
    assert charts.diverging_bars([], label="g", scale=SCALE, title="T", description="D") is None
    assert charts.favourable_bars([], label="g", title="T", description="D") is None
