"""A mentoring pool read from a file: one row per person, mentors and mentees together.

Columns (docs/data-formats.md, "Mentoring pool"; headers matched ignoring case, spaces and
punctuation):

* `person_id` (required, unique): the scheme's own id for the person, never a name.
* `role` (required): `mentor` or `mentee`.
* `pay_band` (required): a band of the council's scale; seniority is its place in
  `band_order` (default: bands are whole numbers and a higher number is more senior).
* `directorate` (required).
* `capacity`: how many mentees a mentor takes (a whole number from 1 to 20; blank is 1).
  Blank for mentees.
* `offers`, `seeks`: topics, separated by semicolons ("career planning; leadership").
  Compared ignoring case and spaces at the ends.
* `background_preference`: `same`, `different` or `any` (blank is any): a mentor of the same or
  a different background, as far as both gave the characteristics below.
* `other_directorate`: `yes` (someone from another directorate), `no` (the same one) or `any`.
* `availability`: time slots separated by semicolons ("tue-am; thu-pm").
* `line_chain`: the person_ids of the person's line management chain, semicolons between them.
  A mentor in a mentee's chain, or a mentee in a mentor's, is never paired with them.
* `exclude`: person_ids the person must not be paired with (either side's exclusion counts).
* optional characteristics, used only where a person gave them and only to compare the two
  people of a pair: `ethnic_group`, `sex`, `disability`, `religion`, `sexual_orientation`,
  `age_band`.

Reading is all-or-nothing: `read_pool` returns every problem with its spreadsheet row and column,
and no pool unless there are none. Pure library: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from equitable.metrics.extract import Problem
from equitable.metrics.reading import ExtractReadError, header_key, read_source

ROLES = ("mentor", "mentee")
BACKGROUND_PREFERENCES = ("same", "different", "any")
DIRECTORATE_PREFERENCES = ("yes", "no", "any")
CHARACTERISTICS = (
    "ethnic_group",
    "sex",
    "disability",
    "religion",
    "sexual_orientation",
    "age_band",
)
REQUIRED_COLUMNS = ("person_id", "role", "pay_band", "directorate")
LIST_COLUMNS = ("offers", "seeks", "availability", "line_chain", "exclude")
OPTIONAL_COLUMNS = (
    "capacity",
    *LIST_COLUMNS,
    "background_preference",
    "other_directorate",
    *CHARACTERISTICS,
)
ALL_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
MAX_CAPACITY = 20
MAX_PEOPLE = 50_000
# A pool of 50,000 people with long topic lists is a few MB; workbooks are bounded by reading.py.
MAX_FILE_BYTES = 20 * 1024 * 1024


class PoolError(ValueError):
    """The pool could not be used; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = [str(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


@dataclass
class Pool:
    """Mentors and mentees, one row each, in the columns of `ALL_COLUMNS` (list columns as
    lists of lower-case topics or ids, `band_rank` the pay band's place in the order, 0 the most
    junior). `characteristics` are those the file had a column for."""

    mentors: pl.DataFrame
    mentees: pl.DataFrame
    characteristics: tuple[str, ...] = ()
    band_order: tuple[str, ...] = ()


@dataclass
class PoolReading:
    pool: Pool | None
    problems: list[Problem] = field(default_factory=list)


def split_list(text: str | None) -> list[str]:
    """Semicolon-separated items, trimmed, lower case, blanks and repeats dropped, in order."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for item in text.split(";"):
        cleaned = " ".join(item.split()).lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def default_band_order(bands: Sequence[str]) -> tuple[str, ...] | None:
    """Bands that are all whole numbers, in numeric order (1 most junior); None otherwise."""
    try:
        return tuple(sorted(set(bands), key=int))
    except ValueError:
        return None


def read_pool(data: bytes, name: str, band_order: Sequence[str] | None = None) -> PoolReading:
    """The pool in a CSV or XLSX file's bytes (`name` chooses the format), or every problem."""
    try:
        source = read_source(data, name.lower())
    except ExtractReadError as error:
        return PoolReading(None, [Problem(None, None, None, str(error))])
    return pool_from_frame(source.frame, first_row=source.first_data_row, band_order=band_order)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def pool_from_frame(
    frame: pl.DataFrame, *, first_row: int = 2, band_order: Sequence[str] | None = None
) -> PoolReading:
    """Validate a frame of text cells (headers as in the file) into a `Pool`.

    `first_row` is the spreadsheet row of the frame's first row, so problems name the row a
    person would look at. Every problem of every row is listed; nothing is returned with them.
    """
    problems: list[Problem] = []
    by_key = {header_key(column): column for column in frame.columns}
    wanted = {header_key(column): column for column in ALL_COLUMNS}
    for column in REQUIRED_COLUMNS:
        if header_key(column) not in by_key:
            problems.append(Problem(None, column, None, "required column missing"))
    if frame.height > MAX_PEOPLE:
        problems.append(
            Problem(None, None, None, f"{frame.height:,} rows: at most {MAX_PEOPLE:,} people")
        )
    if problems:
        return PoolReading(None, problems)
    present = [wanted[key] for key in by_key if key in wanted]
    renamed = frame.select(
        [pl.col(by_key[header_key(c)]).cast(pl.String).alias(c) for c in present]
    )
    rows = renamed.to_dicts()
    if not rows:
        return PoolReading(None, [Problem(None, None, None, "the file has no people in it")])
    order = tuple(band_order) if band_order else None
    if order is None:
        order = default_band_order([_text(r["pay_band"]) for r in rows if _text(r["pay_band"])])
        if order is None:
            problems.append(
                Problem(
                    None,
                    "pay_band",
                    None,
                    "pay bands are not all whole numbers: give the order of bands, most "
                    "junior first (band_order in the weights file)",
                )
            )
    rank = {band.strip().lower(): i for i, band in enumerate(order or ())}
    seen_ids: dict[str, int] = {}
    people: list[dict[str, object]] = []
    for index, row in enumerate(rows):
        number = first_row + index
        if all(not _text(v) for v in row.values()):
            continue
        person = _person(row, number, rank, order is not None, problems)
        person_id = str(person["person_id"])
        if person_id:
            if person_id in seen_ids:
                problems.append(
                    Problem(
                        number,
                        "person_id",
                        person_id,
                        f"repeats the id of row {seen_ids[person_id]}",
                    )
                )
            else:
                seen_ids[person_id] = number
        people.append(person)
    known = set(seen_ids)
    for person in people:
        for column in ("line_chain", "exclude"):
            for other in person[column]:  # type: ignore[attr-defined]
                if other not in known:
                    problems.append(
                        Problem(
                            int(person["row"]),  # type: ignore[call-overload]
                            column,
                            other,
                            "is not a person_id in this file",
                        )
                    )
    if not problems and not any(p["role"] == "mentor" for p in people):
        problems.append(Problem(None, "role", None, "the pool has no mentors"))
    if not problems and not any(p["role"] == "mentee" for p in people):
        problems.append(Problem(None, "role", None, "the pool has no mentees"))
    if problems:
        return PoolReading(None, problems)
    characteristics = tuple(c for c in CHARACTERISTICS if c in present)
    everyone = people_frame(people)
    return PoolReading(
        Pool(
            mentors=everyone.filter(pl.col("role") == "mentor"),
            mentees=everyone.filter(pl.col("role") == "mentee"),
            characteristics=characteristics,
            band_order=tuple(order or ()),
        )
    )


def _person(
    row: dict[str, object],
    number: int,
    rank: dict[str, int],
    ranked: bool,
    problems: list[Problem],
) -> dict[str, object]:
    def problem(column: str, value: str, message: str) -> None:
        problems.append(Problem(number, column, value, message))

    person_id = _text(row.get("person_id"))
    if not person_id:
        problem("person_id", "", "is blank")
    role = _text(row.get("role")).lower()
    if role not in ROLES:
        problem("role", _text(row.get("role")), "must be mentor or mentee")
    band = _text(row.get("pay_band"))
    band_rank = rank.get(band.lower())
    if not band:
        problem("pay_band", "", "is blank")
    elif ranked and band_rank is None:
        problem("pay_band", band, "is not in the band order")
    directorate = _text(row.get("directorate"))
    if not directorate:
        problem("directorate", "", "is blank")
    capacity_text = _text(row.get("capacity"))
    capacity = 1 if role == "mentor" else 0
    if capacity_text:
        if role == "mentee":
            problem("capacity", capacity_text, "is for mentors only: leave it blank for a mentee")
        elif not capacity_text.isdigit() or not 1 <= int(capacity_text) <= MAX_CAPACITY:
            problem("capacity", capacity_text, f"must be a whole number from 1 to {MAX_CAPACITY}")
        else:
            capacity = int(capacity_text)
    background = _text(row.get("background_preference")).lower() or "any"
    if background not in BACKGROUND_PREFERENCES:
        problem(
            "background_preference",
            _text(row.get("background_preference")),
            "must be same, different or any",
        )
    directorate_preference = _text(row.get("other_directorate")).lower() or "any"
    if directorate_preference not in DIRECTORATE_PREFERENCES:
        problem("other_directorate", _text(row.get("other_directorate")), "must be yes, no or any")
    person: dict[str, object] = {
        "row": number,
        "person_id": person_id,
        "role": role,
        "pay_band": band,
        "band_rank": band_rank if band_rank is not None else -1,
        "directorate": directorate,
        "capacity": capacity,
        "background_preference": background,
        "other_directorate": directorate_preference,
    }
    for column in ("offers", "seeks", "availability"):
        person[column] = split_list(_text(row.get(column)))
    for column in ("line_chain", "exclude"):
        ids = [i.strip() for i in _text(row.get(column)).split(";") if i.strip()]
        if person_id in ids:
            problem(column, person_id, "names the person themself")
        person[column] = [i for i in dict.fromkeys(ids) if i != person_id]
    for characteristic in CHARACTERISTICS:
        value = _text(row.get(characteristic))
        person[characteristic] = value.lower() if value else None
    return person


PEOPLE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row": pl.Int64,
    "person_id": pl.String,
    "role": pl.String,
    "pay_band": pl.String,
    "band_rank": pl.Int64,
    "directorate": pl.String,
    "capacity": pl.Int64,
    "background_preference": pl.String,
    "other_directorate": pl.String,
    **{column: pl.List(pl.String) for column in LIST_COLUMNS},
    **{characteristic: pl.String for characteristic in CHARACTERISTICS},
}


def people_frame(people: Sequence[dict[str, object]]) -> pl.DataFrame:
    """People as `Pool` holds them (missing keys take their defaults), from dicts: the Django
    app builds its pools this way from sign-ups, so both paths score and match alike."""
    defaults: dict[str, object] = {
        "row": 0,
        "capacity": 0,
        "background_preference": "any",
        "other_directorate": "any",
        **{column: [] for column in LIST_COLUMNS},
        **{characteristic: None for characteristic in CHARACTERISTICS},
    }
    rows = [{**defaults, **person} for person in people]
    return pl.DataFrame(
        [{column: row.get(column) for column in PEOPLE_SCHEMA} for row in rows],
        schema=PEOPLE_SCHEMA,
    )


def pool_from_people(
    people: Sequence[dict[str, object]], characteristics: Sequence[str] = CHARACTERISTICS
) -> Pool:
    """A `Pool` of already-valid people (the sign-up form checks each); mentors are those
    whose role is mentor."""
    everyone = people_frame(people)
    return Pool(
        mentors=everyone.filter(pl.col("role") == "mentor"),
        mentees=everyone.filter(pl.col("role") == "mentee"),
        characteristics=tuple(characteristics),
    )
