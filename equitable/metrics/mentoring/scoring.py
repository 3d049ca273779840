"""The score of every allowed mentee-mentor pair, as a sum of weighted components.

Formula (docs/metrics.md, "Mentoring: the pair score"): each component is a number from 0 to 1
and the score is `sum(weight[c] * component[c])`:

* `topics`: the share of the mentee's `seeks` that the mentor `offers` (0 when the mentee
  seeks nothing).
* `directorate`: for each of the two people who asked for another directorate (`yes`) or the
  same one (`no`), 1 when the pair gives it; the mean over those who asked, 0 when neither did.
* `background`: for each of the two who asked for the same or a different background, the share
  of the characteristics both gave that are the same (or different); 0 for a person who asked
  when the two gave no characteristic in common; the mean over those who asked, 0 when neither.
* `availability`: 1 when the two share a time slot.
* `band`: `1 / gap`, the gap being the number of places between the two pay bands in the band
  order (1 for neighbouring bands), so a coordinator can favour close bands.

Hard constraints decide which pairs exist at all: the mentor is more senior than the mentee by
pay band (more junior in reverse mentoring), neither is in the other's line management chain,
neither excluded the other. Capacity is the matching's constraint. Pure library: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import polars as pl

from equitable.metrics.mentoring.pool import Pool

COMPONENTS = ("topics", "directorate", "background", "availability", "band")
COMPONENT_LABELS = {
    "topics": "Topics sought that the mentor offers",
    "directorate": "Directorate preference met",
    "background": "Background preference met",
    "availability": "A time slot in common",
    "band": "Closeness of pay bands",
}
COMPONENT_SHORT_LABELS = {
    "topics": "Topics",
    "directorate": "Directorate",
    "background": "Background",
    "availability": "Time slot",
    "band": "Band closeness",
}
MAX_WEIGHT = 100.0


@dataclass(frozen=True)
class Weights:
    """How much each component counts; the coordinator sets them (0 leaves one out)."""

    topics: float = 10.0
    directorate: float = 3.0
    background: float = 3.0
    availability: float = 2.0
    band: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


class WeightsError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_settings(data: Any) -> tuple[Weights, bool, tuple[str, ...] | None]:
    """Weights, reverse mentoring and band order from a JSON object such as
    `{"weights": {"topics": 8, "band": 0}, "reverse": false, "band_order": ["SO1", "PO1"]}`;
    a plain object of weights is accepted too. Every problem is listed in `WeightsError`."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise WeightsError(["the weights file must hold a JSON object"])
    weights_data = data.get("weights", data if "weights" not in data else {})
    if not isinstance(weights_data, dict):
        raise WeightsError(["weights must be a JSON object of component: number"])
    names = {f.name for f in fields(Weights)}
    given: dict[str, float] = {}
    for key, value in weights_data.items():
        if key in ("reverse", "band_order"):
            continue
        if key not in names:
            problems.append(f"weights: {key!r} is not a component ({', '.join(COMPONENTS)})")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"weights: {key} must be a number")
        elif not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            problems.append(f"weights: {key} must be from 0 to {MAX_WEIGHT:g}")
        else:
            given[key] = float(value)
    reverse = data.get("reverse", False)
    if not isinstance(reverse, bool):
        problems.append("reverse must be true or false")
        reverse = False
    order = data.get("band_order")
    band_order: tuple[str, ...] | None = None
    if order is not None:
        if not isinstance(order, list) or not all(isinstance(b, str) and b.strip() for b in order):
            problems.append("band_order must be a list of pay bands, most junior first")
        elif len({b.strip().lower() for b in order}) != len(order):
            problems.append("band_order names a band twice")
        else:
            band_order = tuple(b.strip() for b in order)
    if problems:
        raise WeightsError(problems)
    return Weights(**given), reverse, band_order


