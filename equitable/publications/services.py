"""Publications: drafts, approval by a second person, publication (figures, page, PDF and
files stored once), corrections and withdrawal; every step audited here.

The figures of a publication are its snapshot's exact tables put through the release step
(`metrics.publication.release.release_tables`) with the snapshot's one release key, and with
every count withheld by anything the organisation has already published (or approved) for the
same snapshot withheld again (`metrics.publication.known.withheld_populations`), so that a
correction or a second kind of publication can never show a cell an earlier one withheld. The
draft's preview runs the same step live; approval stores what it gives; publication renders
the stored figures once and keeps the page, the PDF and the downloads.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from equitable.actions.models import Action
from equitable.core import audit, jobs
from equitable.core.charts import bar_chart
from equitable.core.models import AuditEvent, Organisation, User
from equitable.metrics.publication.known import all_withheld, withheld_populations
from equitable.metrics.publication.release import Release, release_tables
from equitable.publications import contents, downloads
from equitable.publications.keys import release_key
from equitable.publications.models import (
    PUBLISHER_ROLES,
    IllegalTransition,
    Kind,
    Publication,
    PublishedFile,
)
from equitable.workforce import catalogue
from equitable.workforce import services as workforce
from equitable.workforce.models import Snapshot

# Publications whose figures count as already known when the next one of the snapshot is
# approved: anything approved may be published at any moment, and a withdrawn one was public.
KNOWN_STATUSES = (
    Publication.Status.APPROVED,
    Publication.Status.PUBLISHED,
    Publication.Status.WITHDRAWN,
)


def require_publisher(user: User) -> None:
    if user.role not in PUBLISHER_ROLES:
        raise PermissionDenied


def today() -> date:
    return timezone.localdate()


# --- reading --------------------------------------------------------------------------------


def publications_of(organisation: Organisation) -> QuerySet[Publication]:
    return Publication.objects.filter(organisation=organisation).defer("pdf", "body_html")


def public_publications(organisation: Organisation) -> QuerySet[Publication]:
    """What the public site lists: published and withdrawn versions only."""
    return publications_of(organisation).filter(status__in=Publication.PUBLIC)


def public_organisations() -> list[Organisation]:
    """Every organisation with something on the public site."""
    ids = Publication.objects.filter(status__in=Publication.PUBLIC).values("organisation")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def current_version(publication: Publication) -> Publication | None:
    """The newest published version of the same kind and snapshot (None when every version
    is withdrawn)."""
    return (
        Publication.objects.filter(
            organisation=publication.organisation_id,
            kind=publication.kind,
            snapshot_date=publication.snapshot_date,
            status=Publication.Status.PUBLISHED,
        )
        .defer("pdf", "body_html")
        .order_by("-version")
        .first()
    )


def published_in_last_year(organisation: Organisation, on: date | None = None) -> bool:
    """Whether anything was published in the 12 months to `on` (the Standard's 3.1, 3.4, 3.6)."""
    on = on or today()
    since = timezone.make_aware(datetime(on.year - 1, on.month, min(on.day, 28)))
    return Publication.objects.filter(
        organisation=organisation, status=Publication.Status.PUBLISHED, published_at__gte=since
    ).exists()


def tables_of(publication: Publication) -> dict[str, pl.DataFrame]:
    return workforce.decode_tables(publication.tables) if publication.tables else {}


# --- the figures ----------------------------------------------------------------------------


def exact_tables(publication: Publication) -> dict[str, pl.DataFrame]:
    """The exact tables of every kind of publication of the snapshot (the open data's set).

    Released together, whichever kind is being published: every publication of a snapshot then
    reads subsets of one protection, so the report, the pay gap report and the open data
    withhold the same cells. Released one kind at a time, each chose its own complements and
    the next had to withhold the union (measured on the demo's 2025 open data after its two
    reports: 325 withheld counts instead of 184)."""
    if publication.snapshot is None:
        raise IllegalTransition("The snapshot this publication is made from has been deleted")
    everything = workforce.exact_tables(publication.snapshot)
    wanted = [name for name in contents.tables_of(Kind.OPEN_DATA) if name in everything]
    return {name: everything[name] for name in wanted}


def known_before(publication: Publication) -> list[dict]:
    """Populations withheld by what the organisation already published for this snapshot."""
    earlier = Publication.objects.filter(
        organisation=publication.organisation_id,
        snapshot_date=publication.snapshot_date,
        status__in=KNOWN_STATUSES,
    ).exclude(pk=publication.pk)
    return withheld_populations(workforce.decode_tables(p.tables) for p in earlier if p.tables)


def release(publication: Publication) -> Release:
    """The snapshot's tables released together, narrowed to what this kind shows.

    Released with the same key, threshold and data as the earlier publications of the
    snapshot, the release withholds what they withheld already, and is used as it is.
    Forcing their withheld cells anyway would protect each complement as a small count and
    cascade (measured on the demo's 2025 open data: 324 withheld counts instead of 184); so
    `withhold=` is passed only when the plain release would show something they withheld."""
    organisation = publication.organisation
    key = release_key(organisation, publication.snapshot_date)
    threshold = organisation.suppression_threshold
    round_to = 5 if organisation.round_counts_to_5 else None
    tables = exact_tables(publication)
    known = known_before(publication)
    released = release_tables(tables, key=key, threshold=threshold, round_to=round_to)
    if known and not all_withheld(known, withheld_populations([released.tables])):
        # Something changed since (the threshold, the snapshot): withhold what was withheld
        # before, and protect it as small counts are protected.
        released = release_tables(
            tables, key=key, threshold=threshold, round_to=round_to, withhold=known
        )
    shown = [name for name in contents.tables_of(publication.kind) if name in released.tables]
    return Release(
        tables={name: released.tables[name] for name in shown},
        accuracy={name: released.accuracy.get(name, "") for name in shown},
        method=released.method,
    )


# --- drafts ---------------------------------------------------------------------------------


def create_draft(
    user: User,
    organisation: Organisation,
    kind: str,
    snapshot: Snapshot,
    *,
    narrative: str = "",
    title: str = "",
    correction_of: Publication | None = None,
) -> Publication:
    """A new draft: version 1, or the next version of a published one (a correction)."""
    require_publisher(user)
    kind = Kind(kind)
    if snapshot.organisation_id != organisation.pk:
        raise PermissionDenied
    same = Publication.objects.filter(
        organisation=organisation, kind=kind, snapshot_date=snapshot.snapshot_date
    )
    if same.filter(status__in=(Publication.Status.DRAFT, Publication.Status.APPROVED)).exists():
        raise IllegalTransition(
            "There is already a draft of this publication for this snapshot: finish that one"
        )
    version = (same.aggregate(Max("version"))["version__max"] or 0) + 1
    if version > 1 and correction_of is None:
        raise IllegalTransition("This is already published: publish a correction instead")
    with transaction.atomic():
        publication = Publication.objects.create(
            organisation=organisation,
            kind=kind,
            snapshot=snapshot,
            snapshot_date=snapshot.snapshot_date,
            version=version,
            title=title
            or contents.default_title(kind, organisation.name, snapshot.snapshot_date.year),
            narrative=narrative or (correction_of.narrative if correction_of else ""),
            created_by=user,
        )
        if correction_of is not None:
            publication.linked_actions.set(correction_of.linked_actions.all())
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "publication",
        publication.pk,
        f"draft {kind.label}, snapshot {snapshot.snapshot_date.isoformat()}, version {version}",
    )
    return publication


