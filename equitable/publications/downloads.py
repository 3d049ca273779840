"""The open-data files of a publication, in a stable documented schema (docs/publishing.md).

For each table: `<table>.csv` (one row per row of the published table; columns are the
table's own column names, which never change meaning; numbers as published, unrounded beyond
what the release did; a withheld figure is an empty cell with `suppressed` true) and
`<table>.schema.json` beside it, a Frictionless Table Schema (https://specs.frictionlessdata.io/
table-schema/) naming each field's type, title and description. `<slug>-<kind>-<date>-v<N>.json`
holds every table with the publication's metadata. All are under the Open Government Licence
v3.0. CSVs go through `equitable.files.tabular`, so no text cell can run as a formula.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl

from equitable.files import tabular
from equitable.workforce import catalogue

SCHEMA_VERSION = "1"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
FLAG_DESCRIPTIONS = {
    "suppressed": "True when a figure in this row was withheld to protect individuals; the "
    "withheld figures are empty.",
    "warning": "A caution about the row's figures (for example a small reference group).",
}


@dataclass(frozen=True)
class File:
    name: str
    content_type: str
    content: bytes


def _field_type(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "integer"
    if dtype.is_numeric():
        return "number"
    if dtype == pl.Date:
        return "date"
    return "string"


def table_schema(name: str, frame: pl.DataFrame) -> dict[str, Any]:
    """The Frictionless Table Schema of one published table."""
    fields = []
    for column, dtype in frame.schema.items():
        field: dict[str, Any] = {
            "name": column,
            "type": _field_type(dtype),
            "title": catalogue.column_label(column),
        }
        if column in FLAG_DESCRIPTIONS:
            field["description"] = FLAG_DESCRIPTIONS[column]
        else:
            field["description"] = (
                f"{catalogue.column_label(column)} ({catalogue.column_kind(column, frame)})"
            )
        fields.append(field)
    figure = catalogue.BY_NAME.get(name)
    return {
        "name": name,
        "title": figure.title if figure else catalogue.humanise(name),
        "description": figure.summary if figure else "",
        "fields": fields,
        "missingValues": [""],
        "licenses": [LICENCE],
        "schemaVersion": SCHEMA_VERSION,
    }


def _json_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def files_for(
    tables: dict[str, pl.DataFrame], *, metadata: dict[str, Any], stem: str
) -> list[File]:
    """Every download of a publication: a CSV and its schema per table, then the JSON."""
    files: list[File] = []
    for name, frame in tables.items():
        header = list(frame.columns)
        rows = [list(row) for row in frame.iter_rows()]
        files.append(
            File(f"{name}.csv", "text/csv; charset=utf-8", tabular.csv_bytes(header, rows))
        )
        schema = json.dumps(table_schema(name, frame), indent=2, ensure_ascii=False)
        files.append(File(f"{name}.schema.json", "application/json", schema.encode()))
    document = {
        "publication": {**metadata, "licence": LICENCE, "schemaVersion": SCHEMA_VERSION},
        "tables": {
            name: {
                "schema": table_schema(name, frame),
                "rows": [
                    {key: _json_value(value) for key, value in row.items()}
                    for row in frame.iter_rows(named=True)
                ],
            }
            for name, frame in tables.items()
        },
    }
    files.append(
        File(
            f"{stem}.json",
            "application/json",
            json.dumps(document, indent=2, ensure_ascii=False).encode(),
        )
    )
    return files
