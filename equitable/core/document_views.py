"""The page that follows a document being made on the job queue, and its download
(`core.documents`). Only the person who asked sees either; anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from equitable.core import documents
from equitable.core import roles as R
from equitable.core.access import role_required


@role_required(R.ALL_ORG_ROLES)
def document(request, pk: int):
    job = documents.job_for(request.user, pk)
    if job is None:
        raise Http404
    back = job.arguments.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "core/document.html", {"job": job, "back": back})


@role_required(R.ALL_ORG_ROLES)
def document_download(request, pk: int):
    job = documents.job_for(request.user, pk)
    if job is None or job.status != job.Status.READY:
        raise Http404
    return documents.file_response(job)
