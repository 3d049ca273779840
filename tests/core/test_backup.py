"""`equitable backup` and `equitable restore`: an installation restored into a fresh folder
reads its encrypted incident reports and its snapshots back; without the passphrase, nothing.

Each step runs as the command does, in its own process with its own data directory (the test
process's Django is not touched). The database is SQLite in those folders, whichever engine the
suite runs on: `DATABASE_URL` is removed from the children's environment."""

import gzip
import json
import os
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from equitable.core import backup

PASSPHRASE = "correct horse battery staple"

# Fills a data directory: one organisation, a snapshot of three people, an incident report.
SEED = textwrap.dedent(
    """
    import sys
    from datetime import date
    from equitable.core.runtime import setup_django, migrate
    setup_django(sys.argv[1]); migrate()
    import polars as pl
    from equitable.core.models import Organisation
    from equitable.incidents import services as incidents
    from equitable.metrics.extract import validate_extract
    from equitable.workforce import services as workforce
    org = Organisation.objects.create(slug="backup-borough", name="Backup Borough")
    raw = pl.DataFrame({"employee_id": ["E1", "E2", "E3"],
                        "ethnicity": ["Indian", "African", "Irish"]})
    result = validate_extract(raw, snapshot_date=date(2025, 3, 31),
                              id_key=workforce.id_hash_key())
    workforce.store_snapshot(org, result.frame, snapshot_date=date(2025, 3, 31),
                             present_columns=result.present_columns, source_filename="x.csv",
                             user=None, replace=False)
    incidents.submit_report(org, incidents.NewReport(
        incident_type="racism", characteristics=["race"], directorate=None,
        happened_month=None, what_happened="Restored words", reported_elsewhere="no",
        desired_outcome=""), source="paper")
    """
)
# Reads them back: the report's text (decrypted with the restored keys) and the snapshot.
READ = textwrap.dedent(
    """
    import json, sys
    from equitable.core.runtime import setup_django
    setup_django(sys.argv[1])
    from equitable.core.models import Organisation
    from equitable.incidents import services as incidents
    from equitable.incidents.models import Report
    from equitable.workforce import services as workforce
    org = Organisation.objects.get(slug="backup-borough")
    frame = workforce.snapshot_frame(workforce.latest_snapshot(org))
    print(json.dumps({
        "text": incidents.content(Report.objects.get(organisation=org))["what_happened"],
        "ethnicities": sorted(frame["ethnicity"].to_list()),
        "key": workforce.id_hash_key().hex(),
    }))
    """
)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "EQUITABLE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "equitable.settings"
    return env


def _python(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=240,
        check=False,
    )


def _equitable(*args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess:
    env = _environment() | {"EQUITABLE_BACKUP_PASSPHRASE": passphrase}
    return subprocess.run(
        [sys.executable, "-m", "equitable", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("installation")
    seeded = _python(SEED, str(folder))
    assert seeded.returncode == 0, seeded.stderr
    original = json.loads(_python(READ, str(folder)).stdout)
    archive = folder.parent / "equitable-backup.tar.gz"
    made = _equitable("backup", "--data-dir", str(folder), "--out", str(archive))
    assert made.returncode == 0, made.stderr
    return folder, archive, original


def test_a_restored_installation_reads_its_reports_and_snapshots(installation, tmp_path):
    _, archive, original = installation
    fresh = tmp_path / "fresh"
    restored = _equitable("restore", str(archive), "--data-dir", str(fresh))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    read = json.loads(_python(READ, str(fresh)).stdout)
    assert read == original
    assert read["text"] == "Restored words"
    assert read["ethnicities"] == ["African", "Indian", "Irish"]


def test_the_archive_holds_no_key_or_report_text_in_the_clear(installation):
    folder, archive, _ = installation
    keys = [p.read_bytes() for p in (folder / "keys").rglob("*") if p.is_file()]
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        assert {"manifest.json", "database.json.gz", "keys.enc"} <= set(names)
        assert all(member.mtime == 0 for member in tar.getmembers())
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
        database = gzip.decompress(tar.extractfile("database.json.gz").read())
    assert b"Restored words" not in everything and b"Restored words" not in database
    for key in keys:
        assert key.strip() not in everything


def test_a_wrong_passphrase_restores_nothing(installation, tmp_path):
    _, archive, _ = installation
    fresh = tmp_path / "fresh"
    refused = _equitable("restore", str(archive), "--data-dir", str(fresh), passphrase="x" * 20)
    assert refused.returncode == 2
    assert "wrong passphrase" in refused.stderr
    assert not (fresh / "equitable.sqlite3").exists()


def test_restoring_over_an_installation_is_refused(installation):
    folder, archive, _ = installation
    refused = _equitable("restore", str(archive), "--data-dir", str(folder))
    assert refused.returncode == 2
    assert "already has keys" in refused.stderr


def test_a_short_passphrase_is_refused(installation, tmp_path):
    folder, _, _ = installation
    refused = _equitable(
        "backup", "--data-dir", str(folder), "--out", str(tmp_path / "b.tar.gz"), passphrase="short"
    )
    assert refused.returncode == 2 and "at least 12" in refused.stderr


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(backup.BackupError, match="not an Equitable backup"):
        backup.unpack_files(bogus, tmp_path / "new", PASSPHRASE, overwrite=False)


def test_keys_round_trip_only_with_their_passphrase():
    sealed, params = backup.encrypt_keys(b"secret key bytes", PASSPHRASE)
    assert backup.decrypt_keys(sealed, params, PASSPHRASE) == b"secret key bytes"
    with pytest.raises(backup.BackupError):
        backup.decrypt_keys(sealed, params, PASSPHRASE + "!")
