"""Field encryption under per-household keys wrapped by a master key, and blind indexes.

Every personal field is sealed with AES-256-GCM under its household's own data key. That key
is stored only wrapped (AES-GCM) by the master key, which lives outside the database. Deleting
the wrapped key row makes every copy of the household's data unreadable (crypto-shredding).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32


class CryptoError(Exception):
    """A value could not be sealed or opened (wrong key, tampering, shredded key)."""


class MasterKey:
    """The master key: wraps household keys and derives the indexing keys."""

    def __init__(self, raw: bytes):
        if len(raw) != KEY_BYTES:
            raise CryptoError("the master key must be 32 bytes")
        self._wrap = AESGCM(_derive(raw, b"aid wrap v1"))
        self._index_key = _derive(raw, b"aid blind index v1")
        self._code_key = _derive(raw, b"aid status code v1")
        self._check_key = _derive(raw, b"aid key check v1")
        self._staff_key = _derive(raw, b"aid staff secrets v1")
        self._submission_key = _derive(raw, b"aid submission code v1")
        self._receipt_key = _derive(raw, b"aid receipts v1")

    def new_household_key(self) -> bytes:
        return AESGCM.generate_key(bit_length=256)

    def wrap(self, household_key: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._wrap.encrypt(nonce, household_key, context.encode())

    def unwrap(self, wrapped: bytes, context: str) -> bytes:
        return _open(self._wrap, wrapped, context.encode())

    def blind_index(self, kind: str, normalized: str) -> str:
        """A keyed hash that flags duplicates without decrypting anything."""
        msg = f"{kind}\x00{normalized}".encode()
        return hmac.new(self._index_key, msg, hashlib.sha256).hexdigest()[:32]

    def code_hash(self, code: str) -> str:
        """Hash of a household status code; the code itself is never stored."""
        return hmac.new(self._code_key, code.encode(), hashlib.sha256).hexdigest()

    def submission_code(self, nonce: bytes, nbytes: int) -> bytes:
        """The status code a submission's one-time nonce stands for.

        The review page carries a random nonce; confirming it twice (a double tap, Back and
        send again) gives the same code, so the household keeps one record and one code,
        while the server keeps neither the nonce nor the code readable.
        """
        return hmac.new(self._submission_key, nonce, hashlib.sha256).digest()[:nbytes]

    def staff_cipher(self) -> HouseholdCipher:
        """Seals staff secrets (TOTP seeds) under a key derived from the master key."""
        return HouseholdCipher(self._staff_key, "staff")

    def receipt_cipher(self) -> HouseholdCipher:
        """Seals uploaded receipts (ledger) under a key derived from the master key."""
        return HouseholdCipher(self._receipt_key, "receipts")

    def check_value(self) -> str:
        """A value stored in the database so a wrong master key is caught at start."""
        return hmac.new(self._check_key, b"aid", hashlib.sha256).hexdigest()


class HouseholdCipher:
    """Seals and opens one household's fields; the AAD binds each value to its field."""

    def __init__(self, household_key: bytes, household_uid: str):
        self._aead = AESGCM(household_key)
        self._uid = household_uid

    def _aad(self, field: str) -> bytes:
        return f"{self._uid}:{field}".encode()

    def seal(self, field: str, value: str | None) -> bytes | None:
        if value is None or value == "":
            return None
        return self.seal_bytes(field, value.encode())

    def open(self, field: str, blob: bytes | None) -> str | None:
        if blob is None:
            return None
        return self.open_bytes(field, blob).decode()

    def seal_bytes(self, field: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, data, self._aad(field))

    def open_bytes(self, field: str, blob: bytes) -> bytes:
        return _open(self._aead, blob, self._aad(field))

    def seal_json(self, field: str, value: dict) -> bytes:
        return self.seal(field, json.dumps(value, separators=(",", ":"), sort_keys=True))

    def open_json(self, field: str, blob: bytes | None) -> dict:
        text = self.open(field, blob)
        return json.loads(text) if text else {}


def _derive(raw: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(raw)


def _open(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
    if not blob or blob[:1] != VERSION:
        raise CryptoError("unknown ciphertext format")
    try:
        return aead.decrypt(bytes(blob[1:1 + NONCE_BYTES]), bytes(blob[1 + NONCE_BYTES:]), aad)
    except Exception as exc:  # InvalidTag: wrong key or tampered bytes
        raise CryptoError("cannot decrypt") from exc


def normalize_digits(text: str) -> str:
    """Turn digits of any script (Arabic-Indic, Persian, full-width...) into ASCII digits."""
    out = []
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            try:
                out.append(str(unicodedata.digit(ch)))
                continue
            except (TypeError, ValueError):
                pass
        out.append(ch)
    return "".join(out)


def normalize_phone(text: str) -> str:
    digits = "".join(ch for ch in normalize_digits(text) if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits or unicodedata.normalize("NFKC", text).strip().lower()


def normalize_address(street: str, unit: str, zip5: str) -> str:
    base = unicodedata.normalize("NFKC", f"{street} {unit} {zip5}").casefold()
    base = normalize_digits(base)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in base).split())
