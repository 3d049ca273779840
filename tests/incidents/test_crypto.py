"""Encryption at rest: content unreadable without the key; keys rotate."""

import pytest

from equitable.incidents.crypto import (
    Cipher,
    DecryptionError,
    KeyConfigurationError,
    generate_key,
    parse_keys,
    rotate_all,
)


def test_content_is_encrypted_and_comes_back():
    cipher = Cipher([generate_key()])
    token = cipher.encrypt_text("my manager said something racist")
    assert b"racist" not in token
    assert cipher.decrypt_text(token) == "my manager said something racist"


def test_another_key_cannot_read_it():
    token = Cipher([generate_key()]).encrypt_text("secret")
    with pytest.raises(DecryptionError):
        Cipher([generate_key()]).decrypt_text(token)


def test_rotation_new_key_first_old_keys_still_decrypt_then_retire():
    old, new = generate_key(), generate_key()
    before = Cipher([old]).encrypt_text("what happened")
    both = Cipher([new, old])
    assert both.decrypt_text(before) == "what happened"
    assert not both.is_current(before)
    [after] = rotate_all(both, [before])
    assert both.is_current(after)
    assert Cipher([new]).decrypt_text(after) == "what happened"  # old key can now be retired
    with pytest.raises(DecryptionError):
        Cipher([old]).decrypt_text(after)


def test_keys_parse_from_lines_or_commas_ignoring_comments():
    assert parse_keys("# newest first\nA\n\nB, C") == ["A", "B", "C"]


def test_bad_or_missing_keys_are_named():
    with pytest.raises(KeyConfigurationError, match="No incident encryption key"):
        Cipher([])
    with pytest.raises(KeyConfigurationError, match="key 2 is not a valid key"):
        Cipher([generate_key(), "not-a-key"])
