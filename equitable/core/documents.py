"""Documents made off the request: PDFs of board reports, Standard self-assessments and EqIAs.

Why: WeasyPrint takes one to several seconds of a core per document. With several web
processes and the job queue (`EQUITABLE_JOBS=queue`), the request that asks for a PDF records
a `DocumentJob` and answers at once with a page that follows its progress; a worker makes the
file and the page offers it for download. In the embedded default (thread mode) the document
is made in the request, as it always was, and the file is the answer: one `equitable serve`
needs no second process, and a single person waiting for their own PDF gains nothing from a
page in between.

Each app registers the documents it makes (`register`, from its AppConfig.ready) with a
function from the job to (bytes, filename); the function reads `job.requested_by` so the
document shows what that person may see, exactly as the page did. Making is safe to run
again (a worker killed mid-job is retried): it only ever writes the job's own row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from equitable.core import jobs
from equitable.core.access import organisation_for
from equitable.core.models import DocumentJob, User

logger = logging.getLogger(__name__)

Maker = Callable[[DocumentJob], tuple[bytes, str]]
MAKERS: dict[str, Maker] = {}
ROLES: dict[str, frozenset[str]] = {}
KEPT_FOR = timedelta(hours=1)
CONTENT_TYPE = "application/pdf"


def register(kind: str, maker: Maker, *, roles: frozenset[str]) -> None:
    """Add a document: its maker and the roles that may have it (checked again when it is
    made, since a worker may make it minutes later)."""
    MAKERS[kind] = maker
    ROLES[kind] = frozenset(roles)


def _still_allowed(job: DocumentJob) -> bool:
    user = job.requested_by
    return (
        user.is_active
        and user.organisation_id == job.organisation_id
        and user.role in ROLES[job.kind]
    )


def request(user: User, kind: str, title: str, **arguments) -> DocumentJob:
    """Record what `user` asked for and have it made: now (thread mode) or by a worker."""
    if kind not in MAKERS:
        raise ValueError(f"no document called {kind!r}")
    forget_old()
    job = DocumentJob.objects.create(
        organisation=organisation_for(user),
        requested_by=user,
        kind=kind,
        arguments=arguments,
        title=title[:200],
    )
    jobs.submit("document.make", job.pk, background=jobs.uses_queue())
    job.refresh_from_db()
    return job


def make(job_pk: int) -> None:
    """What the worker runs (the task "document.make")."""
    job = DocumentJob.objects.filter(pk=job_pk).select_related("requested_by").first()
    if job is None or job.finished:  # deleted, or made by an earlier try
        return
    if not _still_allowed(job):
        job.make_failed("You no longer have access to this document.")
        return
    job.start_making()
    try:
        content, filename = MAKERS[job.kind](job)
    except Exception:
        job.make_failed("The document could not be made. Try again; if it fails again, tell us.")
        raise  # logged by the worker with its traceback; a retry finds the job finished
    job.make_ready(content, filename)


def abandoned(job_pk: int) -> None:
    """The task's workers kept dying: say so on the job."""
    job = DocumentJob.objects.filter(pk=job_pk).first()
    if job is not None and not job.finished:
        job.make_failed("The worker stopped while the document was being made. Try again.")


def forget_old() -> None:
    """Finished documents older than KEPT_FOR, and their files, are deleted."""
    DocumentJob.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()


def job_for(user: User, pk: int) -> DocumentJob | None:
    """The job, only for the person who asked for it (None for anyone else)."""
    return DocumentJob.objects.filter(pk=pk, requested_by=user).first()


def file_response(job: DocumentJob) -> HttpResponse:
    response = HttpResponse(bytes(job.content or b""), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def respond(job: DocumentJob) -> HttpResponse:
    """The file when it is made; otherwise the page that follows its progress."""
    if job.status == DocumentJob.Status.READY:
        return file_response(job)
    return HttpResponseRedirect(reverse("core:document", args=[job.pk]))
