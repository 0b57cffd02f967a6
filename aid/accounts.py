"""Accounts every blueprint shares: slow password hashes, single-use TOTP codes, sign-in
that slows guessing without locking the owner out, pausing and resetting accounts."""
from __future__ import annotations

import hmac
import secrets
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

FREE_FAILURES = 5  # wrong sign-ins in a row before each further try must wait
MAX_BACKOFF = 60  # seconds: the wait doubles after each failure up to this
DEVICE_COOKIE = "aid_device"
DEVICE_DAYS = 90
# A fixed hash to compare against when the handle is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def _totp_cipher() -> HouseholdCipher:
    return master_key().staff_cipher()


def set_totp(user: User, secret: str | None = None) -> str:
    secret = secret or pyotp.random_base32()
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
def create_user(handle: str, password: str, roles: list[str],
                tier: int | None = None) -> tuple[User, str | None]:
    """An account made by an organizer: approved, a volunteer at `tier` (0 if not given)."""
    user = User(handle=handle, password_hash=hash_password(password), roles=",".join(roles),
                vetting="approved", tier=tier or 0)
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


def device_token(user: User, secret: bytes) -> str:
    """A token for the browser the owner signed in from: it passes the per-account wait.

    A random part and a keyed hash of it with the account; it names nobody (no handle, no
    id in clear), and it opens nothing by itself: the password (and TOTP) are still needed.
    """
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_device_mac(user.id, nonce, secret)}"


def _device_mac(user_id: int, nonce: str, secret: bytes) -> str:
    return hmac.new(secret, f"device:{user_id}:{nonce}".encode(), "sha256").hexdigest()[:32]


def known_device(user: User, token: str | None, secret: bytes) -> bool:
    nonce, _, mac = (token or "").partition(".")
    return bool(nonce and mac) and hmac.compare_digest(mac, _device_mac(user.id, nonce, secret))


def _asks_totp(user: User) -> bool:
    """Required for staff who see data or money; for a volunteer who chose to add it."""
    return user.needs_totp or user.totp_secret is not None


@workflow
def enrol_totp(user: User, secret: str, code: str) -> bool:
    """A volunteer adds a TOTP app: the secret shown to them, confirmed by a code from it."""
    if user.totp_secret is not None or len(secret) != 32 or not secret.isalnum():
        return False
    totp = pyotp.TOTP(secret)
    code = "".join((code or "").split())
    if not any(hmac.compare_digest(totp.generate_otp(totp.timecode(time.time()) + d).encode(),
                                   code.encode()) for d in (0, -1, 1)):
        return False
    set_totp(user, secret)
    user.totp_last_step = totp.timecode(time.time()) + 1  # that code is used up
    return True


@workflow
def authenticate(handle: str, password: str, code: str, device: str | None = None,
                 secret: bytes = b"") -> User | None:
    """Check all three; None when refused (never saying which part was wrong).

    Guessing slows down per account without locking its owner out: after FREE_FAILURES wrong
    tries in a row each further try must wait (doubling, at most MAX_BACKOFF seconds), and a
    try during the wait is not even checked, unless it comes from a browser the owner signed
    in from before (`device`) or carries a fresh TOTP code, which only the owner has. The
    count is kept (this workflow commits it) even though the sign-in is refused.
    """
    handle = handle.strip()
    # No handle holds a NUL, and PostgreSQL refuses one in a query: it is an unknown handle.
    user = None if "\x00" in handle else db.session.scalar(
        select(User).where(User.handle == handle))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    now = utcnow()
    totp_checked = False
    if user.backoff_until and user.backoff_until > now and not known_device(
            user, device, secret):
        totp_checked = _asks_totp(user) and _check_totp(user, code)
        if not totp_checked:
            check_password_hash(user.password_hash, password)  # as slow as any other refusal
            return None
    ok = user.active and check_password_hash(user.password_hash, password)
    if ok and _asks_totp(user) and not totp_checked:
        ok = _check_totp(user, code)
    if not ok:
        # Count in the database, not in Python: simultaneous guesses must each count.
        failures = db.session.execute(
            update(User).where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
            .execution_options(synchronize_session=False)).scalar_one()
        if failures >= FREE_FAILURES:
            wait = min(2 ** (failures - FREE_FAILURES), MAX_BACKOFF)
            db.session.execute(
                update(User).where(User.id == user.id)
                .values(backoff_until=now + timedelta(seconds=wait))
                .execution_options(synchronize_session=False))
        return None
    user.failed_logins = 0
    user.backoff_until = None
    return user


# ---------------------------------------------------------------- managing accounts


def find(handle: str) -> User | None:
    return db.session.scalar(select(User).where(User.handle == handle.strip()))


@workflow
def pause(user: User) -> None:
    """Pause an account: it cannot sign in, and its sessions end at once."""
    from aid.security import end_all_sessions

    user.active = False
    end_all_sessions(user.id)


@workflow
def resume(user: User) -> None:
    user.active = True


@workflow
def unlock(user: User) -> None:
    """Clear the wait after wrong sign-ins (the owner asks, an organizer checks who asks)."""
    user.failed_logins = 0
    user.backoff_until = None


@workflow
def reset_password(user: User, password: str) -> None:
    """A new password; the account's sessions end, so an old one cannot stay signed in."""
    from aid.security import end_all_sessions

    user.password_hash = hash_password(password)
    user.failed_logins, user.backoff_until = 0, None
    end_all_sessions(user.id)


@workflow
def reset_totp(user: User) -> str:
    """A new TOTP secret (a lost phone); the old codes stop working, sessions end."""
    from aid.security import end_all_sessions

    end_all_sessions(user.id)
    return set_totp(user)
