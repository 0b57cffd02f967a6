"""aid.crypto on its own: each sealed value is bound to its key, household and field; wrapped
keys to their household; indexes and code hashes to the master key. No database here."""
from __future__ import annotations

import os

import pytest

from aid.crypto import (
    CryptoError,
    HouseholdCipher,
    MasterKey,
    normalize_address,
    normalize_digits,
    normalize_phone,
)

MASTER = MasterKey(bytes(range(32)))
OTHER_MASTER = MasterKey(bytes(range(1, 33)))
KEY = bytes(32 * [7])


def test_a_sealed_value_opens_with_its_key_household_and_field():
    c = HouseholdCipher(KEY, "household-a")
    blob = c.seal("address", "12 Example Street")
    assert b"Example" not in blob
    assert c.open("address", blob) == "12 Example Street"


def test_a_value_sealed_for_one_household_does_not_open_as_another_households():
    """The associated data binds a value to its household: the same key and field are not
    enough, so a ciphertext copied from one household's row into another's is refused."""
    blob = HouseholdCipher(KEY, "household-a").seal("address", "12 Example Street")
    with pytest.raises(CryptoError):
        HouseholdCipher(KEY, "household-b").open("address", blob)


def test_a_value_sealed_for_one_field_does_not_open_as_another():
    c = HouseholdCipher(KEY, "household-a")
    blob = c.seal("code_word", "Plumquartzite")
    with pytest.raises(CryptoError):
        c.open("name", blob)


def test_a_wrong_key_or_a_changed_byte_is_refused():
    c = HouseholdCipher(KEY, "household-a")
    blob = c.seal("name", "Test Household")
    with pytest.raises(CryptoError):
        HouseholdCipher(bytes(32), "household-a").open("name", blob)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(CryptoError):
        c.open("name", tampered)
    with pytest.raises(CryptoError):
        c.open("name", b"\x02" + blob[1:])  # an unknown format version


def test_each_seal_uses_a_fresh_nonce():
    c = HouseholdCipher(KEY, "household-a")
    assert c.seal("name", "same") != c.seal("name", "same")


def test_empty_values_are_not_stored_at_all():
    c = HouseholdCipher(KEY, "household-a")
    assert c.seal("safety_notes", "") is None and c.seal("safety_notes", None) is None
    assert c.open("safety_notes", None) is None


def test_json_values_round_trip():
    c = HouseholdCipher(KEY, "household-a")
    value = {"method": "sms", "handle": "555-0100"}
    assert c.open_json("contact", c.seal_json("contact", value)) == value


def test_a_wrapped_key_unwraps_only_for_its_household_and_master_key():
    data_key = MASTER.new_household_key()
    wrapped = MASTER.wrap(data_key, "household-a")
    assert data_key not in wrapped
    assert MASTER.unwrap(wrapped, "household-a") == data_key
    with pytest.raises(CryptoError):
        MASTER.unwrap(wrapped, "household-b")
    with pytest.raises(CryptoError):
        OTHER_MASTER.unwrap(wrapped, "household-a")


def test_new_household_keys_are_random_and_32_bytes():
    keys = {MASTER.new_household_key() for _ in range(50)}
    assert len(keys) == 50 and all(len(k) == 32 for k in keys)


def test_blind_indexes_and_code_hashes_depend_on_the_master_key():
    assert MASTER.blind_index("phone", "6125550100") == MASTER.blind_index("phone", "6125550100")
    assert MASTER.blind_index("phone", "6125550100") != OTHER_MASTER.blind_index(
        "phone", "6125550100")
    assert MASTER.blind_index("phone", "x") != MASTER.blind_index("address", "x")
    assert MASTER.code_hash("7KQ2M9XD4HRT0PZB") != OTHER_MASTER.code_hash("7KQ2M9XD4HRT0PZB")
    assert "7KQ2" not in MASTER.code_hash("7KQ2M9XD4HRT0PZB")


def test_staff_secrets_are_sealed_apart_from_households():
    blob = MASTER.staff_cipher().seal("totp.someone", "JBSWY3DPEHPK3PXP")
    with pytest.raises(CryptoError):
        OTHER_MASTER.staff_cipher().open("totp.someone", blob)
    assert MASTER.staff_cipher().open("totp.someone", blob) == "JBSWY3DPEHPK3PXP"


def test_a_master_key_must_be_32_bytes():
    with pytest.raises(CryptoError):
        MasterKey(os.urandom(16))


def test_normalizers_accept_what_people_type():
    assert normalize_digits("٥٥٤٠٤") == "55404" and normalize_digits("۵۵۴") == "554"
    assert normalize_phone("+1 (612) 555-0100") == normalize_phone("612 555 0100")
    assert normalize_address("12 Example St.", "", "55404") == normalize_address(
        "12  example st", "", "55404")
