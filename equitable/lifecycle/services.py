"""The lifecycle app's public functions, for views, the API, the command line and other apps.

Split by concern: `storage` (record sets), `imports` (reading, mapping, validating files),
`figures` (exact and protected families, WRES and Social Care WRES, the social care setting).
"""

from __future__ import annotations

from equitable.lifecycle.figures import (
    FAMILIES,
    data_version,
    directorate_names,
    exact_family,
    family_tables,
    has_data,
    published_family,
    set_social_care_directorates,
    social_care_directorates,
    social_care_is_default,
    social_care_wres_tables,
    wres_tables,
)
from equitable.lifecycle.imports import import_file, validate_file
from equitable.lifecycle.storage import (
    KINDS,
    RecordSetExists,
    delete_records,
    record_set,
    record_sets,
    records_frame,
    store_records,
)

__all__ = [
    "FAMILIES",
    "KINDS",
    "RecordSetExists",
    "data_version",
    "delete_records",
    "directorate_names",
    "exact_family",
    "family_tables",
    "has_data",
    "import_file",
    "published_family",
    "record_set",
    "record_sets",
    "records_frame",
    "set_social_care_directorates",
    "social_care_directorates",
    "social_care_is_default",
    "social_care_wres_tables",
    "store_records",
    "validate_file",
    "wres_tables",
]
