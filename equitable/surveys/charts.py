"""Survey charts: diverging stacked bars, drawn as static SVG with the table beside them.

Why diverging: a scale reads as "how many lean each way", so unfavourable answers run left of a
centre line and favourable ones right, with the neutral answer split across the centre (the
usual Likert presentation). Each row is a group (or a question); a withheld row is drawn as a
labelled gap saying why, never as a zero. The SVG is built here rather than with Altair because
a split neutral segment is not a stacking Altair offers, and the markup stays small and
accessible (a title, a description, and the data table the page prints beside it).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

# Colour-blind-safe diverging palette (ColorBrewer RdBu, 5 and 7 classes), unfavourable red
# through neutral grey to favourable blue; labels and the table carry the meaning too.
_PALETTES = {
    2: ("#2166ac", "#b2182b"),
    3: ("#2166ac", "#d9d9d9", "#b2182b"),
    4: ("#2166ac", "#67a9cf", "#ef8a62", "#b2182b"),
    5: ("#2166ac", "#67a9cf", "#d9d9d9", "#ef8a62", "#b2182b"),
    7: ("#2166ac", "#4393c3", "#92c5de", "#d9d9d9", "#f4a582", "#d6604d", "#b2182b"),
}
LABEL_WIDTH = 230
BAR_WIDTH = 460
ROW_HEIGHT = 30
# Each chart's title/desc ids must be unique on a page that draws several charts.
_ids = itertools.count(1)


def _palette(points: int) -> Sequence[str]:
    if points in _PALETTES:
        return _PALETTES[points]
    return tuple(_PALETTES[5][min(4, round(i * 4 / max(1, points - 1)))] for i in range(points))


def _segments(row: dict[str, Any], scale: dict[str, Any]) -> list[tuple[str, float, str]]:
    """(answer, percent, part) in scale order."""
    try:
        distribution = json.loads(row.get("distribution") or "[]")
    except ValueError:
        distribution = []
    favourable = set(scale.get("favourable", ()))
    unfavourable = set(scale.get("unfavourable", ()))
    found = []
    for answer, percent in distribution:
        part = (
            "favourable"
            if answer in favourable
            else "unfavourable"
            if answer in unfavourable
            else "neutral"
        )
        found.append((answer, float(percent or 0), part))
    return found


def diverging_bars(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    scale: dict[str, Any],
    title: str,
    description: str,
) -> Markup | None:
    """One bar per row (`label` names the row's group column)."""
    if not rows or not scale:
        return None
    points = list(scale.get("points", ()))
    colours = dict(zip(points, _palette(len(points)), strict=False))
    height = ROW_HEIGHT * len(rows) + 100
    width = LABEL_WIDTH + BAR_WIDTH + 20
    centre = LABEL_WIDTH + BAR_WIDTH / 2
    scale_x = BAR_WIDTH / 200  # from -100 % to +100 %
    parts = [_open(width, height, title, description)]
    for index, row in enumerate(rows):
        y = 10 + index * ROW_HEIGHT
        name = str(row.get(label) or "")
        short = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" font-size="15" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(short)}</text>'
        )
        if row.get("suppressed") or row.get("distribution") is None:
            parts.append(
                f'<text x="{centre}" y="{y + 18}" text-anchor="middle" font-size="13" '
                'font-family="Arial, sans-serif" fill="#505a5f">[c] withheld to protect '
                "respondents (the table says why)</text>"
            )
            continue
        segments = _segments(row, scale)
        neutral = sum(p for _, p, part in segments if part == "neutral")
        left = (
            centre
            - (sum(p for _, p, part in segments if part == "unfavourable") + neutral / 2) * scale_x
        )
        # Unfavourable from the left edge inwards is drawn from the most unfavourable answer.
        order = [s for s in reversed(segments) if s[2] == "unfavourable"]
        order += [s for s in segments if s[2] == "neutral"]
        order += list(reversed([s for s in segments if s[2] == "favourable"]))
        x = left
        for answer, percent, _ in order:
            w = percent * scale_x
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW_HEIGHT - 10}" '
                f'fill="{colours.get(answer, "#d9d9d9")}"><title>{escape(answer)}: '
                f"{percent:.0f}%</title></rect>"
            )
            x += w
    axis_y = 10 + len(rows) * ROW_HEIGHT
    parts.append(
        f'<line x1="{centre}" y1="6" x2="{centre}" y2="{axis_y}" stroke="#0b0c0c" '
        'stroke-width="1"/>'
    )
    for tick in (-100, -50, 0, 50, 100):
        tx = centre + tick * scale_x
        parts.append(
            f'<text x="{tx}" y="{axis_y + 16}" text-anchor="middle" font-size="11" '
            f'font-family="Arial, sans-serif" fill="#505a5f">{abs(tick)}%</text>'
        )
    legend_x, legend_y = 10, axis_y + 30
    for answer in points:
        step = 16 + 7 * min(len(answer), 30) + 10
        if legend_x + step > width:
            legend_x, legend_y = 10, legend_y + 20
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y}" width="12" height="12" fill="{colours[answer]}"/>'
        )
        parts.append(
            f'<text x="{legend_x + 16}" y="{legend_y + 10}" font-size="12" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(answer[:30])}</text>'
        )
        legend_x += step
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: float, height: float, title: str, description: str) -> str:
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="svt{n} svd{n}" class="eq-chart" width="100%">'
        f'<title id="svt{n}">{escape(title)}</title><desc id="svd{n}">{escape(description)}</desc>'
    )


