"""The household domain every blueprint shares: create, find, open (audited), close, shred.

A household's personal fields are sealed under its own data key (aid.crypto), which is stored
only wrapped by the master key. `open_for` is the only way to read them back, and it writes an
audit row (who, which household, when; never the value) in the same transaction. Shredding
deletes the key first, so every copy of the ciphertext (WAL, backups) becomes unreadable.
"""
from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select, text

from aid import audit
from aid.crypto import HouseholdCipher, normalize_address, normalize_digits, normalize_phone
from aid.extensions import db
from aid.keystore import master_key
from aid.models import HelpRequest, Household, HouseholdKey
from aid.models._types import utcnow
from aid.routing.geocode import zip_place
from aid.vocabulary import OPEN_STATUSES, PHONE_METHODS
from aid.workflow import after_commit, workflow

# The associated-data names that bind each sealed value to its household and field.
NAME, CONTACT, ADDRESS, COORDS = "name", "contact", "address", "coords"
SAFETY_NOTES, CODE_WORD = "safety_notes", "code_word"
ALL_FIELDS = (NAME, CONTACT, ADDRESS, COORDS, SAFETY_NOTES, CODE_WORD)
COLUMN = {NAME: "name_enc", CONTACT: "contact_enc", ADDRESS: "address_enc",
          COORDS: "coords_enc", SAFETY_NOTES: "safety_notes_enc", CODE_WORD: "code_word_enc"}
JSON_FIELDS = frozenset({CONTACT, ADDRESS, COORDS})

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_BYTES = 10  # 80 bits from the OS's secure source
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def details_field(kind: str) -> str:
    """The sealed field that holds one request's details."""
    return f"request.{kind}"


@dataclass
class NewHousehold:
    """What a household gives us: a name of its choice, a way to reach it, where, what."""

    name: str
    contact_method: str
    contact_handle: str
    language: str
    street: str
    city: str
    zip: str
    unit: str = ""
    safety_notes: str = ""
    code_word: str = ""
    requests: dict[str, dict] = field(default_factory=dict)  # kind -> its details


@dataclass
class Revealed:
    """A household's fields, opened for one person; only what was asked for is filled."""

    name: str | None = None
    contact: dict = field(default_factory=dict)
    address: dict = field(default_factory=dict)
    coords: dict = field(default_factory=dict)
    safety_notes: str | None = None
    code_word: str | None = None
    details: dict = field(default_factory=dict)


def new_status_code(raw: bytes | None = None) -> str:
    """16 characters in groups of four, e.g. 7KQ2-M9XD-4HRT-0PZB: easy to read aloud and copy.

    80 bits from the OS's secure source, or the given 10 bytes (a submission's code).
    """
    raw = secrets.token_bytes(CODE_BYTES) if raw is None else raw
    encoded = base64.b32encode(raw).decode()
    code = "".join(CODE_ALPHABET[_B32.index(ch)] for ch in encoded)
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def new_submission() -> str:
    """A one-time nonce for a review page: 128 bits from the OS's secure source."""
    return secrets.token_urlsafe(16)


def submission_code(nonce: str | None) -> str:
    """The status code a review page's nonce stands for (a fresh one if it is malformed)."""
    well_formed = bool(nonce) and len(nonce) == 22 and all(
        ch.isascii() and (ch.isalnum() or ch in "-_") for ch in nonce)
    raw = base64.urlsafe_b64decode(nonce + "==") if well_formed else secrets.token_bytes(16)
    return new_status_code(master_key().submission_code(raw, CODE_BYTES))


def normalize_code(typed: str) -> str:
    """Forgive case, spaces, dashes, digits of other scripts and look-alike letters."""
    s = normalize_digits(typed or "").upper()
    s = s.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    s = "".join(ch for ch in s if ch in CODE_ALPHABET)
    return "-".join(s[i:i + 4] for i in range(0, len(s), 4))


def zip_area(zip5: str) -> tuple[str, float | None, float | None]:
    """Coarse area and approximate coordinates of a ZIP, from bundled data; never online."""
    place = zip_place(zip5)
    if place is None:
        return zip5, None, None
    lat, lon, city = place
    return f"{city.title()} {zip5}".strip(), lat, lon


