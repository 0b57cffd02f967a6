"""Accounts: slow password hashes, single-use TOTP codes, per-account throttling."""
from __future__ import annotations

import hmac
import time
from datetime import timedelta

import pyotp
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from aid.crypto import HouseholdCipher
from aid.extensions import db
from aid.keystore import master_key
from aid.models import User
from aid.models._types import utcnow
from aid.workflow import workflow

MAX_FAILURES = 5
LOCK_MINUTES = 15
# A fixed hash to compare against when the handle is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def _totp_cipher() -> HouseholdCipher:
    return master_key().staff_cipher()


def set_totp(user: User) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = _totp_cipher().seal(f"totp.{user.handle}", secret)
    user.totp_last_step = 0
    return secret


def totp_secret(user: User) -> str | None:
    if user.totp_secret is None:
        return None
    return _totp_cipher().open(f"totp.{user.handle}", user.totp_secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.handle, issuer_name="aid")


@workflow
def create_user(handle: str, password: str, roles: list[str]) -> tuple[User, str | None]:
    user = User(handle=handle, password_hash=hash_password(password), roles=",".join(roles))
    db.session.add(user)
    db.session.flush()
    secret = set_totp(user) if user.needs_totp else None
    return user, secret


def _check_totp(user: User, code: str) -> bool:
    """Accept the current code or its neighbour; a code that was used once never works again."""
    secret = totp_secret(user)
    code = "".join(code.split())  # authenticator apps show "123 456"
    if not secret or not code:
        return False
    totp = pyotp.TOTP(secret)
    now = time.time()
    for offset in (0, -1, 1):
        step = totp.timecode(now) + offset
        if hmac.compare_digest(totp.generate_otp(step).encode(), code.encode()):
            # Claim the step in one conditional UPDATE: of simultaneous sign-ins with the
            # same code, the database lets exactly one through.
            claimed = db.session.execute(
                update(User).where(User.id == user.id, User.totp_last_step < step)
                .values(totp_last_step=step).execution_options(synchronize_session=False))
            return claimed.rowcount == 1
    return False


@workflow
def authenticate(handle: str, password: str, code: str) -> User | None:
    """Check all three; None when refused (never saying which part was wrong).

    Failures count per account and lock it for a while, for no one else; the count is kept
    (this workflow commits it) even though the sign-in is refused.
    """
    handle = handle.strip()
    # No handle holds a NUL, and PostgreSQL refuses one in a query: it is an unknown handle.
    user = None if "\x00" in handle else db.session.scalar(
        select(User).where(User.handle == handle))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        check_password_hash(user.password_hash, password)  # as slow as any other refusal
        return None
    ok = user.active and check_password_hash(user.password_hash, password)
    if ok and user.needs_totp:
        ok = _check_totp(user, code)
    if not ok:
        # Count in the database, not in Python: simultaneous guesses must each count.
        failures = db.session.execute(
            update(User).where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
            .execution_options(synchronize_session=False)).scalar_one()
        if failures >= MAX_FAILURES:
            db.session.execute(
                update(User).where(User.id == user.id)
                .values(locked_until=now + timedelta(minutes=LOCK_MINUTES), failed_logins=0)
                .execution_options(synchronize_session=False))
        return None
    user.failed_logins = 0
    user.locked_until = None
    return user
