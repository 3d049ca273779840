"""Organisation admin pages: users, the audit log and its download, the logo; the reset page.

Views stay thin: the rules and the audit entries are in core/admin_services.py, the sentences
of the log in core/audit_log.py, the cleaning of logos in core/logos.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from equitable.core import admin_services, audit, audit_log, data_inventory
from equitable.core import roles as R
from equitable.core.access import get_for_user, organisation_for, public_view, role_required
from equitable.core.admin_forms import AuditFilterForm, EditUserForm, LogoForm
from equitable.core.logos import LOGO_MAX_BYTES
from equitable.core.models import AuditEvent, Organisation, OrganisationLogo, User
from equitable.files import tabular
from equitable.files.limits import UnsafeFile

AUDIT_PAGE_SIZE = 50


@role_required(R.ADMIN_ROLES)
def users(request):
    organisation = organisation_for(request.user)
    people = (
        User.objects.filter(organisation=organisation)
        .prefetch_related("directorates")
        .order_by("-is_active", "username")
    )
    return render(
        request, "core/admin/users.html", {"organisation": organisation, "people": people}
    )


@role_required(R.ADMIN_ROLES)
def user_detail(request, pk: int):
    """Edit one user's e-mail, role and directorates; deactivate, reactivate, send a reset."""
    person = get_for_user(User, request.user, pk)
    form = EditUserForm.for_user(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = admin_services.update_user(
                request.user,
                person,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                directorates=form.cleaned_data["directorates"],
            )
        except admin_services.AdminRuleBroken as error:
            form.add_error("role", str(error))
        else:
            messages.success(
                request, f"{person.username} saved" if changed else "Nothing was changed"
            )
            return redirect("core:admin-user", person.pk)
    return render(
        request,
        "core/admin/user.html",
        {
            "person": person,
            "form": form,
            "error_form": form,
            "is_self": person == request.user,
            "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@role_required(R.ADMIN_ROLES)
@require_POST
def user_set_active(request, pk: int):
    person = get_for_user(User, request.user, pk)
    active = request.POST.get("active") == "yes"
    try:
        admin_services.set_active(request.user, person, active)
    except admin_services.AdminRuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{person.username} reactivated: they can sign in again"
            if active
            else f"{person.username} deactivated: they can no longer sign in or use the API",
        )
    return redirect("core:admin-user", person.pk)


@role_required(R.ADMIN_ROLES)
@require_POST
def user_send_reset(request, pk: int):
    person = get_for_user(User, request.user, pk)
    try:
        admin_services.send_password_reset(request.user, person)
    except admin_services.AdminRuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A link to set a new password was sent to {person.email}")
    return redirect("core:admin-user", person.pk)


def _user_from_link(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@public_view
def password_reset(request, uidb64: str, token: str):
    """Set a new password from the e-mailed link: works signed out, once, until it expires."""
    person = _user_from_link(uidb64)
    if person is None or not default_token_generator.check_token(person, token):
        return render(request, "core/admin/password_reset_invalid.html", status=410)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        admin_services.reset_password(person, form)
        messages.success(request, "Your new password is set: sign in with it")
        return redirect("core:sign-in")
    return render(
        request,
        "core/admin/password_reset.html",
        {"form": form, "error_form": form, "person": person},
    )


@role_required(R.ADMIN_ROLES)
def audit_log_page(request):
    organisation = organisation_for(request.user)
    form = AuditFilterForm(request.GET or None, organisation=organisation)
    events = audit_log.filtered_events(organisation, form.filters)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/admin/audit_log.html",
        {
            "form": form,
            "error_form": form if form.is_bound else None,
            "page": page,
            "entries": audit_log.describe(organisation, page.object_list),
            "query": form.query_string(),
        },
    )


@role_required(R.ADMIN_ROLES)
def audit_log_csv(request):
    """The filtered log as CSV, through the inert writer; downloading it is itself audited."""
    organisation = organisation_for(request.user)
    form = AuditFilterForm(request.GET or None, organisation=organisation)
    filters = form.filters
    events = audit_log.filtered_events(organisation, filters)
    content = tabular.csv_bytes(audit_log.CSV_HEADERS, audit_log.csv_rows(organisation, events))
    audit.record(
        request.user,
        AuditEvent.Action.EXPORT,
        "audit_log",
        detail="CSV"
        + (f" filtered by {', '.join(sorted(filters))}" if filters else " (all entries)"),
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-audit-log-{stamp}.csv"'
    )
    return response


@role_required(R.ADMIN_ROLES)
def logo_page(request):
    organisation = organisation_for(request.user)
    form = LogoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            form.add_error("logo", _too_large(upload.size))
        else:
            try:
                admin_services.save_logo(request.user, organisation, upload.read(), upload.name)
            except UnsafeFile as error:
                form.add_error("logo", f"The logo cannot be used: {error}")
            else:
                messages.success(request, "Logo saved: it is shown in the header")
                return redirect("core:admin-logo")
    return render(
        request,
        "core/admin/logo.html",
        {"form": form, "error_form": form, "organisation": organisation},
    )


def _too_large(size: int) -> str:
    limit = LOGO_MAX_BYTES // 1024
    return f"The logo cannot be used: the file is {size / 1024:,.0f} KB; at most {limit} KB"


@role_required(R.ADMIN_ROLES)
@require_POST
def logo_remove(request):
    organisation = organisation_for(request.user)
    if organisation.has_logo:
        admin_services.remove_logo(request.user, organisation)
        messages.success(request, "Logo removed")
    return redirect("core:admin-logo")


# The logo's own policy: nothing may load or run, even when the SVG is opened on its own.
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@public_view
def logo(_request, slug: str):
    """The cleaned logo from our own URL, for every page's header; public, as the brand CSS is."""
    organisation = Organisation.objects.filter(slug=slug).only("pk").first()
    stored = (
        OrganisationLogo.objects.filter(organisation=organisation).first() if organisation else None
    )
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Security-Policy"] = LOGO_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400"  # the URL changes with the logo (?v=)
    return response


@role_required(R.ADMIN_ROLES)
def processing_record_csv(request):
    """The record of processing activities (UK GDPR Article 30) for the organisation's own
    file, from the same inventory as docs/data-protection.md, so the two never disagree."""
    organisation = organisation_for(request.user)
    content = tabular.csv_bytes(
        ("controller", *data_inventory.RECORD_HEADERS),
        [(organisation.name, *row) for row in data_inventory.processing_record()],
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-record-of-processing.csv"'
    )
    return response
