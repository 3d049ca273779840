"""Mentoring schemes: sign-ups, the sealed personal store, matching, confirmation, pairs.

Every change and every opening of the personal store writes its own audit entry here, so the
web pages, the demo and the retention command leave the same trace. Matching is the pure
library's (`equitable.metrics.mentoring`): this module only builds its pool from the
participants and stores what it chose.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.models import AuditEvent, Organisation, User
from equitable.incidents import crypto, keys
from equitable.mentoring.models import CheckIn, Pair, Participant, PersonalDetails, Scheme
from equitable.metrics.mentoring.matching import (
    check_matching,
    greedy_matching,
    optimal_matching,
)
from equitable.metrics.mentoring.pool import CHARACTERISTICS, pool_from_people
from equitable.metrics.mentoring.scoring import Weights, explain, pair_scores

# Coordinators of a council's schemes: they see its people's names and run the matching.
COORDINATOR_ROLES = R.PROGRAMME_ROLES
PERSONAL_CONTEXT = "mentoring_personal"
DEFAULT_BANDS = ("1", "2", "3", "4", "5", "6")
STANDARD_CRITERION = "2c.1"  # "inclusive mentoring and reverse mentoring ... a matching scheme"


# --- the personal store -------------------------------------------------------------------------


def _context(participant: Participant) -> bytes:
    return crypto.context(PERSONAL_CONTEXT, str(participant.pk))


def _seal(participant: Participant, details: dict[str, Any]) -> bytes:
    return keys.cipher().encrypt(json.dumps(details).encode("utf-8"), _context(participant))


def _open(participant: Participant) -> dict[str, Any]:
    record = PersonalDetails.objects.filter(participant=participant).first()
    if record is None:
        return {}
    return json.loads(keys.cipher().decrypt(bytes(record.ciphertext), _context(participant)))


def is_coordinator(user: User, scheme: Scheme) -> bool:
    return user.role in COORDINATOR_ROLES and user.organisation_id == scheme.organisation_id


def may_see_personal(user: User, participant: Participant) -> bool:
    """Own council's coordinators always; another council's only once a pair joining this
    person to one of theirs is confirmed (for the introduction)."""
    if user.role not in COORDINATOR_ROLES or user.organisation_id is None:
        return False
    if participant.organisation_id == user.organisation_id:
        return True
    return (
        Pair.objects.filter(status__in=(Pair.Status.CONFIRMED, Pair.Status.ENDED))
        .filter(
            Q(mentee=participant, mentor__organisation_id=user.organisation_id)
            | Q(mentor=participant, mentee__organisation_id=user.organisation_id)
        )
        .exists()
    )


def personal_details(
    user: User, participants: Iterable[Participant], *, purpose: str
) -> dict[int, dict[str, Any]]:
    """Names and e-mails of the participants `user` may see (the others are left out),
    audited as one view naming how many and why."""
    shown: dict[int, dict[str, Any]] = {}
    for participant in participants:
        if may_see_personal(user, participant):
            details = _open(participant)
            if details:
                shown[participant.pk] = details
    if shown:
        audit.record(
            user,
            AuditEvent.Action.VIEW,
            "mentoring_personal",
            "",
            f"{len(shown)} participant(s)' names and e-mails: {purpose}",
        )
    return shown


# --- sign-up and leaving ------------------------------------------------------------------------


@dataclass
class SignUp:
    role: str
    pay_band: str
    directorate: str
    capacity: int
    offers: list[str]
    seeks: list[str]
    availability: list[str]
    background_preference: str
    other_directorate: str
    name: str
    email: str
    chain_emails: list[str]
    characteristics: dict[str, str]


def sign_up(scheme: Scheme, answers: SignUp, *, user: User | None) -> Participant:
    """A new participant and their sealed details (audited; no personal value in the entry)."""
    characteristics = {k: v for k, v in answers.characteristics.items() if v}
    with transaction.atomic():
        participant = Participant.objects.create(
            scheme=scheme,
            organisation=scheme.organisation,
            role=answers.role,
            pay_band=answers.pay_band,
            directorate=answers.directorate,
            capacity=answers.capacity if answers.role == Participant.Role.MENTOR else 0,
            offers=answers.offers if answers.role == Participant.Role.MENTOR else [],
            seeks=answers.seeks if answers.role == Participant.Role.MENTEE else [],
            availability=answers.availability,
            background_preference=answers.background_preference,
            other_directorate=answers.other_directorate,
            gave_characteristics=bool(characteristics),
        )
        PersonalDetails.objects.create(
            participant=participant,
            ciphertext=_seal(
                participant,
                {
                    "name": answers.name,
                    "email": answers.email.lower(),
                    "chain_emails": [e.lower() for e in answers.chain_emails],
                    "characteristics": characteristics,
                },
            ),
        )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "mentoring_participant",
        participant.pk,
        f"{participant.ref} joined {scheme.name} as a {participant.role}",
        organisation=scheme.organisation,
    )
    return participant


def leave(participant: Participant, *, user: User | None) -> None:
    """The person leaves: their details are deleted now, proposed pairs withdrawn, confirmed
    ones ended."""
    with transaction.atomic():
        Pair.objects.filter(
            Q(mentee=participant) | Q(mentor=participant), status=Pair.Status.PROPOSED
        ).delete()
        for pair in Pair.objects.filter(
            Q(mentee=participant) | Q(mentor=participant), status=Pair.Status.CONFIRMED
        ):
            pair.end(Pair.EndReason.LEFT, early=True)
        PersonalDetails.objects.filter(participant=participant).delete()
        participant.left_at = timezone.now()
        participant.save(update_fields=["left_at"])
    audit.record(
        user,
        AuditEvent.Action.DELETE,
        "mentoring_personal",
        participant.pk,
        f"{participant.ref} left {participant.scheme.name}; name and e-mail deleted",
        organisation=participant.organisation,
    )


def purge_expired(today: date | None = None) -> int:
    """Delete the sealed details whose retention period has passed (`equitable
    mentoring-purge`); the participant's answers and pairs stay, under their reference."""
    today = today or timezone.localdate()
    expired = PersonalDetails.objects.filter(purge_after__lt=today).select_related("participant")
    count = 0
    for record in expired:
        participant = record.participant
        record.delete()
        count += 1
        audit.record(
            None,
            AuditEvent.Action.DELETE,
            "mentoring_personal",
            participant.pk,
            f"{participant.ref}: name and e-mail deleted at the end of the retention period",
            organisation=participant.organisation,
        )
    return count