def _codes(mentees: pl.Series, mentors: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Both sides' values of one text column as integer codes of one shared dictionary
    (null stays null), so the pairs are compared as numbers."""
    values = pl.concat([mentees, mentors]).drop_nulls().unique().sort()
    mapping = {value: index for index, value in enumerate(values.to_list())}

    def coded(series: pl.Series) -> pl.Series:
        return series.replace_strict(mapping, default=None, return_dtype=pl.Int32)

    return coded(mentees), coded(mentors)


def _pair_key(frame: pl.DataFrame, mentee: str, mentor: str, mentors: int) -> pl.DataFrame:
    """`frame` with its (mentee index, mentor index) as one integer key."""
    return frame.select(
        (pl.col(mentee).cast(pl.Int64) * mentors + pl.col(mentor).cast(pl.Int64)).alias("key"),
        *[c for c in frame.columns if c not in (mentee, mentor)],
    )


def _forbidden(pool: Pool, mentee_index: dict[str, int], mentor_index: dict[str, int]) -> pl.Series:
    """The pair keys a line chain or an exclusion rules out."""
    keys: set[int] = set()
    mentors = len(mentor_index)
    for column in ("line_chain", "exclude"):
        for person, others in zip(
            pool.mentees["person_id"].to_list(), pool.mentees[column].to_list(), strict=True
        ):
            for other in others or ():
                if other in mentor_index:
                    keys.add(mentee_index[person] * mentors + mentor_index[other])
        for person, others in zip(
            pool.mentors["person_id"].to_list(), pool.mentors[column].to_list(), strict=True
        ):
            for other in others or ():
                if other in mentee_index:
                    keys.add(mentee_index[other] * mentors + mentor_index[person])
    return pl.Series("key", sorted(keys), dtype=pl.Int64)


def _shared(pool: Pool, mentee_column: str, mentor_column: str, name: str) -> pl.DataFrame:
    """(key, name): how many items of the mentee's list the mentor's list holds, for the
    pairs that share at least one (an exploded join on integer indices, not a list per pair)."""
    mentees = pool.mentees.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("i"), pl.col(mentee_column).alias("item")
    ).explode("item")
    mentors = pool.mentors.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("j"), pl.col(mentor_column).alias("item")
    ).explode("item")
    joined = mentees.drop_nulls().join(mentors.drop_nulls(), on="item")
    return (
        _pair_key(joined.select("i", "j"), "i", "j", pool.mentors.height)
        .group_by("key")
        .agg(pl.len().cast(pl.Float64).alias(name))
    )


def _preference_mean(*satisfactions: pl.Expr) -> pl.Expr:
    """The mean of the non-null satisfactions, 0 when every one is null (nobody asked)."""
    asked = pl.sum_horizontal([s.is_not_null().cast(pl.Float64) for s in satisfactions])
    total = pl.sum_horizontal([s.fill_null(0.0) for s in satisfactions])
    return pl.when(asked > 0).then(total / asked).otherwise(0.0)


_BACKGROUND_CODE = {"any": 0, "same": 1, "different": 2}
_DIRECTORATE_CODE = {"any": 0, "yes": 1, "no": 2}


def _side(frame: pl.DataFrame, coded: dict[str, pl.Series], suffix: str) -> pl.DataFrame:
    columns = {
        f"i_{suffix}": pl.Series(range(frame.height), dtype=pl.Int64),
        f"band_rank_{suffix}": frame["band_rank"],
        f"background_preference_{suffix}": frame["background_preference"].replace_strict(
            _BACKGROUND_CODE, return_dtype=pl.Int8
        ),
        f"other_directorate_{suffix}": frame["other_directorate"].replace_strict(
            _DIRECTORATE_CODE, return_dtype=pl.Int8
        ),
        **{f"{name}_{suffix}": series for name, series in coded.items()},
    }
    if suffix == "mentee":
        columns["seeks_mentee"] = frame["seeks"].list.len().cast(pl.Float64)
    return pl.DataFrame(columns)


def pair_scores(
    pool: Pool, weights: Weights | None = None, *, reverse: bool = False
) -> pl.DataFrame:
    """Every allowed pair with its components, each component's contribution
    (`contribution_<component>` = weight × component) and `score`, best first within each
    mentee (mentees in pool order). Pairs a hard constraint forbids are not in the frame.

    Text is compared as integer codes of one dictionary per column (directorates ignoring
    case), and pairs are keyed by one integer, so two thousand mentees by a thousand mentors
    (two million candidate pairs) are scored in about a second."""
    weights = weights or Weights()
    coded_mentee: dict[str, pl.Series] = {}
    coded_mentor: dict[str, pl.Series] = {}
    for name in ("directorate", *pool.characteristics):
        a, b = pool.mentees[name], pool.mentors[name]
        if name == "directorate":
            a, b = a.str.to_lowercase(), b.str.to_lowercase()
        coded_mentee[name], coded_mentor[name] = _codes(a, b)
    mentees = _side(pool.mentees, coded_mentee, "mentee")
    mentors = _side(pool.mentors, coded_mentor, "mentor")
    mentee_index = {m: i for i, m in enumerate(pool.mentees["person_id"].to_list())}
    mentor_index = {m: j for j, m in enumerate(pool.mentors["person_id"].to_list())}
    senior = (
        pl.col("band_rank_mentor") < pl.col("band_rank_mentee")
        if reverse
        else pl.col("band_rank_mentor") > pl.col("band_rank_mentee")
    )
    forbidden = _forbidden(pool, mentee_index, mentor_index)
    pairs = (
        _pair_key(
            mentees.join(mentors, how="cross").filter(senior),
            "i_mentee",
            "i_mentor",
            pool.mentors.height,
        )
        .filter(~pl.col("key").is_in(forbidden.implode()))
        .join(_shared(pool, "seeks", "offers", "met"), on="key", how="left")
        .join(_shared(pool, "availability", "availability", "slots"), on="key", how="left")
        .with_columns(pl.col("met").fill_null(0.0), pl.col("slots").fill_null(0.0))
    )
    seeks = pl.col("seeks_mentee")
    topics = pl.when(seeks > 0).then(pl.col("met") / seeks).otherwise(0.0)
    other = pl.col("directorate_mentee") != pl.col("directorate_mentor")

    def directorate_wish(side: str) -> pl.Expr:
        preference = pl.col(f"other_directorate_{side}")
        return (
            pl.when(preference == _DIRECTORATE_CODE["yes"])
            .then(other.cast(pl.Float64))
            .when(preference == _DIRECTORATE_CODE["no"])
            .then((~other).cast(pl.Float64))
            .otherwise(None)
        )

    given = [
        (pl.col(f"{c}_mentee").is_not_null() & pl.col(f"{c}_mentor").is_not_null()).cast(pl.Float64)
        for c in pool.characteristics
    ]
    same = [
        (pl.col(f"{c}_mentee") == pl.col(f"{c}_mentor")).fill_null(False).cast(pl.Float64)
        for c in pool.characteristics
    ]
    in_common = pl.sum_horizontal(given) if given else pl.lit(0.0)
    alike = pl.sum_horizontal(same) if same else pl.lit(0.0)

    def background_wish(side: str) -> pl.Expr:
        preference = pl.col(f"background_preference_{side}")
        share_same = pl.when(in_common > 0).then(alike / in_common).otherwise(0.0)
        share_different = pl.when(in_common > 0).then(1.0 - alike / in_common).otherwise(0.0)
        return (
            pl.when(preference == _BACKGROUND_CODE["same"])
            .then(share_same)
            .when(preference == _BACKGROUND_CODE["different"])
            .then(share_different)
            .otherwise(None)
        )

    availability = (pl.col("slots") > 0).cast(pl.Float64)
    gap = (pl.col("band_rank_mentor") - pl.col("band_rank_mentee")).abs().cast(pl.Float64)
    weight = weights.as_dict()
    width = pool.mentors.height
    pairs = pairs.select(
        (pl.col("key") // width).alias("i"),
        (pl.col("key") % width).alias("j"),
        topics.cast(pl.Float64).alias("topics"),
        _preference_mean(directorate_wish("mentee"), directorate_wish("mentor")).alias(
            "directorate"
        ),
        _preference_mean(background_wish("mentee"), background_wish("mentor")).alias("background"),
        availability.alias("availability"),
        (1.0 / gap).alias("band"),
    )
    pairs = pairs.with_columns(
        [(pl.col(c) * weight[c]).alias(f"contribution_{c}") for c in COMPONENTS]
    ).with_columns(
        pl.sum_horizontal([pl.col(f"contribution_{c}") for c in COMPONENTS]).alias("score")
    )
    pairs = pairs.sort(["i", "score", "j"], descending=[False, True, False])
    mentee_ids = pool.mentees["person_id"]
    mentor_ids = pool.mentors["person_id"]
    return pairs.select(
        mentee_ids.gather(pairs["i"]).alias("mentee_id"),
        mentor_ids.gather(pairs["j"]).alias("mentor_id"),
        "score",
        *COMPONENTS,
        *[f"contribution_{c}" for c in COMPONENTS],
    )


def explain(pair: Mapping[str, Any], weights: Weights) -> list[dict[str, Any]]:
    """One row per component of a scored pair: its label, value (0 to 1), weight and
    contribution to the score, for the coordinator's page and the CLI."""
    weight = weights.as_dict()
    return [
        {
            "component": c,
            "label": COMPONENT_LABELS[c],
            "value": pair[c],
            "weight": weight[c],
            "contribution": pair[f"contribution_{c}"],
        }
        for c in COMPONENTS
    ]


def given_scores(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Scores given directly (`--scores`): the pairs in `rows` are the only allowed ones."""
    return pl.DataFrame(
        rows, schema={"mentee_id": pl.String, "mentor_id": pl.String, "score": pl.Float64}
    )