def start_correction(user: User, publication: Publication) -> Publication:
    if publication.status != Publication.Status.PUBLISHED:
        raise IllegalTransition("Only a published publication can be corrected")
    snapshot = publication.snapshot
    if snapshot is None:
        raise IllegalTransition("The snapshot this publication is made from has been deleted")
    return create_draft(
        user, publication.organisation, publication.kind, snapshot, correction_of=publication
    )


def save_draft(
    user: User,
    publication: Publication,
    *,
    title: str,
    narrative: str,
    correction_note: str,
    linked_actions: list[Action],
) -> None:
    require_publisher(user)
    if not publication.is_editable:
        raise IllegalTransition("Only a draft can be edited")
    publication.title = title
    publication.narrative = narrative
    publication.correction_note = correction_note
    with transaction.atomic():
        publication.save()
        publication.linked_actions.set(linked_actions)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "publication",
        publication.pk,
        f"draft edited ({len(narrative)} characters of narrative, {len(linked_actions)} actions)",
    )


def organisation_actions(organisation: Organisation) -> QuerySet[Action]:
    return Action.objects.filter(objective__theme__plan__organisation=organisation).order_by(
        "ref", "id"
    )


# --- approval, publication, withdrawal ------------------------------------------------------


def supplements(publication: Publication) -> dict[str, Any]:
    """The annual report's figures from the lifecycle and survey apps, as those apps protect
    them for everyone (`lifecycle.services.published_family`, `surveys.summary.board_panel`):
    the lifecycle rows of the year ending at the snapshot and the newest survey closed by it."""
    if publication.kind != Kind.ANNUAL_REPORT:
        return {}
    from equitable.lifecycle import services as lifecycle
    from equitable.surveys import summary as survey_summary

    organisation = publication.organisation
    period = contents.lifecycle_period(publication.snapshot_date.year)
    found: dict[str, pl.DataFrame] = {}
    families: dict[str, dict[str, pl.DataFrame]] = {}
    for item in contents.LIFECYCLE:
        if item.family not in families:
            families[item.family] = lifecycle.published_family(organisation, item.family)
        frame = families[item.family].get(item.table)
        if frame is None or "period" not in frame.columns:
            continue
        rows = frame.filter(
            (pl.col("period") == period)
            & (pl.col("reference_group") == "White")
            & pl.col("ethnic_group").is_in(list(contents.LIFECYCLE_GROUPS))
        )
        for column, value in item.rows:
            if column in rows.columns:
                rows = rows.filter(pl.col(column) == value)
        if rows.height:
            shown = [c for c in contents.LIFECYCLE_COLUMNS if c in rows.columns]
            found[item.table] = rows.select(*shown, "suppressed")
    out: dict[str, Any] = {}
    if found:
        out["lifecycle"] = workforce.encode_tables(found)
        out["lifecycle_period"] = period
    panel = survey_summary.board_panel(organisation, on=publication.snapshot_date)
    if panel is not None:
        out["survey"] = panel
    return out


