"""Household workflows: submit a request, find it by status code, cancel, delete.

Views call these; each runs in one transaction. Personal fields are sealed here, under the
household's own key, before anything reaches the database.
"""
from __future__ import annotations

import base64
import secrets
import uuid

from sqlalchemy import or_, select, text

from aid.crypto import HouseholdCipher, normalize_address, normalize_digits, normalize_phone
from aid.extensions import db
from aid.keystore import master_key
from aid.models import HelpRequest, Household, HouseholdKey
from aid.models._types import utcnow
from aid.models.requests import OPEN_STATUSES
from aid.routing.geocode import zip_place

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_BYTES = 10  # 80 bits from the OS's secure source
PHONE_METHODS = frozenset({"signal", "whatsapp", "sms", "call"})


def new_status_code() -> str:
    """16 characters in groups of four, e.g. 7KQ2-M9XD-4HRT-0PZB: easy to read aloud and copy."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    std = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    code = "".join(CODE_ALPHABET[std.index(ch)] for ch in raw)
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


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


def submit(answers: dict) -> str:
    """Store a household and one request per kind of help; return its status code, once."""
    key = master_key()
    code = new_status_code()
    uid = uuid.uuid4().hex
    data_key = key.new_household_key()
    cipher = HouseholdCipher(data_key, uid)
    area, lat, lon = zip_area(answers["zip"])
    phone_idx = None
    if answers["contact_method"] in PHONE_METHODS:
        phone_idx = key.blind_index("phone", normalize_phone(answers["contact_handle"]))
    household = Household(
        uid=uid,
        status_code_hash=key.code_hash(code.replace("-", "")),
        language=answers["language"],
        zip=answers["zip"],
        area=area,
        approx_lat=lat,
        approx_lon=lon,
        name_enc=cipher.seal("name", answers["name"]),
        contact_enc=cipher.seal_json("contact", {"method": answers["contact_method"],
                                                 "handle": answers["contact_handle"]}),
        address_enc=cipher.seal_json("address", {k: answers.get(k, "") for k in
                                                 ("street", "unit", "city", "zip")}),
        safety_notes_enc=cipher.seal("safety_notes", answers.get("safety_notes")),
        code_word_enc=cipher.seal("code_word", answers.get("code_word")),
        phone_index=phone_idx,
        address_index=key.blind_index(
            "address", normalize_address(answers["street"], answers.get("unit", ""),
                                         answers["zip"])),
    )
    household.key = HouseholdKey(wrapped=key.wrap(data_key, uid))
    for kind in answers["kinds"]:
        details = answers.get("details", {}).get(kind, {})
        household.requests.append(HelpRequest(
            kind=kind, status="new", details_enc=cipher.seal_json(f"request.{kind}", details)))
    db.session.add(household)
    db.session.commit()
    return code


def find_household(typed_code: str) -> Household | None:
    """The household for a status code; an unknown and a wrong code look the same."""
    code = normalize_code(typed_code).replace("-", "")
    if len(code) != 16:
        return None
    digest = master_key().code_hash(code)
    return db.session.scalar(select(Household).where(Household.status_code_hash == digest))


def cipher_for(household: Household) -> HouseholdCipher:
    """Unwrap a household's key; callers that show a person's data must audit the reveal."""
    data_key = master_key().unwrap(household.key.wrapped, household.uid)
    return HouseholdCipher(data_key, household.uid)


def close_request(req: HelpRequest, status: str) -> None:
    now = utcnow()
    req.status, req.closed_at, req.updated_at = status, now, now
    household = req.household
    if all(r.status not in OPEN_STATUSES for r in household.requests):
        household.last_closed_at = now


def cancel(household: Household, request_id: int) -> bool:
    """The household cancels one of its open requests."""
    for req in household.requests:
        if req.id == request_id and req.status in OPEN_STATUSES:
            close_request(req, "cancelled")
            db.session.commit()
            return True
    return False


def delete_household(household: Household) -> None:
    """Delete now: the key goes first, so any copy of the ciphertext is unreadable."""
    db.session.execute(HouseholdKey.__table__.delete().where(
        HouseholdKey.household_id == household.id))
    db.session.delete(household)
    db.session.commit()
    checkpoint()


def checkpoint() -> None:
    """On SQLite, fold the WAL back and truncate it so deleted pages leave no copy behind."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def possible_duplicates(household: Household) -> list[Household]:
    """Other households with the same phone or address, by blind index (nothing decrypted)."""
    conds = [Household.address_index == household.address_index]
    if household.phone_index:
        conds.append(Household.phone_index == household.phone_index)
    return list(db.session.scalars(select(Household).where(
        or_(*conds), Household.id != household.id).order_by(Household.id)))
