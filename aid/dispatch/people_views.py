"""Vetting volunteers and inviting new ones: dispatchers and admins only."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from aid import members
from aid.dispatch import bp
from aid.extensions import db
from aid.links import public_url
from aid.models import Claim, Invite, User, VolunteerProfile
from aid.models._types import utcnow
from aid.security import roles_required
from aid.workflow import Invalid

ROLES = ("dispatcher", "admin")


def _tier() -> int:
    raw = request.form.get("tier", "")
    if not (raw.isascii() and raw.isdigit()):
        raise Invalid("tier")
    return int(raw)


def _volunteer_id(user_id: int) -> int:
    return user_id if user_id < 2**31 else -1


@bp.get("/volunteers")
@roles_required(*ROLES)
def volunteers():
    """Pending first, then everyone else: handle, state, tier, what they do, how busy."""
    done = (select(Claim.volunteer_id, func.count(Claim.id).label("n"))
            .where(Claim.ending == "completed").group_by(Claim.volunteer_id).subquery())
    rows = db.session.execute(
        select(User, VolunteerProfile, done.c.n)
        .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .outerjoin(done, done.c.volunteer_id == User.id)
        .where(User.roles.contains("volunteer"), User.removed_at.is_(None))
        .order_by((User.vetting == "pending").desc(), User.handle)).all()
    invites = db.session.scalars(select(Invite).where(
        Invite.used_at.is_(None), Invite.expires_at > utcnow()).order_by(Invite.id.desc()))
    return render_template("dispatch/volunteers.html", rows=rows, invites=list(invites),
                           new_link=None)


@bp.post("/invites")
@roles_required(*ROLES)
def invite():
    """A new single-use link; shown once, right here, to send over Signal."""
    tier = request.form.get("tier", "")
    token = members.create_invite(current_user.id, None if tier == "" else _tier())
    link = public_url("volunteers.join", token=token)
    return render_template("dispatch/invite_made.html", link=link)


@bp.post("/volunteers/<int:user_id>/approve")
@roles_required(*ROLES)
def approve_volunteer(user_id: int):
    members.approve(current_user.id, _volunteer_id(user_id), _tier())
    return redirect(url_for("dispatch.volunteers"))


@bp.post("/volunteers/<int:user_id>/tier")
@roles_required(*ROLES)
def volunteer_tier(user_id: int):
    members.set_tier(current_user.id, _volunteer_id(user_id), _tier())
    return redirect(url_for("dispatch.volunteers"))


@bp.post("/volunteers/<int:user_id>/pause")
@roles_required(*ROLES)
def pause_volunteer(user_id: int):
    members.pause(current_user.id, _volunteer_id(user_id))
    return redirect(url_for("dispatch.volunteers"))


@bp.post("/volunteers/<int:user_id>/resume")
@roles_required(*ROLES)
def resume_volunteer(user_id: int):
    members.resume(current_user.id, _volunteer_id(user_id))
    return redirect(url_for("dispatch.volunteers"))


@bp.post("/volunteers/<int:user_id>/remove")
@roles_required(*ROLES)
def remove_volunteer(user_id: int):
    if request.form.get("confirm") != "yes":
        raise Invalid("confirm")
    members.remove(current_user.id, _volunteer_id(user_id))
    return redirect(url_for("dispatch.volunteers"))
