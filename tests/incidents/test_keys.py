"""The key lives outside the database: a 0600 file in the data directory, or the environment;
`equitable incidents rotate-key` re-encrypts everything under a new key."""

import stat

import pytest

from equitable.cli import main
from equitable.incidents import keys, services
from equitable.incidents.crypto import Cipher, DecryptionError, generate_key
from equitable.incidents.models import Report
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


def test_rotate_key_command_re_encrypts_and_retires_the_old_key(org, capsys):
    report = paper_report(org, text="before rotation")
    old_token = bytes(Report.objects.get(pk=report.pk).what_happened)
    old_keys = keys.configured_keys()
    try:
        assert main(["incidents", "rotate-key", "--retire-old"]) == 0
        assert "re-encrypted 2 value(s)" in capsys.readouterr().out
        new_keys = keys.configured_keys()
        assert len(new_keys) == 1 and new_keys[0] not in old_keys
        fresh = Report.objects.get(pk=report.pk)
        assert services.content(fresh)["what_happened"] == "before rotation"
        with pytest.raises(DecryptionError):
            Cipher(new_keys).decrypt(old_token)
    finally:
        keys.key_file().write_text("\n".join(keys.configured_keys() + old_keys) + "\n")
