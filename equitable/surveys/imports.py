"""Importing a survey export: read it, map its columns, store it (all or nothing).

The web flow keeps the raw export encrypted in a `SurveyUpload` until its mapping is confirmed
(an export may hold IP addresses and e-mails, dropped on read but present in the file), and
empties it whatever the outcome. The command line and the demo call `import_export`, which maps
in one step from the organisation's remembered mapping and the suggestions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from equitable.actions import survey_sources
from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.incidents import crypto, keys
from equitable.metrics.extract import Problem
from equitable.metrics.surveys import exports, mapping
from equitable.metrics.surveys.model import SurveyFile, SurveyFileError, SurveyMapping
from equitable.surveys import storage
from equitable.surveys.models import Survey, SurveyMappingMemory, SurveyUpload

# A survey export of a few thousand respondents is a few megabytes; 20 MB admits every real
# one and bounds what is held encrypted before mapping.
MAX_EXPORT_BYTES = 20 * 1024 * 1024
UPLOAD_CONTEXT = "survey_upload"


def remembered(organisation: Organisation) -> dict[str, dict[str, Any]]:
    found = SurveyMappingMemory.objects.filter(organisation=organisation).first()
    return dict(found.columns) if found is not None else {}


def remember(organisation: Organisation, chosen: SurveyMapping) -> None:
    memory, _ = SurveyMappingMemory.objects.get_or_create(organisation=organisation)
    columns = dict(memory.columns)
    columns.update({c.key: c.to_json() for c in chosen.columns})
    memory.columns = columns
    memory.save()


def read(data: bytes, filename: str) -> SurveyFile:
    if len(data) > MAX_EXPORT_BYTES:
        raise SurveyFileError(
            [Problem(None, None, None, f"the file is larger than {MAX_EXPORT_BYTES // 2**20} MB")]
        )
    return exports.read_survey_export(data, filename)


def import_export(
    organisation: Organisation,
    data: bytes,
    filename: str,
    *,
    title: str,
    kind: str,
    fieldwork_month: date,
    user: User | None,
    chosen: SurveyMapping | None = None,
    previous: Survey | None = None,
    invited: int | None = None,
) -> Survey:
    """Read, map (the given mapping, else remembered and suggested), validate and store;
    raises SurveyFileError with every problem and stores nothing."""
    file = read(data, filename)
    chosen = chosen or mapping.suggest_mapping(file, remembered(organisation))
    responses = mapping.apply_mapping(file, chosen)
    with transaction.atomic():
        survey = storage.store_survey(
            organisation,
            title=title,
            kind=kind,
            fieldwork_month=fieldwork_month,
            responses=responses,
            tool=file.tool,
            user=user,
            previous=previous,
            invited=invited,
        )
        remember(organisation, chosen)
    survey_sources.refresh_survey_values(organisation)
    return survey


# --- the web flow ------------------------------------------------------------------------


def _context(upload: SurveyUpload) -> bytes:
    return crypto.context(UPLOAD_CONTEXT, str(upload.pk))


def start_upload(
    organisation: Organisation, data: bytes, filename: str, *, details: dict, user: User | None
) -> SurveyUpload:
    """Check the export can be read, then keep it encrypted until it is mapped."""
    file = read(data, filename)
    upload = SurveyUpload.objects.create(
        organisation=organisation,
        created_by=user if user is not None and user.is_authenticated else None,
        tool=file.tool,
        details=details,
        mapping=mapping.suggest_mapping(file, remembered(organisation)).to_json(),
    )
    upload.ciphertext = keys.cipher().encrypt(data, _context(upload))
    upload.details = {**details, "filename_kind": filename.rsplit(".", 1)[-1].lower()[:5]}
    upload.save(update_fields=["ciphertext", "details"])
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "survey_upload",
        upload.pk,
        f"{file.tool}: {file.answers.height} responses waiting for their mapping",
        organisation=organisation,
    )
    return upload


def upload_file(upload: SurveyUpload) -> SurveyFile:
    if not upload.ciphertext:
        raise SurveyFileError([Problem(None, None, None, "this upload is no longer held")])
    data = keys.cipher().decrypt(bytes(upload.ciphertext), _context(upload))
    return exports.read_survey_export(data, f"export.{upload.details.get('filename_kind', 'csv')}")


def _forget(upload: SurveyUpload, status: str) -> None:
    upload.ciphertext = None
    upload.status = status
    upload.save(update_fields=["ciphertext", "status", "problems", "mapping", "survey"])


def complete(
    upload: SurveyUpload, chosen: SurveyMapping, *, user: User | None
) -> Survey | list[Problem]:
    """Store the wave with this mapping, or give back every problem (the upload is kept so the
    mapping can be corrected)."""
    file = upload_file(upload)
    upload.mapping = chosen.to_json()
    try:
        responses = mapping.apply_mapping(file, chosen)
    except SurveyFileError as error:
        upload.problems = [
            {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
            for p in error.problems
        ]
        upload.save(update_fields=["mapping", "problems"])
        return error.problems
    details = upload.details
    previous = (
        Survey.objects.filter(organisation=upload.organisation, pk=details.get("previous")).first()
        if details.get("previous")
        else None
    )
    with transaction.atomic():
        survey = storage.store_survey(
            upload.organisation,
            title=details["title"],
            kind=details["kind"],
            fieldwork_month=date.fromisoformat(details["fieldwork_month"]),
            responses=responses,
            tool=file.tool,
            user=user,
            previous=previous,
            invited=details.get("invited"),
        )
        remember(upload.organisation, chosen)
        upload.problems = []
        upload.survey = survey
        _forget(upload, SurveyUpload.Status.IMPORTED)
    survey_sources.refresh_survey_values(upload.organisation)
    return survey


def cancel(upload: SurveyUpload, *, user: User | None) -> None:
    _forget(upload, SurveyUpload.Status.CANCELLED)
    audit.record(
        user,
        AuditEvent.Action.DELETE,
        "survey_upload",
        upload.pk,
        "cancelled; the file is no longer held",
        organisation=upload.organisation,
    )