def approve(user: User, publication: Publication, *, at=None) -> None:
    """Approved by a second person, with the figures released now (treating everything
    already published for the snapshot as known) and stored: publication shows these."""
    released = release(publication)
    extra = supplements(publication)
    with transaction.atomic():
        publication.approve(user, at=at)
        publication.tables = workforce.encode_tables(released.tables)
        publication.accuracy = dict(released.accuracy)
        publication.method = released.method
        publication.supplements = extra
        publication.save()
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "publication",
        publication.pk,
        f"approved version {publication.version} ({len(released.tables)} tables released)",
    )


def return_to_draft(user: User, publication: Publication) -> None:
    require_publisher(user)
    publication.return_to_draft()
    publication.save()
    audit.record(user, AuditEvent.Action.CHANGE, "publication", publication.pk, "returned to draft")


def request_publication(user: User, publication: Publication) -> bool:
    """Publish: the page, the PDF and the files are made by `make_publication`, on the job
    queue when there is one (`EQUITABLE_JOBS=queue`), otherwise now. True when left to a
    worker."""
    require_publisher(user)
    if publication.status != Publication.Status.APPROVED:
        raise IllegalTransition("Only an approved publication can be published")
    return jobs.submit(
        "publications.publish", publication.pk, user.pk, background=jobs.uses_queue()
    )


