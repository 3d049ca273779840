"""Calendar quarters (Q1 = January to March), in one place.

Two spellings are written, each where it has always been, and both are read everywhere:

* `2025Q1` (`Quarter.compact`): board reports, their addresses and the action plan's quarters;
* `2025-Q1` (`Quarter.dashed`): incident and service-user counts and the incidents API, where
  the quarter is a value in a table and the hyphen keeps it readable as text.

Why not one spelling: both are stored (board reports, incident counts) and published (addresses,
the API, downloads); changing either would break links and files people already hold. What was
wrong was each app parsing its own and bridging the other by cutting strings, so every
conversion now goes through `Quarter`. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

_YEAR_FIRST = re.compile(r"(\d{4})Q([1-4])")
_QUARTER_FIRST = re.compile(r"Q([1-4])(\d{4})")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is numbered 1 to 4, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read `2025Q1`, `2025-Q1`, `2025 Q1`, `Q1 2025` or lower case; ValueError otherwise."""
        compact = re.sub(r"[\s\-_/]+", "", (text or "").strip().upper())
        if match := _YEAR_FIRST.fullmatch(compact):
            return cls(int(match[1]), int(match[2]))
        if match := _QUARTER_FIRST.fullmatch(compact):
            return cls(int(match[2]), int(match[1]))
        raise ValueError(f"{text!r} is not a quarter: write it as 2025Q1 (Q1 = January to March)")

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    @property
    def index(self) -> int:
        """Quarters counted from year 0: consecutive quarters differ by one."""
        return self.year * 4 + self.number - 1

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter.from_index(self.index + 1)

    def previous(self) -> Quarter:
        return Quarter.from_index(self.index - 1)

    def last(self, count: int) -> list[Quarter]:
        """`count` quarters ending with this one, oldest first (4 = the last 12 months)."""
        return [Quarter.from_index(i) for i in range(self.index - count + 1, self.index + 1)]

    @property
    def compact(self) -> str:
        return f"{self.year:04d}Q{self.number}"

    @property
    def dashed(self) -> str:
        return f"{self.year:04d}-Q{self.number}"


def dashed_expr(day: pl.Expr) -> pl.Expr:
    """`Quarter.of(day).dashed` for a column of dates (null stays null)."""
    return day.dt.year().cast(pl.String) + "-Q" + ((day.dt.month() - 1) // 3 + 1).cast(pl.String)
