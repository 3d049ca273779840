"""Reading the audit log: filtering it, and saying each entry as a sentence a person reads.

Why sentences: an entry stores what the code knows (`view`, `workforce_snapshot`, `3`,
`exact figures: representation_by_pay_band`); an admin answering "who looked at the exact pay
band figures in March?" needs "edi.officer viewed the exact figures “Ethnicity by pay band” of
the snapshot of 31 March 2025". `describe` turns a page of events into such sentences, looking
up the objects they name in one query per kind (snapshot dates, usernames, case references,
assessment periods), scoped to the organisation. An object that no longer exists (a deleted
snapshot) is named by its number; an object type nobody taught it is named from its code
(`population_benchmark` → "population benchmark"), so a new audit call never breaks the page.
Every action and object type the code records is covered by tests/core/test_audit_log.py.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.roles import Role

# The object types the application records, in words (a fallback covers any other).
OBJECT_LABELS = {
    "user": "user",
    "api_token": "API token",
    "organisation": "organisation settings",
    "audit_log": "audit log",
    "workforce_snapshot": "workforce snapshot",
    "workforce_import": "workforce import",
    "lifecycle_records": "lifecycle records",
    "lifecycle_import": "lifecycle import",
    "lifecycle_figures": "lifecycle figures",
    "lifecycle_settings": "lifecycle settings",
    "training_file": "training file",
    "training_overdue": "overdue training list",
    "survey": "staff survey",
    "survey_upload": "staff survey upload",
    "survey_bank": "survey question bank",
    "survey_index": "survey index",
    "survey_settings": "survey settings",
    "survey_figures": "staff survey figures",
    "survey_comments": "staff survey comments",
    "population_benchmark": "resident population figures",
    "monitored_service": "monitored service",
    "service_extract": "service users or complaints extract",
    "service_import": "service users or complaints upload",
    "service_mapping": "service users or complaints file mapping",
    "service_figures": "service users and complaints figures",
    "census_table": "Census 2021 table for services",
    "programme_cohort": "programme cohort's list",
    "programme_figures": "programme cohort figures",
    "action_plan": "action plans workbook",
    "action": "action",
    "progress_update": "progress update",
    "measure": "measure",
    "target": "target",
    "recommendation": "recommendation",
    "board_report": "board report",
    "publication": "publication",
    "action_reminder": "reminders of actions due",
    "assessment": "Standard self-assessment",
    "evidence_file": "evidence file",
    "statement_commitment": "commitment of the statement",
    "statement_adoption": "adoption of the statement",
    "benchmarking_consent": "benchmarking consent",
    "pairing": "pairing",
    "incident_report": "incident report",
    "incident_note": "internal note on incident report",
    "incident_message": "reply on incident report",
    "incident_attachment": "attachment of incident report",
    "incident_settings": "incident handling settings",
    "support_contact": "support service signposted to reporters",
    "eqia": "equality impact assessment",
    "mentoring_scheme": "mentoring scheme",
    "mentoring_participant": "mentoring participant",
    "mentoring_personal": "mentoring names and e-mails",
    "mentoring_pair": "mentoring pair",
    "eqia_evidence": "workforce evidence of an equality impact assessment",
    "eqia_characteristics": "additional characteristics of equality impact assessments",
    "eqia_reminder": "reminders of equality impact assessment reviews",
}

VERBS: dict[str, str] = {
    AuditEvent.Action.VIEW: "viewed",
    AuditEvent.Action.EXPORT: "exported",
    AuditEvent.Action.CREATE: "created",
    AuditEvent.Action.CHANGE: "changed",
    AuditEvent.Action.DELETE: "deleted",
    AuditEvent.Action.IMPORT: "imported",
}

_FIGURE_VIEW = re.compile(r"^exact figures: (?P<name>[\w]+)$")
_FIGURE_EXPORT = re.compile(r"^(?P<name>\w+) as (?P<fmt>\w+) \((?P<kind>exact|protected)\)$")
_SNAPSHOT_IMPORT = re.compile(r"^snapshot \d{4}-\d{2}-\d{2}: (?P<rest>.*)$")


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type) or object_type.replace("_", " ")


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class Described:
    event: AuditEvent
    sentence: str


class _Names:
    """The names of the objects a page of events mentions, one query per kind."""

    def __init__(self, organisation: Organisation, events: list[AuditEvent]):
        wanted: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if event.object_id.isdigit():
                wanted[event.object_type].add(int(event.object_id))
        self.snapshots: dict[int, str] = {}
        self.users: dict[int, str] = {}
        self.reports: dict[int, str] = {}
        self.assessments: dict[int, str] = {}
        if wanted["workforce_snapshot"]:
            from equitable.workforce.models import Snapshot

            self.snapshots = {
                pk: _long_date(day)
                for pk, day in Snapshot.objects.filter(
                    organisation=organisation, pk__in=wanted["workforce_snapshot"]
                ).values_list("pk", "snapshot_date")
            }
        if wanted["user"]:
            self.users = dict(
                User.objects.filter(organisation=organisation, pk__in=wanted["user"]).values_list(
                    "pk", "username"
                )
            )
        report_ids = (
            wanted["incident_report"] | wanted["incident_note"] | wanted["incident_message"]
        )
        if report_ids:
            from equitable.incidents.models import Report

            self.reports = dict(
                Report.objects.filter(organisation=organisation, pk__in=report_ids).values_list(
                    "pk", "reference"
                )
            )
        if wanted["assessment"]:
            from equitable.standard.models import Assessment

            self.assessments = dict(
                Assessment.objects.filter(
                    organisation=organisation, pk__in=wanted["assessment"]
                ).values_list("pk", "period")
            )

    @staticmethod
    def _get(table: dict[int, str], object_id: str) -> str | None:
        return table.get(int(object_id)) if object_id.isdigit() else None

    def snapshot(self, object_id: str) -> str:
        day = self._get(self.snapshots, object_id)
        return f"the snapshot of {day}" if day else f"snapshot {object_id} (since deleted)"

    def object(self, object_type: str, object_id: str) -> str:
        label = object_label(object_type)
        if object_type == "workforce_snapshot":
            return self.snapshot(object_id)
        if object_type == "user":
            name = self._get(self.users, object_id)
            return f"the user {name}" if name else f"user {object_id}" if object_id else "a user"
        if object_type in {"incident_report", "incident_note", "incident_message"}:
            reference = self._get(self.reports, object_id)
            return f"{label} {reference or object_id}"
        if object_type == "assessment":
            period = self._get(self.assessments, object_id)
            return f"the {label} for {period}" if period else f"{label} {object_id}"
        if object_type == "organisation":
            return "the organisation settings"
        return f"{label} {object_id}" if object_id else f"the {label}"


def _figure_title(name: str) -> str:
    from equitable.workforce import catalogue

    figure = catalogue.BY_NAME.get(name)
    return f"“{figure.title}”" if figure else f"“{name.replace('_', ' ')}”"


def _who(event: AuditEvent) -> str:
    if event.username:
        return event.username
    if event.action in {AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_IN_FAILED}:
        return "Someone"
    return "A command or scheduled task"


def _sentence(event: AuditEvent, names: _Names) -> str:
    who = _who(event)
    detail = event.detail
    if event.action == AuditEvent.Action.SIGN_IN:
        return f"{who} signed in"
    if event.action == AuditEvent.Action.SIGN_IN_FAILED:
        return f"Failed sign-in as “{detail}”" if detail else "Failed sign-in"
    verb = VERBS.get(event.action, event.get_action_display().lower())
    if event.object_type == "workforce_snapshot":
        snapshot = names.snapshot(event.object_id)
        if match := _FIGURE_VIEW.match(detail):
            return f"{who} {verb} the exact figures {_figure_title(match['name'])} of {snapshot}"
        if match := _FIGURE_EXPORT.match(detail):
            kind = "exact" if match["kind"] == "exact" else "protected"
            return (
                f"{who} {verb} the {kind} figures {_figure_title(match['name'])} of {snapshot} "
                f"as {match['fmt'].upper()}"
            )
        if event.action == AuditEvent.Action.IMPORT and (match := _SNAPSHOT_IMPORT.match(detail)):
            return f"{who} {verb} {snapshot}: {match['rest']}"
    if event.object_type == "user" and detail.startswith("role ") and "→" not in detail:
        role = detail.removeprefix("role ")
        label = Role(role).label if role in Role.values else role
        return f"{who} {verb} {names.object('user', event.object_id)} as {label}"
    sentence = f"{who} {verb} {names.object(event.object_type, event.object_id)}"
    return f"{sentence}: {detail}" if detail else sentence


def describe(organisation: Organisation, events) -> list[Described]:
    """Each event with its sentence (one query per kind of object named)."""
    events = list(events)
    names = _Names(organisation, events)
    return [Described(event, _sentence(event, names)) for event in events]


def filtered_events(organisation: Organisation, filters: dict) -> QuerySet[AuditEvent]:
    """The organisation's events, newest first, narrowed by the filter form's cleaned data."""
    events = AuditEvent.objects.filter(organisation=organisation).select_related("user")
    if filters.get("username"):
        events = events.filter(username=filters["username"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(at__gte=datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone)
        events = events.filter(at__lt=end)
    return events


def object_type_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """The object types this organisation's log holds, in words, for the filter."""
    recorded = (
        AuditEvent.objects.filter(organisation=organisation)
        .values_list("object_type", flat=True)
        .distinct()
    )
    return sorted(
        ((kind, object_label(kind).capitalize()) for kind in set(recorded)),
        key=lambda pair: pair[1],
    )


def username_choices(organisation: Organisation) -> list[tuple[str, str]]:
    recorded = set(
        AuditEvent.objects.filter(organisation=organisation)
        .exclude(username="")
        .values_list("username", flat=True)
        .distinct()
    )
    recorded |= set(
        User.objects.filter(organisation=organisation).values_list("username", flat=True)
    )
    return [(name, name) for name in sorted(recorded)]


CSV_HEADERS = ["When (London time)", "Who", "Action", "Object type", "Object", "Detail", "Entry"]


def csv_rows(organisation: Organisation, events) -> list[list]:
    """Rows for the CSV download, described in batches so memory stays flat."""
    zone = timezone.get_current_timezone()
    rows = []
    batch: list[AuditEvent] = []

    def flush():
        for item in describe(organisation, batch):
            event = item.event
            rows.append(
                [
                    timezone.localtime(event.at, zone).strftime("%Y-%m-%d %H:%M:%S"),
                    event.username,
                    event.get_action_display(),
                    object_label(event.object_type),
                    event.object_id,
                    event.detail,
                    item.sentence,
                ]
            )
        batch.clear()

    for event in events.iterator(chunk_size=500):
        batch.append(event)
        if len(batch) == 500:
            flush()
    flush()
    return rows
