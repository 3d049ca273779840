"""Sign-in, the home page, organisation administration, audit log and API tokens."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import login, logout
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from equitable.core import audit, auth, services, sso
from equitable.core import roles as R
from equitable.core.access import organisation_for, public_view, role_required
from equitable.core.forms import ApiTokenForm, NewUserForm, OrganisationSettingsForm, SignInForm
from equitable.core.models import ApiToken, AuditEvent, Organisation, User
from equitable.core.services import create_user


@public_view
def sign_in(request):
    """Sign in; repeated failures slow the client down (core/auth.py), never lock anyone out."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        client = auth.client_of(request)
        wait = auth.wait_seconds(client, username)
        if wait:
            form.add_error(None, f"Too many failed attempts. Wait {_duration(wait)} and try again.")
            audit.record(
                None,
                AuditEvent.Action.SIGN_IN_FAILED,
                "user",
                detail=f"{username[:150]} (not checked: wait {wait} s)",
            )
        else:
            user = django_authenticate(
                request, username=username, password=form.cleaned_data["password"]
            )
            if user is None:
                auth.note_failure(client, username)
                form.add_error(None, "Enter a correct username and password")
                audit.record(None, AuditEvent.Action.SIGN_IN_FAILED, "user", detail=username[:150])
            else:
                auth.note_success(client, username)
                login(request, user)
                audit.record(user, AuditEvent.Action.SIGN_IN, "user", user.pk)
                next_url = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                    next_url = reverse("core:home")
                response = redirect(next_url)
                auth.remember_device(response, client, user.get_username())
                return response
    return render(
        request,
        "core/sign_in.html",
        {"form": form, "error_form": form, **sso.sign_in_context()},
    )


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


@require_POST
def sign_out(request):
    logout(request)
    return redirect("core:sign-in")


sign_out.allowed_roles = "public"  # type: ignore[attr-defined]


@public_view
def root(request):
    return redirect("core:home" if request.user.is_authenticated else "core:sign-in")


@public_view
def brand_css(_request, slug: str):
    """The organisation's header colour as a stylesheet, so pages need no inline styles (CSP)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    colour = organisation.brand_colour if organisation else "#1d4f76"
    css = (
        f":root{{--eq-brand:{colour};}}"
        f".eq-header{{background-color:{colour};border-bottom-color:{colour};}}"
    )
    response = HttpResponse(css, content_type="text/css")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public_view
def accessibility(request):
    return render(request, "core/accessibility.html")


@public_view
def privacy(request):
    return render(request, "core/privacy.html")


@public_view
def healthz(_request):
    return HttpResponse("ok", content_type="text/plain")


@role_required(R.ADMIN_ROLES)
def admin_home(request):
    organisation = organisation_for(request.user)
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.save_organisation_settings(form, request.user)
        messages.success(request, "Settings saved")
        return redirect("core:admin-home")
    users = User.objects.filter(organisation=organisation).order_by("username")
    return render(
        request,
        "core/admin_home.html",
        {"form": form, "error_form": form, "users": users, "organisation": organisation},
    )


@role_required(R.ADMIN_ROLES)
def new_user(request):
    organisation = organisation_for(request.user)
    form = NewUserForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        user = create_user(organisation=organisation, **form.cleaned_data)
        audit.record(request.user, AuditEvent.Action.CREATE, "user", user.pk, f"role {user.role}")
        messages.success(request, f"User {user.username} created")
        return redirect("core:admin-home")
    return render(request, "core/new_user.html", {"form": form, "error_form": form})


@role_required(R.ALL_ROLES)
def api_tokens(request):
    """The user's own tokens only: make one (shown once), see each one's state, revoke."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        issued, new_token = ApiToken.issue(
            request.user, form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        audit.record(
            request.user,
            AuditEvent.Action.CREATE,
            "api_token",
            issued.pk,
            f"{issued.name}, expires {issued.expires_at:%Y-%m-%d}",
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "core/api_tokens.html",
        {
            "form": form,
            "error_form": form,
            "tokens": tokens,
            "new_token": new_token,
            "openapi_url": reverse("api-1.0.0:openapi-json"),
        },
    )


@role_required(R.ALL_ROLES)
@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of your own tokens; anyone else's is a 404, as if it did not exist."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoke()
        audit.record(request.user, AuditEvent.Action.CHANGE, "api_token", token.pk, "revoked")
        messages.success(request, f"Token “{token.name}” revoked: it no longer works")
    return redirect("core:api-tokens")
