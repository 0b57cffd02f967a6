"""Sign in and out."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, StringField

from aid.auth import bp, service
from aid.extensions import limiter
from aid.forms import AidForm, MaxLength, Required, digits, strip
from aid.security import end_session, start_session


class LoginForm(AidForm):
    handle = StringField(_l("Username"), filters=[strip],
                         validators=[Required(_l("Enter your username.")),
                                     MaxLength(64, _l("Use at most %(num)d characters.",
                                                      num=64))])
    password = PasswordField(_l("Password"),
                             validators=[Required(_l("Enter your password."))])
    code = StringField(_l("Code from your authenticator app (if you have one)"),
                       filters=[digits])


def _home_for(user) -> str:
    if user.has_role("dispatcher", "admin"):
        return url_for("dispatch.triage")
    if user.has_role("treasurer"):
        return url_for("ledger.home")
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm(request.form if request.method == "POST" else None)
    failed = False
    if request.method == "POST" and form.validate():
        user = service.authenticate(form.handle.data, form.password.data, form.code.data or "")
        if user is None:
            failed = True
        else:
            start_session(user)
            return redirect(_home_for(user))
    status = 401 if failed else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logout")
def logout():
    end_session()
    return redirect(url_for("main.index"))
