"""Access checks for the JSON API: the API's twin of `core.access` for views.

Its own module so that every app's router can import it without importing `equitable.api`,
which imports the routers (the cycle left mypy unable to type them).
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from ninja.errors import HttpError

from equitable.core.access import organisation_for
from equitable.core.models import Organisation

NO_ACCESS = "Your role does not give access to this"


def require_roles(request, roles: Collection[str]) -> None:
    """API counterpart of core.access.role_required: 403 for a role without rights."""
    if request.auth is None or request.auth.role not in roles:
        raise HttpError(403, NO_ACCESS)


def api_organisation(request, roles: Collection[str]) -> Organisation:
    """The caller's organisation, for a role in `roles`: 403 for a role without rights and for
    the coordinator (who belongs to no council)."""
    require_roles(request, roles)
    try:
        return organisation_for(request.auth)
    except PermissionDenied as error:
        raise HttpError(403, NO_ACCESS) from error
