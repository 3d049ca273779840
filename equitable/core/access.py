"""The one way views and API endpoints reach data: scoped by organisation and role.

Rules (tested by tests/core/test_permission_matrix.py for every URL):
- an anonymous visitor is sent to sign in (pages) or gets 401 (API);
- a role without rights gets 403;
- another organisation's object is a 404, never a 403, so IDs reveal nothing;
- a directorate champion reaches only the directorates assigned to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from equitable.core.models import Directorate, Organisation, User
from equitable.core.roles import Role

M = TypeVar("M", bound=models.Model)


def role_required(roles: Iterable[str]) -> Callable:
    """Decorate a view: signed-in users holding one of `roles` only.

    The allowed roles are kept on the view as `allowed_roles`, which the permission-matrix
    test reads to know what to expect for every URL.
    """
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public_view(view: Callable) -> Callable:
    """Mark a view as open to everyone (sign-in page, anonymous reporting, published reports)."""
    view.allowed_roles = "public"  # type: ignore[attr-defined]
    return view


def organisation_for(user: User) -> Organisation:
    """The user's organisation; users without one (the coordinator) cannot use org pages."""
    if user.organisation_id is None:
        raise PermissionDenied
    return user.organisation  # type: ignore[return-value]


def scoped(
    queryset: models.QuerySet[M], user: User, field: str = "organisation"
) -> models.QuerySet[M]:
    """Filter any queryset to the user's organisation through `field`."""
    return queryset.filter(**{field: organisation_for(user)})


def get_for_user(
    model_or_queryset: type[M] | models.QuerySet[M],
    user: User,
    pk: object,
    *,
    field: str = "organisation",
) -> M:
    """Fetch one object of the user's organisation, else 404."""
    queryset = (
        model_or_queryset._default_manager.all()
        if isinstance(model_or_queryset, type)
        else model_or_queryset
    )
    try:
        return scoped(queryset, user, field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def directorates_for(user: User) -> models.QuerySet[Directorate]:
    """Directorates this user may see: all of the organisation's, or a champion's own."""
    organisation = organisation_for(user)
    directorates = Directorate.objects.filter(organisation=organisation)
    if user.role == Role.CHAMPION:
        directorates = directorates.filter(champions=user)
    return directorates


def require_directorate(user: User, directorate: Directorate | None) -> None:
    """A champion may act only within their own directorates (None = corporate: not theirs)."""
    if user.role != Role.CHAMPION:
        return
    if directorate is None or not user.directorates.filter(pk=directorate.pk).exists():
        raise PermissionDenied
