"""The demo council's EqIA register: a People directorate restructure with workforce evidence
(screened, fully assessed, signed off by a second person, its mitigations made actions in the
People plan), two policy EqIAs, one at screening and one awaiting sign-off, and a service
change to Adult social care at its full assessment, linked to the Adult social care and
Complaints services so its evidence is their users' profile against residents (the service
users demo loads first: `core.demo.DEMO_APPS`).

Built through the services, as a person would build it, so the audit log and the rules (sign-off
by someone else, a justification to continue despite impact) hold for the demo too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import polars as pl
from django.db import transaction
from django.utils import timezone

from equitable.actions.models import ActionPlan
from equitable.core.models import Organisation, User
from equitable.core.roles import Role
from equitable.eqia import mitigations, services
from equitable.eqia.models import Assessment, CharacteristicImpact, Conclusion, ProposalType
from equitable.service_users.models import Service
from equitable.workforce import services as workforce

DEMO_SLUG = "demo-borough"

RESTRUCTURE_EVIDENCE = {
    "Race": (
        "Staff in the Business Support teams; Black, Asian and Multi-ethnic staff are a larger "
        "share of the teams than of the council",
        "Workforce snapshot of 31 March 2024: make-up of the teams in scope against the council "
        "and the borough, and the relative likelihood of being in the selection pool",
        CharacteristicImpact.Impact.NEGATIVE,
        CharacteristicImpact.Size.MEDIUM,
        "Ring-fence the new roles for staff at risk first and have every selection panel "
        "include a trained, ethnically diverse member",
    ),
    "Sex": (
        "Most staff in scope are women",
        "Workforce snapshot: make-up of the teams in scope by sex",
        CharacteristicImpact.Impact.NEGATIVE,
        CharacteristicImpact.Size.LOW,
        "Offer every new role as open to part-time working and job share",
    ),
    "Age": (
        "Staff over 55 are a larger share of the teams in scope",
        "Workforce snapshot: make-up of the teams in scope by age band",
        CharacteristicImpact.Impact.NEGATIVE,
        CharacteristicImpact.Size.LOW,
        "Offer pre-retirement and redeployment advice to every member of staff at risk",
    ),
    "Disability": (
        "Disabled staff in the teams in scope",
        "Workforce snapshot and the staff disability network's feedback",
        CharacteristicImpact.Impact.UNKNOWN,
        CharacteristicImpact.Size.LOW,
        "Check reasonable adjustments for every interview and for the new ways of working",
    ),
}
NEUTRAL = (
    "No group affected differently that the evidence shows",
    "Workforce snapshot; the consultation with the trade unions raised nothing",
    CharacteristicImpact.Impact.NEUTRAL,
    "",
    "",
)


def _answers(names: list[str], table: dict[str, tuple], default: tuple = NEUTRAL) -> list[dict]:
    rows = []
    for name in names:
        affected, evidence, impact, size, mitigation = table.get(name, default)
        rows.append(
            {
                "affected": affected,
                "evidence": evidence,
                "impact": impact,
                "size": size,
                "mitigation": mitigation,
            }
        )
    return rows


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _affected_keys(organisation: Organisation, snapshot_date: date) -> list[str]:
    """A selection pool in the demo's People directorate: every fourth person in it."""
    snapshot = workforce.snapshots_of(organisation)
    chosen = [s for s in snapshot if s.snapshot_date <= snapshot_date]
    if not chosen:
        return []
    frame = workforce.snapshot_frame(chosen[-1])
    people = frame.filter(pl.col("directorate") == "People").sort("employee_key")
    return people.get_column("employee_key").gather_every(4).to_list()


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Only Demo Borough carries a register (it has the second person who signs off)."""
    if (
        organisation.slug != DEMO_SLUG
        or Assessment.objects.filter(organisation=organisation).exists()
    ):
        return
    officer = User.objects.filter(organisation=organisation, role=Role.EDI_OFFICER).first()
    admin = User.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).first()
    if officer is None or admin is None:
        return
    with transaction.atomic():
        _restructure(organisation, officer, admin)
        _policies(organisation, officer)
        _service_change(organisation, officer)
    progress(f"{organisation.name}: equality impact assessments")


def _restructure(organisation: Organisation, officer: User, admin: User) -> None:
    people = organisation.directorates.filter(name="People").first()
    names = services.characteristic_names(organisation)
    decision = date(2024, 9, 30)
    assessment = Assessment.objects.create(
        organisation=organisation,
        ref=services.next_ref(organisation),
        title="People directorate Business Support restructure",
        proposal_type=ProposalType.RESTRUCTURE,
        summary="Bring the directorate's three Business Support teams into one service, with "
        "fewer, regraded roles and a selection pool for the new posts.",
        owner="Director of People",
        directorate=people,
        decision_date=decision,
        decision_maker="Cabinet Member for Resources",
        review_date=date(2025, 9, 30),
        scope_filter={"directorate": ["People"]},
        affected_keys=_affected_keys(organisation, decision),
        created_by=officer,
    )
    services.record_screening(
        assessment,
        officer,
        needed=True,
        reason="A restructure with a selection pool: the council's policy asks for a full "
        "assessment of every restructure",
        answers=_answers(names, RESTRUCTURE_EVIDENCE),
    )
    assessment.screened_on = date(2024, 6, 3)
    services.save_rows(
        assessment, CharacteristicImpact.Stage.FULL, _answers(names, RESTRUCTURE_EVIDENCE), officer
    )
    assessment.consultation = (
        "45-day consultation with the staff affected and the trade unions (June to July 2024); "
        "the staff networks reviewed the selection criteria, which were changed to weigh "
        "experience as well as qualifications."
    )
    assessment.aim_discrimination = (
        "Selection criteria checked by HR and the staff networks; every panel trained and diverse."
    )
    assessment.aim_opportunity = (
        "Ring-fencing and redeployment support give staff at risk the first chance at new roles."
    )
    assessment.aim_relations = "The staff networks were consulted and their changes adopted."
    assessment.conclusion = Conclusion.ADJUST
    assessment.save()
    assessment.submit_for_sign_off(officer, at=_at(date(2024, 9, 2)))
    assessment.save()
    services.move(assessment, "sign-off", admin)
    assessment.signed_off_at = _at(date(2024, 9, 16))
    assessment.save(update_fields=["signed_off_at"])
    plan = ActionPlan.objects.filter(organisation=organisation, directorate=people).first()
    if plan is not None:
        mitigations.create_actions(assessment, plan, mitigations.pending(assessment), officer)


def _policies(organisation: Organisation, officer: User) -> None:
    names = services.characteristic_names(organisation)
    hybrid = Assessment.objects.create(
        organisation=organisation,
        ref=services.next_ref(organisation),
        title="Hybrid working policy",
        proposal_type=ProposalType.POLICY,
        summary="A council-wide policy on working from home and the office.",
        owner="Head of HR Policy",
        decision_date=date(2025, 11, 30),
        decision_maker="Corporate Leadership Team",
        created_by=officer,
    )
    positive = (
        "Disabled staff and staff with caring responsibilities",
        "Staff survey 2024: flexibility is valued most by disabled staff and carers",
        CharacteristicImpact.Impact.POSITIVE,
        CharacteristicImpact.Size.MEDIUM,
        "",
    )
    answers = _answers(names, {"Disability": positive, "Sex": positive})
    services.save_rows(hybrid, CharacteristicImpact.Stage.SCREENING, answers, officer)

    recruitment = Assessment.objects.create(
        organisation=organisation,
        ref=services.next_ref(organisation),
        title="Recruitment and selection policy",
        proposal_type=ProposalType.POLICY,
        summary="Diverse shortlisting panels and anonymised applications for every post.",
        owner="Head of Resourcing",
        decision_date=date(2026, 1, 31),
        decision_maker="Cabinet",
        review_date=date(2027, 1, 31),
        created_by=officer,
    )
    expected = (
        "Black, Asian and Multi-ethnic applicants",
        "Recruitment figures 2023 to 2024: White applicants were more likely to be appointed",
        CharacteristicImpact.Impact.POSITIVE,
        CharacteristicImpact.Size.HIGH,
        "",
    )
    services.record_screening(
        recruitment,
        officer,
        needed=False,
        reason="The policy removes a barrier and has no negative impact that the evidence shows",
        answers=_answers(names, {"Race": expected}),
    )
    services.move(recruitment, "submit", officer)


SERVICE_NEUTRAL = (
    "No group affected differently that the evidence shows",
    "Adult social care and complaints monitoring against the borough's residents",
    CharacteristicImpact.Impact.NEUTRAL,
    "",
    "",
)
SERVICE_CHANGE_EVIDENCE = {
    "Age": (
        "People over 75, the largest group of adult social care users",
        "Adult social care users by age against the borough's residents (service monitoring)",
        CharacteristicImpact.Impact.NEGATIVE,
        CharacteristicImpact.Size.MEDIUM,
        "Keep telephone and home-visit assessments for anyone who asks, without a reason",
    ),
    "Disability": (
        "Disabled people, most of the service's users",
        "Adult social care users by disability against residents; the complaints profile",
        CharacteristicImpact.Impact.NEGATIVE,
        CharacteristicImpact.Size.MEDIUM,
        "Test the online form with disabled users and offer help to fill it in",
    ),
    "Race": (
        "Black, Asian and Multi-ethnic residents and those whose first language is not English",
        "Complaints and service users by ethnic group against residents: ethnicity is often "
        "not recorded, so the profile is uncertain",
        CharacteristicImpact.Impact.UNKNOWN,
        CharacteristicImpact.Size.LOW,
        "Offer the form in the borough's main community languages and improve recording",
    ),
}


def _service_change(organisation: Organisation, officer: User) -> None:
    """A service change whose evidence is the monitored services it changes."""
    names = services.characteristic_names(organisation)
    change = Assessment.objects.create(
        organisation=organisation,
        ref=services.next_ref(organisation),
        title="Online-first needs assessments in adult social care",
        proposal_type=ProposalType.SERVICE_CHANGE,
        summary="New requests for care and support start with an online self-assessment; "
        "social workers follow up by telephone or a visit.",
        owner="Director of Adult Social Care",
        directorate=organisation.directorates.filter(name="People").first(),
        decision_date=date(2026, 3, 31),
        decision_maker="Cabinet Member for Adult Social Care",
        created_by=officer,
    )
    change.affected_services.set(
        Service.objects.filter(
            organisation=organisation, name__in=("Adult social care", "Complaints")
        )
    )
    services.record_screening(
        change,
        officer,
        needed=True,
        reason="A change to how people reach a service most used by older and disabled "
        "residents: the service monitoring shows who would be affected",
        answers=_answers(names, SERVICE_CHANGE_EVIDENCE, SERVICE_NEUTRAL),
    )
