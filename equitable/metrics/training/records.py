"""The training records file: one row per completion (employee id, course, category, mode,
completion date), validated by the lifecycle files' machinery (`lifecycle.records`), so a
council meets the same rules as everywhere else: CSV or XLSX through `reading`, headers matched
case- and punctuation-blind, direct identifiers dropped unread, dates in the formats workforce
imports accept, employee ids kept only as the snapshots' keyed hash (so a completion links to
the person in a snapshot), all or nothing with every problem by row and column.

The recruitment panel list is a separate file (`PANEL`: one row per panel member, an employee
id column), not a column of the workforce extract: panels are kept by the recruitment team,
not in the HR system, and the workforce extract's validator keeps only its own columns
(docs/decisions.md 42).

Pure module: polars, no Django.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.metrics.extract import Problem
from equitable.metrics.lifecycle.records import Column, RecordSpec, problems_by_rows

MANDATORY_EDI = "Mandatory EDI"
ANTI_RACISM = "Anti-racism"
INCLUSIVE_LEADERSHIP = "Inclusive leadership"
RECRUITMENT_PANEL = "Recruitment panel training"
SPONSORSHIP_MENTORING = "Sponsorship and mentoring training"
EQUALITY_MATTERS_REFRESHER = "Equality Matters refresher"
OTHER = "Other"
CATEGORIES = (
    MANDATORY_EDI,
    ANTI_RACISM,
    INCLUSIVE_LEADERSHIP,
    RECRUITMENT_PANEL,
    SPONSORSHIP_MENTORING,
    EQUALITY_MATTERS_REFRESHER,
    OTHER,
)
# The mandatory course and its two-yearly refresher: either completes the duty.
MANDATORY_CATEGORIES = (MANDATORY_EDI, EQUALITY_MATTERS_REFRESHER)
# What a senior leader's face-to-face duty can be met by (seed 000: "mandatory face to face
# Equality, Diversity, and Inclusion training").
LEADER_CATEGORIES = (MANDATORY_EDI, EQUALITY_MATTERS_REFRESHER, ANTI_RACISM, INCLUSIVE_LEADERSHIP)

E_LEARNING = "E-learning"
FACE_TO_FACE = "Face to face"
VIRTUAL_CLASSROOM = "Virtual classroom"
MODES = (E_LEARNING, FACE_TO_FACE, VIRTUAL_CLASSROOM)

_EARLIEST = date(1990, 1, 1)

_ID_HEADERS = (
    "employee number",
    "staff id",
    "staff number",
    "person id",
    "assignment number",
    "payroll number",
)


def _dates_in_range(frame: pl.DataFrame) -> list[Problem]:
    """A completion from before 1990 is a typing slip (a two-digit year read wrongly)."""
    return problems_by_rows(
        frame,
        pl.col("completion_date") < _EARLIEST,
        "completion_date",
        "a completion date before 1990: check the year",
    )


TRAINING = RecordSpec(
    kind="training",
    label="training records",
    columns=(
        Column(
            "employee_id",
            "employee_id",
            required=True,
            headers=_ID_HEADERS,
            description="The employee's id, as in the workforce extracts (stored only as the "
            "same keyed hash, so completions link to snapshots).",
        ),
        Column(
            "course",
            "text",
            required=True,
            headers=("course name", "course title", "module", "training", "activity"),
            description="The course as the learning system names it (kept as given).",
        ),
        Column(
            "category",
            "choice",
            required=True,
            choices=CATEGORIES,
            aliases={
                "mandatory": MANDATORY_EDI,
                "edi": MANDATORY_EDI,
                "mandatory edi training": MANDATORY_EDI,
                "equality matters": MANDATORY_EDI,
                "equality diversity and inclusion": MANDATORY_EDI,
                "anti racism": ANTI_RACISM,
                "anti-racism workshop": ANTI_RACISM,
                "leadership": INCLUSIVE_LEADERSHIP,
                "recruitment panel": RECRUITMENT_PANEL,
                "recruitment": RECRUITMENT_PANEL,
                "recruitment training": RECRUITMENT_PANEL,
                "sponsorship": SPONSORSHIP_MENTORING,
                "mentoring": SPONSORSHIP_MENTORING,
                "refresher": EQUALITY_MATTERS_REFRESHER,
            },
            headers=("training category", "course category", "type"),
            description="One of: " + "; ".join(CATEGORIES) + ".",
        ),
        Column(
            "mode",
            "choice",
            required=True,
            choices=MODES,
            aliases={
                "elearning": E_LEARNING,
                "online": E_LEARNING,
                "e learning": E_LEARNING,
                "face-to-face": FACE_TO_FACE,
                "in person": FACE_TO_FACE,
                "classroom": FACE_TO_FACE,
                "virtual": VIRTUAL_CLASSROOM,
                "teams": VIRTUAL_CLASSROOM,
                "online classroom": VIRTUAL_CLASSROOM,
            },
            headers=("delivery", "delivery mode", "method", "format"),
            description="One of: " + "; ".join(MODES) + ".",
        ),
        Column(
            "completion_date",
            "date",
            required=True,
            headers=("completed", "date completed", "completed on", "date"),
            description="The day the course was completed (31/03/2024 or 2024-03-31).",
        ),
    ),
    checks=(_dates_in_range,),
)

PANEL = RecordSpec(
    kind="panel",
    label="recruitment panel members",
    columns=(
        Column(
            "employee_id",
            "employee_id",
            required=True,
            headers=_ID_HEADERS,
            description="A recruitment panel member's employee id (one row per person).",
        ),
    ),
    unique=("employee_id",),
)

__all__ = [
    "CATEGORIES",
    "LEADER_CATEGORIES",
    "MANDATORY_CATEGORIES",
    "MODES",
    "PANEL",
    "TRAINING",
]
