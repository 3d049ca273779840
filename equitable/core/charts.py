"""Charts as static SVG (Altair rendered by vl-convert): no JavaScript, no CSP exception, and the
same SVG works in pages and in WeasyPrint PDFs. Every chart is shown with a data table beside it
(the `figure` macro in core/jinja2/components/figure.html), so nothing is only visual.

What every chart does, whoever draws it:

* **One colour per group, everywhere.** `GROUP_COLOURS` gives each group a fixed colour, so
  "Asian" is the same blue on the representation page, the pay quartiles, the trends and the
  board report, for every role (a withheld group does not shift the others' colours, as Vega's
  colours-in-order would). Labels without a fixed colour (directorates, categories of the
  Standard, incident types) take `FALLBACK` in order.
* **Told apart with any colour vision.** The colours are Okabe and Ito's colour-blind-safe set,
  darkened where needed for 3:1 contrast on white (WCAG 2.2 1.4.11), plus a few for the other
  families. Every family of labels drawn together (`COLOUR_FAMILIES`) is checked in
  tests/core/test_chart_palette.py: each pair at least `MIN_DELTA_E` apart (CIEDE2000) in normal
  vision and simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009). A colour
  shared by two labels is only ever shared across families that never meet in one chart (a
  chart with two such labels gives the second a free colour, `colours_for`).
* **Full names.** Axis and legend labels are wrapped onto lines (`wrap_label`), never cut off
  with an ellipsis. Bars run horizontally so long group names have room.
* **Plain words.** Legend and axis titles are given by the caller in the page's words.
* **Years on time axes.** A time axis is ticked at the data's own dates, labelled with the year
  when there is one point a year ("2023, 2024, 2025") and with month and year otherwise; count
  axes have whole-number ticks only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import secrets
import textwrap
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ALL_ETHNIC_MINORITIES,
    DETAILED_ETHNICITIES,
    GROUP_ONLY_ETHNICITIES,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    UNKNOWN_GROUP,
    WHITE_BRITISH,
    WHITE_OTHER_THAN_BRITISH,
)

FONT = "Arial"
TEXT_COLOUR = "#0b0c0c"
FONT_SIZE = 13

# The palette. Okabe & Ito (2008) first, then darker companions for the other families.
BLUE = "#0072b2"
VERMILLION = "#d55e00"
BLUISH_GREEN = "#009e73"
REDDISH_PURPLE = "#cc79a7"
BROWN = "#663311"
GREY = "#505a5f"
NEAR_BLACK = "#0b0c0c"
DARK_GREEN = "#004d38"
PURPLE = "#6f2c91"
TEAL = "#00856f"
OCHRE = "#8c5a00"
INDIGO = "#332288"
VIOLET = "#440077"
NAVY = "#1d4f76"
SAND = "#b58840"

# The two bars of a representation chart (workforce beside residents): used by the catalogue.
STAFF_LABEL = "Staff of known ethnicity"
RESIDENTS_LABEL = "Residents (Census 2021)"
# A chart of one series (no colour legend) is the workforce's own figure: drawn in the staff colour.
SINGLE_COLOUR = NAVY

_ETHNIC_GROUP_COLOURS = {
    "Asian": BLUE,
    "Black": VERMILLION,
    "Mixed": REDDISH_PURPLE,
    "White": BLUISH_GREEN,
    "Other": BROWN,
    UNKNOWN_GROUP: GREY,
    AGGREGATE_LABEL: NEAR_BLACK,
    WHITE_BRITISH: DARK_GREEN,
    WHITE_OTHER_THAN_BRITISH: BLUISH_GREEN,
    ALL_ETHNIC_MINORITIES: NEAR_BLACK,
}
GROUP_COLOURS: dict[str, str] = {
    **_ETHNIC_GROUP_COLOURS,
    # A detailed ONS 2021 category (and "Asian (category not given)") is drawn in its group's
    # colour: charts show the 19 categories along an axis, not as 19 colours.
    **{name: _ETHNIC_GROUP_COLOURS[group] for name, group in DETAILED_ETHNICITIES},
    **{name: _ETHNIC_GROUP_COLOURS[group] for name, group in GROUP_ONLY_ETHNICITIES},
    NOT_KNOWN: GREY,
    PREFER_NOT_TO_SAY: OCHRE,
    "Female": PURPLE,
    "Male": TEAL,
    "Disabled": INDIGO,
    "Not disabled": REDDISH_PURPLE,
    # Characteristics (disclosure rates by directorate).
    "Ethnicity": BLUE,
    "Sex": VERMILLION,
    "Disability": BLUISH_GREEN,
    "Religion or belief": REDDISH_PURPLE,
    "Sexual orientation": BROWN,
    STAFF_LABEL: NAVY,
    RESIDENTS_LABEL: SAND,
}
# Labels without a fixed colour take these in order (a chart of directorates, say).
FALLBACK = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, BROWN, NEAR_BLACK, GREY, VIOLET)
# Labels that are drawn together in one chart; each family's colours must stay apart for every
# kind of colour vision (tests/core/test_chart_palette.py).
COLOUR_FAMILIES: dict[str, tuple[str, ...]] = {
    "ethnic groups": (
        "Asian",
        "Black",
        "Mixed",
        "White",
        "Other",
        UNKNOWN_GROUP,
        AGGREGATE_LABEL,
        WHITE_BRITISH,
    ),
    "ONS groupings": (
        "Asian",
        "Black",
        "Mixed",
        "Other",
        WHITE_BRITISH,
        WHITE_OTHER_THAN_BRITISH,
        ALL_ETHNIC_MINORITIES,
        UNKNOWN_GROUP,
    ),
    "sex": ("Female", "Male", NOT_KNOWN, PREFER_NOT_TO_SAY),
    "disability": ("Disabled", "Not disabled", NOT_KNOWN, PREFER_NOT_TO_SAY),
    "characteristics": (
        "Ethnicity",
        "Sex",
        "Disability",
        "Religion or belief",
        "Sexual orientation",
    ),
    "staff and residents": (STAFF_LABEL, RESIDENTS_LABEL),
}
# Minimum CIEDE2000 difference between two colours drawn together (about "clearly different at
# a glance"; 2.3 is a just-noticeable difference).
MIN_DELTA_E = 10.0
# Shapes of the points of line charts, in series order: a second cue beside colour (WCAG 1.4.1).
SHAPES = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "triangle-down",
    "cross",
    "triangle-left",
    "triangle-right",
)
# A group's shape is fixed too: its place in the first family that lists it.
GROUP_SHAPES: dict[str, str] = {}
for _family in COLOUR_FAMILIES.values():
    for _index, _label in enumerate(_family):
        GROUP_SHAPES.setdefault(_label, SHAPES[_index % len(SHAPES)])

# Sizes in CSS pixels; the SVG scales down to its container (frontend/equitable.scss).
BAR_WIDTH = 300
LINE_WIDTH = 420
LINE_HEIGHT = 240
WRAP_AT = 24  # characters per line of an axis or legend label


def colours_for(labels: Sequence[str]) -> list[str]:
    """The colour of each label of one chart: its fixed colour, else the next free fallback.

    Fixed colours are given first, so a label without one never takes the colour of a group
    later in the legend. Two labels of one chart never share a colour: a label whose fixed
    colour is already taken in this chart (two detailed categories of one group, say) takes a
    free fallback colour."""
    chosen: list[str | None] = []
    taken: set[str] = set()
    for label in labels:
        colour = GROUP_COLOURS.get(label)
        if colour is not None and colour not in taken:
            taken.add(colour)
            chosen.append(colour)
        else:
            chosen.append(None)
    spare = iter([c for c in FALLBACK if c not in taken])
    return [
        colour if colour is not None else next(spare, FALLBACK[index % len(FALLBACK)])
        for index, colour in enumerate(chosen)
    ]


def shapes_for(labels: Sequence[str]) -> list[str]:
    """The point shape of each line: the group's own, else (or when taken) the next free one."""
    chosen: list[str | None] = []
    taken: set[str] = set()
    for label in labels:
        shape = GROUP_SHAPES.get(label)
        chosen.append(shape if shape is not None and shape not in taken else None)
        if shape is not None and shape not in taken:
            taken.add(shape)
    spare = iter([s for s in SHAPES if s not in taken])
    return [
        shape if shape is not None else next(spare, SHAPES[index % len(SHAPES)])
        for index, shape in enumerate(chosen)
    ]