# --- matching -----------------------------------------------------------------------------------


def weights_of(scheme: Scheme) -> Weights:
    known = Weights().as_dict()
    return Weights(**{k: float(v) for k, v in (scheme.weights or {}).items() if k in known})


def band_order(scheme: Scheme) -> tuple[str, ...]:
    return tuple(scheme.band_order) or DEFAULT_BANDS


def pool_participants(scheme: Scheme) -> QuerySet[Participant]:
    return Participant.objects.filter(
        scheme__in=scheme.pool_schemes(), left_at__isnull=True
    ).select_related("organisation", "scheme")


def _taken_places(scheme: Scheme) -> dict[int, int]:
    """Mentor id → places used by confirmed pairs, and by proposed pairs of other schemes."""
    counted = (
        Pair.objects.filter(mentor__scheme__in=scheme.pool_schemes())
        .filter(
            Q(status=Pair.Status.CONFIRMED) | (Q(status=Pair.Status.PROPOSED) & ~Q(scheme=scheme))
        )
        .values("mentor_id")
        .annotate(n=Count("id"))
    )
    return {row["mentor_id"]: row["n"] for row in counted}


def _people(
    scheme: Scheme, mentees: Iterable[Participant]
) -> tuple[list[dict], dict[str, Participant]]:
    """The library's rows for `mentees` and every mentor of the pool with a place left. Line
    chains come from the e-mails each person gave, matched to the pool's own e-mails, and
    characteristics only from those who chose to give them; the sealed details are read here
    by the system for matching, never shown."""
    order = {band.lower(): i for i, band in enumerate(band_order(scheme))}
    taken = _taken_places(scheme)
    mentors = [
        p
        for p in pool_participants(scheme).filter(role=Participant.Role.MENTOR)
        if p.capacity - taken.get(p.pk, 0) > 0
    ]
    everyone = [*mentees, *mentors]
    sealed = {p.pk: _open(p) for p in everyone}
    by_email = {d.get("email"): p.ref for p, d in ((p, sealed[p.pk]) for p in everyone) if d}
    rows: list[dict] = []
    for participant in everyone:
        details = sealed[participant.pk]
        chain = [by_email[e] for e in details.get("chain_emails", []) if e in by_email]
        row: dict[str, Any] = {
            "person_id": participant.ref,
            "role": participant.role,
            "pay_band": participant.pay_band,
            "band_rank": order.get(participant.pay_band.lower(), -1),
            "directorate": participant.directorate,
            "capacity": participant.capacity - taken.get(participant.pk, 0)
            if participant.role == Participant.Role.MENTOR
            else 0,
            "offers": [t.lower() for t in participant.offers],
            "seeks": [t.lower() for t in participant.seeks],
            "availability": list(participant.availability),
            "background_preference": participant.background_preference,
            "other_directorate": participant.other_directorate,
            "line_chain": [c for c in chain if c != participant.ref],
            "exclude": [],
        }
        if participant.gave_characteristics:
            for name, value in details.get("characteristics", {}).items():
                if name in CHARACTERISTICS and value:
                    row[name] = str(value).lower()
        rows.append(row)
    return rows, {p.ref: p for p in everyone}


