"""The resident population benchmark: Census 2021 ethnic group shares for a local authority.

Three sources, one shape (`ethnic_group`, `ethnicity`, `count`, `percent`):

* `read_population`: the Nomis bulk CSV for Census 2021 table TS021 (ethnic group), e.g.
  `census2021-ts021-ltla.csv` from https://www.nomisweb.co.uk/output/census/2021/census2021-ts021.zip.
  One row per area; columns `date`, `geography`, `geography code`, then
  `Ethnic group: Total: All usual residents`, each high-level group
  (`Ethnic group: Asian, Asian British or Asian Welsh`) followed by its detailed categories
  (`Ethnic group: Asian, Asian British or Asian Welsh: Indian`). Headers are matched tolerantly:
  whitespace and line breaks are normalised and a trailing `; measures: Value` is ignored.
* `population_from_percentages`: shares typed in by hand (five groups, summing to 100).
* `demo_population`: the resident shares printed in the demo council's action plan (seed 000).

The result has five rows for the high-level groups (`ethnicity` null) and, from the census file,
nineteen rows for the detailed categories. `percent` is of all usual residents (the census has
no "not known"), so workforce shares are best compared with it as shares of staff of known
ethnicity.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping
from os import PathLike
from typing import IO

import polars as pl

from equitable.metrics.labels import DETAILED_ETHNICITIES, ETHNIC_GROUPS

# TS021 names of the five high-level groups, by our short label.
CENSUS_GROUP_NAMES: dict[str, str] = {
    "Asian": "Asian, Asian British or Asian Welsh",
    "Black": "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed": "Mixed or Multiple ethnic groups",
    "White": "White",
    "Other": "Other ethnic group",
}
TOTAL_HEADER = "Ethnic group: Total: All usual residents"
NAME_HEADER = "geography"
CODE_HEADER = "geography code"
# The shares in a hand-entered benchmark must add up to 100 within this many points (five
# whole-number shares, each rounded, can be out by a little).
PERCENT_TOLERANCE = 1.0
# Census 2021 counts are perturbed (cell-key), but within one table the detailed categories add
# up to their group; allow a small slack rather than reject a genuine file.
SUM_TOLERANCE = 0.005

SCHEMA = {
    "ethnic_group": pl.String,
    "ethnicity": pl.String,
    "count": pl.Int64,
    "percent": pl.Float64,
}


class PopulationError(ValueError):
    """The population file or figures cannot be used; the message says every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _group_header(group: str) -> str:
    return f"Ethnic group: {CENSUS_GROUP_NAMES[group]}"


def _detail_header(group: str, ethnicity: str) -> str:
    return f"{_group_header(group)}: {ethnicity}"


def _normalise_header(header: str) -> str:
    header = re.sub(r"\s+", " ", header).strip()
    header = re.sub(r";\s*measures:\s*value$", "", header, flags=re.IGNORECASE)
    return header.strip()


def _read_text(source: str | PathLike[str] | bytes | IO[bytes] | IO[str]) -> str:
    if isinstance(source, bytes):
        raw: bytes | str = source
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        raw = source.read()  # type: ignore[union-attr]
    else:
        with open(source, "rb") as handle:  # type: ignore[arg-type]
            raw = handle.read()
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_population(
    source: str | PathLike[str] | bytes | IO[bytes] | IO[str],
    local_authority: str | None = None,
) -> pl.DataFrame:
    """One authority's resident population by ethnic group from a Nomis TS021 bulk CSV.

    `local_authority` is a name ("Harrow") or a code ("E09000015"), matched without regard to
    case; it may be left out when the file holds a single area.
    """
    text = _read_text(source)
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise PopulationError([f"not a readable CSV file: {error}"]) from None
    frame = frame.rename({c: _normalise_header(c) for c in frame.columns})
    _check_layout(frame.columns)
    row = _choose_area(frame, local_authority)
    return _population_rows(row)


def _expected_headers() -> list[str]:
    headers = [NAME_HEADER, CODE_HEADER, TOTAL_HEADER]
    for group in ETHNIC_GROUPS:
        headers.append(_group_header(group))
        headers.extend(_detail_header(g, e) for e, g in DETAILED_ETHNICITIES if g == group)
    return headers


