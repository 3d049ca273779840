"""Domain operations of the Standard app: assessments, evidence, sharing, the Statement.

Scoring itself is `equitable.standard.library` (pure); this module reads and writes the
database around it. Views, the API, exports and the demo loader call these functions.

Opt-in rules, enforced here and nowhere else:
- benchmarking uses only organisations whose `BenchmarkingConsent.opted_in` is true, and only
  their *submitted* assessments; a borough sees its own position only while it shares too, and
  never another borough's name or answers;
- pairing shows another borough's submitted assessment only while a Pairing between the two is
  active, which needs the partner to accept the request.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.standard import library as lib
from equitable.standard import lifecycle_suggestions, survey_evidence
from equitable.standard.models import (
    Assessment,
    BenchmarkingConsent,
    CommitmentProgress,
    EvidenceFile,
    Pairing,
    Response,
    StatementAdoption,
)
from equitable.standard.suggestions import Suggestion, figures_from_tables, suggest_from_figures
from equitable.workforce import services as workforce

EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".csv",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Fewer sharing boroughs than this and every benchmarking view says nothing: with two, the
# lowest and highest points (or one borough's own position and the median) are each borough's
# exact result. One minimum for the coordinator's distribution and each borough's position.
MIN_SHARING = 3
"""A borough's position is shown only when at least this many boroughs share (itself included),
so that no single other borough's points can be inferred."""


# --------------------------------------------------------------------------- assessments


def start_assessment(
    organisation: Organisation, period: str, user: User | None = None
) -> Assessment:
    """A new draft against the newest version of the Standard, recorded in the audit log."""
    assessment = _new_assessment(organisation, period)
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "assessment",
        assessment.pk,
        assessment.period,
        organisation=organisation,
    )
    return assessment


def _new_assessment(organisation: Organisation, period: str) -> Assessment:
    period = " ".join(period.split())
    if not period:
        raise ValidationError({"period": "Enter the period the assessment covers"})
    standard = lib.get_standard()
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                organisation=organisation,
                standard_id=standard.id,
                standard_version=standard.version,
                period=period,
            )
    except IntegrityError as error:
        raise ValidationError({"period": f"There is already an assessment for {period}"}) from error


def copy_forward(
    source: Assessment, period: str, user: User | None = None
) -> tuple[Assessment, int, int]:
    """A new draft for `period` that starts from `source`'s answers and evidence.

    Why "for review" and not simply copied: last year's evidence is often still true, but an
    assessment says what holds *this* period, so every copied answer is marked `needs_review`
    until someone confirms it on the category page, and the assessment cannot be submitted
    while any is left (`unreviewed`). The new draft is made against the newest version of the
    Standard; answers are copied only for criteria that version still has, and a level only if
    the criterion still offers it (otherwise "none", still for review). Data suggestions are
    not copied (they are worked out again from the current figures when the category is saved).
    Evidence files are copied as new files, so deleting one in either period leaves the other.
    Returns the new assessment, the answers copied and the evidence files copied.
    """
    assessment = _new_assessment(source.organisation, period)
    standard = assessment.standard
    criteria = {c.id: c for category in standard.categories for c in category.criteria}
    copied = 0
    files = 0
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(copied_from=source)
        assessment.copied_from = source
        for old in source.responses.all():
            criterion = criteria.get(old.criterion_id)
            if criterion is None:
                continue
            level = old.level if old.level == "none" or old.level in criterion.texts else "none"
            Response.objects.create(
                assessment=assessment,
                criterion_id=old.criterion_id,
                level=level,
                evidence_notes=old.evidence_notes,
                links=old.links,
                owner=old.owner,
                next_steps=old.next_steps,
                overruled_reason=old.overruled_reason,
                needs_review=True,
            )
            copied += 1
        for evidence in source.evidence_files.filter(criterion_id__in=list(criteria)):
            with evidence.file.open("rb") as handle:
                content = handle.read()
            copy = EvidenceFile(
                assessment=assessment,
                criterion_id=evidence.criterion_id,
                original_name=evidence.original_name,
                uploaded_by=evidence.uploaded_by,
            )
            copy.file.save(evidence.original_name, ContentFile(content), save=False)
            copy.save()
            files += 1
        audit.record(
            user,
            AuditEvent.Action.CREATE,
            "assessment",
            assessment.pk,
            f"{assessment.period}, copied forward from {source.period}: {copied} answers and "
            f"{files} evidence files, each for review",
            organisation=source.organisation,
        )
    return assessment, copied, files


