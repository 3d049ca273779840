"""The EqIA register's domain logic: who may do what, the register and its filters, saving the
forms, the status moves (each audited) and the organisation's additional characteristics.

The workforce evidence is in `evidence.py`, mitigations becoming actions in `mitigations.py`,
the PDF in `pdf.py`, review reminders in `reminders.py` and the register's quality measures in
`quality.py` (over `equitable.metrics.eqia.quality`). Views and the demo call these functions;
every change writes its audit entry here, so no caller can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import organisation_for, require_directorate
from equitable.core.models import AuditEvent, Organisation, User
from equitable.eqia.models import (
    DEFAULT_ADDITIONAL,
    PROTECTED_CHARACTERISTICS,
    AdditionalCharacteristic,
    Assessment,
    CharacteristicImpact,
    IllegalTransition,
)

READ_ROLES = R.PROGRAMME_ROLES | {R.Role.CHAMPION, R.Role.BOARD_MEMBER, R.Role.HR_ANALYST}
EDIT_ROLES = R.PROGRAMME_ROLES | {R.Role.CHAMPION}
SIGN_OFF_ROLES = R.PROGRAMME_ROLES
SETTINGS_ROLES = frozenset({R.Role.EDI_OFFICER})
PROTECTED = PROTECTED_CHARACTERISTICS


def today() -> date:
    return timezone.localdate()


# --- access ---------------------------------------------------------------------------------


def can_edit(user: User, assessment: Assessment | None = None) -> bool:
    if user.role in R.PROGRAMME_ROLES:
        return True
    if user.role != R.Role.CHAMPION:
        return False
    if assessment is None:
        return True
    return (
        assessment.directorate_id is not None
        and user.directorates.filter(pk=assessment.directorate_id).exists()
    )


def require_edit(user: User, assessment: Assessment) -> None:
    """Programme roles edit every assessment; a champion only their directorate's (else 403)."""
    if user.role not in EDIT_ROLES:
        raise PermissionDenied
    require_directorate(user, assessment.directorate)


def can_sign_off(user: User) -> bool:
    return user.role in SIGN_OFF_ROLES


# --- the register ---------------------------------------------------------------------------


def assessments_for(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation=organisation_for(user)).select_related(
        "directorate", "signed_off_by", "submitted_by"
    )


def filtered_register(
    user: User, *, status: str = "", proposal_type: str = "", directorate: str = ""
) -> QuerySet[Assessment]:
    items = assessments_for(user)
    if status:
        items = items.filter(status=status)
    if proposal_type:
        items = items.filter(proposal_type=proposal_type)
    if directorate == "corporate":
        items = items.filter(directorate__isnull=True)
    elif directorate:
        items = items.filter(directorate_id=directorate)
    return items.order_by("-decision_date", "-id")


def next_ref(organisation: Organisation) -> str:
    """EQIA-001, EQIA-002 …: the next number not yet used in the organisation."""
    used = set(Assessment.objects.filter(organisation=organisation).values_list("ref", flat=True))
    number = len(used) + 1
    while f"EQIA-{number:03d}" in used:
        number += 1
    return f"EQIA-{number:03d}"


# --- characteristics ------------------------------------------------------------------------


def additional_characteristics(organisation: Organisation) -> list[AdditionalCharacteristic]:
    """The organisation's own list; the defaults are written the first time it is read."""
    rows = AdditionalCharacteristic.objects.filter(organisation=organisation)
    if not rows.exists():
        AdditionalCharacteristic.objects.bulk_create(
            AdditionalCharacteristic(organisation=organisation, name=name, position=position)
            for position, name in enumerate(DEFAULT_ADDITIONAL)
        )
    return list(rows.filter(active=True))


def characteristic_names(organisation: Organisation) -> list[str]:
    return [*PROTECTED_CHARACTERISTICS, *(c.name for c in additional_characteristics(organisation))]


def save_additional_characteristics(
    organisation: Organisation, names: Iterable[str], user: User
) -> list[str]:
    """Make the active list exactly `names` (in order): retired names are kept inactive, so
    assessments that answered them still read them."""
    wanted = [name for name in dict.fromkeys(n.strip() for n in names) if name]
    additional_characteristics(organisation)  # the defaults, if never written
    with transaction.atomic():
        existing = {
            c.name: c for c in AdditionalCharacteristic.objects.filter(organisation=organisation)
        }
        for position, name in enumerate(wanted):
            row = existing.pop(name, None) or AdditionalCharacteristic(
                organisation=organisation, name=name
            )
            row.position, row.active = position, True
            row.save()
        for row in existing.values():
            if row.active:
                row.active = False
                row.save(update_fields=["active"])
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "eqia_characteristics",
            "",
            f"{len(wanted)} additional characteristics",
        )
    return wanted


