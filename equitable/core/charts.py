"""Charts as static SVG (Altair rendered by vl-convert): no JavaScript, no CSP exception, and the
same SVG works in pages and in WeasyPrint PDFs. Every chart is shown with a data table beside it
(the `figure` macro in core/jinja2/components/figure.html), so nothing is only visual.

Colours are a colour-blind-safe palette with enough contrast on white (WCAG 2.2 non-text 3:1).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

PALETTE = ["#1d4f76", "#d4351c", "#00703c", "#6f2c91", "#b58840", "#505a5f", "#912b88", "#28a197"]
FONT = "Arial"


def _configure(chart: alt.Chart, title: str) -> alt.Chart:
    return (
        chart.properties(title=title, width=520, height=260)
        .configure(font=FONT)
        .configure_axis(
            labelFontSize=12, titleFontSize=12, labelColor="#0b0c0c", titleColor="#0b0c0c"
        )
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
        .configure_title(fontSize=14, anchor="start", color="#0b0c0c")
        .configure_range(category=PALETTE)
    )


def render_svg(chart: alt.Chart, *, title: str, description: str) -> Markup:
    """SVG markup with role="img", a <title> and a <desc> for screen readers."""
    svg = vlc.vegalite_to_svg(_configure(chart, title).to_dict())
    key = secrets.token_hex(4)  # ids must be unique when a page carries several charts
    svg = re.sub(r"<svg ", f'<svg role="img" aria-labelledby="t{key} d{key}" ', svg, count=1)
    accessible = f'<title id="t{key}">{_escape(title)}</title><desc id="d{key}">{_escape(description)}</desc>'
    svg = re.sub(r"(<svg[^>]*>)", r"\1" + accessible.replace("\\", "\\\\"), svg, count=1)
    return Markup(svg)


def _words(key: str) -> str:
    """A legend title from a field name when none is given: "reference_group" → "Reference group"."""
    return key.replace("_", " ").capitalize()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    data = alt.Data(values=[{k: v for k, v in row.items()} for row in rows])
    encoding = {
        "x": alt.X(f"{x}:N", title=x_title or x, sort=None),
        "y": alt.Y(f"{y}:Q", title=y_title or y, stack="zero" if stacked else None),
    }
    if colour:
        encoding["color"] = alt.Color(
            f"{colour}:N", title=colour_title or _words(colour), sort=None
        )
        if not stacked:
            encoding["xOffset"] = alt.XOffset(f"{colour}:N", sort=None)
    chart = alt.Chart(data).mark_bar().encode(**encoding)
    return render_svg(chart, title=title, description=description or title)


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
    data = alt.Data(values=list(rows))
    encoding = {
        "x": alt.X(f"{x}:{x_type}", title=x_title or x),
        "y": alt.Y(f"{y}:Q", title=y_title or y),
    }
    if series:
        encoding["color"] = alt.Color(
            f"{series}:N", title=series_title or _words(series), sort=None
        )
        if dashed_series:
            encoding["strokeDash"] = alt.condition(
                alt.FieldOneOfPredicate(field=series, oneOf=list(dashed_series)),
                alt.value([6, 4]),
                alt.value([1, 0]),
            )
    chart = alt.Chart(data).mark_line(point=True).encode(**encoding)
    return render_svg(chart, title=title, description=description or title)