def make_publication(publication_pk: int, user_pk: int, *, at=None) -> None:
    """Render the approved figures once and keep what was rendered (the task
    "publications.publish"); safe to run again: a published publication is left alone."""
    publication = Publication.objects.select_related("organisation").get(pk=publication_pk)
    if publication.status != Publication.Status.APPROVED:
        return
    user = User.objects.get(pk=user_pk)
    at = at or timezone.now()
    tables = tables_of(publication)
    context = page_context(publication, tables, published_at=at)
    body = render_to_string("publications/_body.html", context)
    pdf = render_pdf(context) if publication.kind != Kind.OPEN_DATA else None
    files = downloads.files_for(
        tables, metadata=metadata(publication, at), stem=file_stem(publication)
    )
    with transaction.atomic():
        publication.publish(user, body_html=body, pdf=pdf, at=at)
        publication.save()
        PublishedFile.objects.bulk_create(
            PublishedFile(
                publication=publication,
                name=file.name,
                content_type=file.content_type,
                content=file.content,
                position=position,
            )
            for position, file in enumerate(files)
        )
    audit.record(
        user,
        AuditEvent.Action.EXPORT,
        "publication",
        publication.pk,
        f"published version {publication.version} ({len(files)} files{', PDF' if pdf else ''})",
    )


def publication_abandoned(*_arguments: object, **_task_arguments: object) -> None:
    """The worker kept dying: the publication stays approved, and can be published again."""
    return None


def withdraw(user: User, publication: Publication, reason: str) -> None:
    require_publisher(user)
    publication.withdraw(reason)
    publication.save()
    audit.record(
        user, AuditEvent.Action.CHANGE, "publication", publication.pk, "withdrawn from the site"
    )


# --- rendering ------------------------------------------------------------------------------


def file_stem(publication: Publication) -> str:
    return (
        f"{publication.organisation.slug}-{publication.kind}-"
        f"{publication.snapshot_date.isoformat()}-v{publication.version}"
    )


def metadata(publication: Publication, published_at) -> dict[str, Any]:
    return {
        "organisation": publication.organisation.name,
        "organisation_slug": publication.organisation.slug,
        "kind": publication.kind,
        "title": publication.title,
        "snapshot_date": publication.snapshot_date.isoformat(),
        "version": publication.version,
        "published_at": published_at.isoformat() if published_at else None,
        "correction_note": publication.correction_note,
        "method": publication.method,
    }


def _chart(name: str, frame: pl.DataFrame, snapshot_date: date) -> Markup | None:
    figure = catalogue.BY_NAME.get(name)
    if figure is None:
        return None
    spec = catalogue.chart_spec(figure, frame)
    if not spec["rows"]:
        return None
    return bar_chart(
        catalogue.display_rows(spec["rows"]),
        x=spec["x"],
        y=spec["y"],
        colour=spec["colour"],
        stacked=figure.stacked,
        title=figure.title,
        x_title=catalogue.column_label(figure.x),
        y_title=figure.y_title,
        colour_title=spec["colour_title"],
        description=f"{figure.title}, {snapshot_date:%-d %B %Y}. The figures are in the table.",
    )


def sections(publication: Publication, tables: dict[str, pl.DataFrame], accuracy: dict) -> list:
    """The sections of the page: each figure with its chart, table and accuracy sentence."""
    charts = publication.kind != Kind.OPEN_DATA
    out = []
    for section in contents.SECTIONS[publication.kind]:
        figures = []
        for name in section.tables:
            frame = tables.get(name)
            if frame is None:
                continue
            figure = catalogue.BY_NAME.get(name)
            chart = _chart(name, frame, publication.snapshot_date) if charts else None
            figures.append(
                {
                    "name": name,
                    "title": figure.title if figure else catalogue.humanise(name),
                    "summary": figure.summary if figure else "",
                    "chart": chart,
                    "chart_uri": _data_uri(chart) if chart is not None else None,
                    "columns": catalogue.table_columns(frame),
                    "rows": catalogue.display_rows(frame.to_dicts()),
                    "accuracy": accuracy.get(name, ""),
                }
            )
        if figures:
            out.append({"title": section.title, "summary": section.summary, "figures": figures})
    return out


def _data_uri(svg: Markup) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()


