"""The key lives outside the database: a 0600 file in the data directory, or the environment;
`equitable incidents rotate-key` re-encrypts everything under a new key, in the AES-GCM format;
the 0002 migration converts old Fernet tokens (which carried their creation time)."""

import importlib
import stat
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.apps import apps

from equitable.cli import main
from equitable.incidents import keys, services
from equitable.incidents.crypto import Cipher, DecryptionError, context, generate_key
from equitable.incidents.models import Attachment, InternalNote, Message, Report
from tests.incidents.helpers import paper_report


def test_the_key_file_is_created_once_with_owner_only_permissions(tmp_path):
    path = tmp_path / "keys" / "incident.key"
    keys.ensure_key_file(path)
    first = path.read_text()
    keys.ensure_key_file(path)
    assert path.read_text() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_keys_from_the_environment_win_over_the_file(monkeypatch):
    key = generate_key()
    monkeypatch.setenv(keys.ENV_NAME, key)
    assert keys.configured_keys() == [key]


def test_rotate_key_command_re_encrypts_and_retires_the_old_key(org, capsys, settings, tmp_path):
    # A key file of its own, so no other test sees the key change under it.
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "incident.key").write_text("\n".join(keys.configured_keys()) + "\n")
    settings.DATA_DIR = tmp_path
    report = paper_report(org, text="before rotation")
    old_token = bytes(Report.objects.get(pk=report.pk).what_happened)
    old_keys = keys.configured_keys()
    assert main(["incidents", "rotate-key", "--retire-old"]) == 0
    assert "re-encrypted 2 value(s)" in capsys.readouterr().out
    new_keys = keys.configured_keys()
    assert len(new_keys) == 1 and new_keys[0] not in old_keys
    fresh = Report.objects.get(pk=report.pk)
    assert services.content(fresh)["what_happened"] == "before rotation"
    assert Cipher(new_keys).is_current(bytes(fresh.what_happened))
    with pytest.raises(DecryptionError):
        Cipher(new_keys).decrypt(old_token, context("report.what_happened", report.reference))


def test_the_migration_re_encrypts_fernet_rows_and_coarsens_note_and_closing_dates(org, users):
    """Rows written before the change (Fernet, exact days) come out readable, in the new
    format, with weeks only."""
    legacy = Fernet(keys.configured_keys()[0])
    report = paper_report(org, text="placeholder")
    Report.objects.filter(pk=report.pk).update(
        what_happened=legacy.encrypt(b"written under Fernet"),
        desired_outcome=legacy.encrypt(b"an apology"),
        closed_at=date(2026, 3, 5),  # a Thursday
    )
    Message.objects.create(
        report=report, sender="team", body=legacy.encrypt(b"a reply"), week=date(2026, 3, 2)
    )
    InternalNote.objects.create(
        report=report,
        author=users["edi_officer"],
        body=legacy.encrypt(b"a note"),
        created_on=date(2026, 3, 4),
    )
    Attachment.objects.create(
        report=report,
        content=legacy.encrypt(b"attachment bytes"),
        content_type="text/plain",
        extension="txt",
        size=16,
    )
    migration = importlib.import_module("equitable.incidents.migrations.0002_content_aes_gcm")
    migration.re_encrypt(apps, None)

    report.refresh_from_db()
    box = keys.cipher()
    for token in (
        report.what_happened,
        report.desired_outcome,
        Message.objects.get().body,
        InternalNote.objects.get().body,
        Attachment.objects.get().content,
    ):
        assert box.is_current(bytes(token))
    shown = services.content(report)
    assert shown["what_happened"] == "written under Fernet"
    assert shown["desired_outcome"] == "an apology"
    assert [m["text"] for m in shown["messages"]] == ["a reply"]
    assert [n["text"] for n in services.notes(report)] == ["a note"]
    assert services.attachment_bytes(Attachment.objects.get()) == b"attachment bytes"
    assert InternalNote.objects.get().created_on == date(2026, 3, 2)
    assert report.closed_at == date(2026, 3, 2)
    migration.re_encrypt(apps, None)  # running it again changes nothing
    assert services.content(Report.objects.get())["what_happened"] == "written under Fernet"


def test_the_migration_needs_no_key_when_nothing_is_stored(db, monkeypatch):
    def no_key():
        raise AssertionError("the key was read")

    monkeypatch.setattr(keys, "configured_keys", no_key)
    migration = importlib.import_module("equitable.incidents.migrations.0002_content_aes_gcm")
    migration.re_encrypt(apps, None)
