"""Receipt codes: long enough, typed back forgivingly, stored only as a slow hash."""

import time

import pytest

from equitable.incidents import receipts

FAST = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_a_code_has_28_digits_in_groups_of_four_and_over_80_bits():
    receipt = receipts.generate()
    assert len(receipt.code) == 28 and receipt.code.isdigit()
    assert len(receipt.display.split(" ")) == 7
    assert all(len(group) == 4 for group in receipt.display.split(" "))
    assert receipts.ENTROPY_BITS == pytest.approx(93.0, abs=0.05)
    assert receipts.ENTROPY_BITS >= 80


def test_codes_do_not_repeat():
    assert len({receipts.generate().code for _ in range(200)}) == 200


def test_spaces_and_hyphens_are_ignored_when_typed_back():
    receipt = receipts.Receipt("1234567890123456789012345678")
    typed = " 1234-5678 9012–3456  7890-1234 5678 "
    assert receipts.normalise(typed) == receipt
    assert receipt.lookup == "12345678"
    assert receipt.secret == "90123456789012345678"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your receipt code"),
        ("1234 5678", "has 28 digits; you entered 8"),
        ("1234 567a 9012 3456 7890 1234 5678", "only the digits 0 to 9"),
    ],
)
def test_wrong_shapes_are_explained(typed, message):
    with pytest.raises(receipts.ReceiptFormatError, match=message):
        receipts.normalise(typed)


def test_only_the_secret_part_is_hashed_with_argon2id():
    receipt = receipts.generate()
    stored = receipts.hash_secret(receipt, FAST)
    assert stored.startswith("$argon2id$")
    assert receipt.secret not in stored and receipt.code not in stored
    assert receipts.verify_secret(receipt, stored, FAST)


def test_a_guess_with_the_right_lookup_part_but_wrong_secret_fails():
    receipt = receipts.generate()
    stored = receipts.hash_secret(receipt, FAST)
    last = "0" if receipt.code[-1] != "0" else "1"
    guess = receipts.Receipt(receipt.code[:-1] + last)
    assert guess.lookup == receipt.lookup
    assert not receipts.verify_secret(guess, stored, FAST)
    assert not receipts.burn_equal_time(guess, FAST)


def test_production_hashing_is_deliberately_slow():
    receipt = receipts.generate()
    stored = receipts.hash_secret(receipt)
    assert "$m=65536,t=3,p=4$" in stored
    started = time.perf_counter()
    assert not receipts.verify_secret(receipts.generate(), stored)
    assert time.perf_counter() - started > 0.01  # at least ~10 ms per guess, before rate limits