def _unmatched_mentees(scheme: Scheme) -> QuerySet[Participant]:
    busy = Pair.objects.filter(status=Pair.Status.CONFIRMED).values("mentee_id")
    return scheme.participants.filter(role=Participant.Role.MENTEE, left_at__isnull=True).exclude(
        pk__in=busy
    )


def scored_pairs(scheme: Scheme, mentees: Iterable[Participant]):
    rows, by_ref = _people(scheme, mentees)
    pool = pool_from_people(rows)
    return (
        pair_scores(pool, weights_of(scheme), reverse=scheme.reverse),
        pool,
        by_ref,
    )


@dataclass
class MatchingRun:
    optimum_total: float
    optimum_pairs: int
    greedy_total: float
    greedy_pairs: int
    unmatched: list[str]


def run_matching(scheme: Scheme, *, user: User | None) -> MatchingRun:
    """Replace the scheme's proposed pairs with the whole-pool optimum for its mentees who have
    no confirmed pair, and keep the greedy total beside it (audited)."""
    mentees = list(_unmatched_mentees(scheme))
    pairs, pool, by_ref = scored_pairs(scheme, mentees)
    capacities = dict(zip(pool.mentors["person_id"], pool.mentors["capacity"], strict=True))
    mentee_refs = [m.ref for m in mentees]
    optimum = optimal_matching(pairs, capacities, mentee_refs)
    greedy = greedy_matching(pairs, capacities, mentee_refs)
    rows = {(r["mentee_id"], r["mentor_id"]): r for r in pairs.to_dicts()}
    weights = weights_of(scheme)
    with transaction.atomic():
        scheme.pairs.filter(status=Pair.Status.PROPOSED).delete()
        Pair.objects.bulk_create(
            Pair(
                scheme=scheme,
                organisation=scheme.organisation,
                mentee=by_ref[chosen.mentee_id],
                mentor=by_ref[chosen.mentor_id],
                score=chosen.score,
                explanation=explain(rows[chosen.mentee_id, chosen.mentor_id], weights),
            )
            for chosen in optimum.pairs
        )
        scheme.last_matched_at = timezone.now()
        scheme.optimum_total = optimum.total_score
        scheme.greedy_total = greedy.total_score
        scheme.greedy_pairs = len(greedy.pairs)
        scheme.save(
            update_fields=["last_matched_at", "optimum_total", "greedy_total", "greedy_pairs"]
        )
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "mentoring_scheme",
        scheme.pk,
        f"matching run: {len(optimum.pairs)} pairs proposed (total {optimum.total_score:.2f}; "
        f"greedy {greedy.total_score:.2f} over {len(greedy.pairs)}); the sealed line chains and "
        f"chosen characteristics of {len(by_ref)} participant(s) read for matching, not shown",
        organisation=scheme.organisation,
    )
    return MatchingRun(
        optimum.total_score,
        len(optimum.pairs),
        greedy.total_score,
        len(greedy.pairs),
        optimum.unmatched_mentees,
    )


def save_weights(scheme: Scheme, weights: Weights, *, user: User | None) -> None:
    scheme.weights = weights.as_dict()
    scheme.save(update_fields=["weights"])
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "mentoring_scheme",
        scheme.pk,
        "matching weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.as_dict().items()),
        organisation=scheme.organisation,
    )


