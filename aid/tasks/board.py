"""The board: the open tasks a volunteer can do (kind, language, tier), near them, in their
availability, most urgent and nearest first. Never a name, an address or a contact: kind,
area, a distance band, day and window, language."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from aid import clock
from aid.extensions import db
from aid.models import Task, User, VolunteerProfile
from aid.vocabulary import SLOTS, TASK_KINDS, WEEKDAYS

PAGE_SIZE = 25
BANDS = ((2, "0-2"), (5, "2-5"), (10, "5-10"), (25, "10-25"), (math.inf, "25+"))
KM_PER_DEG_LAT = 111.0


@dataclass(frozen=True)
class Entry:
    """One task as the board shows it."""

    id: int
    kind: str
    day: date
    slot: str | None
    window_start: int
    window_end: int
    area: str | None
    language: str | None
    boxes: int
    priority: int
    km: float | None  # from the volunteer's home ZIP to the household's ZIP (approximate)
    band: str | None


def km_between(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def band(km: float | None) -> str | None:
    if km is None:
        return None
    return next(label for limit, label in BANDS if km <= limit)


def allowed_kinds(user: User, profile: VolunteerProfile) -> list[str]:
    """Kinds this volunteer's tier and skills allow."""
    able = {"delivery": profile.deliver and profile.boxes > 0, "packing": profile.pack,
            "translation_visit": profile.translate_in_person,
            "translation_remote": profile.translate_remote,
            "court": profile.court and profile.enter_courts}
    return [code for code, kind in TASK_KINDS.items()
            if able.get(code) and kind.min_tier <= user.tier]


def weekslots_of(profile: VolunteerProfile) -> list[int]:
    out = []
    for cell in profile.slots():
        day, _, slot = cell.partition(":")
        if day in WEEKDAYS and slot in SLOTS:
            out.append(WEEKDAYS.index(day) * 3 + SLOTS.index(slot))
    return out


def board(user: User, profile: VolunteerProfile, kind: str | None = None,
          day: date | None = None, max_km: float | None = None,
          page: int = 1) -> tuple[list[Entry], bool]:
    """One page of the board and whether another follows.

    The database narrows by status, tier, kind, language, availability, day and a box
    around the volunteer's reach; distances are computed for what is left.
    """
    kinds = allowed_kinds(user, profile)
    if kind:
        kinds = [k for k in kinds if k == kind]
    if not kinds or not user.approved:
        return [], False
    languages = sorted(profile.language_set())
    conds = [Task.status == "open", Task.min_tier <= user.tier, Task.kind.in_(kinds),
             Task.day >= clock.today()]
    if day:
        conds.append(Task.day == day)
    language_kinds = [k for k in kinds if TASK_KINDS[k].needs_language]
    if language_kinds:
        conds.append(or_(Task.kind.not_in(language_kinds), Task.language.in_(languages)))
    delivery_boxes = profile.boxes if profile.deliver else 0
    conds.append(or_(Task.kind != "delivery", Task.boxes <= delivery_boxes))
    conds.append(or_(Task.weekslot == -1, Task.weekslot.in_(weekslots_of(profile) or [-2])))
    reach = min(profile.max_km, max_km) if max_km else profile.max_km
    placed = [k for k in kinds if TASK_KINDS[k].reveals_address or k == "court"]
    if profile.home_lat is not None and placed:
        dlat = reach / KM_PER_DEG_LAT
        dlon = reach / (KM_PER_DEG_LAT * max(0.1, math.cos(math.radians(profile.home_lat))))
        conds.append(or_(Task.kind.not_in(placed), and_(
            Task.lat.between(profile.home_lat - dlat, profile.home_lat + dlat),
            Task.lon.between(profile.home_lon - dlon, profile.home_lon + dlon))))
    rows = db.session.execute(select(
        Task.id, Task.kind, Task.day, Task.slot, Task.window_start, Task.window_end,
        Task.area, Task.language, Task.boxes, Task.priority, Task.lat, Task.lon)
        .where(*conds)).all()
    entries = []
    for r in rows:
        km = None
        if profile.home_lat is not None and r.lat is not None:
            km = km_between(profile.home_lat, profile.home_lon, r.lat, r.lon)
            if r.kind in placed and km > reach:
                continue
        entries.append(Entry(r.id, r.kind, r.day, r.slot, r.window_start, r.window_end,
                             r.area, r.language, r.boxes, r.priority, km, band(km)))
    entries.sort(key=lambda e: (e.day, -e.priority, e.window_start,
                                e.km if e.km is not None else 0.0, e.id))
    start = (page - 1) * PAGE_SIZE
    return entries[start:start + PAGE_SIZE], len(entries) > start + PAGE_SIZE


def mine(user: User) -> list[Task]:
    """What this volunteer holds, and what they finished in the last day, soonest first;
    a day with a published route in the route's order."""
    from aid.dayplan.read import driver_stops

    tasks = list(db.session.scalars(select(Task).where(
        Task.holder_id == user.id, Task.status.in_(("claimed", "held", "done")),
        Task.day >= clock.today()).order_by(Task.day, Task.window_start, Task.id)))
    route = driver_stops(user.id, {t.day for t in tasks})
    tasks.sort(key=lambda t: (t.day, route[t.id].seq if t.id in route else 10**6,
                              t.window_start, t.id))
    return tasks
