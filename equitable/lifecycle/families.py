"""Where the app meets the pure library `equitable.metrics.lifecycle`: which module computes
each family, from which stored files, and what it needs before it can say anything.

Kept in one place so the services, the pages and the command line agree on what a family is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType

import polars as pl


@dataclass
class Inputs:
    """The stored files and snapshots a family is computed from."""

    applications: pl.DataFrame | None = None
    application_counts: pl.DataFrame | None = None
    cases: pl.DataFrame | None = None
    leavers: pl.DataFrame | None = None
    development: pl.DataFrame | None = None
    snapshots: Sequence[tuple[date, pl.DataFrame]] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {
            kind
            for kind in ("applications", "application_counts", "cases", "leavers", "development")
            if getattr(self, kind) is not None
        }


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    module_name: str  # under equitable.metrics.lifecycle
    kinds: tuple[str, ...]  # any of these files gives the family something to compute
    min_snapshots: int  # snapshots needed (movements: two consecutive ones)
    compute_with: Callable[[ModuleType, Inputs], dict[str, pl.DataFrame]]

    def module(self) -> ModuleType:
        return importlib.import_module(f"equitable.metrics.lifecycle.{self.module_name}")

    def available(self, kinds: set[str], snapshot_count: int) -> bool:
        has_files = not self.kinds or bool(kinds & set(self.kinds))
        return has_files and snapshot_count >= self.min_snapshots

    def compute(self, inputs: Inputs) -> dict[str, pl.DataFrame]:
        if not self.available(inputs.kinds(), len(inputs.snapshots)):
            return {}
        return self.compute_with(self.module(), inputs)


def _recruitment(module: ModuleType, inputs: Inputs) -> dict[str, pl.DataFrame]:
    # One row per application when the council has it; counts per stage and group otherwise.
    source = inputs.applications if inputs.applications is not None else inputs.application_counts
    return module.recruitment_tables(source)


def _movements(module: ModuleType, inputs: Inputs) -> dict[str, pl.DataFrame]:
    return module.movement_tables(inputs.snapshots, leavers=inputs.leavers)


def _casework(module: ModuleType, inputs: Inputs) -> dict[str, pl.DataFrame]:
    return module.casework_tables(inputs.cases, inputs.snapshots)


def _development(module: ModuleType, inputs: Inputs) -> dict[str, pl.DataFrame]:
    return module.development_tables(inputs.development, inputs.snapshots)


FAMILIES: dict[str, Family] = {
    "recruitment": Family(
        "recruitment",
        "Recruitment",
        "recruitment",
        ("applications", "application_counts"),
        0,
        _recruitment,
    ),
    "movements": Family("movements", "Movements", "movements", (), 2, _movements),
    "casework": Family("casework", "Casework", "casework", ("cases",), 1, _casework),
    "development": Family(
        "development", "Development", "development", ("development",), 1, _development
    ),
}


# Where a family's pools are snapshot headcounts: the library function that turns the cells
# the workforce pages withhold into restrictions (recruitment's pools are applicants: none).
WITHHOLD_FUNCTIONS = {
    "movements": "movement_withhold",
    "casework": "casework_withhold",
    "development": "development_withhold",
}


def withhold(
    module: ModuleType, family: str, published_workforce: dict[date, dict[str, pl.DataFrame]]
) -> list:
    """The restrictions for `protect(withhold=...)` from the published workforce tables of
    every snapshot, by date (the library picks the snapshots its pools are headcounts of)."""
    name = WITHHOLD_FUNCTIONS.get(family)
    if name is None:
        return []
    return list(getattr(module, name)(published_workforce))


def wres(
    lifecycle: dict[str, pl.DataFrame],
    workforce: dict[str, pl.DataFrame],
    survey: dict[str, pl.DataFrame] | None = None,
    survey_source: str = "staff survey",
) -> dict[str, pl.DataFrame]:
    """Indicators 1-4 and 9 from the workforce and lifecycle tables, 5-8 from the survey's
    published `wres_survey` table (when a wave has questions marked with them)."""
    module = importlib.import_module("equitable.metrics.lifecycle.wres")
    return {
        "wres_indicators": module.wres_indicators(
            {**workforce, **lifecycle, **(survey or {})}, survey_source
        )
    }


def social_care_wres(
    inputs: Inputs,
    directorates: Sequence[str],
    survey: dict[str, pl.DataFrame] | None = None,
    survey_source: str = "staff survey",
) -> dict[str, pl.DataFrame]:
    """The exact Social Care WRES return for the staff of the social care directorates, with
    metrics 6 and 7 from the survey's published `wres_survey` table when given."""
    module = importlib.import_module("equitable.metrics.lifecycle.wres")
    tables = _social_care_tables(module, inputs, directorates)
    if survey:
        tables["social_care_wres_return"] = module.social_care_wres_return(
            {**tables, **survey}, survey_source
        )
    return tables


def _social_care_tables(
    module: ModuleType, inputs: Inputs, directorates: Sequence[str]
) -> dict[str, pl.DataFrame]:
    return module.social_care_wres(
        inputs.snapshots,
        directorates=directorates,
        applications=(
            inputs.applications if inputs.applications is not None else inputs.application_counts
        ),
        cases=inputs.cases,
        development=inputs.development,
        leavers=inputs.leavers,
    )