def alternatives(pair: Pair) -> list[dict[str, Any]]:
    """Every mentor this pair's mentee may have instead, best first, with the score and
    whether the mentor still has a place (the pair's own mentor's place counts as free)."""
    pairs, pool, by_ref = scored_pairs(pair.scheme, [pair.mentee])
    capacity = dict(zip(pool.mentors["person_id"], pool.mentors["capacity"], strict=True))
    used: dict[str, int] = {}
    for other in pair.scheme.pairs.filter(status=Pair.Status.PROPOSED).exclude(pk=pair.pk):
        used[other.mentor.ref] = used.get(other.mentor.ref, 0) + 1
    options = []
    for row in pairs.sort("score", descending=True).to_dicts():
        mentor = by_ref[row["mentor_id"]]
        options.append(
            {
                "mentor": mentor,
                "score": row["score"],
                "has_place": capacity.get(mentor.ref, 0) - used.get(mentor.ref, 0) > 0,
                "current": mentor.pk == pair.mentor_id,
                "row": row,
            }
        )
    return options


class PairRefused(ValueError):
    pass


def change_mentor(pair: Pair, mentor: Participant, *, user: User | None) -> None:
    """The coordinator's swap: allowed pairs only, no mentor over capacity."""
    if pair.status != Pair.Status.PROPOSED:
        raise PairRefused("Only a proposed pair can be changed")
    options = {o["mentor"].pk: o for o in alternatives(pair)}
    option = options.get(mentor.pk)
    if option is None:
        raise PairRefused(f"{mentor.ref} cannot mentor {pair.mentee.ref}")
    if not option["has_place"]:
        raise PairRefused(f"{mentor.ref} has no place left")
    previous = pair.mentor.ref
    pair.mentor = mentor
    pair.score = option["score"]
    pair.explanation = explain(option["row"], weights_of(pair.scheme))
    pair.save(update_fields=["mentor", "score", "explanation"])
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "mentoring_pair",
        pair.pk,
        f"{pair.mentee.ref}: mentor changed from {previous} to {mentor.ref}",
        organisation=pair.organisation,
    )


def proposed_total(scheme: Scheme) -> float:
    return float(sum(p.score for p in scheme.pairs.filter(status=Pair.Status.PROPOSED)))


def confirm(pair: Pair, *, user: User | None) -> None:
    """Confirm one pair and tell both people by e-mail who their match is."""
    problems = check_matching(
        [(pair.mentee.ref, pair.mentor.ref)],
        _one_pair_frame(pair),
        {pair.mentor.ref: pair.mentor.capacity - _confirmed_load(pair.mentor)},
    )
    if problems:
        raise PairRefused("; ".join(problems))
    pair.confirm()
    mentee, mentor = _open(pair.mentee), _open(pair.mentor)
    scheme = pair.scheme
    for person, other, role in ((mentee, mentor, "mentor"), (mentor, mentee, "mentee")):
        if person.get("email"):
            send_mail(
                f"Your {scheme.get_kind_display().lower()} match: {scheme.name}",
                f"Hello {person.get('name', '')},\n\n"
                f"You have been matched in {scheme.name}. Your {role} is "
                f"{other.get('name', 'not known')} ({other.get('email', 'no e-mail')}).\n"
                "Please get in touch with each other to arrange a first meeting.\n\n"
                f"{scheme.organisation.name}",
                settings.DEFAULT_FROM_EMAIL,
                [person["email"]],
            )
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "mentoring_pair",
        pair.pk,
        f"{pair} confirmed; both told by e-mail",
        organisation=pair.organisation,
    )


def _confirmed_load(mentor: Participant) -> int:
    return Pair.objects.filter(mentor=mentor, status=Pair.Status.CONFIRMED).count()


def _one_pair_frame(pair: Pair):
    from equitable.metrics.mentoring.scoring import given_scores

    return given_scores(
        [{"mentee_id": pair.mentee.ref, "mentor_id": pair.mentor.ref, "score": pair.score}]
    )


def confirm_all(scheme: Scheme, *, user: User | None) -> tuple[int, list[str]]:
    confirmed, problems = 0, []
    for pair in scheme.pairs.filter(status=Pair.Status.PROPOSED).select_related("mentee", "mentor"):
        try:
            confirm(pair, user=user)
            confirmed += 1
        except PairRefused as error:
            problems.append(f"{pair}: {error}")
    return confirmed, problems


