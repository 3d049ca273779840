"""Charts read well: full group names, plain legend titles, years on time axes, whole-number
count axes, and one colour per group whichever chart draws it (equitable/core/charts.py)."""

from __future__ import annotations

import html
import re

from equitable.core import charts
from equitable.metrics.labels import AGGREGATE_LABEL

LONG_NAMES = (AGGREGATE_LABEL, "English, Welsh, Scottish, Northern Irish or British")


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element, a wrapped label's lines joined with spaces."""
    texts = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", body) or [body]
        texts.append(html.unescape(" ".join(lines)))
    return texts


def mark_colours(svg: str, title: str) -> dict[str, str]:
    """Label → fill of the marks (bars, points) whose aria-label names `title: label`."""
    colours = {}
    for label, fill in re.findall(
        rf'aria-label="[^"]*{re.escape(title)}: ([^;"]+)[^"]*"[^>]*fill="(#[0-9a-f]+)"', svg
    ):
        colours[html.unescape(label)] = fill
    return colours


def representation_bars(groups=("Asian", "Black", "White", "Unknown")) -> str:
    rows = [
        {"directorate": directorate, "ethnic_group": group, "percent": 10.0 + i}
        for directorate in ("People", "Place")
        for i, group in enumerate(groups)
    ]
    return str(
        charts.bar_chart(
            rows,
            x="directorate",
            y="percent",
            colour="ethnic_group",
            stacked=True,
            title="Ethnicity by directorate",
            x_title="Directorate",
            y_title="Share of all (%)",
            colour_title="Ethnic group",
        )
    )


def yearly_lines(groups=("Black", "Asian", AGGREGATE_LABEL)) -> str:
    rows = [
        {"snapshot_date": f"{year}-03-31", "ethnic_group": group, "percent": 20.0 + i + year % 10}
        for year in (2023, 2024, 2025)
        for i, group in enumerate(groups)
    ]
    return str(
        charts.line_chart(
            rows,
            x="snapshot_date",
            y="percent",
            series="ethnic_group",
            series_title="Ethnic group",
            title="Ethnicity over time",
            x_title="Snapshot",
            y_title="Share of all (%)",
        )
    )


def test_long_group_names_are_wrapped_whole_never_cut():
    rows = [
        {"group": name, "compared": who, "value": 40.0}
        for name in ("Asian", *LONG_NAMES)
        for who in (charts.STAFF_LABEL, charts.RESIDENTS_LABEL)
    ]
    svg = str(
        charts.bar_chart(
            rows,
            x="group",
            y="value",
            colour="compared",
            title="Ethnicity of the workforce",
            x_title="Ethnic group",
            y_title="Per cent",
            colour_title="Share among",
        )
    )
    texts = svg_texts(svg)
    for name in (*LONG_NAMES, charts.STAFF_LABEL, charts.RESIDENTS_LABEL):
        assert name in texts, name
    assert "…" not in svg and "&#8230;" not in svg
    # Wrapped: the long names take more than one line.
    assert svg.count("<tspan") >= 2 * 2


def test_legend_titles_are_the_words_given_not_field_names():
    svg = yearly_lines()
    texts = svg_texts(svg)
    assert "Ethnic group" in texts
    assert not {"compared", "series", "ethnic_group", "Series", "Compared"} & set(texts)
    bars = svg_texts(representation_bars())
    assert "Ethnic group" in bars and "ethnic_group" not in bars


def test_a_time_axis_shows_the_years_of_yearly_snapshots():
    texts = svg_texts(yearly_lines())
    assert {"2023", "2024", "2025"} <= set(texts)
    months = ("Jan", "Apr", "April", "October", "Mar 31", "Fri 31")
    assert not [t for t in texts if any(t.startswith(m) for m in months)]


def test_a_time_axis_with_several_dates_a_year_shows_month_and_year():
    rows = [
        {"date": day, "value": v}
        for day, v in (("2024-03-31", 1), ("2024-09-30", 2), ("2025-03-31", 3))
    ]
    texts = svg_texts(str(charts.line_chart(rows, x="date", y="value", title="t")))
    assert {"Mar 2024", "Sep 2024", "Mar 2025"} <= set(texts)


