"""The audit log is append-only from the application and visible to organisation admins only."""

import pytest
from django.urls import reverse

from equitable.core import audit
from equitable.core.models import AuditEvent


def test_events_cannot_be_changed_or_deleted(users):
    event = audit.record(users["edi_officer"], "export", "workforce_snapshot", 7, "csv download")
    event.detail = "nothing happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == "csv download"


def test_admins_see_only_their_own_councils_events(users, client_as):
    audit.record(users["edi_officer"], "view", "report", 1, "ours")
    audit.record(users["other:edi_officer"], "view", "report", 2, "theirs")
    html = client_as("org_admin").get(reverse("core:audit-log")).content.decode()
    assert "ours" in html
    assert "theirs" not in html


def test_other_roles_cannot_read_the_log(client_as):
    assert client_as("edi_officer").get(reverse("core:audit-log")).status_code == 403