# A chart title longer than this is drawn on several lines (never cut, never wider than the
# chart's column).
TITLE_WRAP_AT = 60


def wrap_label(label: str, width: int = WRAP_AT) -> list[str]:
    """A label as lines of at most `width` characters, broken between words (a word longer
    than the width keeps its own line whole)."""
    return textwrap.wrap(str(label), width, break_long_words=False, break_on_hyphens=False) or [
        str(label)
    ]


def _label_expr(labels: Sequence) -> str | None:
    """A Vega expression that prints each long label on several lines (Vega draws a label that
    is an array as one line per item)."""
    long = [str(label) for label in dict.fromkeys(labels) if len(str(label)) > WRAP_AT]
    if not long:
        return None
    expression = "datum.label"
    for label in reversed(long):
        expression = (
            f"datum.label === {json.dumps(label)} ? {json.dumps(wrap_label(label))} : {expression}"
        )
    return expression


def _axis(labels: Sequence = (), **options) -> alt.Axis:
    expression = _label_expr(labels)
    if expression:
        options["labelExpr"] = expression
    return alt.Axis(labelLimit=0, **options)


def _single_colour(wanted: bool) -> dict[str, Any]:
    """Mark options for a chart of one series: no legend, so one colour for every mark."""
    return {"color": SINGLE_COLOUR} if wanted else {}


