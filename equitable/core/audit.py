"""Writing to the audit log from views, services and the command line."""

from __future__ import annotations

from equitable.core.models import AuditEvent, Organisation, User


def record(
    user: User | None,
    action: str,
    object_type: str,
    object_id: object = "",
    detail: str = "",
    *,
    organisation: Organisation | None = None,
) -> AuditEvent:
    """Append one event. `detail` must name what was touched, never personal values."""
    real_user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        organisation=organisation or (real_user.organisation if real_user else None),
        user=real_user,
        username=real_user.get_username() if real_user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail[:500],
    )
