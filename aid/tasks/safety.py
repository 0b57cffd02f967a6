"""Safety holds: an area (ZIP codes, or a circle around a point) where nobody goes for a time.

Putting a hold marks every visit inside it whose window falls in the hold's time as held
(reason "safety") and tells each holder at once; plans leave those stops out. Lifting it, or
its end, brings them back (to their holder, or to the board) unless another hold still covers
them, and tells the holders. Visits made later inside a live hold are caught by `sweep`.

A circle is matched against the task's approximate point (its ZIP's centroid) with a margin
of MARGIN_KM: a household near the edge of a circle is held rather than visited.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid import audit, clock
from aid.extensions import db
from aid.models import Notice, SafetyHold, Task
from aid.models._types import utcnow
from aid.routing.geocode import normalize_zip, zip_centroid
from aid.tasks.board import km_between
from aid.vocabulary import TASK_KINDS
from aid.workflow import Conflict, Invalid, workflow

MARGIN_KM = 1.5  # a ZIP centroid is not the household: lean towards holding
MAX_HOURS = 14 * 24
MAX_RADIUS_KM = 50.0
MAX_ZIPS = 40
VISITS = tuple(code for code, kind in TASK_KINDS.items() if kind.reveals_address)
LIVE = ("open", "claimed")

NO_AREA = _l("Give the area to hold: one or more ZIP codes, or a point and a radius.")
BAD_ZIP = _l("These ZIP codes are not known: %(zips)s")
BAD_POINT = _l("The point must be a latitude and a longitude, such as 44.95, -93.26.")
BAD_RADIUS = _l("The radius must be a number of kilometres between 0.1 and 50.")
BAD_HOURS = _l("The hold must last between 1 hour and 14 days.")
LIFTED = _l("This hold was already lifted or has ended.")


def parse_zips(raw: str) -> list[str]:
    """ZIP codes typed with commas, spaces or new lines; every one must be known."""
    words = [w for w in raw.replace(",", " ").replace(";", " ").split() if w]
    zips, unknown = [], []
    for word in words:
        zip5 = normalize_zip(word)
        if zip5 is None or zip_centroid(zip5) is None:
            unknown.append(word[:10])
        elif zip5 not in zips:
            zips.append(zip5)
    if unknown:
        raise Invalid("zip", BAD_ZIP % {"zips": ", ".join(unknown)})
    if len(zips) > MAX_ZIPS:
        raise Invalid("zip", NO_AREA)
    return zips


def covers_place(hold: SafetyHold, zip5: str | None, lat: float | None,
                 lon: float | None) -> bool:
    """Whether a place (a ZIP and its approximate point) lies in the hold's area."""
    if hold.radius_km is None:
        return bool(zip5) and zip5 in hold.zip_list()
    if lat is None or lon is None:
        return False
    return km_between(hold.center_lat, hold.center_lon, lat, lon) <= hold.radius_km + MARGIN_KM


def _window(task: Task) -> tuple[datetime, datetime]:
    return clock.to_utc(task.day, task.window_start), clock.to_utc(task.day, task.window_end)


def covers(hold: SafetyHold, task: Task) -> bool:
    """The hold covers the task: a visit inside the area, in the hold's time."""
    if task.kind not in VISITS or not covers_place(hold, task.zip, task.lat, task.lon):
        return False
    start, end = _window(task)
    return start < hold.ends_at and end > hold.starts_at


def live_holds(now: datetime | None = None) -> list[SafetyHold]:
    """Holds not lifted and not yet ended (including those that start later)."""
    now = now or utcnow()
    return list(db.session.scalars(select(SafetyHold).where(
        SafetyHold.lifted_at.is_(None), SafetyHold.ends_at > now).order_by(SafetyHold.id)))


def covering(task: Task, holds: Iterable[SafetyHold]) -> list[SafetyHold]:
    return [h for h in holds if covers(h, task)]


def _hold_task(task: Task) -> None:
    task.status, task.hold_reason, task.updated_at = "held", "safety", utcnow()
    if task.holder_id:
        db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="hold"))


def apply(hold: SafetyHold, actor_id: int | None) -> int:
    """Hold every live visit the hold covers; tell their holders (a step)."""
    held = 0
    for task in db.session.scalars(select(Task).where(
            Task.status.in_(LIVE), Task.kind.in_(VISITS),
            Task.day >= clock.today() - timedelta(days=1))).all():
        if covers(hold, task):
            _hold_task(task)
            audit.record(actor_id, "safety_hold", task.household_id, task.request_id,
                         f"hold {hold.id}", task_id=task.id)
            held += 1
    return held


@workflow
def create(actor_id: int, zips: list[str], center: tuple[float, float] | None,
           radius_km: float | None, hours: int) -> tuple[SafetyHold, int]:
    """Put an area on hold from now for `hours`; return the hold and the visits it held."""
    if not zips and center is None:
        raise Invalid("area", NO_AREA)
    if not 1 <= hours <= MAX_HOURS:
        raise Invalid("hours", BAD_HOURS)
    if center is not None and (radius_km is None or not 0.1 <= radius_km <= MAX_RADIUS_KM):
        raise Invalid("radius", BAD_RADIUS)
    now = utcnow()
    hold = SafetyHold(zips=",".join(zips) if center is None else None,
                      center_lat=center[0] if center else None,
                      center_lon=center[1] if center else None,
                      radius_km=radius_km if center else None, starts_at=now,
                      ends_at=now + timedelta(hours=hours), created_by=actor_id,
                      created_at=now)
    db.session.add(hold)
    db.session.flush()
    audit.record(actor_id, "safety_hold_put", detail=f"hold {hold.id}")
    return hold, apply(hold, actor_id)


def _release(hold: SafetyHold, actor_id: int | None) -> int:
    """Bring back the visits this hold held, unless another live hold covers them."""
    others = [h for h in live_holds() if h.id != hold.id]
    back = 0
    for task in db.session.scalars(select(Task).where(
            Task.status == "held", Task.hold_reason == "safety")).all():
        if not covers_place(hold, task.zip, task.lat, task.lon) or covering(task, others):
            continue
        task.status = "claimed" if task.holder_id else "open"
        task.hold_reason, task.updated_at = None, utcnow()
        if task.holder_id:
            db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="hold_lifted"))
        audit.record(actor_id, "safety_hold_lift", task.household_id, task.request_id,
                     f"hold {hold.id}", task_id=task.id)
        back += 1
    return back


@workflow
def lift(actor_id: int, hold_id: int) -> int:
    """Lift a hold now; the visits it held come back. Returns how many."""
    hold = db.session.get(SafetyHold, hold_id)
    if hold is None or hold.lifted_at is not None or hold.ends_at <= utcnow():
        raise Conflict("lifted", LIFTED)
    hold.lifted_at, hold.lifted_by = utcnow(), actor_id
    audit.record(actor_id, "safety_hold_lifted", detail=f"hold {hold.id}")
    return _release(hold, actor_id)


@workflow
def sweep() -> tuple[int, int]:
    """Ended holds let their visits go; live holds catch visits made since (the job)."""
    now = utcnow()
    ended = list(db.session.scalars(select(SafetyHold).where(
        SafetyHold.lifted_at.is_(None), SafetyHold.ends_at <= now)))
    back = 0
    for hold in ended:
        hold.lifted_at = hold.ends_at
        back += _release(hold, None)
    held = sum(apply(hold, None) for hold in live_holds(now))
    return held, back


def sweep_job() -> tuple[int, int]:
    return sweep()