def unreviewed(assessment: Assessment) -> list[str]:
    """Criterion ids copied forward and not yet confirmed, in the Standard's order."""
    waiting = set(
        assessment.responses.filter(needs_review=True).values_list("criterion_id", flat=True)
    )
    order = [c.id for category in assessment.standard.categories for c in category.criteria]
    return [cid for cid in order if cid in waiting]


def confirm_reviewed(assessment: Assessment, criterion_ids: list[str]) -> list[str]:
    """Mark copied answers as confirmed for this period; returns the ids that changed."""
    if assessment.is_submitted:
        raise PermissionDenied("A submitted assessment must be reopened before it is changed")
    pending = list(
        assessment.responses.filter(needs_review=True, criterion_id__in=criterion_ids).values_list(
            "criterion_id", flat=True
        )
    )
    assessment.responses.filter(criterion_id__in=pending).update(needs_review=False)
    return sorted(pending)


def responses_by_id(assessment: Assessment) -> dict[str, Response]:
    return {r.criterion_id: r for r in assessment.responses.all()}


def levels_of(assessment: Assessment) -> dict[str, str]:
    return {r.criterion_id: r.level for r in assessment.responses.all()}


def result_of(assessment: Assessment) -> lib.ScoreResult:
    """Score with the version the assessment was made against."""
    return lib.score(
        assessment.standard, levels_of(assessment), organisation=assessment.organisation.name
    )


@dataclass
class CategoryForm:
    """What the assessor entered on one category page, and every problem with it."""

    values: dict[str, dict[str, str]]
    errors: list[dict[str, str]]
    remove_files: list[int] = field(default_factory=list)


def _field(name: str, criterion_id: str) -> str:
    return f"{name}-{criterion_id}"


def parse_category(
    category: lib.Category,
    data: Mapping[str, Any],
    files: Mapping[str, Any],
    suggestions: Mapping[str, Suggestion],
) -> CategoryForm:
    values: dict[str, dict[str, str]] = {}
    errors: list[dict[str, str]] = []
    for criterion in category.criteria:
        cid = criterion.id
        entry = {
            key: str(data.get(_field(key, cid), "")).strip()
            for key in ("level", "notes", "links", "owner", "next", "reason")
        }
        entry["level"] = entry["level"] or "none"
        values[cid] = entry
        level = lib.normalise_level(entry["level"])
        if level is None or (level != "none" and level not in criterion.texts):
            offered = ", ".join(("none", *criterion.offered))
            errors.append(
                {"text": f"{cid}: choose one of {offered}", "href": f"#{_field('level', cid)}"}
            )
            continue
        suggestion = suggestions.get(cid)
        if suggestion and level not in ("none", suggestion.level) and not entry["reason"]:
            errors.append(
                {
                    "text": f"{cid}: the figures suggest {suggestion.level}; give a reason for choosing {level}",
                    "href": f"#{_field('reason', cid)}",
                }
            )
        for link in entry["links"].splitlines():
            if link.strip() and not link.strip().startswith(("https://", "http://")):
                errors.append(
                    {
                        "text": f"{cid}: links must be web addresses starting https://",
                        "href": f"#{_field('links', cid)}",
                    }
                )
                break
        upload = files.get(_field("file", cid))
        if upload is not None:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in EVIDENCE_EXTENSIONS:
                errors.append(
                    {
                        "text": f"{cid}: evidence files must be one of {', '.join(sorted(EVIDENCE_EXTENSIONS))}",
                        "href": f"#{_field('file', cid)}",
                    }
                )
            elif upload.size > EVIDENCE_MAX_BYTES:
                errors.append(
                    {
                        "text": f"{cid}: evidence files must be smaller than 10 MB",
                        "href": f"#{_field('file', cid)}",
                    }
                )
    raw_removals = (
        data.getlist("remove-file") if hasattr(data, "getlist") else data.get("remove-file", [])
    )
    removals = [int(v) for v in raw_removals if str(v).isdigit()]
    return CategoryForm(values, errors, removals)


