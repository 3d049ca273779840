"""Encryption at rest: content unreadable without the key, no timestamp in any token, each
value bound to its field and report; keys rotate; old Fernet tokens are converted."""

import base64
import struct
import time

import pytest
from cryptography.fernet import Fernet

from equitable.incidents.crypto import (
    HEADER_BYTES,
    TAG_BYTES,
    Cipher,
    DecryptionError,
    KeyConfigurationError,
    context,
    generate_key,
    is_legacy_token,
    parse_keys,
)

WHAT = context("report.what_happened", "IR-ABC234")


def test_content_is_encrypted_and_comes_back():
    cipher = Cipher([generate_key()])
    token = cipher.encrypt_text("my manager said something racist", WHAT)
    assert b"racist" not in token
    assert cipher.decrypt_text(token, WHAT) == "my manager said something racist"


def test_a_token_is_version_key_id_nonce_and_sealed_text_with_no_time_in_it():
    cipher = Cipher([generate_key()])
    first, second = (cipher.encrypt(b"same text", WHAT) for _ in range(2))
    assert first[:1] == b"\x01" and first[1:5] == second[1:5]  # version, key id
    assert first[5:17] != second[5:17]  # a fresh random nonce each time
    assert len(first) == HEADER_BYTES + len(b"same text") + TAG_BYTES
    now = int(time.time())
    for offset in range(len(first) - 7):
        (value,) = struct.unpack(">Q", first[offset : offset + 8])
        assert abs(value - now) > 86400


def test_a_fernet_token_did_carry_the_time_in_clear():
    """Why the format changed: bytes 1-8 of a Fernet token are its creation second."""
    token = Fernet(Fernet.generate_key()).encrypt(b"x")
    (stamp,) = struct.unpack(">Q", base64.urlsafe_b64decode(token)[1:9])
    assert abs(stamp - time.time()) < 5
    assert is_legacy_token(token)


def test_another_key_cannot_read_it():
    token = Cipher([generate_key()]).encrypt_text("secret", WHAT)
    with pytest.raises(DecryptionError):
        Cipher([generate_key()]).decrypt_text(token, WHAT)


def test_a_value_moved_to_another_field_or_report_does_not_decrypt():
    cipher = Cipher([generate_key()])
    token = cipher.encrypt_text("what happened", WHAT)
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(token, context("report.desired_outcome", "IR-ABC234"))
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(token, context("report.what_happened", "IR-ZZZ999"))


def test_a_tampered_token_is_refused():
    cipher = Cipher([generate_key()])
    token = bytearray(cipher.encrypt_text("what happened", WHAT))
    token[-1] ^= 1
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(bytes(token), WHAT)


def test_rotation_new_key_first_old_keys_still_decrypt_then_retire():
    old, new = generate_key(), generate_key()
    before = Cipher([old]).encrypt_text("what happened", WHAT)
    both = Cipher([new, old])
    assert both.decrypt_text(before, WHAT) == "what happened"
    assert not both.is_current(before)
    after = both.rotate(before, WHAT)
    assert both.is_current(after)
    assert Cipher([new]).decrypt_text(after, WHAT) == "what happened"  # old key can now go
    with pytest.raises(DecryptionError):
        Cipher([old]).decrypt_text(after, WHAT)


def test_rotation_turns_a_legacy_fernet_token_into_the_new_format():
    key = generate_key()
    legacy = Fernet(key).encrypt(b"written in 2026")
    cipher = Cipher([key])
    with pytest.raises(DecryptionError, match="not in the current encryption format"):
        cipher.decrypt(legacy, WHAT)
    converted = cipher.rotate(legacy, WHAT)
    assert not is_legacy_token(converted) and cipher.is_current(converted)
    assert cipher.decrypt(converted, WHAT) == b"written in 2026"


def test_keys_parse_from_lines_or_commas_ignoring_comments():
    assert parse_keys("# newest first\nA\n\nB, C") == ["A", "B", "C"]


def test_bad_or_missing_keys_are_named():
    with pytest.raises(KeyConfigurationError, match="No incident encryption key"):
        Cipher([])
    with pytest.raises(KeyConfigurationError, match="key 2 is not a valid key"):
        Cipher([generate_key(), "not-a-key"])
    with pytest.raises(KeyConfigurationError, match="key 1 is not a valid key"):
        Cipher(["c2hvcnQ="])  # valid base64, but 5 bytes
