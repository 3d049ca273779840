"""Census 2021 resident populations of a borough by sex, age, disability, religion and sexual
orientation: the comparison for each service's users and complaints.

Why beside `metrics.population` rather than in it: that module reads TS021 (ethnic group) into
the workforce benchmark's 19 categories; these tables each give one characteristic in the
categories `service_users.records.VALUES` reports. Ethnic group comes from the workforce
benchmark (`from_ethnic_groups`), so the borough's TS021 is uploaded once.

Tables and what each row becomes (docs/data-formats.md "Census tables for services"):

* TS008 sex: Female, Male;
* TS007A age (five-year bands): summed into `records.AGE_BANDS` (Under 15 … 85+);
* TS038 disability: "Disabled under the Equality Act" → Disabled, "Not disabled under the
  Equality Act" → Not disabled (their sub-rows, limited a lot or a little, are not read);
* TS030 religion: the eight categories; "Not answered" is read and left out of the shares;
* TS077 sexual orientation (residents aged 16 and over): Straight or Heterosexual, Gay or
  Lesbian, Bisexual, "All other sexual orientations" → Other sexual orientation; "Not answered"
  left out of the shares.

Two layouts are read for each: the Nomis bulk CSV (`date, geography, geography code`, then one
column per category such as `Sex: Female; measures: Value`, one row per area, the area chosen
by name or code), and a two-column file (`category, count`, one row per category). Headers and
categories are matched case- and punctuation-blind; a total row or column is checked against
the categories' sum (within the census's perturbation of 0.5%), not used.

    percent(value) = 100 × count(value) / Σ count(answered values)

Pure module: polars, no Django.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from os import PathLike
from typing import IO

import polars as pl

from equitable.metrics.classification import normalise
from equitable.metrics.lifecycle.records import age_band_value
from equitable.metrics.population import (
    CODE_HEADER,
    NAME_HEADER,
    SUM_TOLERANCE,
    PopulationError,
    _choose_area,
    _normalise_header,
    _read_text,
)
from equitable.metrics.schema import UNDISCLOSED
from equitable.metrics.service_users.records import AGE_BANDS, VALUES, age_band_of, census_band

SCHEMA: dict[str, pl.DataType] = {
    "characteristic": pl.String(),
    "value": pl.String(),
    "count": pl.Int64(),
    "percent": pl.Float64(),
}
NOT_ANSWERED = "Not answered"
TABLES = {
    "sex": "TS008 Sex",
    "age": "TS007A Age by five-year age bands",
    "disability": "TS038 Disability",
    "religion": "TS030 Religion",
    "sexual_orientation": "TS077 Sexual orientation",
}

_CATEGORIES: dict[str, dict[str, str]] = {
    "sex": {"female": "Female", "male": "Male", "women": "Female", "men": "Male"},
    "disability": {
        "disabled under the equality act": "Disabled",
        "disabled": "Disabled",
        "not disabled under the equality act": "Not disabled",
        "not disabled": "Not disabled",
    },
    "religion": {
        **{normalise(v): v for v in VALUES["religion"][:8]},
        "not answered": NOT_ANSWERED,
    },
    "sexual_orientation": {
        "straight or heterosexual": "Straight or Heterosexual",
        "gay or lesbian": "Gay or Lesbian",
        "bisexual": "Bisexual",
        "all other sexual orientations": "Other sexual orientation",
        "other sexual orientation": "Other sexual orientation",
        "not answered": NOT_ANSWERED,
    },
}
_TOTAL_WORDS = ("total", "all persons", "all usual residents")


def _age_band(category: str) -> str | None:
    """TS007A's "Aged 4 years and under", "Aged 5 to 9 years", "Aged 85 years and over" (or
    "0-4", "85+") as one of AGE_BANDS; None when it is not a five-year band."""
    import re

    text = normalise(category)
    own = age_band_value(category)  # our own bands ("Under 15", "85+", "15-24")
    if own is not None and own not in UNDISCLOSED:
        return census_band(own)
    if match := re.fullmatch(r"(?:aged )?(\d+) years? and under", text):
        return age_band_of(int(match.group(1)))
    if match := re.fullmatch(r"(?:aged )?(\d+) (?:to )?(\d+)(?: years?)?", text):
        low, high = int(match.group(1)), int(match.group(2))
        return age_band_of(low) if age_band_of(low) == age_band_of(high) else None
    if match := re.fullmatch(r"(?:aged )?(\d+)(?: years?)? and over", text):
        return age_band_of(int(match.group(1)))
    return None


def _category(characteristic: str, text: str) -> str | None:
    """The value a census category counts towards ("" for a total, None when not read)."""
    if any(normalise(text).startswith(w) for w in _TOTAL_WORDS):
        return ""
    if characteristic == "age":
        return _age_band(text)
    return _CATEGORIES[characteristic].get(normalise(text))


def _check(characteristic: str) -> None:
    if characteristic not in TABLES:
        raise PopulationError(
            [f"{characteristic!r} is not a census table read here ({', '.join(TABLES)})"]
        )


def population_from_counts(characteristic: str, counts: Mapping[str, int]) -> pl.DataFrame:
    """Counts per value → the population frame: each answered value's share of the answered."""
    _check(characteristic)
    answered = {v: int(c) for v, c in counts.items() if v != NOT_ANSWERED}
    problems = [f"{v}: the count must not be negative" for v, c in answered.items() if c < 0]
    total = sum(answered.values())
    if total <= 0:
        problems.append(f"{TABLES[characteristic]}: no residents counted")
    if problems:
        raise PopulationError(problems)
    order = AGE_BANDS if characteristic == "age" else VALUES[characteristic]
    rows = [
        {
            "characteristic": characteristic,
            "value": value,
            "count": answered[value],
            "percent": 100 * answered[value] / total,
        }
        for value in order
        if value in answered
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


def _from_cells(characteristic: str, cells: list[tuple[str, str | None]]) -> pl.DataFrame:
    """(category, count text) pairs → the frame, with every unreadable count listed."""
    counts: dict[str, int] = {}
    problems: list[str] = []
    total: int | None = None
    for text, raw in cells:
        value = _category(characteristic, text)
        if value is None:
            continue  # a sub-category (disabled: limited a lot) or a category not compared
        number = _whole(raw)
        if number is None:
            problems.append(f"{text}: {raw!r} is not a whole number of residents")
            continue
        if value == "":
            total = number if total is None else total
        else:
            counts[value] = counts.get(value, 0) + number
    if not counts and not problems:
        problems.append(
            f"no categories of {TABLES[characteristic]} found: is this the right table?"
        )
    if problems:
        raise PopulationError(problems)
    summed = sum(counts.values())
    if total is not None and abs(total - summed) > SUM_TOLERANCE * max(total, 1):
        raise PopulationError(
            [f"the categories add up to {summed:,}, but the file's total is {total:,}"]
        )
    return population_from_counts(characteristic, counts)


def _whole(raw: object) -> int | None:
    text = str(raw or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


def read_census_table(
    characteristic: str,
    source: str | PathLike[str] | bytes | IO[bytes] | IO[str],
    local_authority: str | None = None,
) -> pl.DataFrame:
    """One borough's residents by `characteristic` from a Nomis bulk CSV or a two-column file;
    PopulationError lists every problem."""
    _check(characteristic)
    text = _read_text(source)
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise PopulationError([f"not a readable CSV file: {error}"]) from None
    frame = frame.rename({c: _normalise_header(c) for c in frame.columns})
    lowered = {c.casefold(): c for c in frame.columns}
    if NAME_HEADER in lowered and CODE_HEADER in lowered:
        frame = frame.rename({lowered[NAME_HEADER]: NAME_HEADER, lowered[CODE_HEADER]: CODE_HEADER})
        row = _choose_area(frame, local_authority)
        cells = [
            (header.split(":", 1)[1].strip(), value)
            for header, value in row.items()
            if ":" in header and header not in (NAME_HEADER, CODE_HEADER)
        ]
        # "Disability: Disabled under the Equality Act: Day-to-day activities limited a lot"
        # is a sub-row: only the first level after the table name is a category.
        cells = [(text, value) for text, value in cells if ":" not in text]
        return _from_cells(characteristic, cells)
    if frame.width != 2:
        raise PopulationError(
            [
                "expected the Nomis bulk layout (date, geography, geography code, one column "
                "per category) or two columns: category, count"
            ]
        )
    first, second = frame.columns
    return _from_cells(
        characteristic, [(str(c or ""), v) for c, v in frame.select(first, second).iter_rows()]
    )


def from_ethnic_groups(benchmark: pl.DataFrame | None) -> pl.DataFrame:
    """The workforce benchmark (TS021: five group rows with `ethnicity` null) as this module's
    frame for ethnicity; empty without a benchmark. Its percents are used as they are (a
    benchmark typed in as percentages has no counts)."""
    if benchmark is None or benchmark.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    groups = benchmark.filter(pl.col("ethnicity").is_null())
    found = {
        group: (count, percent)
        for group, count, percent in groups.select("ethnic_group", "count", "percent").iter_rows()
    }
    rows = [
        {
            "characteristic": "ethnicity",
            "value": group,
            "count": found[group][0],
            "percent": found[group][1],
        }
        for group in VALUES["ethnicity"][:5]
        if group in found
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


# --- the demo borough ---------------------------------------------------------------------

# Made up for the demo borough (261,300 residents, as its TS021 benchmark): plausible shares
# for an outer London borough, not any real borough's census figures.
DEMO_COUNTS: dict[str, dict[str, int]] = {
    "sex": {"Female": 133_263, "Male": 128_037},
    "age": {
        "Under 15": 49_647,
        "15-24": 30_050,
        "25-34": 38_411,
        "35-44": 38_672,
        "45-54": 35_277,
        "55-64": 29_787,
        "65-74": 20_904,
        "75-84": 12_804,
        "85+": 5_748,
    },
    "disability": {"Disabled": 35_276, "Not disabled": 226_024},
    "religion": {
        "No religion": 31_356,
        "Christian": 96_681,
        "Buddhist": 2_613,
        "Hindu": 65_325,
        "Jewish": 7_839,
        "Muslim": 39_195,
        "Sikh": 2_613,
        "Other religion": 2_091,
        NOT_ANSWERED: 13_587,
    },
    "sexual_orientation": {
        "Straight or Heterosexual": 182_400,
        "Gay or Lesbian": 2_850,
        "Bisexual": 2_300,
        "Other sexual orientation": 760,
        NOT_ANSWERED: 21_900,
    },
}


def demo_census_csv(characteristic: str) -> bytes:
    """The demo borough's table as a two-column file (what the demo uploads)."""
    lines = ["category,count", *(f"{k},{v}" for k, v in DEMO_COUNTS[characteristic].items())]
    return ("\n".join(lines) + "\n").encode()


__all__ = [
    "DEMO_COUNTS",
    "NOT_ANSWERED",
    "SCHEMA",
    "TABLES",
    "demo_census_csv",
    "from_ethnic_groups",
    "population_from_counts",
    "read_census_table",
]
