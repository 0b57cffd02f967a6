"""Safety holds: put an area on hold for a time, see the live ones, lift one."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from aid.crypto import normalize_digits
from aid.extensions import db
from aid.models import SafetyHold, Task
from aid.models._types import utcnow
from aid.plans import ROLES, bp
from aid.security import roles_required
from aid.tasks import safety
from aid.workflow import DomainError, Invalid

FIELDS = ("kind", "zips", "point", "radius_km", "hours")


def _number(raw: str | None) -> float | None:
    text = normalize_digits(raw or "").strip().replace("\u2212", "-")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _point(raw: str | None) -> tuple[float, float] | None:
    text = normalize_digits(raw or "").replace(";", ",").replace("\u2212", "-")
    parts = [p for p in text.replace(",", " ").split() if p]
    if len(parts) != 2:
        return None
    lat, lon = _number(parts[0]), _number(parts[1])
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _page(values: dict, error=None, status: int = 200, outcome=None):
    holds = safety.live_holds()
    tasks = db.session.scalars(select(Task).where(Task.status == "held",
                                                  Task.hold_reason == "safety")).all()
    held = {h.id: sum(1 for t in tasks if safety.covers_place(h, t.zip, t.lat, t.lon))
            for h in holds}
    ended = db.session.scalars(select(SafetyHold).where(
        (SafetyHold.lifted_at.is_not(None)) | (SafetyHold.ends_at <= utcnow()))
        .order_by(SafetyHold.id.desc()).limit(10)).all()
    return render_template("plans/holds.html", holds=holds, held=held, ended=ended,
                           values=values, error=error, outcome=outcome), status


@bp.get("/holds")
@roles_required(*ROLES)
def holds():
    return _page({"kind": "zips", "hours": "12", "radius_km": "1"})


@bp.post("/holds")
@roles_required(*ROLES)
def hold_create():
    """Put an area on hold now: ZIP codes, or a point and a radius."""
    values = {name: (request.form.get(name) or "")[:400] for name in FIELDS}
    try:
        zips, center, radius = [], None, None
        if values["kind"] == "circle":
            center = _point(values["point"])
            radius = _number(values["radius_km"])
            if center is None:
                raise Invalid("point", safety.BAD_POINT)
        else:
            zips = safety.parse_zips(values["zips"])
        hours = _number(values["hours"])
        if hours is None or hours != int(hours):
            raise Invalid("hours", safety.BAD_HOURS)
        hold, count = safety.create(current_user.id, zips, center, radius, int(hours))
    except DomainError as err:
        return _page(values, err.message, err.status)
    return _page({"kind": "zips", "hours": "12", "radius_km": "1"},
                 outcome=("put", hold.id, count))


@bp.post("/holds/<int:hold_id>/lift")
@roles_required(*ROLES)
def hold_lift(hold_id: int):
    if hold_id >= 2**31 or db.session.get(SafetyHold, hold_id) is None:
        abort(404)
    count = safety.lift(current_user.id, hold_id)
    return redirect(url_for("plans.holds", lifted=count))