def favourable_bars(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    title: str,
    description: str,
) -> Markup | None:
    """% favourable by group with its 95% interval as a whisker; withheld rows a labelled gap.

    The bar colour comes from core/charts.py's palette for the group names, so a group has
    the same colour here as on every other page.
    """
    from equitable.core.charts import colours_for

    if not rows:
        return None
    names = [str(row.get(label) or "") for row in rows]
    colours = dict(zip(names, colours_for(names), strict=False))
    height = ROW_HEIGHT * len(rows) + 40
    width = LABEL_WIDTH + BAR_WIDTH + 20
    scale_x = BAR_WIDTH / 100
    parts = [_open(width, height, title, description)]
    for index, (row, name) in enumerate(zip(rows, names, strict=True)):
        y = 10 + index * ROW_HEIGHT
        short = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(short)}</text>'
        )
        value = row.get("percent_favourable")
        if row.get("suppressed") or value is None:
            why = row.get("why_withheld") or "withheld"
            parts.append(
                f'<text x="{LABEL_WIDTH + 8}" y="{y + 18}" font-size="12" '
                f'font-family="Arial, sans-serif" fill="#505a5f">withheld: '
                f"{escape(str(why)[:70])}</text>"
            )
            continue
        w = float(value) * scale_x
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{w:.1f}" height="{ROW_HEIGHT - 10}" '
            f'fill="{colours[name]}"><title>{escape(name)}: {float(value):.0f}% favourable'
            "</title></rect>"
        )
        low, high = row.get("ci_low"), row.get("ci_high")
        if low is not None and high is not None:
            x1, x2 = LABEL_WIDTH + float(low) * scale_x, LABEL_WIDTH + float(high) * scale_x
            mid = y + ROW_HEIGHT / 2 - 1
            parts.append(
                f'<path d="M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {mid - 5}V{mid + 5}'
                f'M{x2:.1f} {mid - 5}V{mid + 5}" stroke="#0b0c0c" stroke-width="1.5" fill="none"/>'
            )
    axis_y = 10 + len(rows) * ROW_HEIGHT
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="6" x2="{LABEL_WIDTH}" y2="{axis_y}" stroke="#0b0c0c"/>'
    )
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{LABEL_WIDTH + tick * scale_x}" y="{axis_y + 16}" text-anchor="middle" '
            f'font-size="11" font-family="Arial, sans-serif" fill="#505a5f">{tick}%</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
