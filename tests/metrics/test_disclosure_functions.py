"""Figures computed from other figures of a row (`layout.Function`) and counts withheld
because another publication withholds them (`protect(withhold=...)`)."""

from __future__ import annotations

import polars as pl

from equitable.metrics.disclosure_control import protect
from equitable.metrics.layout import Count, Function, Layout, Share, fixed, key, of, open_value

GROUPS = open_value("team")


def _rates(counts: dict[str, tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "team": list(counts),
            "pool": [n for _, n in counts.values()],
            "left": [k for k, _ in counts.values()],
            "rate": [100 * k / n for k, n in counts.values()],
            "doubled": [2 * k / n for k, n in counts.values()],
        }
    )


def _layout(recompute=None) -> Layout:
    return Layout(
        keys=("team",),
        columns=(
            Count("pool", of(key("team", GROUPS))),
            Count("left", of(key("team", GROUPS), fixed({"moved": frozenset({"left"})}))),
            Share("rate", "left", "pool"),
            Function("doubled", ("rate",), recompute),
        ),
        universes={"moved": ("left", "stayed")},
    )


def test_a_function_is_shown_with_its_figures_and_withheld_with_them():
    tables = {"t": _rates({"A": (30, 100), "B": (3, 100), "C": (40, 100)})}
    published = protect(tables, layouts={"t": _layout()})["t"].to_dicts()
    by_team = {row["team"]: row for row in published}
    assert by_team["A"]["doubled"] == 0.6
    assert by_team["B"]["left"] is None
    assert by_team["B"]["doubled"] is None and by_team["B"]["suppressed"]


def test_under_rounding_a_function_is_recomputed_from_the_rounded_counts_or_withheld():
    tables = {"t": _rates({"A": (32, 101), "B": (41, 99)})}
    with_recompute = _layout(lambda row: 2 * row["left"] / row["pool"])
    published = protect(tables, layouts={"t": with_recompute}, round_to=5)["t"].to_dicts()
    assert published[0]["left"] == 30 and published[0]["pool"] == 100
    assert published[0]["doubled"] == 0.6
    without = protect(tables, layouts={"t": _layout()}, round_to=5)["t"].to_dicts()
    assert without[0]["doubled"] is None


def test_a_count_another_publication_withholds_is_withheld_here_and_cannot_be_differenced():
    frame = pl.DataFrame({"team": ["A", "B", "All"], "pool": [100, 120, 220]})
    layout = Layout(
        keys=("team",),
        columns=(
            Count(
                "pool", of(key("team", lambda t: {} if t == "All" else {"team": frozenset({t})}))
            ),
        ),
        universes={"team": ("A", "B")},
    )
    alone = protect({"t": frame}, layouts={"t": layout})["t"]
    assert alone["pool"].to_list() == [100, 120, 220]
    forced = protect({"t": frame}, layouts={"t": layout}, withhold=[{"team": frozenset({"A"})}])[
        "t"
    ]
    # A is withheld as the workforce page withholds it; B goes with it, or A = 220 − B.
    assert forced["pool"].to_list()[:2] == [None, None]
