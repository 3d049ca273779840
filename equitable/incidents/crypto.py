"""Encryption at rest of report text, messages, notes and attachments.

Why: a copy of the database alone must reveal no report content, and no ciphertext may say when
it was written. Fernet (used before) puts the second of encryption in clear in every token, so a
database copy dated every report to the second without any key. Content is now encrypted with
AES-256-GCM (`cryptography`'s AESGCM): a random 96-bit nonce, no timestamp, authenticated.

Token layout (bytes), version 1:

    0x01 | key id (4) | nonce (12) | ciphertext | GCM tag (16)

* the key id is the first 4 bytes of an HKDF-SHA256 of the key (info "equitable incident key
  id"): it names which key to use without revealing it, and says whether a token is under the
  newest key (rotation);
* the AES key is another HKDF-SHA256 of the configured key (info "equitable incident content
  AES-256-GCM v1"), so the configured keys keep the format they had (32 random bytes, URL-safe
  base64) and the old Fernet tokens can still be read with the same keys during migration;
* associated data = version byte + key id + the value's context (which field of which report,
  see `context`): a ciphertext copied into another field or another report does not decrypt.

Nothing in a token depends on the time: the nonce is `os.urandom(12)`.

Keys are never stored in the database: a key file in the data directory (`keys/incident.key`,
mode 0600) or the environment variable `EQUITABLE_INCIDENT_KEYS` (for a secret store). See
`equitable/incidents/keys.py` for where keys come from and docs/incidents.md for rotation.

Rotation: keys are an ordered list, **newest first**. New content is encrypted with the first
key; every key in the list can still decrypt; `rotate` re-encrypts a value under the newest key
(and turns a legacy Fernet token into the new format), after which older keys can be retired.

Pure module: keys are passed in, nothing is read from settings here.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
KEY_ID_BYTES = 4
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(VERSION) + KEY_ID_BYTES + NONCE_BYTES
_CONTENT_INFO = b"equitable incident content AES-256-GCM v1"
_KEY_ID_INFO = b"equitable incident key id"
# A Fernet token, as stored before (URL-safe base64 text), starts with version 0x80 then the
# 64-bit timestamp, whose top bytes are zero for centuries: "gAAAAA".
_LEGACY_PREFIX = b"gAAAAA"


class KeyConfigurationError(ValueError):
    """The configured keys cannot be used (the message names which one and why)."""


class DecryptionError(RuntimeError):
    """Content cannot be decrypted with any configured key (wrong or retired key, or it was
    moved from another field or report)."""


def generate_key() -> str:
    """32 random bytes, URL-safe base64 (the format of the key file and the environment)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def parse_keys(text: str) -> list[str]:
    """Keys from a file or environment value: one per line or comma-separated, newest first;
    blank lines and lines starting with # are ignored."""
    keys = []
    for line in text.replace(",", "\n").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keys.append(line)
    return keys


def context(field: str, reference: str) -> bytes:
    """Associated data for one encrypted value: which field (`"report.what_happened"`,
    `"message.body"` …) of which report (its non-secret reference, fixed at creation)."""
    return f"equitable.incidents.{field}:{reference}".encode()


def is_legacy_token(token: bytes) -> bool:
    """True for a Fernet token as stored before version 1 (it carries its creation time)."""
    return bytes(token[: len(_LEGACY_PREFIX)]) == _LEGACY_PREFIX


def _derive(raw: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(raw)


@dataclass(frozen=True)
class _Key:
    key_id: bytes
    aead: AESGCM
    legacy: Fernet


def _load_key(key: str | bytes, position: int) -> _Key:
    text = key.decode("ascii") if isinstance(key, bytes) else key
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise KeyConfigurationError(
            f"Incident key {position} is not a valid key (32 bytes, URL-safe base64)"
        ) from error
    if len(raw) != 32:
        raise KeyConfigurationError(
            f"Incident key {position} is not a valid key (32 bytes, URL-safe base64)"
        )
    return _Key(
        key_id=_derive(raw, _KEY_ID_INFO, KEY_ID_BYTES),
        aead=AESGCM(_derive(raw, _CONTENT_INFO, 32)),
        legacy=Fernet(base64.urlsafe_b64encode(raw)),
    )


class Cipher:
    """Encrypts with the newest key and decrypts with any of them."""

    def __init__(self, keys: Sequence[str | bytes]):
        if not keys:
            raise KeyConfigurationError("No incident encryption key is configured")
        self._keys = [_load_key(key, position) for position, key in enumerate(keys, start=1)]
        self._newest = self._keys[0]

    def encrypt(self, data: bytes, context: bytes) -> bytes:
        key = self._newest
        header = VERSION + key.key_id
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + key.aead.encrypt(nonce, bytes(data), header + context)

    def decrypt(self, token: bytes | memoryview, context: bytes) -> bytes:
        token = bytes(token)
        if len(token) < HEADER_BYTES + TAG_BYTES or token[:1] != VERSION:
            raise DecryptionError(
                "This content is not in the current encryption format; run "
                "`equitable migrate` (or `equitable incidents rotate-key`) to convert it"
            )
        header, nonce, sealed = token[:5], token[5:HEADER_BYTES], token[HEADER_BYTES:]
        for key in self._keys:
            if key.key_id != header[1:]:
                continue
            try:
                return key.aead.decrypt(nonce, sealed, header + context)
            except InvalidTag:
                continue
        raise DecryptionError("This content cannot be decrypted with the configured incident keys")

    def decrypt_legacy(self, token: bytes) -> bytes:
        """A Fernet token written before version 1 (read for migration and rotation only)."""
        try:
            return MultiFernet([key.legacy for key in self._keys]).decrypt(bytes(token))
        except InvalidToken as error:
            raise DecryptionError(
                "This content cannot be decrypted with the configured incident keys"
            ) from error

    def encrypt_text(self, text: str, context: bytes) -> bytes:
        return self.encrypt(text.encode("utf-8"), context)

    def decrypt_text(self, token: bytes | memoryview | None, context: bytes) -> str:
        if not token:
            return ""
        return self.decrypt(token, context).decode("utf-8")

    def rotate(self, token: bytes, context: bytes) -> bytes:
        """The same content re-encrypted under the newest key with a fresh nonce; a legacy
        Fernet token comes back in the current format."""
        if is_legacy_token(token):
            plain = self.decrypt_legacy(token)
        else:
            plain = self.decrypt(token, context)
        return self.encrypt(plain, context)

    def is_current(self, token: bytes) -> bool:
        """True when the token is in the current format under the newest key."""
        token = bytes(token)
        return token[:1] == VERSION and token[1:5] == self._newest.key_id