def test_a_count_axis_has_whole_numbers_only():
    rows = [
        {"quarter": q, "type": t, "count": n}
        for q in ("2025 Q1", "2025 Q2")
        for t, n in (("Bullying", 1), ("Harassment", 2))
    ]
    svg = str(
        charts.line_chart(rows, x="quarter", y="count", series="type", x_type="O", title="Reports")
    )
    numbers = [t for t in svg_texts(svg) if re.fullmatch(r"[\d.]+", t)]
    assert numbers and all(re.fullmatch(r"\d+", t) for t in numbers)
    assert len(numbers) == len(set(numbers))  # no "1, 1, 2, 2" from rounded half steps


def test_a_group_has_the_same_colour_in_every_chart():
    """Asian is the same colour in a stacked bar of four groups and in a line chart where it is
    listed second of three: a colour belongs to the group, not to its place in the legend."""
    bars = mark_colours(representation_bars(), "Ethnic group")
    lines = mark_colours(yearly_lines(), "Ethnic group")
    assert bars["Asian"] == lines["Asian"] == charts.GROUP_COLOURS["Asian"]
    assert bars["Black"] == lines["Black"] == charts.GROUP_COLOURS["Black"]
    fewer = mark_colours(representation_bars(("White", "Asian")), "Ethnic group")
    assert fewer["Asian"] == bars["Asian"] and fewer["White"] == bars["White"]
    assert lines[AGGREGATE_LABEL] == charts.GROUP_COLOURS[AGGREGATE_LABEL]


def test_labels_without_a_fixed_colour_take_free_colours_in_order():
    colours = charts.colours_for(["People", "Place", "Asian"])
    assert len(set(colours)) == 3
    assert colours[2] == charts.GROUP_COLOURS["Asian"]
    # Two labels with the same fixed colour (two categories of one group) are told apart.
    indian, pakistani = charts.colours_for(["Indian", "Pakistani"])
    assert indian != pakistani


def test_the_accessible_name_and_description_are_kept():
    svg = representation_bars()
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


def test_a_group_keeps_its_point_shape_whichever_groups_are_drawn():
    assert charts.shapes_for(["White", "Asian"]) == charts.shapes_for(["Asian", "White"])[::-1]
    assert len(set(charts.shapes_for(["People", "Asian", "Place"]))) == 3


def test_the_legend_keeps_the_groups_own_order_whatever_the_rows_start_with():
    rows = [
        {"directorate": "Chief Executive's", "characteristic": c, "percent_known": 80.0}
        for c in ("Disability", "Sexual orientation")
    ] + [
        {"directorate": "People", "characteristic": c, "percent_known": 90.0}
        for c in ("Ethnicity", "Disability", "Sexual orientation")
    ]
    svg = str(
        charts.bar_chart(
            rows,
            x="directorate",
            y="percent_known",
            colour="characteristic",
            title="Disclosure",
            colour_title="Characteristic",
        )
    )
    assert "with 3 values: Ethnicity, Disability, Sexual orientation" in svg  # legend's label


def test_a_chart_is_drawn_once_and_kept_with_fresh_ids_each_time(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    drawn: list[int] = []
    render = charts.render_svg

    def counting(*args, **kwargs):
        drawn.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(charts, "render_svg", counting)
    first, second = representation_bars(), representation_bars()
    assert len(drawn) == 1
    ids = [re.search(r'aria-labelledby="(t\w+) (d\w+)"', svg).groups() for svg in (first, second)]
    assert ids[0] != ids[1]  # two of the same chart on one page keep unique ids
    assert re.sub(r"\b[td][0-9a-f]{8}\b", "", first) == re.sub(r"\b[td][0-9a-f]{8}\b", "", second)
    representation_bars(groups=("Asian", "White"))
    assert len(drawn) == 2  # other rows: drawn anew