def save_category(
    assessment: Assessment,
    category: lib.Category,
    form: CategoryForm,
    files: Mapping[str, Any],
    suggestions: Mapping[str, Suggestion],
    user: User,
) -> int:
    """Store a valid category form; returns how many evidence files were added."""
    if assessment.is_submitted:
        raise PermissionDenied("A submitted assessment must be reopened before it is changed")
    added = 0
    with transaction.atomic():
        for criterion in category.criteria:
            entry = form.values[criterion.id]
            suggestion = suggestions.get(criterion.id)
            level = lib.normalise_level(entry["level"]) or "none"
            Response.objects.update_or_create(
                assessment=assessment,
                criterion_id=criterion.id,
                defaults={
                    "level": level,
                    "evidence_notes": entry["notes"],
                    "links": entry["links"],
                    "owner": entry["owner"][:200],
                    "next_steps": entry["next"],
                    "suggested_level": suggestion.level if suggestion else "",
                    "suggestion_figure": suggestion.figure_text[:300] if suggestion else "",
                    "overruled_reason": entry["reason"]
                    if suggestion and level not in ("none", suggestion.level)
                    else "",
                },
            )
            upload = files.get(_field("file", criterion.id))
            if upload is not None:
                upload.name = get_valid_filename(Path(upload.name).name)[:150] or "evidence"
                EvidenceFile.objects.create(
                    assessment=assessment,
                    criterion_id=criterion.id,
                    file=upload,
                    original_name=upload.name,
                    uploaded_by=user,
                )
                added += 1
        removed = EvidenceFile.objects.filter(
            assessment=assessment,
            pk__in=form.remove_files,
            criterion_id__in=[c.id for c in category.criteria],
        )
        for evidence in removed:
            evidence.file.delete(save=False)
            evidence.delete()
        Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return added