def create(new: NewHousehold, code: str | None = None) -> tuple[Household, str]:
    """Seal and add a household with one request per kind; return it and its status code.

    The code is returned once and only its keyed hash is stored.
    """
    key = master_key()
    code = code or new_status_code()
    uid = uuid.uuid4().hex
    data_key = key.new_household_key()
    cipher = HouseholdCipher(data_key, uid)
    area, lat, lon = zip_area(new.zip)
    phone_idx = None
    if new.contact_method in PHONE_METHODS:
        phone_idx = key.blind_index("phone", normalize_phone(new.contact_handle))
    household = Household(
        uid=uid, status_code_hash=key.code_hash(code.replace("-", "")), language=new.language,
        zip=new.zip, area=area, approx_lat=lat, approx_lon=lon,
        phone_index=phone_idx,
        address_index=key.blind_index("address",
                                      normalize_address(new.street, new.unit, new.zip)))
    values = {NAME: new.name,
              CONTACT: {"method": new.contact_method, "handle": new.contact_handle},
              ADDRESS: {"street": new.street, "unit": new.unit, "city": new.city,
                        "zip": new.zip},
              SAFETY_NOTES: new.safety_notes, CODE_WORD: new.code_word}
    for name, value in values.items():
        sealed = cipher.seal_json(name, value) if name in JSON_FIELDS else cipher.seal(
            name, value)
        setattr(household, COLUMN[name], sealed)
    household.key = HouseholdKey(wrapped=key.wrap(data_key, uid))
    for kind, details in new.requests.items():
        household.requests.append(HelpRequest(
            kind=kind, status="new", details_enc=cipher.seal_json(details_field(kind), details)))
    db.session.add(household)
    db.session.flush()
    return household, code


def find_by_code(typed_code: str) -> Household | None:
    """The household for a status code; an unknown and a wrong code look the same."""
    code = normalize_code(typed_code).replace("-", "")
    if len(code) != 16:
        return None
    digest = master_key().code_hash(code)
    household = db.session.scalar(select(Household).where(Household.status_code_hash == digest))
    return household if household is not None and household.key is not None else None


def readable(household: Household | None) -> bool:
    """Its key is still there: a shredded household has nothing left to read or act on."""
    return household is not None and household.key is not None


def _cipher(household: Household) -> HouseholdCipher:
    data_key = master_key().unwrap(household.key.wrapped, household.uid)
    return HouseholdCipher(data_key, household.uid)


@workflow
def open_for(actor_id: int, household: Household, request: HelpRequest | None = None,
             fields: tuple[str, ...] = ALL_FIELDS, action: str = "reveal",
             task_id: int | None = None) -> Revealed:
    """Decrypt what this person needs to see; the audit row goes in the same transaction."""
    audit.record(actor_id, action, household.id, request.id if request else None,
                 task_id=task_id)
    cipher = _cipher(household)
    out = Revealed()
    for name in fields:
        blob = getattr(household, COLUMN[name])
        value = cipher.open_json(name, blob) if name in JSON_FIELDS else cipher.open(name, blob)
        setattr(out, name, value)
    if request is not None:
        out.details = cipher.open_json(details_field(request.kind), request.details_enc)
    return out


def close_request(req: HelpRequest, status: str) -> None:
    """Close one request; when none of the household's is open, its retention clock starts."""
    now = utcnow()
    req.status, req.closed_at, req.updated_at = status, now, now
    household = req.household
    if all(r.status not in OPEN_STATUSES for r in household.requests):
        household.last_closed_at = now


def possible_duplicates(household: Household) -> list[Household]:
    """Other households with the same phone or address, by blind index (nothing decrypted)."""
    conds = [Household.address_index == household.address_index]
    if household.phone_index:
        conds.append(Household.phone_index == household.phone_index)
    return list(db.session.scalars(select(Household).where(
        or_(*conds), Household.id != household.id).order_by(Household.id)))


def destroy_keys(ids: list[int] | None = None) -> int:
    """Delete the wrapped keys (of these households, or all): from here on, unreadable."""
    stmt = delete(HouseholdKey)
    if ids is not None:
        stmt = stmt.where(HouseholdKey.household_id.in_(ids))
    return db.session.execute(stmt).rowcount or 0


def delete_rows(ids: list[int] | None = None) -> None:
    """Delete households and their requests (of these, or all), once their keys are gone."""
    for model, column in ((HelpRequest, HelpRequest.household_id), (Household, Household.id)):
        stmt = delete(model)
        if ids is not None:
            stmt = stmt.where(column.in_(ids))
        db.session.execute(stmt)


def shred(ids: list[int]) -> int:
    """Crypto-shred households: the keys first, then the rows; after the commit, SQLite's
    WAL is checkpointed so no deleted page lingers in it."""
    if not ids:
        return 0
    destroy_keys(ids)
    delete_rows(ids)
    after_commit(checkpoint)
    return len(ids)


def checkpoint() -> None:
    """On SQLite, fold the WAL back and truncate it so deleted pages leave no copy behind."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
