"""The JSON API under /api/ (Django Ninja), with its OpenAPI schema at /api/openapi.json.

Authentication: the browser session (with CSRF on unsafe methods) or a personal API token sent
as `Authorization: Bearer eq_…`. Every endpoint scopes by organisation and role exactly like the
pages, through equitable.core.access. Each capability adds its router in ROUTERS.
"""

from __future__ import annotations

import importlib

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from equitable.core.access import organisation_for
from equitable.core.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(token_hash=ApiToken.hash(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


class SessionAuth(APIKeyCookie):
    """Django's session, with CSRF checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Equitable API",
    version="1.0.0",
    description="Equality figures, action plans and self-assessments, scoped to your organisation and role.",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api-1.0.0",
)


def require_roles(request, roles) -> None:
    """API counterpart of core.access.role_required: 403 for a role without rights."""
    if request.auth is None or request.auth.role not in roles:
        raise HttpError(403, "Your role does not give access to this")


def api_organisation(request, roles):
    """The caller's organisation, for a role in `roles`: the API twin of core.access.

    403 for a role without rights and for the coordinator (who belongs to no council).
    """
    require_roles(request, roles)
    try:
        return organisation_for(request.auth)
    except PermissionDenied as error:
        raise HttpError(403, "Your role does not give access to this") from error


core_router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    role: str
    organisation: str | None
    organisation_slug: str | None


@core_router.get("/me", response=MeOut)
def me(request):
    """Who the API sees you as."""
    user = request.auth
    return {
        "username": user.username,
        "role": user.role,
        "organisation": user.organisation.name if user.organisation else None,
        "organisation_slug": user.organisation.slug if user.organisation else None,
    }


api.add_router("/", core_router)

ROUTERS = {
    "workforce": "equitable.workforce.api",
    "standard": "equitable.standard.api",
    "actions": "equitable.actions.api",
    "incidents": "equitable.incidents.api",
}
for prefix, module_name in ROUTERS.items():
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            continue
        raise
    api.add_router(f"/{prefix}/", module.router)
