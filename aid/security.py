"""Response headers, role guards and server-side staff sessions."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user

from aid.extensions import db, login
from aid.models import StaffSession, User
from aid.models._types import utcnow
from aid.workflow import workflow

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


PROTECTIVE = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
              ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
              ("Cross-Origin-Opener-Policy", "same-origin"),
              ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"))
PROTECTIVE_NAMES = frozenset(name.lower() for name, _ in PROTECTIVE)


class _PlainJSON:
    """aid's session holds only strings and flags (the language, a server-side session id,
    Flask-Login's user id, Flask-WTF's token): plain JSON, without Flask's tagging of bytes,
    tuples and dates."""

    @staticmethod
    def dumps(value) -> str:
        return json.dumps(value, separators=(",", ":"))

    @staticmethod
    def loads(value):
        return json.loads(value)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with plain JSON inside and one signing serializer per
    app: Flask builds a new one twice per request, a tenth of the household form's time, for
    a key that never changes while the app runs."""

    serializer = _PlainJSON()

    def get_signing_serializer(self, app: Flask):
        made = app.extensions.get("aid_session_serializer")
        if made is None:
            made = super().get_signing_serializer(app)
            if made is not None:
                app.extensions["aid_session_serializer"] = made
        return made


def install_headers(app: Flask) -> None:
    """Every response, errors and static files included, gets the protective headers."""
    hide_dev_server_version()

    @app.after_request
    def _headers(response):
        h = response.headers
        if any(name.lower() in PROTECTIVE_NAMES for name, _ in h.items()):
            for name, value in PROTECTIVE:  # replace what a view set
                h[name] = value
        else:
            h.extend(PROTECTIVE)
        if response.mimetype == "text/html" or response.mimetype == "application/json":
            h["Cache-Control"] = "no-store"
        h.pop("Server", None)
        if "Location" in h:
            # Werkzeug's slash redirect (/dispatch -> /dispatch/) builds a full URL from the
            # Host header; our own redirects are paths. Keep only the path, so no Host a
            # client sent ever comes back in a Location.
            parts = urlsplit(h["Location"])
            h["Location"] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if app.config.get("AID_HTTPS"):
            h["Strict-Transport-Security"] = "max-age=31536000"
        return response


def hide_dev_server_version() -> None:
    """`flask run` (the quick start) would name Werkzeug's and Python's versions."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.server_version = "aid"
    WSGIRequestHandler.sys_version = ""


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> None:
    """Log in with a fresh session: the old cookie's contents are dropped first."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    token = secrets.token_urlsafe(32)
    _store_session(token, user.id)
    session["sid"] = token
    session.permanent = False
    login_user(user)
    # Flask-Login adds a hash of the client's address and browser; we never check it (the
    # session lives on the server), and the cookie should carry nothing about the client.
    session.pop("_id", None)


@workflow
def _store_session(token: str, user_id: int) -> None:
    db.session.add(StaffSession(id=_token_id(token), user_id=user_id))


@workflow
def _forget_session(token: str) -> None:
    StaffSession.query.filter_by(id=_token_id(token)).delete()


def end_session() -> None:
    """Log out: the server forgets the session, so a copied cookie is worthless."""
    token = session.get("sid")
    if token:
        _forget_session(token)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def end_all_sessions(user_id: int) -> None:
    """Pausing or removing an account ends every one of its sessions at once."""
    StaffSession.query.filter_by(user_id=user_id).delete()


@login.user_loader
def _load_user(user_id: str) -> User | None:
    token = session.get("sid")
    if not token:
        return None
    return _check_session(token, user_id)


def _check_session(token: str, user_id: str) -> User | None:
    """The session's user if it is still good; an expired or paused one ends here."""
    row = db.session.get(StaffSession, _token_id(token))
    if row is None or str(row.user_id) != user_id:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["AID_SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["AID_SESSION_MAX_HOURS"])
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        _end(row)
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        # A paused account's session ends here, so un-pausing it does not revive the cookie.
        _end(row)
        return None
    if now - row.last_seen_at > timedelta(seconds=60):  # avoid a write on every click
        _touch(row, now)
    return user


@workflow
def _end(row: StaffSession) -> None:
    db.session.delete(row)


@workflow
def _touch(row: StaffSession, now) -> None:
    row.last_seen_at = now


def roles_required(*roles: str):
    """Logged in and holding one of the roles; others get 403, anonymous the login page."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
