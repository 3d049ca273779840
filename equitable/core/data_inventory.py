"""Every field Equitable holds, why, and who sees it: the source of docs/data-protection.md's
inventory and of the organisation admin's record of processing.

Why a module and not only a page: a Data Protection Impact Assessment is only as good as its
list of fields, and a hand-kept list drifts the day someone adds a column. Here each model's
fields are named in groups with what they hold; tests/core/test_data_inventory.py fails when a
model gains a field that no group names (or a group names a field that has gone), and when the
page's generated section differs from `render_markdown()`. Regenerate the section with

    .venv/bin/python -m equitable.core.data_inventory --write

The contents of stored files (workforce snapshots, lifecycle records) are listed from the
canonical formats themselves (`metrics.schema.CANONICAL_COLUMNS`, the lifecycle `RecordSpec`s),
so they cannot drift either. No Django import at module level: the page can be regenerated
and the lists read without a configured project.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# What a holding is, for the record of processing and the inventory's "data" column.
NONE = "No personal data"
STAFF_ACCOUNT = "Personal data (staff accounts)"
PSEUDONYMISED_SPECIAL = "Special category, pseudonymised (keyed-hash ids, no names)"
ANONYMOUS_SPECIAL = "Special category, anonymous (nothing links it to a person)"
AGGREGATE = "Aggregate figures (no individual)"
OPERATIONAL = "Operational records about the programme (no special category data)"

# Who can see it, in the roles' own words (equitable/core/roles.py).
ROLE_PERSONAL = "EDI officer and HR analyst (personal-data roles)"
ROLE_PROGRAMME = "EDI officer and organisation admin"
ROLE_ORGANISATION = "Everyone in the organisation with a role that reads the section"
ROLE_ADMIN = "Organisation admin"
ROLE_CASE = "EDI officer (case handler) only"
ROLE_SYSTEM = "Nobody through the application (used by the system itself)"

ARTICLE_6 = "UK GDPR Article 6(1)(e): a task in the public interest (the Public Sector Equality Duty, Equality Act 2010 s.149)"
ARTICLE_9 = (
    ARTICLE_6 + "; Article 9(2)(g) with the Data Protection Act 2018 Schedule 1 paragraph 8 "
    "(equality of opportunity or treatment)"
)
ARTICLE_6_ACCOUNTS = (
    "UK GDPR Article 6(1)(e) and (f): running the service securely for its staff users"
)


@dataclass(frozen=True)
class Holding:
    """One model: what it is for, what kind of data, who sees it, how long it is kept, and
    its fields in groups (description, field names)."""

    model: str  # "app_label.ModelName"
    purpose: str
    data: str
    who: str
    retention: str
    basis: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for _, names in self.groups for name in names)


ORG = ("Organisation it belongs to", ("organisation",))
ID = ("Database row number", ("id",))
KEPT = "Kept while the organisation uses Equitable"

HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "core.Organisation",
        "The council or other employer using Equitable, with its settings",
        NONE,
        ROLE_ADMIN,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Name, web address slug and brand colour", ("slug", "name", "brand_colour")),
            ("Standard working week, for hourly pay", ("standard_weekly_hours",)),
            (
                "Disclosure-control settings",
                ("suppression_threshold", "round_counts_to_5"),
            ),
            ("How long closed incident reports are kept", ("report_retention_days",)),
            ("Logo type and when it changed", ("logo_content_type", "logo_updated_at")),
            ("When it was set up", ("created_at",)),
        ),
    ),
    Holding(
        "core.OrganisationLogo",
        "The organisation's logo, redrawn or rebuilt from an allow-list",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Image bytes and type", ("content", "content_type")),
            ("Changed", ("updated_at",)),
        ),
    ),
    Holding(
        "core.Directorate",
        "The organisation's directorates, to scope champions and plans",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Name", ("name",))),
    ),
    Holding(
        "core.User",
        "Staff who sign in to run the programme (not the workforce being counted)",
        STAFF_ACCOUNT,
        ROLE_ADMIN + " (and each user their own)",
        "Kept while the account is needed; deactivated accounts keep their audit trail",
        ARTICLE_6_ACCOUNTS,
        (
            ID,
            ("Sign-in name and password hash (PBKDF2)", ("username", "password")),
            ("Name and e-mail, as the admin entered them", ("first_name", "last_name", "email")),
            ("Role and organisation", ("role", "organisation")),
            (
                "Account state",
                ("is_active", "is_staff", "is_superuser", "last_login", "date_joined"),
            ),
            ("Identity provider subject for single sign-on", ("external_subject",)),
            (
                "A champion's directorates; the admin site's groups and permissions",
                ("directorates", "groups", "user_permissions"),
            ),
        ),
    ),
    Holding(
        "core.FailedSignIn",
        "An earlier store of wrong passwords; no longer written (the sign-in counters live in the cache for an hour, with no address kept)",
        STAFF_ACCOUNT,
        ROLE_SYSTEM,
        "Empty: nothing writes it",
        ARTICLE_6_ACCOUNTS,
        (ID, ("Sign-in name tried and when", ("username", "at"))),
    ),
    Holding(
        "core.ApiToken",
        "Tokens for the JSON API, stored as hashes",
        STAFF_ACCOUNT,
        ROLE_ADMIN + " (and the token's owner)",
        "Until revoked or expired",
        ARTICLE_6_ACCOUNTS,
        (
            ID,
            ("Owner and label", ("user", "name")),
            ("Prefix shown and SHA-256 of the token", ("prefix", "token_hash")),
            ("Lifetime", ("created_at", "last_used_at", "expires_at", "revoked_at")),
        ),
    ),
    Holding(
        "core.DocumentJob",
        "A PDF someone asked for, made by the job queue's workers and kept for them to fetch",
        PSEUDONYMISED_SPECIAL,
        "Only the person who asked",
        "An hour after it was asked for",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Who asked, what for and when", ("requested_by", "kind", "arguments", "title")),
            ("Progress", ("status", "message", "created_at", "finished_at")),
            ("The file (as the page showed it to them)", ("content", "filename")),
        ),
    ),
    Holding(
        "core.AuditEvent",
        "Who did what, for accountability (append-only)",
        STAFF_ACCOUNT,
        ROLE_ADMIN,
        KEPT,
        ARTICLE_6_ACCOUNTS,
        (
            ID,
            ORG,
            ("Who (account and name at the time) and when", ("user", "username", "at")),
            ("What was done, to what", ("action", "object_type", "object_id", "detail")),
        ),
    ),
    Holding(
        "workforce.Snapshot",
        "One dated workforce extract: the metadata of the stored frame",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL + "; everyone else reads protected figures only",
        "Until the EDI officer or HR analyst deletes the snapshot",
        ARTICLE_9,
        (
            ID,
            ORG,
            (
                "Snapshot date, import time and importer",
                ("snapshot_date", "imported_at", "imported_by"),
            ),
            (
                "Size, columns present, file name and state",
                ("row_count", "present_columns", "source_filename", "status"),
            ),
        ),
    ),
    Holding(
        "workforce.SnapshotFigures",
        "A snapshot's computed figures: counts and pay statistics per group, no row per person",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL + " (exact); everyone else reads the protected ones only",
        "Deleted with its snapshot; recomputed when what they rest on changes",
        ARTICLE_9,
        (
            ID,
            ("Snapshot", ("snapshot",)),
            ("Exact figures and what they rest on", ("exact", "exact_key")),
            ("Protected figures and what they rest on", ("published", "published_key")),
        ),
    ),
    Holding(
        "workforce.SnapshotFrame",
        "The validated extract itself, one compressed Parquet blob (columns listed below)",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "Deleted with its snapshot",
        ARTICLE_9,
        (
            ID,
            ("Snapshot", ("snapshot",)),
            ("Parquet bytes and column list", ("parquet", "columns")),
        ),
    ),
    Holding(
        "workforce.ColumnMapping",
        "The organisation's remembered header and value mapping for extracts",
        NONE,
        ROLE_PERSONAL,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Header and value mappings", ("columns", "values")),
            ("Changed", ("updated_at",)),
        ),
    ),
    Holding(
        "workforce.PopulationBenchmark",
        "The resident population (ONS Census 2021 TS021) the workforce is compared with",
        AGGREGATE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Source and counts", ("source", "rows")),
            ("Added by, when", ("created_at", "created_by")),
        ),
    ),
    Holding(
        "workforce.ImportJob",
        "An upload in progress: mapping, problems, progress",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "The upload file is deleted when the job ends; unfinished jobs after a day",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Who started it, when", ("created_by", "created_at", "updated_at")),
            ("The uploaded file", ("upload_path", "source_filename", "size_bytes")),
            ("Snapshot date and options", ("snapshot_date", "options")),
            ("Progress", ("status", "progress", "stage")),
            (
                "Mapping chosen",
                ("source_columns", "column_mapping", "value_mapping", "unmapped_values"),
            ),
            (
                "Problems found (cell values quoted until the job ends)",
                ("problems", "problem_count"),
            ),
            ("Result", ("row_count", "present_columns", "snapshot")),
        ),
    ),
    Holding(
        "standard.Assessment",
        "A self-assessment against the CELC Tackling Racial Inequality Standard",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Standard, version and period", ("standard_id", "standard_version", "period")),
            ("State", ("status", "created_at", "updated_at", "submitted_at", "submitted_by")),
            ("Copied from", ("copied_from",)),
        ),
    ),
    Holding(
        "standard.Response",
        "The answer to one criterion",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Assessment and criterion", ("assessment", "criterion_id")),
            (
                "Level, evidence and next steps",
                ("level", "evidence_notes", "links", "owner", "next_steps"),
            ),
            (
                "Level suggested from the data, and why overruled",
                ("suggested_level", "suggestion_figure", "overruled_reason"),
            ),
            ("Review state", ("needs_review", "updated_at")),
        ),
    ),
    Holding(
        "standard.EvidenceFile",
        "A file attached as evidence for a criterion",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Assessment and criterion", ("assessment", "criterion_id")),
            ("The file", ("file", "original_name")),
            ("Uploaded by, when", ("uploaded_at", "uploaded_by")),
        ),
    ),
    Holding(
        "standard.StatementAdoption",
        "Adoption of the Anti-Racist Statement",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("When, by whom, notes", ("adopted_on", "adopted_by", "notes", "recorded_at"))),
    ),
    Holding(
        "standard.CommitmentProgress",
        "Progress on the Statement's commitments",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Commitment, status and evidence",
                ("commitment_id", "status", "evidence", "updated_at"),
            ),
        ),
    ),
    Holding(
        "standard.BenchmarkingConsent",
        "Whether the organisation shares its figures with the London-wide coordinator",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Choice, when, by whom", ("opted_in", "changed_at", "changed_by"))),
    ),
    Holding(
        "standard.Pairing",
        "A peer pairing between two councils",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Partner and state", ("partner", "status", "requested_at", "answered_at"))),
    ),
    Holding(
        "actions.ActionPlan",
        "An action plan (organisation-wide or a directorate's)",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Directorate, title, created", ("directorate", "title", "created_at"))),
    ),
    Holding(
        "actions.Theme",
        "A theme of a plan",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ("Plan, title, order", ("plan", "title", "position"))),
    ),
    Holding(
        "actions.Objective",
        "An objective within a theme",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ("Theme, text, order", ("theme", "text", "position"))),
    ),
    Holding(
        "actions.Action",
        "One action: who owns it, when it is due, its state",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Objective, reference, text, order", ("objective", "ref", "text", "position")),
            (
                "Owner and leads (job titles, and the account reminded)",
                ("owner", "owner_user", "strategic_lead", "operational_lead"),
            ),
            (
                "Dates and state",
                ("start", "due", "status", "dropped_reason", "completed_on", "updated_at"),
            ),
        ),
    ),
    Holding(
        "actions.ProgressUpdate",
        "A dated progress note on an action (corrections and withdrawals kept)",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            (
                "Action, date, note, status change",
                ("action", "on", "note", "status", "previous_status"),
            ),
            ("Evidence link or file", ("link", "file", "original_name")),
            ("Author, when", ("author", "created_at")),
            (
                "Correction or withdrawal",
                ("state", "replaces", "withdrawn_at", "withdrawn_by", "withdrawn_reason"),
            ),
        ),
    ),
    Holding(
        "actions.Measure",
        "A measure of an objective, typed in or computed from the data",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Objective, reference, name, order", ("objective", "ref", "name", "position")),
            ("Unit, direction, source", ("unit", "direction", "source")),
            ("What computes it", ("kind", "computed_key")),
            ("Pinned on the home page", ("pinned_on_home",)),
        ),
    ),
    Holding(
        "actions.MeasureValue",
        "A dated value of a measure (computed values are protected figures)",
        AGGREGATE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            (
                "Measure, date, values, origin, note",
                ("measure", "on", "value", "published_value", "origin", "note"),
            ),
        ),
    ),
    Holding(
        "actions.Target",
        "A target for a measure",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ("Measure, name, tolerance", ("measure", "name", "tolerance"))),
    ),
    Holding(
        "actions.TargetPoint",
        "A dated point of a target's trajectory",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ("Target, date, value, baseline", ("target", "on", "value", "is_baseline"))),
    ),
    Holding(
        "actions.ReminderSent",
        "A reminder e-mail sent, so each is sent once a day",
        STAFF_ACCOUNT,
        ROLE_SYSTEM,
        KEPT,
        ARTICLE_6_ACCOUNTS,
        (
            ID,
            (
                "Action, recipient, kind, dates",
                ("action", "recipient", "kind", "sent_on", "due", "created_at"),
            ),
        ),
    ),
    Holding(
        "actions.Recommendation",
        "A recommendation of the race review, with the council's response",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Reference, theme, text, order", ("ref", "theme", "text", "position")),
            ("Response, who, when, status", ("response", "who", "when", "status")),
            ("The plan's actions that answer it", ("actions",)),
        ),
    ),
    Holding(
        "actions.BoardReport",
        "A quarterly board report; issued versions are frozen",
        AGGREGATE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Quarter, state, key messages, version",
                ("quarter", "status", "key_messages", "version"),
            ),
            ("Correction and supersession", ("correction", "superseded_by")),
            ("Issued by, when", ("issued_at", "issued_by", "updated_at")),
            (
                "The issued PDF, its hash, page and figures",
                ("pdf", "pdf_sha256", "body_html", "incidents_html", "figures"),
            ),
        ),
    ),
    Holding(
        "incidents.Report",
        "An anonymous Dignity at Work report; its text is encrypted (AES-GCM)",
        ANONYMOUS_SPECIAL,
        ROLE_CASE,
        "Deleted with its messages, notes and attachments the set number of days after closing",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Reference and how it came in", ("reference", "source")),
            ("Week received (never the exact time)", ("submitted_week",)),
            (
                "What happened (encrypted), characteristics, directorate, month",
                (
                    "incident_type",
                    "characteristics",
                    "directorate",
                    "happened_month",
                    "what_happened",
                    "reported_elsewhere",
                    "desired_outcome",
                ),
            ),
            ("Receipt look-up (keyed hash, never the receipt)", ("receipt_lookup", "receipt_hash")),
            (
                "Case handling",
                ("status", "outcome", "category", "severity", "handler"),
            ),
            (
                "Response and closing weeks",
                ("first_response_due", "first_response_week", "closed_at"),
            ),
        ),
    ),
    Holding(
        "incidents.Message",
        "A message between the reporter and the case handler (encrypted)",
        ANONYMOUS_SPECIAL,
        ROLE_CASE + " (and the holder of the receipt)",
        "Deleted with its report",
        ARTICLE_9,
        (ID, ("Report, sender side, text, week", ("report", "sender", "body", "week"))),
    ),
    Holding(
        "incidents.InternalNote",
        "A case handler's note (encrypted, never shown to the reporter)",
        ANONYMOUS_SPECIAL,
        ROLE_CASE,
        "Deleted with its report",
        ARTICLE_9,
        (ID, ("Report, author, text, date", ("report", "author", "body", "created_on"))),
    ),
    Holding(
        "incidents.Attachment",
        "A file sent with a report, metadata stripped, encrypted",
        ANONYMOUS_SPECIAL,
        ROLE_CASE,
        "Deleted with its report",
        ARTICLE_9,
        (
            ID,
            (
                "Report, sender side, bytes, type, size",
                ("report", "sender", "content", "content_type", "extension", "size"),
            ),
        ),
    ),
    Holding(
        "incidents.TrendCount",
        "Counts per quarter kept after reports are deleted",
        AGGREGATE,
        ROLE_CASE + "; protected for board members",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Quarter, type, characteristic, directorate, count",
                ("quarter", "incident_type", "characteristic", "directorate", "count"),
            ),
        ),
    ),
    Holding(
        "incidents.IncidentSettings",
        "Response targets",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Targets", ("first_response_working_days", "close_days"))),
    ),
    Holding(
        "incidents.SupportContact",
        "Support services signposted beside the form (services, not people)",
        NONE,
        "Public (shown on the reporting form)",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Kind, name, description, phone, web address, order",
                ("kind", "name", "description", "phone", "url", "position"),
            ),
        ),
    ),
    Holding(
        "lifecycle.RecordSet",
        "One current file of recruitment, movements, casework or development records",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL + "; everyone else reads protected figures only",
        "Until replaced by the next file of its kind",
        ARTICLE_9,
        (
            ID,
            ORG,
            (
                "Kind, size, columns, file name",
                ("kind", "row_count", "present_columns", "source_filename"),
            ),
            ("Imported by, when", ("imported_at", "imported_by")),
        ),
    ),
    Holding(
        "lifecycle.RecordFrame",
        "The validated records, one compressed Parquet blob (columns listed below)",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "Deleted with its record set",
        ARTICLE_9,
        (ID, ("Record set and Parquet bytes", ("record_set", "parquet"))),
    ),
    Holding(
        "lifecycle.RecordMapping",
        "The remembered mapping for a kind of lifecycle file",
        NONE,
        ROLE_PERSONAL,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Kind and mappings", ("kind", "columns", "values", "updated_at"))),
    ),
    Holding(
        "lifecycle.LifecycleImport",
        "A lifecycle upload in progress",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "The upload file is deleted when the import ends",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Kind, who, when", ("kind", "created_by", "created_at")),
            ("The uploaded file", ("upload_path", "source_filename", "size_bytes")),
            ("Progress", ("status", "stage")),
            (
                "Mapping chosen",
                ("source_columns", "column_mapping", "value_mapping", "unmapped_values"),
            ),
            ("Problems found", ("problems", "problem_count")),
            ("Result", ("row_count", "record_set")),
        ),
    ),
    Holding(
        "lifecycle.LifecycleSettings",
        "Which directorates are social care (for the Social Care WRES)",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Directorates, changed", ("social_care_directorates", "updated_at"))),
    ),
    Holding(
        "lifecycle.StoredFigures",
        "Computed lifecycle figures, cached per data version",
        AGGREGATE,
        ROLE_PERSONAL + " (exact); protected for everyone else",
        "Replaced when the data changes",
        ARTICLE_9,
        (ID, ORG, ("Name, version key, tables, when", ("name", "key", "tables", "stored_at"))),
    ),
    Holding(
        "training.TrainingFile",
        "The current training records or recruitment panel list: the validated frame as one "
        "compressed Parquet blob (keyed employee ids, course, category, mode, completion date)",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL + "; everyone else reads protected figures only",
        "Until replaced by the next file of its kind",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Kind, size, file name", ("kind", "row_count", "source_filename")),
            ("Imported by, when", ("imported_at", "imported_by")),
            ("The validated rows (Parquet bytes)", ("parquet",)),
        ),
    ),
    Holding(
        "training.TrainingImport",
        "A validated training upload waiting to be confirmed (ids already hashed)",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "Deleted when confirmed, when the same person uploads another, or after a day",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Kind, who, when", ("kind", "created_by", "created_at")),
            ("File name, size, summary", ("source_filename", "row_count", "summary")),
            ("The validated rows (Parquet bytes)", ("parquet",)),
        ),
    ),
    Holding(
        "surveys.Survey",
        "One wave of a staff survey",
        OPERATIONAL,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Title, kind, fieldwork month, previous wave",
                ("title", "kind", "fieldwork_month", "previous"),
            ),
            ("Invited and responding", ("invited", "respondent_count")),
            ("Minimum group and comments shown", ("threshold", "show_comments")),
            (
                "Tool, data version, imported",
                ("tool", "data_version", "imported_at", "imported_by"),
            ),
        ),
    ),
    Holding(
        "surveys.SurveyResponses",
        "The wave's responses, shuffled, no respondent id, encrypted (AES-GCM)",
        ANONYMOUS_SPECIAL,
        ROLE_SYSTEM + " (figures only are shown, protected)",
        "Deleted with the wave",
        ARTICLE_9,
        (ID, ("Survey and ciphertext", ("survey", "ciphertext"))),
    ),
    Holding(
        "surveys.QuestionBankItem",
        "A question as it is asked across waves",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Code, text, theme, kind, indicator, created",
                ("code", "text", "theme", "kind", "indicator", "created_at"),
            ),
        ),
    ),
    Holding(
        "surveys.SurveyQuestion",
        "A question of one wave",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (
            ID,
            (
                "Survey, code, order, text, kind, theme",
                ("survey", "code", "position", "text", "kind", "theme"),
            ),
            ("Scale and options", ("scale", "options")),
            ("Link to the bank", ("bank_item", "link_confirmed")),
        ),
    ),
    Holding(
        "surveys.SurveyIndex",
        "An index made of several questions",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Name, created", ("name", "created_at")), ("Questions it averages", ("items",))),
    ),
    Holding(
        "surveys.SurveyMappingMemory",
        "The remembered column mapping for survey exports",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Mapping, changed", ("columns", "updated_at"))),
    ),
    Holding(
        "surveys.SurveySettings",
        "The default minimum reporting group",
        NONE,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Threshold, changed", ("threshold", "updated_at"))),
    ),
    Holding(
        "surveys.SurveyUpload",
        "A survey export being mapped (the file encrypted until imported)",
        ANONYMOUS_SPECIAL,
        ROLE_PROGRAMME,
        "Deleted when the import ends",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Who, when, state, tool", ("created_by", "created_at", "status", "tool")),
            ("The export (encrypted) and what was read of it", ("ciphertext", "details")),
            ("Mapping, problems, result", ("mapping", "problems", "survey")),
        ),
    ),
    Holding(
        "surveys.StoredSurveyFigures",
        "A wave's protected figures, stored per wave",
        AGGREGATE,
        ROLE_ORGANISATION,
        "Replaced when the wave changes",
        ARTICLE_6,
        (ID, ("Survey, key, tables, when", ("survey", "key", "tables", "stored_at"))),
    ),
    Holding(
        "eqia.Assessment",
        "An Equality Impact Assessment of a proposal (restructure, policy, service change, procurement, budget decision)",
        OPERATIONAL + "; a workforce scope by uploaded ids holds keyed hashes only",
        ROLE_ORGANISATION
        + " (champions: their directorate's); the workforce evidence is exact for the personal-data roles, protected for everyone else",
        KEPT,
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Reference, title, type, summary", ("ref", "title", "proposal_type", "summary")),
            ("Owner (a job title), directorate", ("owner", "directorate")),
            (
                "Decision date and decision-maker (a body or role)",
                ("decision_date", "decision_maker"),
            ),
            ("Status and review date", ("status", "review_date")),
            ("Screening", ("full_assessment_needed", "screening_reason", "screened_on")),
            (
                "Consultation, conclusion, justification",
                ("consultation", "conclusion", "justification"),
            ),
            (
                "The Public Sector Equality Duty's three aims, answered",
                ("aim_discrimination", "aim_opportunity", "aim_relations"),
            ),
            (
                "Workforce in scope: column values, or keyed hashes of uploaded ids; those affected",
                ("scope_filter", "scope_keys", "affected_keys"),
            ),
            (
                "The organisation's monitored services the proposal changes (their users' profile is its evidence)",
                ("affected_services",),
            ),
            (
                "Who made, submitted and signed it off, and when",
                (
                    "created_by",
                    "created_at",
                    "updated_at",
                    "submitted_by",
                    "submitted_at",
                    "signed_off_by",
                    "signed_off_at",
                ),
            ),
        ),
    ),
    Holding(
        "eqia.CharacteristicImpact",
        "One characteristic's part of a screening or full assessment",
        OPERATIONAL,
        ROLE_ORGANISATION + " (as its assessment)",
        "Deleted with its assessment",
        ARTICLE_6,
        (
            ID,
            (
                "Assessment, stage, characteristic, order",
                ("assessment", "stage", "characteristic", "position"),
            ),
            (
                "Who is affected, evidence, impact and its size",
                ("affected", "evidence", "impact", "size"),
            ),
            ("Mitigation, and the action made from it", ("mitigation", "action")),
        ),
    ),
    Holding(
        "eqia.AdditionalCharacteristic",
        "The council's own characteristics beyond the nine (e.g. care leavers)",
        NONE,
        ROLE_ORGANISATION,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Name, order, in use", ("name", "position", "active"))),
    ),
    Holding(
        "eqia.ReviewReminderSent",
        "A review-date reminder e-mail sent, so each is sent once a day",
        STAFF_ACCOUNT,
        ROLE_SYSTEM,
        KEPT,
        ARTICLE_6_ACCOUNTS,
        (
            ID,
            (
                "Assessment, recipient, dates",
                ("assessment", "recipient", "sent_on", "review_date", "created_at"),
            ),
        ),
    ),
    Holding(
        "publications.Publication",
        "A published report or open-data release (and its drafts): figures released through disclosure control, stored once at publication and shown to the public",
        AGGREGATE,
        ROLE_PROGRAMME + " (drafts and approval); everyone, without sign-in, once published",
        KEPT + " (published versions are never changed; withdrawn ones stay listed)",
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Kind, snapshot and its date, version, title",
                ("kind", "snapshot", "snapshot_date", "version", "title"),
            ),
            (
                "Narrative, correction note, linked actions",
                ("narrative", "correction_note", "linked_actions"),
            ),
            (
                "Status, who drafted, approved and published it, and when; withdrawal",
                (
                    "status",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "approved_by",
                    "approved_at",
                    "published_by",
                    "published_at",
                    "withdrawn_at",
                    "withdrawal_reason",
                ),
            ),
            (
                "The released tables, accuracy sentences, method note, the lifecycle and survey figures as their apps protect them, page and PDF as published",
                ("tables", "accuracy", "method", "supplements", "body_html", "pdf"),
            ),
        ),
    ),
    Holding(
        "publications.PublishedFile",
        "A download of a published publication (CSV, Table Schema, JSON), stored at publication",
        AGGREGATE,
        "Everyone, without sign-in, once published",
        "Deleted with its publication",
        ARTICLE_6,
        (
            ID,
            (
                "Publication, name, type, content, order",
                ("publication", "name", "content_type", "content", "position"),
            ),
        ),
    ),
    Holding(
        "service_users.Service",
        "A council service whose users or complaints are monitored",
        NONE,
        ROLE_PERSONAL + ", board members and champions",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Name, kind, description, created", ("name", "kind", "description", "created_at")),
        ),
    ),
    Holding(
        "service_users.ServiceExtract",
        "A service's users or complaints, stored as counts per characteristic value and quarter only (no rows, ids, dates or names)",
        AGGREGATE,
        ROLE_PERSONAL + " (exact); protected for board members and champions",
        "Until replaced by the service's next extract",
        ARTICLE_9,
        (
            ID,
            (
                "Service, shape, rows read, records counted",
                ("service", "shape", "row_count", "record_count"),
            ),
            ("Characteristics present, file name", ("characteristics", "source_filename")),
            ("Imported by, when", ("imported_at", "imported_by")),
            ("The counts, as Parquet", ("parquet",)),
        ),
    ),
    Holding(
        "service_users.ServiceMapping",
        "The remembered mapping of a council's own headers and values for one kind of service file (users or complaints)",
        NONE,
        ROLE_PERSONAL,
        KEPT,
        ARTICLE_6,
        (ID, ORG, ("Kind and mappings", ("kind", "columns", "values", "updated_at"))),
    ),
    Holding(
        "service_users.ServiceImport",
        "A service users or complaints upload waiting on the mapping page (no problems or cell values kept)",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL,
        "The upload file is deleted when the import is stored, refused or cancelled, or by the next upload",
        ARTICLE_9,
        (
            ID,
            ORG,
            ("Service, who, when", ("service", "created_by", "created_at")),
            ("The uploaded file", ("upload_path", "source_filename")),
            ("Progress", ("status",)),
            ("Mapping chosen", ("source_columns", "column_mapping", "value_mapping")),
        ),
    ),
    Holding(
        "service_users.CensusTable",
        "A Census 2021 table of the borough's residents (sex, age, disability, religion, sexual orientation)",
        AGGREGATE,
        ROLE_PERSONAL + ", board members and champions",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            (
                "Characteristic, counts, file, uploaded",
                ("characteristic", "rows", "source_filename", "uploaded_at"),
            ),
        ),
    ),
    Holding(
        "mentoring.Scheme",
        "A mentoring or reverse mentoring scheme and its matching settings",
        OPERATIONAL,
        ROLE_PROGRAMME,
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Name, kind, description", ("name", "kind", "description")),
            (
                "Sign-up: the open link's secret, open or closed; pool shared with other councils",
                ("signup_token", "open_for_signup", "shared_pool"),
            ),
            ("Days names are kept after a person's last pair ends", ("retention_days",)),
            ("Matching weights and pay band order", ("weights", "band_order")),
            (
                "Last matching: when, the optimum's and greedy's totals",
                ("last_matched_at", "optimum_total", "greedy_total", "greedy_pairs"),
            ),
            ("Set up", ("created_at",)),
        ),
    ),
    Holding(
        "mentoring.Participant",
        "A person's answers for matching, under a random reference (no name)",
        "Personal data given for the scheme (pay band, directorate, topics, preferences); no name",
        ROLE_PROGRAMME + " of the person's council; other councils sharing a pool see the "
        "reference, pay band, directorate and topics only",
        "Kept as a reference with the pairs' history; the name goes (see PersonalDetails)",
        "UK GDPR Article 6(1)(a): the person's consent, given on the sign-up form",
        (
            ID,
            ORG,
            ("Scheme, reference, mentor or mentee", ("scheme", "ref", "role")),
            ("Pay band, directorate, capacity", ("pay_band", "directorate", "capacity")),
            ("What they offer, seek, and when they can meet", ("offers", "seeks", "availability")),
            ("Preferences", ("background_preference", "other_directorate")),
            ("Whether they chose to give characteristics", ("gave_characteristics",)),
            ("Joined, left", ("joined_at", "left_at")),
        ),
    ),
    Holding(
        "mentoring.PersonalDetails",
        "Name, work e-mail, line chain e-mails and characteristics the person chose to give, to introduce them to their match",
        "Personal data and, only if the person chooses, special category data; encrypted by the application (AES-256-GCM)",
        ROLE_PROGRAMME + " of the person's council (every view audited); the other council's "
        "coordinators only for a confirmed pair; never used for any figure",
        "Deleted when the person leaves the scheme, or by `equitable mentoring-purge` once the "
        "scheme's retention period after their last pair has passed",
        "UK GDPR Article 6(1)(a) and Article 9(2)(a): the person's explicit consent",
        (
            ID,
            ("The person it belongs to", ("participant",)),
            ("The sealed details", ("ciphertext",)),
            ("When it is to be deleted", ("purge_after",)),
        ),
    ),
    Holding(
        "mentoring.Pair",
        "A proposed, confirmed or ended mentoring pair",
        OPERATIONAL,
        ROLE_PROGRAMME + " of either council in the pair",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Scheme, mentee, mentor", ("scheme", "mentee", "mentor")),
            ("Score and its explanation", ("score", "explanation")),
            ("Status and dates", ("status", "proposed_at", "confirmed_at", "ended_at")),
            ("How it ended", ("end_reason", "ended_early")),
        ),
    ),
    Holding(
        "mentoring.CheckIn",
        "A check-in of a confirmed pair",
        OPERATIONAL,
        ROLE_PROGRAMME + " of the scheme's council",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Pair, date, rating, meetings, note", ("pair", "on", "rating", "meetings", "note")),
            ("Who recorded it", ("recorded_by",)),
        ),
    ),
    Holding(
        "programmes.Programme",
        "A development programme (mentoring, sponsorship, talent programme …)",
        NONE,
        ROLE_PERSONAL + ", board members and champions",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ORG,
            ("Name, kind, description, created", ("name", "kind", "description", "created_at")),
        ),
    ),
    Holding(
        "programmes.Cohort",
        "One intake of a programme: its dates, who is eligible and how many places",
        NONE,
        ROLE_PERSONAL + ", board members and champions",
        KEPT,
        ARTICLE_6,
        (
            ID,
            ("Programme, name, dates", ("programme", "name", "start_date", "end_date")),
            (
                "Eligibility and places",
                ("pay_bands", "grades", "directorates", "leadership_tiers", "places"),
            ),
            ("Created", ("created_at",)),
        ),
    ),
    Holding(
        "programmes.Participant",
        "Someone a cohort lists (applied, selected, took part, completed, withdrew), by the keyed hash of their employee id only; characteristics come from the workforce snapshots",
        PSEUDONYMISED_SPECIAL,
        ROLE_PERSONAL
        + " (the list and exact figures); protected figures for board members and champions",
        "Until removed from the cohort, or the cohort or programme is deleted",
        ARTICLE_9,
        (
            ID,
            ("Cohort, keyed employee id, status", ("cohort", "employee_key", "status")),
            ("Changed", ("updated_at",)),
        ),
    ),
)


def holding(model: str) -> Holding:
    return next(h for h in HOLDINGS if h.model == model)


# --- stored files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredColumn:
    name: str
    holds: str
    special_category: bool


_SPECIAL = {
    "ethnicity",
    "ethnic_group",
    "white_british",
    "disability",
    "religion",
    "sexual_orientation",
    "sex",
}


def snapshot_columns() -> list[StoredColumn]:
    """The columns a stored workforce snapshot can hold, from the canonical format: the id
    becomes `employee_key` (keyed hash) and the date of birth only the age."""
    from equitable.metrics.schema import CANONICAL_COLUMNS

    columns = []
    for name, spec in CANONICAL_COLUMNS.items():
        if name == "date_of_birth":
            continue  # read only to compute the age, never stored
        stored = "employee_key" if name == "employee_id" else name
        columns.append(StoredColumn(stored, spec.description, name in _SPECIAL))
        if name == "ethnicity":
            columns.append(
                StoredColumn("ethnic_group", "ONS 2021 high-level group, from ethnicity.", True)
            )
            columns.append(
                StoredColumn("white_british", "Whether the category is White British.", True)
            )
    return columns


def record_columns() -> dict[str, list[StoredColumn]]:
    """The columns of each kind of stored lifecycle file, from its record spec."""
    from equitable.metrics.lifecycle import casework, development, movements, recruitment
    from equitable.metrics.training.records import PANEL, TRAINING

    specs = (
        recruitment.APPLICATIONS,
        recruitment.APPLICATION_COUNTS,
        movements.LEAVERS,
        casework.CASES,
        development.DEVELOPMENT,
        TRAINING,
        PANEL,
    )
    kinds: dict[str, list[StoredColumn]] = {}
    for spec in specs:
        columns = []
        for column in spec.columns:
            for name in column.output_names:
                holds = column.description or column.name.replace("_", " ")
                if name == "employee_key":
                    holds = "Employee id as a keyed hash (links to the snapshots)."
                columns.append(StoredColumn(name, holds, name in _SPECIAL))
        kinds[spec.label] = columns
    return kinds


# --- rendering ------------------------------------------------------------------------------

START = "<!-- inventory:start (generated by equitable.core.data_inventory: do not edit) -->"
END = "<!-- inventory:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _model_section(h: Holding) -> Iterator[str]:
    yield f"#### `{h.model}`: {h.purpose}"
    yield ""
    yield f"Data: {h.data}. Who sees it: {h.who}. Retention: {h.retention}."
    yield ""
    yield "| fields | what they hold |"
    yield "| --- | --- |"
    for description, names in h.groups:
        yield f"| {', '.join(f'`{n}`' for n in names)} | {_cell(description)} |"
    yield ""


def _columns_section(title: str, columns: Sequence[StoredColumn]) -> Iterator[str]:
    yield f"#### {title}"
    yield ""
    yield "| column | what it holds | special category |"
    yield "| --- | --- | --- |"
    for c in columns:
        yield f"| `{c.name}` | {_cell(c.holds)} | {'yes' if c.special_category else 'no'} |"
    yield ""


def render_markdown() -> str:
    lines = [START, "", "### Database tables", ""]
    for h in HOLDINGS:
        lines.extend(_model_section(h))
    lines.extend(["### Inside the stored files", ""])
    lines.extend(
        _columns_section(
            "Workforce snapshot (`workforce.SnapshotFrame.parquet`)", snapshot_columns()
        )
    )
    for label, columns in record_columns().items():
        lines.extend(
            _columns_section(f"Lifecycle file: {label} (`lifecycle.RecordFrame.parquet`)", columns)
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"


def current_section(text: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end] + "\n"


def write_doc(path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    path.write_text(text[:start] + render_markdown().rstrip("\n") + text[end:], encoding="utf-8")


# --- record of processing -------------------------------------------------------------------

RECORD_HEADERS = (
    "holding",
    "purpose",
    "data",
    "lawful basis",
    "who can see it",
    "retention",
    "fields",
)


def processing_record() -> list[tuple[str, ...]]:
    """One row per holding, for the organisation admin's record of processing activities
    (UK GDPR Article 30)."""
    return [
        (h.model, h.purpose, h.data, h.basis, h.who, h.retention, ", ".join(h.fields))
        for h in HOLDINGS
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/data-protection.md's inventory")
    parser.add_argument("--write", action="store_true", help="rewrite the generated section")
    args = parser.parse_args(argv)
    if args.write:
        write_doc()
    else:
        sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
