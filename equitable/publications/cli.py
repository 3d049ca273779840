"""`equitable publish` and `equitable published`.

`publish` makes a draft (or takes the open draft of that kind and snapshot), and with
`--approve-as` a second person approves it and it is published: the page, the PDF and the
files are made through core.jobs (on the job queue when EQUITABLE_JOBS=queue, and the command
waits for the worker; otherwise in this process) and written to `--out`.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from equitable.core.commands import organisation_from

WAIT_SECONDS = 900


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    publish = subparsers.add_parser(
        "publish", help="draft, approve and publish a report or open-data release"
    )
    add_data_dir(publish)
    publish.add_argument("--organisation", required=True, help="organisation slug")
    publish.add_argument("--kind", required=True, choices=["annual-report", "pay-gap", "open-data"])
    publish.add_argument("--snapshot-date", required=True, type=date.fromisoformat)
    publish.add_argument(
        "--author",
        help="username of the EDI officer or admin writing the draft (default: the "
        "first EDI officer who is not the approver)",
    )
    publish.add_argument("--narrative", default="", help="the narrative, for a new draft")
    publish.add_argument(
        "--approve-as", help="username of a second EDI officer or admin: approve and publish"
    )
    publish.add_argument("--out", type=Path, help="folder to write the HTML, PDF and CSV files to")
    publish.set_defaults(func=run_publish)

    published = subparsers.add_parser("published", help="list what an organisation has published")
    add_data_dir(published)
    published.add_argument("--organisation", required=True, help="organisation slug")
    published.set_defaults(func=run_published)


def run_publish(args) -> int:
    organisation = organisation_from(args)
    if organisation is None:
        return 2
    from equitable.core.models import User
    from equitable.publications import services
    from equitable.publications.models import PUBLISHER_ROLES, IllegalTransition, Publication
    from equitable.workforce.models import Snapshot

    snapshot = Snapshot.objects.filter(
        organisation=organisation, snapshot_date=args.snapshot_date
    ).first()
    if snapshot is None:
        print(f"{organisation.name} has no snapshot of {args.snapshot_date}", file=sys.stderr)
        return 2
    people = User.objects.filter(
        organisation=organisation, is_active=True, role__in=PUBLISHER_ROLES
    )
    approver = None
    if args.approve_as:
        approver = people.filter(username=args.approve_as).first()
        if approver is None:
            print(
                f"{args.approve_as!r} is not an EDI officer or admin of {organisation.name}",
                file=sys.stderr,
            )
            return 2
    if args.author:
        author = people.filter(username=args.author).first()
    else:
        others = people.exclude(pk=approver.pk) if approver else people
        author = others.order_by("role", "pk").first()
    if author is None:
        print("No EDI officer or admin to write the draft (give --author)", file=sys.stderr)
        return 2
    publication = (
        Publication.objects.filter(
            organisation=organisation,
            kind=args.kind,
            snapshot_date=args.snapshot_date,
            status__in=(Publication.Status.DRAFT, Publication.Status.APPROVED),
        )
        .order_by("-version")
        .first()
    )
    try:
        if publication is None:
            publication = services.create_draft(
                author, organisation, args.kind, snapshot, narrative=args.narrative
            )
            print(f"Drafted {publication.title} (version {publication.version})")
        if approver is not None:
            if publication.status == Publication.Status.DRAFT:
                services.approve(approver, publication)
                print(f"Approved by {approver.username}")
            if services.request_publication(approver, publication):
                print("Left to the job queue; waiting for a worker", file=sys.stderr)
            publication = _wait_published(publication.pk)
            print(f"Published {publication.title} (version {publication.version})")
    except IllegalTransition as error:
        print(f"Not done: {error}", file=sys.stderr)
        return 2
    if args.out is not None:
        _write(publication, args.out)
    return 0


def _wait_published(pk: int):
    from equitable.publications.models import Publication

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        publication = Publication.objects.get(pk=pk)
        if publication.status == Publication.Status.PUBLISHED or time.monotonic() > deadline:
            return publication
        time.sleep(1)


def _write(publication, out: Path) -> None:
    """The published page as a standalone HTML file, the PDF and every download; a draft
    writes its preview page only."""
    from django.template.loader import render_to_string

    from equitable.publications import services

    out.mkdir(parents=True, exist_ok=True)
    stem = services.file_stem(publication)
    if publication.status == publication.Status.PUBLISHED:
        body = publication.body_html
        suffix = ""
    else:
        body = render_to_string("publications/_body.html", services.preview_context(publication))
        suffix = "-preview"
    html = render_to_string(
        "publications/standalone.html", {"publication": publication, "body": body}
    )
    written = [out / f"{stem}{suffix}.html"]
    written[0].write_text(html, encoding="utf-8")
    if publication.status == publication.Status.PUBLISHED:
        if publication.pdf:
            path = out / f"{stem}.pdf"
            path.write_bytes(bytes(publication.pdf))
            written.append(path)
        for stored in publication.files.all():
            path = out / stored.name
            path.write_bytes(bytes(stored.content))
            written.append(path)
    for path in written:
        print(f"Wrote {path}")


def run_published(args) -> int:
    organisation = organisation_from(args)
    if organisation is None:
        return 2
    from equitable.publications import services

    items = list(
        services.public_publications(organisation).order_by("-snapshot_date", "kind", "-version")
    )
    if not items:
        print(f"{organisation.name} has published nothing")
        return 0
    for item in items:
        when = f"{item.published_at:%Y-%m-%d}" if item.published_at else ""
        print(
            f"{item.snapshot_date.isoformat()}  {item.kind:<13}  v{item.version}  "
            f"{item.get_status_display():<9}  {when}  {item.title}"
        )
    return 0
