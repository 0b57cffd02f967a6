"""Sign in and out; each role lands on its own page."""
from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, PasswordField, StringField

from aid import accounts as service
from aid.auth import bp
from aid.extensions import limiter
from aid.forms import AidForm, MaxLength, Required, digits, strip
from aid.security import end_session, start_session

# Where each role starts, first match wins; a role whose page does not exist yet lands on
# the staff home page, which says who is signed in and what they can open.
ROLE_HOMES = (("dispatcher", "dispatch.triage"), ("admin", "dispatch.triage"),
              ("treasurer", "ledger.home"), ("volunteer", "volunteers.board"))


class LoginForm(AidForm):
    handle = StringField(_l("Username"), filters=[strip],
                         validators=[Required(_l("Enter your username.")),
                                     MaxLength(64, _l("Use at most %(num)d characters.",
                                                      num=64))])
    password = PasswordField(_l("Password"),
                             validators=[Required(_l("Enter your password."))])
    code = StringField(_l("Code from your authenticator app (if you have one)"),
                       filters=[digits])
    next = HiddenField()


def home_for(user) -> str:
    for role, endpoint in ROLE_HOMES:
        if user.has_role(role) and endpoint in current_app.view_functions:
            return url_for(endpoint)
    return url_for("main.home")


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to after signing in, or None: never another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t\x00") or not target.isascii():
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _per_client_and_handle() -> str:
    """Failed sign-ins count per browser address and handle: one office behind one address
    is not blocked by one person's mistakes, and a guesser is slowed on each account."""
    secret = _secret()
    handle = (request.form.get("handle") or "").strip().lower()
    msg = f"{request.remote_addr}\x00{handle}".encode()
    return "login:" + hmac.new(secret, msg, hashlib.sha256).hexdigest()[:24]


def _secret() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    return secret if isinstance(secret, bytes) else secret.encode()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_per_client_and_handle,
               deduct_when=lambda response: response.status_code == 401)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(request.form if request.method == "POST" else None,
                     next=safe_next(request.args.get("next")) or "")
    failed = False
    if request.method == "POST" and form.validate():
        user = service.authenticate(form.handle.data, form.password.data, form.code.data or "",
                                    request.cookies.get(service.DEVICE_COOKIE), _secret())
        if user is None:
            failed = True
        else:
            start_session(user)
            response = redirect(safe_next(form.next.data) or home_for(user))
            response.set_cookie(service.DEVICE_COOKIE, service.device_token(user, _secret()),
                                max_age=service.DEVICE_DAYS * 86400, httponly=True,
                                samesite="Lax", secure=bool(current_app.config["AID_HTTPS"]))
            return response
    status = 401 if failed else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logout")
def logout():
    end_session()
    return redirect(url_for("main.index"))
