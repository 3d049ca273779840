"""The organisation's publications pages: the list, a new draft, editing, the preview exactly
as it will be published, approval by a second person, publishing, withdrawal and corrections.

Every view reaches publications through `get_for_user` (another organisation's is a 404);
moves are the model's methods, called and audited by `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, role_required
from equitable.publications import comparison, services
from equitable.publications.forms import DraftForm, NewPublicationForm, WithdrawForm
from equitable.publications.models import PUBLISHER_ROLES, IllegalTransition, Publication
from equitable.workforce.models import Snapshot


def _publication(request, pk) -> Publication:
    return get_for_user(
        Publication.objects.select_related(
            "organisation", "created_by", "approved_by", "published_by", "snapshot"
        ).defer("pdf"),
        request.user,
        pk,
    )


def _new_form(request, organisation):
    snapshots = Snapshot.objects.filter(organisation=organisation).order_by("-snapshot_date")
    return NewPublicationForm(
        request.POST if request.method == "POST" else None, snapshots=snapshots
    )


@role_required(PUBLISHER_ROLES)
def index(request):
    organisation = organisation_for(request.user)
    items = list(services.publications_of(organisation).select_related("created_by"))
    return render(
        request,
        "publications/index.html",
        {
            "items": items,
            "form": _new_form(request, organisation),
            "published_recently": services.published_in_last_year(organisation),
        },
    )


@role_required(PUBLISHER_ROLES)
@require_POST
def create(request):
    organisation = organisation_for(request.user)
    form = _new_form(request, organisation)
    if form.is_valid():
        try:
            publication = services.create_draft(
                request.user,
                organisation,
                form.cleaned_data["kind"],
                form.cleaned_data["snapshot"],
            )
        except IllegalTransition as error:
            form.add_error("kind", str(error))
        else:
            return redirect("publications:edit", publication.pk)
    items = list(services.publications_of(organisation))
    return render(
        request,
        "publications/index.html",
        {"items": items, "form": form, "error_form": form, "published_recently": False},
        status=400,
    )


@role_required(PUBLISHER_ROLES)
def detail(request, pk):
    publication = _publication(request, pk)
    return render(
        request,
        "publications/detail.html",
        {
            "publication": publication,
            "own": publication.created_by_id == request.user.pk,
            "files": list(publication.files.defer("content")),
            "linked": list(publication.linked_actions.all()),
        },
    )


@role_required(PUBLISHER_ROLES)
def edit(request, pk):
    publication = _publication(request, pk)
    if not publication.is_editable:
        messages.info(request, "Only a draft can be edited.")
        return redirect("publications:detail", pk)
    actions = services.organisation_actions(publication.organisation)
    form = DraftForm(
        request.POST if request.method == "POST" else None, instance=publication, actions=actions
    )
    if request.method == "POST" and form.is_valid():
        services.save_draft(
            request.user,
            publication,
            title=form.cleaned_data["title"],
            narrative=form.cleaned_data["narrative"],
            correction_note=form.cleaned_data.get("correction_note", ""),
            linked_actions=list(form.cleaned_data["linked_actions"]),
        )
        messages.success(request, "Draft saved.")
        return redirect("publications:detail", pk)
    return render(
        request,
        "publications/edit.html",
        {"publication": publication, "form": form, "error_form": form},
    )


@role_required(PUBLISHER_ROLES)
def preview(request, pk):
    publication = _publication(request, pk)
    if publication.is_public:
        return redirect("published:publication", publication.organisation.slug, pk)
    try:
        context = services.preview_context(publication)
    except IllegalTransition as error:  # its snapshot was deleted
        messages.error(request, str(error))
        return redirect("publications:detail", pk)
    return render(request, "publications/preview.html", {"publication": publication, **context})


@role_required(PUBLISHER_ROLES)
def approve(request, pk):
    publication = _publication(request, pk)
    own = publication.created_by_id == request.user.pk
    problem = None
    if request.method == "POST":
        try:
            services.approve(request.user, publication)
        except IllegalTransition as error:
            problem = str(error)
        else:
            messages.success(request, "Approved. It can now be published.")
            return redirect("publications:detail", pk)
    return render(
        request,
        "publications/approve.html",
        {"publication": publication, "own": own, "problem": problem},
        status=400 if problem else 200,
    )


@role_required(PUBLISHER_ROLES)
@require_POST
def return_to_draft(request, pk):
    publication = _publication(request, pk)
    try:
        services.return_to_draft(request.user, publication)
    except IllegalTransition as error:
        messages.error(request, str(error))
    return redirect("publications:detail", pk)


@role_required(PUBLISHER_ROLES)
@require_POST
def publish(request, pk):
    publication = _publication(request, pk)
    try:
        queued = services.request_publication(request.user, publication)
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Being published: the page, the PDF and the files are being made."
            if queued
            else "Published. It is on the public site.",
        )
    return redirect("publications:detail", pk)


@role_required(PUBLISHER_ROLES)
def withdraw(request, pk):
    publication = _publication(request, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(request.user, publication, form.cleaned_data["reason"])
        except IllegalTransition as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "Withdrawn. The public site lists it as withdrawn.")
            return redirect("publications:detail", pk)
    return render(
        request,
        "publications/withdraw.html",
        {"publication": publication, "form": form, "error_form": form},
    )


@role_required(PUBLISHER_ROLES)
@require_POST
def correct(request, pk):
    publication = _publication(request, pk)
    try:
        draft = services.start_correction(request.user, publication)
    except IllegalTransition as error:
        messages.error(request, str(error))
        return redirect("publications:detail", pk)
    return redirect("publications:edit", draft.pk)


@role_required(frozenset({R.Role.COORDINATOR}) | PUBLISHER_ROLES)
def compare(request):
    """The London-wide comparison of published figures (with the shared Standard levels for
    the coordinator)."""
    return render(
        request,
        "publications/compare.html",
        {
            "comparison": comparison.comparison(viewer=request.user),
            "columns": comparison.COLUMNS,
            "coordinator": request.user.organisation_id is None,
        },
    )