def _check_layout(columns: list[str]) -> None:
    missing = [h for h in _expected_headers() if h not in columns]
    if missing:
        shown = ", ".join(f'"{m}"' for m in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        raise PopulationError(
            [
                "this is not the Nomis bulk CSV for Census 2021 table TS021 (ethnic group): "
                f"missing column(s) {shown}{more}. Download census2021-ts021.zip from "
                "https://www.nomisweb.co.uk/census/2021/bulk and use the local authority file "
                "(census2021-ts021-ltla.csv)."
            ]
        )


def _choose_area(frame: pl.DataFrame, local_authority: str | None) -> dict[str, str | None]:
    names = frame[NAME_HEADER].to_list()
    codes = frame[CODE_HEADER].to_list()
    if local_authority is None:
        if frame.height == 1:
            return frame.row(0, named=True)
        raise PopulationError(
            [
                f"the file lists {frame.height} areas: choose your local authority by name or "
                "code (for example Harrow or E09000015)"
            ]
        )
    wanted = local_authority.strip().casefold()
    for index, (name, code) in enumerate(zip(names, codes, strict=True)):
        if wanted in {str(name).strip().casefold(), str(code).strip().casefold()}:
            return frame.row(index, named=True)
    choices = {str(n).casefold(): f"{n} ({c})" for n, c in zip(names, codes, strict=True)}
    close = difflib.get_close_matches(wanted, list(choices), n=3, cutoff=0.6)
    hint = (
        "; did you mean " + " or ".join(choices[c] for c in close) + "?"
        if close
        else f"; the file lists {len(names)} areas"
    )
    raise PopulationError([f'local authority "{local_authority}" is not in the file{hint}'])


def _number(row: Mapping[str, str | None], header: str, problems: list[str]) -> int:
    value = row.get(header)
    text = (value or "").replace(",", "").strip()
    if not text.isdigit():
        problems.append(f'{row.get(NAME_HEADER)}: column "{header}" has "{value}", not a count')
        return 0
    return int(text)


def _population_rows(row: Mapping[str, str | None]) -> pl.DataFrame:
    problems: list[str] = []
    total = _number(row, TOTAL_HEADER, problems)
    groups = {g: _number(row, _group_header(g), problems) for g in ETHNIC_GROUPS}
    details = [
        (group, ethnicity, _number(row, _detail_header(group, ethnicity), problems))
        for ethnicity, group in DETAILED_ETHNICITIES
    ]
    if problems:
        raise PopulationError(problems)
    if total <= 0:
        raise PopulationError([f"{row.get(NAME_HEADER)}: the total of usual residents is 0"])
    slack = max(2, SUM_TOLERANCE * total)
    if abs(sum(groups.values()) - total) > slack:
        problems.append(
            f"{row.get(NAME_HEADER)}: the five groups add up to {sum(groups.values())}, "
            f"not the total {total}"
        )
    for group, count in groups.items():
        detail_sum = sum(c for g, _, c in details if g == group)
        if abs(detail_sum - count) > slack:
            problems.append(
                f"{row.get(NAME_HEADER)}: the detailed {group} categories add up to "
                f"{detail_sum}, not {count}"
            )
    if problems:
        raise PopulationError(problems)
    rows = [
        {"ethnic_group": g, "ethnicity": None, "count": c, "percent": 100 * c / total}
        for g, c in groups.items()
    ]
    rows += [
        {"ethnic_group": g, "ethnicity": e, "count": c, "percent": 100 * c / total}
        for g, e, c in details
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


def population_from_percentages(shares: Mapping[str, float]) -> pl.DataFrame:
    """A benchmark typed in by hand: a percentage for each of the five groups.

    Keys are the short labels (Asian, Black, Mixed, White, Other) or the census names; a group
    left out counts as 0. The shares must add up to 100 (within one point, for rounding)."""
    by_census_name = {v.casefold(): k for k, v in CENSUS_GROUP_NAMES.items()}
    by_short = {k.casefold(): k for k in ETHNIC_GROUPS}
    problems: list[str] = []
    values = dict.fromkeys(ETHNIC_GROUPS, 0.0)
    for key, value in shares.items():
        group = by_short.get(key.strip().casefold()) or by_census_name.get(key.strip().casefold())
        if group is None:
            problems.append(
                f'"{key}" is not an ethnic group: use {", ".join(ETHNIC_GROUPS)} '
                "(ONS 2021 Census high-level groups)"
            )
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f'{group}: "{value}" is not a number')
            continue
        if not 0 <= number <= 100:
            problems.append(f"{group}: {number:g} is not a percentage between 0 and 100")
            continue
        values[group] = number
    if not problems:
        total = sum(values.values())
        if abs(total - 100) > PERCENT_TOLERANCE:
            problems.append(
                f"the percentages add up to {total:g}, not 100: check each group, or put the "
                "remainder in Other"
            )
    if problems:
        raise PopulationError(problems)
    return pl.DataFrame(
        [
            {"ethnic_group": g, "ethnicity": None, "count": None, "percent": values[g]}
            for g in ETHNIC_GROUPS
        ],
        schema=SCHEMA,
    )


def demo_population() -> pl.DataFrame:
    """The demo council's resident population as printed in its action plan (seed 000, "Figure 1.
    Harrow's staff profile compared to the resident population"): White 37%, Asian 44%, Black 7%,
    Multi-heritage (Mixed) 3%. The plan prints no figure for Other; the remaining 9% is put there
    so the shares add up to 100."""
    return population_from_percentages(
        {"White": 37, "Asian": 44, "Black": 7, "Mixed": 3, "Other": 9}
    )
