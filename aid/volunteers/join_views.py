"""Joining by invitation, the volunteer's own profile, and adding a TOTP app."""
from __future__ import annotations

import pyotp
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from aid import accounts, members
from aid.extensions import limiter
from aid.security import roles_required, start_session
from aid.volunteers import bp
from aid.volunteers.forms import JoinForm, ProfileForm

JOIN_LIMIT = "20 per hour"


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(JOIN_LIMIT, methods=["POST"])
def join(token: str):
    """Sign up with an invitation link: single use, expiring; a used or old one is 404."""
    if members.find_invite(token) is None:
        abort(404)
    form = JoinForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        user = members.join(token, form.handle.data, form.password.data, form.answers())
        start_session(user)
        return redirect(url_for("volunteers.profile"))
    status = 422 if form.errors else 200
    return render_template("volunteers/join.html", form=form), status


def _profile_form(formdata=None) -> ProfileForm:
    if formdata is not None:
        return ProfileForm(formdata)
    profile = members.profile_of(current_user)
    return ProfileForm(
        contact=members.contact_of(current_user.id) or "",
        languages=sorted(profile.language_set()), deliver=profile.deliver,
        vehicle=profile.vehicle, boxes=str(profile.boxes), pack=profile.pack,
        translate_in_person=profile.translate_in_person,
        translate_remote=profile.translate_remote, court=profile.court,
        enter_courts=profile.enter_courts, availability=sorted(profile.slots()),
        home_zip=profile.home_zip or "", max_km=str(profile.max_km),
        weekly_limit=str(profile.weekly_limit))


@bp.route("/me", methods=["GET", "POST"])
@roles_required("volunteer")
def profile():
    form = _profile_form(request.form if request.method == "POST" else None)
    saved = False
    if request.method == "POST" and form.validate():
        members.update_profile(current_user, form.answers())
        saved = True
    status = 422 if form.errors else 200
    return render_template("volunteers/profile.html", form=form, saved=saved,
                           totp_secret=None if current_user.totp_secret else
                           pyotp.random_base32()), status


@bp.post("/me/totp")
@roles_required("volunteer")
def enrol_totp():
    """Add an authenticator app: the secret shown on the profile page and a code from it."""
    secret = request.form.get("secret", "")
    if not accounts.enrol_totp(current_user, secret, request.form.get("code", "")):
        form = _profile_form()
        return render_template("volunteers/profile.html", form=form, saved=False,
                               totp_secret=secret if not current_user.totp_secret else None,
                               totp_failed=True), 422
    return redirect(url_for("volunteers.profile"))
