"""The JSON API under /api/ (Django Ninja), with its OpenAPI schema at /api/openapi.json.

Authentication: the browser session (with CSRF on unsafe methods) or a personal API token sent
as `Authorization: Bearer eq_…` (until it expires or its owner revokes it). Every endpoint scopes by organisation and role exactly like the
pages, through equitable.core.access. Each capability adds its router in ROUTERS.
"""

from __future__ import annotations

from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.security import APIKeyCookie, HttpBearer

from equitable.actions.api import router as actions_router
from equitable.core.models import ApiToken
from equitable.incidents.api import router as incidents_router
from equitable.lifecycle.api import router as lifecycle_router
from equitable.standard.api import router as standard_router
from equitable.surveys.api import router as surveys_router
from equitable.training.api import router as training_router
from equitable.workforce.api import router as workforce_router


class TokenAuth(HttpBearer):
    """A personal token: refused (401) once revoked or expired, or when its owner is inactive."""

    def authenticate(self, request, token):
        api_token = ApiToken.find_usable(token)
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


class SessionAuth(APIKeyCookie):
    """Django's session, with CSRF checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, _key):
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

# Plain imports above, so that a broken app stops the start-up instead of vanishing from the API.
ROUTERS = {
    "workforce": workforce_router,
    "standard": standard_router,
    "actions": actions_router,
    "incidents": incidents_router,
    "lifecycle": lifecycle_router,
    "surveys": surveys_router,
    "training": training_router,
}
for prefix, app_router in ROUTERS.items():
    api.add_router(f"/{prefix}/", app_router)