def action_progress(publication: Publication) -> dict[str, Any]:
    """The action plan's progress by status and the actions the narrative links to."""
    actions = organisation_actions(publication.organisation)
    counts = {label: 0 for _, label in Action.Status.choices}
    for status in actions.values_list("status", flat=True):
        counts[Action.Status(status).label] += 1
    linked = [
        {
            "ref": a.ref,
            "text": a.text,
            "status": a.get_status_display(),
            "due": a.due,
        }
        for a in publication.linked_actions.order_by("ref", "id")
    ]
    return {
        "counts": [(k, v) for k, v in counts.items()],
        "total": sum(counts.values()),
        "linked": linked,
    }


def lifecycle_figures(extra: dict[str, Any]) -> list[dict[str, Any]]:
    from equitable.lifecycle import catalogue as lifecycle_catalogue

    tables = workforce.decode_tables(extra.get("lifecycle") or {})
    figures = []
    for item in contents.LIFECYCLE:
        frame = tables.get(item.table)
        if frame is None:
            continue
        figures.append(
            {
                "name": item.table,
                "title": item.title,
                "summary": item.summary,
                "columns": [
                    (
                        c,
                        lifecycle_catalogue.column_label(c),
                        lifecycle_catalogue.column_kind(c, frame),
                    )
                    for c in frame.columns
                    if c != "suppressed"
                ],
                "rows": frame.to_dicts(),
            }
        )
    return figures


def page_context(
    publication: Publication,
    tables: dict[str, pl.DataFrame],
    *,
    accuracy: dict | None = None,
    method: str | None = None,
    published_at=None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    extra = publication.supplements if extra is None else extra
    return {
        "lifecycle": lifecycle_figures(extra),
        "lifecycle_period": extra.get("lifecycle_period", ""),
        "survey": extra.get("survey"),
        "publication": publication,
        "organisation": publication.organisation,
        "kind_label": Kind(publication.kind).label,
        "sections": sections(
            publication, tables, publication.accuracy if accuracy is None else accuracy
        ),
        "method": publication.method if method is None else method,
        "progress": action_progress(publication),
        "published_at": published_at,
        "threshold": publication.organisation.suppression_threshold,
        "licence": downloads.LICENCE,
        "for_pdf": False,
    }


def preview_context(publication: Publication) -> dict[str, Any]:
    """The page as it will be published: a draft's figures released now, an approved one's
    as stored."""
    if publication.status == Publication.Status.DRAFT:
        released = release(publication)
        return page_context(
            publication,
            released.tables,
            accuracy=released.accuracy,
            method=released.method,
            extra=supplements(publication),
        )
    return page_context(publication, tables_of(publication))


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("publications/report_pdf.html", {**context, "for_pdf": True})
    return HTML(string=html).write_pdf(pdf_tags=True)


def published_evidence(organisation: Organisation, on: date | None = None):
    """What the Standard's 3.1, 3.4 and 3.6 read: the newest annual and pay gap reports
    published in the 12 months to `on`, and how many other councils' figures they sit beside."""
    from equitable.standard.suggestions import PublishedEvidence

    on = on or today()
    since = timezone.make_aware(datetime(on.year - 1, on.month, min(on.day, 28)))
    recent = (
        Publication.objects.filter(
            organisation=organisation,
            status=Publication.Status.PUBLISHED,
            published_at__gte=since,
        )
        .defer("pdf", "body_html")
        .order_by("-published_at")
    )
    annual = recent.filter(kind=Kind.ANNUAL_REPORT).first()
    pay_gap = recent.filter(kind=Kind.PAY_GAP).first()
    others = (
        Publication.objects.filter(kind=Kind.ANNUAL_REPORT, status=Publication.Status.PUBLISHED)
        .exclude(organisation=organisation)
        .values("organisation")
        .distinct()
        .count()
    )

    def day(publication: Publication | None) -> str | None:
        return (
            f"{timezone.localtime(publication.published_at):%-d %B %Y}"
            if publication and publication.published_at
            else None
        )

    return PublishedEvidence(
        annual_report_on=day(annual),
        pay_gap_report_on=day(pay_gap),
        annual_report_links_actions=bool(annual and annual.linked_actions.exists()),
        pay_gap_report_links_actions=bool(pay_gap and pay_gap.linked_actions.exists()),
        annual_report_has_lifecycle=bool(annual and annual.supplements.get("lifecycle")),
        councils_compared=others if annual else 0,
    )
