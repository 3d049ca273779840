"""Encryption at rest of report text, messages, notes and attachments.

Why: a copy of the database alone must reveal no report content. Content is encrypted by the
application with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under keys that are
never stored in the database: a key file in the data directory (`keys/incident.key`, mode 0600)
or the environment variable `EQUITABLE_INCIDENT_KEYS` (for a secret store). See
`equitable/incidents/keys.py` for where keys come from and docs/incidents.md for rotation.

Rotation: keys are an ordered list, **newest first**. New content is encrypted with the first
key; every key in the list can still decrypt (MultiFernet); `rotate` re-encrypts a token under
the newest key, after which older keys can be retired.

Pure module: keys are passed in, nothing is read from settings here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyConfigurationError(ValueError):
    """The configured keys cannot be used (the message names which one and why)."""


class DecryptionError(RuntimeError):
    """Content cannot be decrypted with any configured key (wrong or retired key)."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(text: str) -> list[str]:
    """Keys from a file or environment value: one per line or comma-separated, newest first;
    blank lines and lines starting with # are ignored."""
    keys = []
    for line in text.replace(",", "\n").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keys.append(line)
    return keys


class Cipher:
    """Encrypts with the newest key and decrypts with any of them."""

    def __init__(self, keys: Sequence[str | bytes]):
        if not keys:
            raise KeyConfigurationError("No incident encryption key is configured")
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError) as error:
                raise KeyConfigurationError(
                    f"Incident key {position} is not a valid key (32 bytes, URL-safe base64)"
                ) from error
        self._multi = MultiFernet(fernets)
        self._newest = fernets[0]

    def encrypt(self, data: bytes) -> bytes:
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._multi.decrypt(bytes(token))
        except InvalidToken as error:
            raise DecryptionError(
                "This content cannot be decrypted with the configured incident keys"
            ) from error

    def encrypt_text(self, text: str) -> bytes:
        return self.encrypt(text.encode("utf-8"))

    def decrypt_text(self, token: bytes | None) -> str:
        if not token:
            return ""
        return self.decrypt(token).decode("utf-8")

    def rotate(self, token: bytes) -> bytes:
        """The same content re-encrypted under the newest key."""
        try:
            return self._multi.rotate(bytes(token))
        except InvalidToken as error:
            raise DecryptionError(
                "This content cannot be decrypted with the configured incident keys"
            ) from error

    def is_current(self, token: bytes) -> bool:
        """True when the newest key alone can decrypt the token (no rotation needed)."""
        try:
            self._newest.decrypt(bytes(token))
        except InvalidToken:
            return False
        return True


def rotate_all(cipher: Cipher, tokens: Iterable[bytes]) -> list[bytes]:
    return [cipher.rotate(token) for token in tokens]