def _legend(labels: Sequence, columns: int | None = None) -> alt.Legend:
    expression = _label_expr(labels)
    longest = max((min(len(str(label)), WRAP_AT) for label in labels), default=0)
    if columns is None:
        columns = 2 if longest > 10 else 3
    options: dict[str, Any] = {"labelExpr": expression} if expression else {}
    return alt.Legend(
        orient="bottom", direction="vertical", columns=columns, labelLimit=0, **options
    )


def _configure(chart: alt.TopLevelMixin, title: str) -> alt.TopLevelMixin:
    return (
        chart.properties(title=wrap_label(title, TITLE_WRAP_AT))
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            titleFontWeight="bold",
        )
        .configure_legend(
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            symbolSize=120,
        )
        .configure_title(fontSize=FONT_SIZE + 2, anchor="start", color=TEXT_COLOUR, limit=0)
    )


def render_svg(chart: alt.TopLevelMixin, *, title: str, description: str) -> Markup:
    """SVG markup with role="img", a <title> and a <desc> for screen readers."""
    svg = vlc.vegalite_to_svg(_configure(chart, title).to_dict())
    key = secrets.token_hex(4)  # ids must be unique when a page carries several charts
    svg = re.sub(r"<svg ", f'<svg role="img" aria-labelledby="t{key} d{key}" ', svg, count=1)
    accessible = f'<title id="t{key}">{_escape(title)}</title><desc id="d{key}">{_escape(description)}</desc>'
    svg = re.sub(r"(<svg[^>]*>)", r"\1" + accessible.replace("\\", "\\\\"), svg, count=1)
    return Markup(svg)


# Drawn charts are kept this long (Django's cache: Redis with several web processes). The key
# is what was drawn, so a kept chart is never stale; bump the version when the drawing changes.
CHART_CACHE_SECONDS = 7 * 24 * 3600
CHART_CACHE_VERSION = "1"
_IDS = re.compile(r'aria-labelledby="t([0-9a-f]{8}) d\1"')


def _chart_key(build: Callable, args: tuple, kwargs: dict) -> str:
    spec = json.dumps(
        [CHART_CACHE_VERSION, build.__module__, build.__qualname__, args, kwargs],
        sort_keys=True,
        default=str,
    )
    return "chart:" + hashlib.sha256(spec.encode()).hexdigest()


def _fresh_ids(svg: str) -> str:
    """The kept drawing with new title and description ids (unique on the page)."""
    found = _IDS.search(svg)
    if found is None:
        return svg
    old, new = found.group(1), secrets.token_hex(4)
    for before, after in (
        (f'aria-labelledby="t{old} d{old}"', f'aria-labelledby="t{new} d{new}"'),
        (f'id="t{old}"', f'id="t{new}"'),
        (f'id="d{old}"', f'id="d{new}"'),
    ):
        svg = svg.replace(before, after, 1)
    return svg


ChartFunction = TypeVar("ChartFunction", bound=Callable[..., Any])


