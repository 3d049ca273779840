"""Sign-in with lockout after repeated failures.

Why our own small backend: lockout needs only a count of recent failures per username; we
deliberately keep no IP address (staff privacy) and no third-party dependency.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from equitable.core.models import FailedSignIn


def is_locked_out(username: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.EQUITABLE_LOCKOUT_MINUTES)
    recent = FailedSignIn.objects.filter(username__iexact=username, at__gte=since).count()
    return recent >= settings.EQUITABLE_LOCKOUT_FAILURES


def note_failure(username: str) -> None:
    FailedSignIn.objects.create(username=username[:150])


def clear_failures(username: str) -> None:
    FailedSignIn.objects.filter(username__iexact=username).delete()


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or is_locked_out(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            note_failure(username)
        else:
            clear_failures(username)
        return user