def submit(assessment: Assessment, user: User) -> None:
    """Submit a draft; refused while answers copied from the previous period await review."""
    waiting = unreviewed(assessment)
    if waiting:
        shown = ", ".join(waiting[:5]) + (" …" if len(waiting) > 5 else "")
        raise ValidationError(
            f"{len(waiting)} answer{'' if len(waiting) == 1 else 's'} copied from the previous "
            f"period still need review ({shown}): confirm each on its category page"
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.save()


def reopen(assessment: Assessment) -> None:
    assessment.status = Assessment.Status.DRAFT
    assessment.save()


def latest_submitted(
    organisation: Organisation, standard_id: str | None = None
) -> Assessment | None:
    assessments = Assessment.objects.filter(
        organisation=organisation, status=Assessment.Status.SUBMITTED
    )
    if standard_id:
        assessments = assessments.filter(standard_id=standard_id)
    return assessments.order_by("-submitted_at", "-id").first()


def current_levels(organisation: Organisation) -> list[dict] | None:
    """The latest submitted assessment's category levels (for other apps' reports)."""
    assessment = latest_submitted(organisation)
    if assessment is None:
        return None
    return [
        {
            "category": c.id,
            "title": c.title,
            "points": c.points,
            "max_points": c.max_points,
            "level": c.level,
            "period": assessment.period,
        }
        for c in result_of(assessment).categories
    ]


def history(organisation: Organisation) -> list[tuple[Assessment, lib.ScoreResult]]:
    """Submitted assessments, oldest first, with their scores (for comparison over time)."""
    submitted = Assessment.objects.filter(
        organisation=organisation, status=Assessment.Status.SUBMITTED
    ).order_by("submitted_at", "id")
    return [(a, result_of(a)) for a in submitted]


# --------------------------------------------------------------------------- suggestions


def workforce_figures(organisation: Organisation) -> dict[str, Any]:
    """Figures for the data-suggested criteria from the newest workforce snapshot.

    From the protected tables: the figure is shown to every role that reads the assessment,
    and "unknown ethnicity 1.5% of 200 staff" is a count of 3 (100 − percent known, with the
    total beside it). A figure disclosure control withholds gives no suggestion. No snapshot:
    no suggestions.
    """
    snapshot = workforce.latest_snapshot(organisation)
    if snapshot is None:
        return {}
    tables = workforce.figures_for(organisation, snapshot, published=True)
    population = workforce.population_frame(organisation)
    return figures_from_tables(
        tables,
        population.to_dicts() if population is not None else None,
        as_of=f"{snapshot.snapshot_date:%-d %B %Y}",  # shown beside the figure, as people write it
        min_count=organisation.suppression_threshold,
    )


def lifecycle_tables(organisation: Organisation) -> dict[str, dict[str, list[dict]]]:
    """Each lifecycle family's PROTECTED tables as rows (family -> table -> rows; a family
    without data is left out): the suggestions are shown to every role that reads the
    assessment."""
    from equitable.lifecycle import services as lifecycle

    found = {}
    for family in lifecycle_suggestions.FAMILIES:
        tables = lifecycle.published_family(organisation, family)
        if tables:
            found[family] = {name: frame.to_dicts() for name, frame in tables.items()}
    return found


def lifecycle_levels(organisation: Organisation, period: str = "") -> dict[str, Suggestion]:
    """Suggested levels for 2a.1, 2a.5, 2e.2 and 3.6 from the lifecycle data held, over the
    12 months to the end of the period assessed ("2024 to 2025": 31 March 2025)."""
    window_end = lifecycle_suggestions.assessment_window_end(period, timezone.localdate())
    evidence = lifecycle_suggestions.lifecycle_evidence(lifecycle_tables(organisation), window_end)
    return lifecycle_suggestions.suggest_from_lifecycle(evidence)


def survey_tables(
    organisation: Organisation, window_end: date | None = None
) -> list[survey_evidence.Wave]:
    """The organisation's survey waves with their PROTECTED tables as rows (the figures are
    shown to every role that reads the assessment; `surveys.figures.published_tables` is all
    any role sees of a survey). Given `window_end`, only the waves `survey_evidence` reads
    (the newest annual or race survey and the newest wave with a previous one, up to then) are
    given their tables: the others keep their details only."""
    from equitable.surveys import figures as survey_figures

    surveys = survey_figures.surveys_for(organisation)
    waves = [
        survey_evidence.Wave(
            title=survey.title,
            kind=str(survey.kind),
            fieldwork_month=survey.fieldwork_month,
            previous_title=survey.previous.title if survey.previous else "",
            previous_month=survey.previous.fieldwork_month if survey.previous else None,
        )
        for survey in surveys
    ]
    read = waves if window_end is None else survey_evidence.choose_waves(waves, window_end)
    for i, (survey, wave) in enumerate(zip(surveys, waves, strict=True)):
        if any(wave is w for w in read):
            tables = survey_figures.published_tables(survey)
            waves[i] = replace(
                wave,
                tables={n: tables[n].to_dicts() for n in survey_evidence.TABLES if n in tables},
            )
    return waves


def survey_figures_for(
    organisation: Organisation, period: str = ""
) -> survey_evidence.SurveyEvidence:
    """The survey figures for 2c.5 and 4.2 over the 12 months to the end of the period
    assessed ("2024 to 2025": 31 March 2025): `.tables` beside the criteria, and what
    `survey_levels` suggests from."""
    window_end = lifecycle_suggestions.assessment_window_end(period, timezone.localdate())
    return survey_evidence.survey_evidence(survey_tables(organisation, window_end), window_end)


def survey_levels(
    organisation: Organisation,
    period: str = "",
    evidence: survey_evidence.SurveyEvidence | None = None,
) -> dict[str, Suggestion]:
    """Suggested levels for 2c.5 and 4.2 from the staff survey waves held (or the `evidence`
    already read for the page)."""
    if evidence is None:
        evidence = survey_figures_for(organisation, period)
    return survey_evidence.suggest_from_surveys(evidence)


def suggest_levels(
    organisation: Organisation,
    figures: Mapping[str, Any] | None = None,
    *,
    period: str = "",
    criteria: Collection[str] | None = None,
    surveys: survey_evidence.SurveyEvidence | None = None,
) -> dict[str, Suggestion]:
    """Suggested levels by criterion id: 3.3, 2d.1, 2a.8 from the latest workforce figures
    (or the `figures` given), 2a.1, 2a.5, 2e.2, 3.6 from the lifecycle data, 2c.5 and 4.2
    from the staff surveys (or the `surveys` evidence given). `criteria`, when given, are the
    criteria shown: the lifecycle families and the surveys are read only if one of theirs
    is."""
    suggestions = suggest_from_figures(
        workforce_figures(organisation) if figures is None else figures
    )
    if criteria is None or set(criteria) & set(lifecycle_suggestions.CRITERIA):
        suggestions.update(lifecycle_levels(organisation, period))
    if criteria is None or set(criteria) & set(survey_evidence.CRITERIA):
        suggestions.update(survey_levels(organisation, period, surveys))
    if criteria is None or set(criteria) & PUBLISHED_CRITERIA:
        # What was published says more than what is held: it replaces a lifecycle suggestion
        # for 3.6 only when it is higher.
        for cid, suggestion in published_levels(organisation).items():
            held = suggestions.get(cid)
            if held is None or LEVEL_ORDER.index(suggestion.level) > LEVEL_ORDER.index(held.level):
                suggestions[cid] = suggestion
    return suggestions


PUBLISHED_CRITERIA = frozenset({"3.1", "3.4", "3.6"})
LEVEL_ORDER = ("none", "developing", "established", "leading")


def published_levels(organisation: Organisation) -> dict[str, Suggestion]:
    """3.1, 3.4 and 3.6 from what the organisation published in the last year."""
    from equitable.publications import services as publications
    from equitable.standard.suggestions import suggest_from_publications

    return suggest_from_publications(publications.published_evidence(organisation))


# --------------------------------------------------------------------------- Anti-Racist Statement


def statement_progress(organisation: Organisation) -> list[dict[str, Any]]:
    standard = lib.get_standard()
    saved = {
        p.commitment_id: p for p in CommitmentProgress.objects.filter(organisation=organisation)
    }
    return [
        {**commitment, "progress": saved.get(commitment["id"])}
        for commitment in standard.commitments
    ]


def save_commitment(
    organisation: Organisation, commitment_id: str, status: str, evidence: str
) -> CommitmentProgress:
    known = {c["id"] for c in lib.get_standard().commitments}
    if commitment_id not in known:
        raise ValidationError(f"No commitment {commitment_id!r}")
    if status not in CommitmentProgress.Status.values:
        raise ValidationError(f"Choose a status: {', '.join(CommitmentProgress.Status.labels)}")
    progress, _ = CommitmentProgress.objects.update_or_create(
        organisation=organisation,
        commitment_id=commitment_id,
        defaults={"status": status, "evidence": evidence.strip()},
    )
    return progress


# --------------------------------------------------------------------------- benchmarking


def is_sharing(organisation: Organisation) -> bool:
    return BenchmarkingConsent.objects.filter(organisation=organisation, opted_in=True).exists()


def set_sharing(organisation: Organisation, opted_in: bool, user: User | None) -> None:
    BenchmarkingConsent.objects.update_or_create(
        organisation=organisation, defaults={"opted_in": opted_in, "changed_by": user}
    )


def shared_results(
    standard: lib.Standard | None = None,
) -> list[tuple[Organisation, lib.ScoreResult]]:
    """Latest submitted result of every organisation that opted in, for one Standard version."""
    standard = standard or lib.get_standard()
    results = []
    sharing = Organisation.objects.filter(benchmarking_consent__opted_in=True).order_by("pk")
    for organisation in sharing:
        assessment = (
            Assessment.objects.filter(
                organisation=organisation,
                status=Assessment.Status.SUBMITTED,
                standard_id=standard.id,
                standard_version=standard.version,
            )
            .order_by("-submitted_at", "-id")
            .first()
        )
        if assessment is not None:
            results.append((organisation, result_of(assessment)))
    return results


def _quartiles(values: list[int]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (float(values[0]),) * 3 if values else (0.0, 0.0, 0.0)
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def distribution(standard: lib.Standard | None = None) -> dict[str, Any]:
    """Per category: how many sharing boroughs are at each level, and their points' spread.

    For the London-wide coordinator: counts and quartiles, never a borough's name, and
    nothing at all until MIN_SHARING boroughs share.
    """
    standard = standard or lib.get_standard()
    results = [result for _, result in shared_results(standard)]
    if len(results) < MIN_SHARING:
        return {
            "available": False,
            "boroughs": len(results),
            "minimum": MIN_SHARING,
            "categories": [],
            "standard": standard,
            "reason": (
                f"The spread is shown once at least {MIN_SHARING} boroughs share a submitted "
                f"assessment: with fewer, each figure would be one borough's own result."
            ),
        }
    categories = []
    for category in standard.categories:
        points = sorted(r.category(category.id).points for r in results)
        counts = {level: 0 for level in lib.LEVELS}
        for r in results:
            counts[r.category(category.id).level] += 1
        q1, median, q3 = _quartiles(points)
        categories.append(
            {
                "id": category.id,
                "title": category.title,
                "max_points": category.max_points,
                "counts": counts,
                "lowest": points[0] if points else None,
                "lower_quartile": q1 if points else None,
                "median": median if points else None,
                "upper_quartile": q3 if points else None,
                "highest": points[-1] if points else None,
            }
        )
    return {
        "available": True,
        "boroughs": len(results),
        "minimum": MIN_SHARING,
        "categories": categories,
        "standard": standard,
    }


QUARTER_NAMES = {4: "top quarter", 3: "second quarter", 2: "third quarter", 1: "bottom quarter"}


def quartile_of(points: int, all_points: list[int]) -> int:
    """4 = top quarter … 1 = bottom quarter, by mid-rank percentile among `all_points`.

    Mid-rank: boroughs below count fully, ties (the borough itself included) count half, so
    equal scores land in the same quarter whatever order they come in.
    """
    below = sum(1 for p in all_points if p < points)
    equal = sum(1 for p in all_points if p == points)
    percentile = (below + equal / 2) / len(all_points)
    if percentile >= 0.75:
        return 4
    if percentile >= 0.5:
        return 3
    if percentile >= 0.25:
        return 2
    return 1


def position(organisation: Organisation) -> dict[str, Any]:
    """Where a borough stands per category among sharing boroughs, without naming any other.

    Only for a borough that shares itself, has a submitted assessment, and when at least
    MIN_SHARING boroughs share.
    """
    if not is_sharing(organisation):
        return {"available": False, "reason": "Your organisation does not share its levels."}
    shared = shared_results()
    own = next((result for org, result in shared if org.pk == organisation.pk), None)
    if own is None:
        return {"available": False, "reason": "Submit an assessment to see where you stand."}
    if len(shared) < MIN_SHARING:
        return {
            "available": False,
            "reason": f"Positions are shown once at least {MIN_SHARING} boroughs share their levels.",
        }
    rows = []
    for category in own.categories:
        all_points = [result.category(category.id).points for _, result in shared]
        quartile = quartile_of(category.points, all_points)
        rows.append(
            {
                "id": category.id,
                "title": category.title,
                "points": category.points,
                "level": category.level,
                "median": statistics.median(all_points),
                "quartile": quartile,
                "quarter": QUARTER_NAMES[quartile],
            }
        )
    return {"available": True, "boroughs": len(shared), "categories": rows}


# --------------------------------------------------------------------------- pairing


def request_pairing(organisation: Organisation, partner: Organisation) -> Pairing:
    if partner.pk == organisation.pk:
        raise ValidationError("Choose another borough")
    existing = Pairing.objects.filter(
        Q(organisation=organisation, partner=partner)
        | Q(organisation=partner, partner=organisation),
        status__in=[Pairing.Status.REQUESTED, Pairing.Status.ACTIVE],
    ).first()
    if existing is not None:
        raise ValidationError(
            f"You already have a pairing with {partner.name} ({existing.get_status_display().lower()})"
        )
    return Pairing.objects.create(organisation=organisation, partner=partner)


def answer_pairing(pairing: Pairing, organisation: Organisation, accept: bool) -> None:
    """Only the invited borough answers; accepting makes the pairing active."""
    if pairing.partner_id != organisation.pk or pairing.status != Pairing.Status.REQUESTED:
        raise PermissionDenied
    pairing.status = Pairing.Status.ACTIVE if accept else Pairing.Status.DECLINED
    pairing.answered_at = timezone.now()
    pairing.save()


def end_pairing(pairing: Pairing, organisation: Organisation) -> None:
    if organisation.pk not in (pairing.organisation_id, pairing.partner_id):
        raise PermissionDenied
    pairing.status = Pairing.Status.ENDED
    pairing.save()


def pairings_of(organisation: Organisation):
    return Pairing.objects.filter(
        Q(organisation=organisation) | Q(partner=organisation)
    ).select_related("organisation", "partner")


def active_pairing(organisation: Organisation, pk: object) -> Pairing | None:
    try:
        return pairings_of(organisation).filter(status=Pairing.Status.ACTIVE).get(pk=pk)
    except (Pairing.DoesNotExist, ValueError, TypeError):
        return None


def side_by_side(pairing: Pairing, organisation: Organisation) -> dict[str, Any]:
    """Both boroughs' latest submitted assessments, criterion by criterion (same Standard only)."""
    if pairing.status != Pairing.Status.ACTIVE:
        raise PermissionDenied
    partner = pairing.other(organisation)
    ours, theirs = latest_submitted(organisation), latest_submitted(partner)
    either = ours or theirs
    standard = either.standard if either else lib.get_standard()
    our_levels = levels_of(ours) if ours else {}
    their_levels = levels_of(theirs) if theirs else {}
    comparable = not (ours and theirs) or (ours.standard_version == theirs.standard_version)
    categories = []
    for category in standard.categories:
        categories.append(
            {
                "category": category,
                "ours": lib.score_category(category, our_levels) if ours else None,
                "theirs": lib.score_category(category, their_levels)
                if theirs and comparable
                else None,
                "rows": [
                    {
                        "criterion": criterion,
                        "ours": our_levels.get(criterion.id, "none") if ours else None,
                        "theirs": their_levels.get(criterion.id, "none")
                        if theirs and comparable
                        else None,
                    }
                    for criterion in category.criteria
                ],
            }
        )
    return {
        "partner": partner,
        "ours": ours,
        "theirs": theirs if comparable else None,
        "comparable": comparable,
        "categories": categories,
    }


def statement_adoption(organisation: Organisation) -> StatementAdoption | None:
    return StatementAdoption.objects.filter(organisation=organisation).first()