def drawn_once(build: ChartFunction) -> ChartFunction:
    """Keep what a chart function drew, keyed by its arguments.

    Why: drawing (Altair's schema validation and Vega's layout in vl-convert) is 80-90% of a
    figure page's server time, 10-150 ms a chart, and the same rows always draw the same
    chart. Kept in Django's cache, a figure page costs a template render."""
    from django.core.cache import cache

    @functools.wraps(build)
    def drawn(*args: Any, **kwargs: Any) -> Markup | None:
        key = _chart_key(build, args, kwargs)
        kept = cache.get(key)
        if kept is None:
            chart = build(*args, **kwargs)
            kept = "" if chart is None else str(chart)
            cache.set(key, kept, timeout=CHART_CACHE_SECONDS)
        return Markup(_fresh_ids(kept)) if kept else None

    return cast(ChartFunction, drawn)


def _words(key: str) -> str:
    """A legend title from a field name when none is given: "reference_group" → "Reference group"."""
    return key.replace("_", " ").capitalize()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _in_order(rows: Sequence[dict], field: str) -> list:
    return list(dict.fromkeys(row[field] for row in rows if row.get(field) is not None))


def _legend_order(labels: list) -> list:
    """Labels of one family in the family's own order (Ethnicity, Sex, Disability…), whichever
    came first in the rows (a withheld first value must not reorder the legend); others as
    they came."""
    for family in COLOUR_FAMILIES.values():
        if labels and all(label in family for label in labels):
            return sorted(labels, key=family.index)
    return labels


def _colour_scale(labels: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=list(labels), range=colours_for(labels))


def _whole_numbers(rows: Sequence[dict], field: str) -> bool:
    values = [row.get(field) for row in rows if row.get(field) is not None]
    return bool(values) and all(
        isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in values
    )


def _value_axis(rows: Sequence[dict], field: str, title: str, **options) -> alt.Axis:
    """Counts get whole-number ticks only (no "0.5 reports"), at most about eight of them."""
    if _whole_numbers(rows, field) and "percent" not in field:
        values = [int(row[field]) for row in rows if row.get(field) is not None]
        low, high = min(0, *values), max(1, *values)
        step = next(
            s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 10**9) if (high - low) / s <= 8
        )
        start = math.floor(low / step) * step
        options |= {"values": list(range(start, high + step, step)), "format": "d"}
    return alt.Axis(title=title, labelLimit=0, **options)


