"""Back up an installation to one file and restore it into a fresh data directory.

Why this shape:
- The database goes in as Django's own serialisation (`dumpdata`), not as a SQLite file or a
  `pg_dump`, so one archive restores into either engine (a council can move from the embedded
  SQLite to PostgreSQL by restoring) and the same path is tested on both.
- The keys (Django secret, the employee-id hash key, the incident and survey encryption keys)
  are what make the encrypted and pseudonymised data readable, so they never sit in the archive
  in the clear: they are encrypted with a key derived from a passphrase (scrypt, then
  AES-256-GCM). A stolen archive without the passphrase reveals no incident text, survey answer
  or the means to hash an employee number.
- Every archive member's time is set to 0: a file's modification time would otherwise say when
  an attachment or upload arrived, which the anonymous channel never keeps.
- Restoring refuses a data directory that already holds data, unless told to overwrite, so a
  mistyped path cannot replace a live installation.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "equitable-backup"
VERSION = 1
MIN_PASSPHRASE = 12
# scrypt cost: about 0.1 s and 32 MiB here; stored in the manifest so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# Tables Django rebuilds itself on migrate, or that only hold sign-in state.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


class BackupError(Exception):
    """A backup or restore that cannot go ahead: the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    organisations: int
    objects: int


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")
    return passphrase


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def encrypt_keys(data: bytes, passphrase: str) -> tuple[bytes, dict]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, data, FORMAT.encode())
    return sealed, {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "nonce": nonce.hex(),
        "cipher": "AES-256-GCM",
    }


def decrypt_keys(sealed: bytes, params: dict, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag

    key = _derive(passphrase, bytes.fromhex(params["salt"]), params["n"], params["r"], params["p"])
    try:
        return AESGCM(key).decrypt(bytes.fromhex(params["nonce"]), sealed, FORMAT.encode())
    except InvalidTag as error:
        raise BackupError("wrong passphrase, or the archive's keys were altered") from error


def _tar_bytes(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.addfile(
                    _member(str(path.relative_to(folder)), path.stat().st_size), path.open("rb")
                )
    return buffer.getvalue()


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o600
    return info


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_member(name, len(data)), io.BytesIO(data))


def create_backup(out: Path, passphrase: str) -> dict:
    """Write the archive of the running installation (settings already point at its data
    directory) to `out`; returns the manifest."""
    from django.conf import settings
    from django.core.management import call_command

    check_passphrase(passphrase)
    data_dir = Path(settings.DATA_DIR)
    keys_dir = data_dir / "keys"
    if not keys_dir.is_dir():
        raise BackupError(f"{keys_dir} does not exist: is --data-dir the installation's folder?")
    dump = io.StringIO()
    from django.apps import apps

    excluded = [
        label for label in EXCLUDED if apps.is_installed(f"django.contrib.{label.split('.')[0]}")
    ]
    call_command("dumpdata", exclude=excluded, stdout=dump, verbosity=0)
    database = gzip.compress(dump.getvalue().encode("utf-8"), mtime=0)
    sealed, crypto = encrypt_keys(_tar_bytes(keys_dir), passphrase)
    uploads = Path(settings.MEDIA_ROOT)
    upload_files = (
        [
            p
            for p in sorted(uploads.rglob("*"))
            if p.is_file() and "tmp" not in p.relative_to(uploads).parts[:1]
        ]
        if uploads.is_dir()
        else []
    )
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "engine": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "keys": crypto,
        "uploads": len(upload_files),
        "incident_keys_from_environment": bool(os.environ.get("EQUITABLE_INCIDENT_KEYS")),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".part")
    with tarfile.open(temporary, mode="w:gz") as tar:
        _add(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
        _add(tar, "database.json.gz", database)
        _add(tar, "keys.enc", sealed)
        for path in upload_files:
            with path.open("rb") as handle:
                tar.addfile(
                    _member("uploads/" + str(path.relative_to(uploads)), path.stat().st_size),
                    handle,
                )
    os.chmod(temporary, 0o600)
    temporary.replace(out)
    return manifest


def _read_archive(archive: Path) -> tuple[dict, tarfile.TarFile]:
    try:
        tar = tarfile.open(archive, mode="r:gz")
        manifest = json.loads(_extract(tar, "manifest.json"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{archive} is not an Equitable backup ({error})") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{archive} is not an Equitable backup of version {VERSION}")
    return manifest, tar


def _extract(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(name)
    if handle is None:
        raise KeyError(name)
    return handle.read()


def _safe_path(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"the archive names a file outside its folder: {name!r}")
    return target


def unpack_files(archive: Path, data_dir: Path, passphrase: str, *, overwrite: bool) -> dict:
    """Before Django starts (its settings create a secret key when none is there): the keys,
    decrypted, and the uploads, into `data_dir`. Returns the manifest."""
    manifest, tar = _read_archive(archive)
    with tar:
        keys = decrypt_keys(_extract(tar, "keys.enc"), manifest["keys"], passphrase)
        keys_dir = data_dir / "keys"
        if keys_dir.exists() and any(keys_dir.iterdir()) and not overwrite:
            raise BackupError(
                f"{data_dir} already has keys: restore into a new folder, or pass --overwrite"
            )
        if overwrite and keys_dir.exists():
            shutil.rmtree(keys_dir)
        keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(keys_dir, 0o700)
        with tarfile.open(fileobj=io.BytesIO(keys), mode="r") as inner:
            for member in inner.getmembers():
                if not member.isfile():
                    continue
                target = _safe_path(keys_dir, member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_extract(inner, member.name))
                os.chmod(target, 0o600)
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("uploads/"):
                target = _safe_path(data_dir, member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_extract(tar, member.name))
    return manifest


def load_database(archive: Path, *, overwrite: bool) -> Restored:
    """After Django has started against the new data directory and migrated: the records."""
    from django.core.management import call_command
    from django.db import transaction

    from equitable.core.models import Organisation

    if Organisation.objects.exists() and not overwrite:
        raise BackupError(
            "the database already holds organisations: restore into a new data directory "
            "(and a new, empty PostgreSQL database), or pass --overwrite"
        )
    _, tar = _read_archive(archive)
    with tar, tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "database.json.gz"
        fixture.write_bytes(_extract(tar, "database.json.gz"))
        objects = len(json.loads(gzip.decompress(fixture.read_bytes())))
        with transaction.atomic():
            if overwrite:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(fixture), verbosity=0)
    return Restored(organisations=Organisation.objects.count(), objects=objects)