def end_pair(pair: Pair, reason: str, *, early: bool, user: User | None) -> None:
    pair.end(reason, early=early)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "mentoring_pair",
        pair.pk,
        f"{pair} ended{' early' if early else ''}: {pair.get_end_reason_display()}",
        organisation=pair.organisation,
    )


def add_check_in(pair: Pair, *, rating: int, meetings: int, note: str, user: User) -> CheckIn:
    if pair.status != Pair.Status.CONFIRMED:
        raise PairRefused("Check-ins are for confirmed pairs")
    check_in = CheckIn.objects.create(
        pair=pair,
        organisation=pair.organisation,
        rating=rating,
        meetings=meetings,
        note=note,
        recorded_by=user,
    )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "mentoring_pair",
        pair.pk,
        f"{pair}: check-in recorded ({check_in.get_rating_display()})",
        organisation=pair.organisation,
    )
    return check_in


# --- what coordinators and others see -----------------------------------------------------------


def pairs_for(user: User) -> QuerySet[Pair]:
    """Pairs of the user's council's schemes, and pairs of other councils' schemes that hold
    one of its people (shared pools)."""
    organisation = user.organisation_id
    return Pair.objects.filter(
        Q(organisation_id=organisation)
        | Q(mentee__organisation_id=organisation)
        | Q(mentor__organisation_id=organisation)
    ).select_related("mentee", "mentor", "scheme", "mentee__organisation", "mentor__organisation")


def anonymous_entry(participant: Participant) -> dict[str, Any]:
    """What another council's coordinator sees of a person before a confirmed pair."""
    return {
        "ref": participant.ref,
        "council": participant.organisation.name,
        "role": participant.get_role_display(),
        "pay_band": participant.pay_band,
        "directorate": participant.directorate,
        "topics": participant.offers or participant.seeks,
    }


def scheme_counts(scheme: Scheme) -> dict[str, int]:
    people = scheme.participants.filter(left_at__isnull=True)
    pairs = scheme.pairs
    return {
        "mentees": people.filter(role=Participant.Role.MENTEE).count(),
        "mentors": people.filter(role=Participant.Role.MENTOR).count(),
        "proposed": pairs.filter(status=Pair.Status.PROPOSED).count(),
        "confirmed": pairs.filter(status=Pair.Status.CONFIRMED).count(),
        "ended": pairs.filter(status=Pair.Status.ENDED).count(),
        "ended_early": pairs.filter(status=Pair.Status.ENDED, ended_early=True).count(),
    }


def organisation_summary(organisation: Organisation) -> dict[str, int]:
    """Counts across the organisation's schemes for the Standard's 2c.1 (no personal data)."""
    schemes = Scheme.objects.filter(organisation=organisation)
    totals = {
        "schemes": schemes.count(),
        "reverse": schemes.filter(kind=Scheme.Kind.REVERSE).count(),
    }
    for scheme in schemes:
        for key, value in scheme_counts(scheme).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def standard_evidence(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    """The 2c.1 tables, protected (every reader of the Standard sees the same): people taking
    part now and pairs, by kind of scheme. Empty when the council runs no scheme."""
    from equitable.metrics.mentoring import evidence

    schemes = Scheme.objects.filter(organisation=organisation)
    if not schemes.exists():
        return {}
    people: dict[tuple[str, str], int] = {}
    for row in (
        Participant.objects.filter(scheme__in=schemes, left_at__isnull=True)
        .values("scheme__kind", "role")
        .annotate(n=Count("id"))
    ):
        people[row["scheme__kind"], row["role"]] = row["n"]
    for scheme in schemes:
        people.setdefault((scheme.kind, Participant.Role.MENTEE), 0)
    pairs: dict[tuple[str, str], int] = {}
    for row in (
        Pair.objects.filter(scheme__in=schemes)
        .values("scheme__kind", "status")
        .annotate(n=Count("id"))
    ):
        pairs[row["scheme__kind"], row["status"]] = row["n"]
    protected = evidence.protected_evidence(
        evidence.evidence_tables(people, pairs),
        threshold=organisation.suppression_threshold,
        round_to=5 if organisation.round_counts_to_5 else None,
    )
    return {name: frame.to_dicts() for name, frame in protected.items()}