@drawn_once
def bar_chart(
    rows: Sequence[dict],
    *,
    x: str,
    y: str,
    colour: str | None = None,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    colour_title: str | None = None,
    description: str = "",
    stacked: bool = False,
) -> Markup:
    """Bars of `y` for each value of `x`, drawn horizontally: the categories (`x`, often long
    group names) down the side, wrapped onto lines, the values along the bottom. With `colour`,
    one bar per colour side by side, or stacked (`stacked`)."""
    rows = [dict(row) for row in rows]
    categories = _in_order(rows, x)
    series = _legend_order(_in_order(rows, colour)) if colour else []
    data = alt.Data(values=rows)
    encoding: dict[str, Any] = {
        "y": alt.Y(
            f"{x}:N",
            sort=categories,
            title=x_title if x_title is not None else x,
            axis=_axis(categories, labelPadding=6),
        ),
        "x": alt.X(
            f"{y}:Q",
            stack="zero" if stacked else None,
            axis=_value_axis(rows, y, y_title if y_title is not None else y, grid=True),
        ),
    }
    lines = max((len(wrap_label(c)) for c in categories), default=1)
    if colour:
        encoding["color"] = alt.Color(
            f"{colour}:N",
            title=colour_title if colour_title is not None else _words(colour),
            sort=series,
            scale=_colour_scale(series),
            legend=_legend(series),
        )
        if not stacked:
            encoding["yOffset"] = alt.YOffset(f"{colour}:N", sort=series)
    per_bar = 14 if colour and not stacked else 0
    band = max(24, 15 * lines + 10, per_bar * len(series) + 10)
    mark = (
        alt.Chart(data).mark_bar(stroke="white", strokeWidth=1)
        if stacked
        else alt.Chart(data).mark_bar(**_single_colour(not colour))
    )
    chart = mark.encode(**encoding).properties(
        width=BAR_WIDTH, height=max(1, len(categories)) * band
    )
    return render_svg(chart, title=title, description=description or title)


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for form in ("%Y-%m-%d", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(
                str(value)[:10] if form == "%Y-%m-%d" else str(value), form
            ).date()
        except ValueError:
            continue
    return None


def _time_axis(rows: Sequence[dict], field: str, title: str) -> tuple[alt.Axis, alt.Scale]:
    """Ticks at the data's dates: "2024" when there is one date a year, "Mar 2024" otherwise
    (never Vega's "April, October" or "Jan 01"). More than a dozen dates: one tick a year."""
    dates = sorted({d for d in (_parse_date(row.get(field)) for row in rows) if d is not None})
    scale = alt.Scale(type="utc")
    if not dates:
        return alt.Axis(title=title, format="%Y"), scale
    one_a_year = len({d.year for d in dates}) == len(dates)
    if len(dates) > 12:
        years = range(dates[0].year, dates[-1].year + 1)
        values = [alt.DateTime(year=y, month=1, date=1, utc=True) for y in years]
        return alt.Axis(title=title, values=values, format="%Y"), scale
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in dates]
    # A little room either side so the first and last labels are not cut at the chart's edge.
    span = max((dates[-1] - dates[0]).days, 1)
    pad = max(20, math.ceil(span * 0.06))
    first, last = dates[0].toordinal() - pad, dates[-1].toordinal() + pad
    low, high = date.fromordinal(first), date.fromordinal(last)
    scale = alt.Scale(
        type="utc",
        domain=[
            alt.DateTime(year=low.year, month=low.month, date=low.day, utc=True),
            alt.DateTime(year=high.year, month=high.month, date=high.day, utc=True),
        ],
    )
    axis = alt.Axis(
        title=title,
        values=values,
        format="%Y" if one_a_year else "%b %Y",
        labelOverlap=True,
        grid=False,
    )
    return axis, scale


@drawn_once
def line_chart(
    rows: Sequence[dict],
    *,
    x: str,
    y: str,
    series: str | None = None,
    series_title: str | None = None,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    description: str = "",
    x_type: str = "T",
    dashed_series: Sequence[str] = (),
) -> Markup:
    """One line per `series` across `x` (dates, or ordered labels with `x_type="O"`), each with
    its group's colour and its own point shape."""
    rows = [dict(row) for row in rows]
    names = _legend_order(_in_order(rows, series)) if series else []
    data = alt.Data(values=rows)
    x_label = x_title if x_title is not None else x
    if x_type == "T":
        axis, scale = _time_axis(rows, x, x_label)
        x_encoding = alt.X(f"{x}:T", axis=axis, scale=scale)
    else:
        x_encoding = alt.X(
            f"{x}:{x_type}",
            sort=_in_order(rows, x),
            axis=_axis(_in_order(rows, x), title=x_label, labelAngle=0),
        )
    encoding: dict[str, Any] = {
        "x": x_encoding,
        "y": alt.Y(f"{y}:Q", axis=_value_axis(rows, y, y_title if y_title is not None else y)),
    }
    point_encoding: dict[str, Any] = {}
    if series:
        legend_title = series_title if series_title is not None else _words(series)
        legend = _legend(names)
        encoding["color"] = alt.Color(
            f"{series}:N",
            title=legend_title,
            sort=names,
            scale=_colour_scale(names),
            legend=legend,
        )
        point_encoding["shape"] = alt.Shape(
            f"{series}:N",
            title=legend_title,
            sort=names,
            scale=alt.Scale(domain=names, range=shapes_for(names)),
            legend=legend,
        )
        if dashed_series:
            encoding["strokeDash"] = alt.condition(
                alt.FieldOneOfPredicate(field=series, oneOf=list(dashed_series)),
                alt.value([6, 4]),
                alt.value([1, 0]),
            )
    base = alt.Chart(data).encode(**encoding)
    line = base.mark_line(strokeWidth=2.5, **_single_colour(not series))
    points = base.mark_point(filled=True, size=70, opacity=1, **_single_colour(not series)).encode(
        **point_encoding
    )
    chart = alt.layer(line, points).properties(width=LINE_WIDTH, height=LINE_HEIGHT)
    return render_svg(chart, title=title, description=description or title)