def rows_for(assessment: Assessment, stage: str) -> list[CharacteristicImpact]:
    """The stage's rows, one per characteristic the organisation assesses (unsaved rows for
    characteristics not answered yet), then any answered characteristic since retired."""
    saved = {row.characteristic: row for row in assessment.characteristics.filter(stage=stage)}
    rows = []
    for position, name in enumerate(characteristic_names(assessment.organisation)):
        row = saved.pop(name, None) or CharacteristicImpact(
            assessment=assessment, stage=stage, characteristic=name
        )
        row.position = position
        rows.append(row)
    return rows + sorted(saved.values(), key=lambda r: r.position)


def save_rows(
    assessment: Assessment, stage: str, answers: list[dict], user: User
) -> list[CharacteristicImpact]:
    """Store each characteristic's answers (`answers` in the order of `rows_for`)."""
    rows = rows_for(assessment, stage)
    fields = ("affected", "evidence", "impact", "size", "mitigation")
    with transaction.atomic():
        for row, answer in zip(rows, answers, strict=True):
            for name in fields:
                setattr(row, name, answer.get(name) or "")
            row.save()
        assessment.save(update_fields=["updated_at"])
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "eqia",
            assessment.pk,
            f"{CharacteristicImpact.Stage(stage).label.lower()}: {len(rows)} characteristics",
        )
    return rows


def latest_stage(assessment: Assessment) -> str:
    return (
        CharacteristicImpact.Stage.FULL
        if assessment.full_assessment_needed
        else CharacteristicImpact.Stage.SCREENING
    )


# --- saving the assessment ------------------------------------------------------------------


def create_assessment(form, organisation: Organisation, user: User) -> Assessment:
    with transaction.atomic():
        assessment = form.save(commit=False)
        assessment.organisation = organisation
        assessment.ref = next_ref(organisation)
        assessment.created_by = user
        assessment.save()
        form.save_m2m()  # the services it changes
        audit.record(user, AuditEvent.Action.CREATE, "eqia", assessment.pk, assessment.ref)
    return assessment


def save_details(form, user: User, what: str = "details") -> Assessment:
    """Save an assessment form (details, conclusion, scope …) and audit which part changed,
    never the text entered."""
    with transaction.atomic():
        assessment = form.save()
        changed = ", ".join(form.changed_data) or "nothing changed"
        audit.record(user, AuditEvent.Action.CHANGE, "eqia", assessment.pk, f"{what}: {changed}")
    return assessment


def record_screening(
    assessment: Assessment, user: User, *, needed: bool, reason: str, answers: list[dict]
) -> None:
    """The screening decision and its per-characteristic answers; when no full assessment is
    needed the screening is what goes to sign-off, when one is, the full assessment starts."""
    with transaction.atomic():
        assessment.record_screening(needed, reason, today())
        if needed and assessment.status == Assessment.Status.SCREENING:
            assessment.start_full_assessment()
        assessment.save()
        save_rows(assessment, CharacteristicImpact.Stage.SCREENING, answers, user)
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "eqia",
            assessment.pk,
            "screening: full assessment " + ("needed" if needed else "not needed"),
        )


TRANSITIONS = {
    # name: (method, audit wording)
    "start-consultation": ("start_consultation", "consultation started"),
    "end-consultation": ("end_consultation", "consultation ended"),
    "submit": ("submit_for_sign_off", "submitted for sign-off"),
    "return": ("return_for_changes", "returned for changes"),
    "sign-off": ("sign_off", "signed off"),
    "review": ("start_review", "review started"),
    "close": ("close", "closed"),
    "start-full": ("start_full_assessment", "full assessment started"),
}
NEEDS_USER = {"submit", "sign-off"}
SIGN_OFF_ONLY = {"sign-off", "return"}


def move(assessment: Assessment, name: str, user: User) -> None:
    """Apply one status move by its name (raises IllegalTransition with the reason, and
    PermissionDenied when the user's role may not make it)."""
    if name not in TRANSITIONS:
        raise IllegalTransition("That is not a change an assessment can make")
    if name in SIGN_OFF_ONLY and not can_sign_off(user):
        raise PermissionDenied
    require_edit(user, assessment)
    method, wording = TRANSITIONS[name]
    before = assessment.get_status_display()
    with transaction.atomic():
        if name in NEEDS_USER:
            getattr(assessment, method)(user)
        else:
            getattr(assessment, method)()
        assessment.save()
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "eqia",
            assessment.pk,
            f"{wording} ({before} → {assessment.get_status_display()})",
        )


def available_moves(assessment: Assessment, user: User) -> list[tuple[str, str]]:
    """(name, button text) of the moves this user can make now (sign-off has its own page)."""
    if not can_edit(user, assessment):
        return []
    texts = {
        "start-consultation": "Start the consultation",
        "end-consultation": "End the consultation",
        "submit": "Submit for sign-off",
        "review": "Start a review",
        "close": "Close the assessment",
    }
    allowed = Assessment.TRANSITIONS[assessment.status]
    S = Assessment.Status
    targets = {
        "start-consultation": S.CONSULTATION,
        "end-consultation": S.FULL if assessment.status == S.CONSULTATION else None,
        "submit": S.AWAITING_SIGN_OFF,
        "review": S.UNDER_REVIEW,
        "close": S.CLOSED,
    }
    return [(name, texts[name]) for name, to in targets.items() if to in allowed]
