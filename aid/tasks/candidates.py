"""The database as the pure matching engine (aid.matching) sees it: volunteers and needs.

Only what matching needs is read: no contact, no exact point, nothing about a household but
its id (to know who has helped it before), its language and its ZIP's centroid. For one
task's suggestions the database first narrows the volunteers to those who could take it
(tier, skill, language, free that day and slot, within reach), so a city of 30,000 costs a
few thousand rows, not all of them.
"""
from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from aid import matching
from aid.extensions import db
from aid.models import Claim, Task, User, VolunteerProfile
from aid.vocabulary import SLOTS, TASK_KINDS, WEEKDAYS

SKILL = {"delivery": "deliver", "translation_visit": "translate_in_person",
         "translation_remote": "translate_remote", "court": "court", "packing": "pack"}
KM_PER_DEG = 111.0
P = VolunteerProfile
CELL = {f"{day}:{slot}": WEEKDAYS.index(day) * 3 + SLOTS.index(slot)
        for day in WEEKDAYS for slot in SLOTS}


def need_of(task: Task) -> matching.Need:
    kind = TASK_KINDS[task.kind]
    placed = kind.reveals_address or task.kind == "court"
    return matching.Need(
        id=task.id, skill=SKILL[task.kind], min_tier=task.min_tier, language=task.language,
        needs_language=kind.needs_language,
        weekslot=None if task.weekslot < 0 else task.weekslot,
        lat=task.lat if placed else None, lon=task.lon if placed else None,
        boxes=task.boxes, household_id=task.household_id,
        risk=1 if task.kind == "court" else 0, priority=task.priority)


def _able(skill: str, boxes: int = 0):
    """The SQL condition for a skill, as aid.members.skills_of and aid.matching read it."""
    return {"deliver": and_(P.deliver, P.boxes > 0, P.boxes >= boxes), "pack": P.pack,
            "translate_in_person": P.translate_in_person,
            "translate_remote": P.translate_remote, "court": P.court}[skill]


def _narrowing(need: matching.Need) -> list:
    """SQL conditions no volunteer who could take `need` fails (matching decides the rest)."""
    conds = [User.tier >= need.min_tier, _able(need.skill, need.boxes)]
    if need.needs_language and need.language:
        conds.append(or_(P.languages == need.language,
                         P.languages.like(f"{need.language},%"),
                         P.languages.like(f"%,{need.language}"),
                         P.languages.like(f"%,{need.language},%")))
    if need.weekslot is not None and need.weekslot >= 0:
        cell = f"{WEEKDAYS[need.weekslot // 3]}:{SLOTS[need.weekslot % 3]}"
        conds.append(P.availability.like(f"%{cell}%"))
    if need.lat is not None:
        cos = max(0.1, math.cos(math.radians(need.lat)))
        conds += [P.home_lat.is_not(None),
                  func.abs(P.home_lat - need.lat) * KM_PER_DEG <= P.max_km,
                  func.abs(P.home_lon - need.lon) * KM_PER_DEG * cos <= P.max_km]
    return conds


def volunteers_for(day: date, need: matching.Need | None = None) -> list[matching.Volunteer]:
    """Approved, active volunteers (those who could take `need`, if given), with this week's
    load, the slots they are busy in that day, the households they have helped and how many
    tasks they have done."""
    conds = [User.active, User.vetting == "approved", User.removed_at.is_(None),
             User.roles.contains("volunteer")]
    if need is not None:
        conds += _narrowing(need)
    stmt = select(
        User.id, User.tier, P.languages, P.availability, P.home_lat, P.home_lon, P.max_km,
        P.deliver, P.boxes, P.pack, P.translate_in_person, P.translate_remote, P.court,
        P.enter_courts, P.weekly_limit).join(P, P.user_id == User.id).where(*conds)
    rows = db.session.execute(stmt).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    start = day - timedelta(days=day.weekday())
    load = dict(db.session.execute(
        select(Task.holder_id, func.count(Task.id)).where(
            Task.holder_id.in_(ids), Task.day.between(start, start + timedelta(days=6)),
            Task.status.in_(("claimed", "done", "held"))).group_by(Task.holder_id)).all())
    busy: dict[int, set[int]] = {}
    for holder, slot in db.session.execute(select(Task.holder_id, Task.weekslot).where(
            Task.holder_id.in_(ids), Task.day == day, Task.status == "claimed")):
        busy.setdefault(holder, set()).add(slot)
    done: dict[int, int] = {}
    knows: dict[int, set[int]] = {}
    for holder, household in db.session.execute(
            select(Claim.volunteer_id, Task.household_id).join(Task, Task.id == Claim.task_id)
            .where(Claim.volunteer_id.in_(ids), Claim.ending == "completed")):
        done[holder] = done.get(holder, 0) + 1
        if household is not None:
            knows.setdefault(holder, set()).add(household)
    return [_volunteer(r, load, busy, done, knows) for r in rows]


def _volunteer(row, load, busy, done, knows) -> matching.Volunteer:
    (vid, tier, languages, availability, lat, lon, max_km, deliver, boxes, pack, in_person,
     remote, court, enters_courts, weekly_limit) = row
    skills = []
    if deliver and boxes > 0:
        skills.append("deliver")
    if pack:
        skills.append("pack")
    if court:
        skills.append("court")
    if in_person:
        skills.append("translate_in_person")
    if remote:
        skills.append("translate_remote")
    return matching.Volunteer(
        vid, tier, frozenset(skills), frozenset(languages.split(",")) if languages else _NONE,
        frozenset([CELL[c] for c in availability.split(",") if c in CELL]) if availability
        else _NONE, lat, lon, float(max_km), boxes if deliver else 0, weekly_limit,
        load.get(vid, 0), True, frozenset(knows.get(vid, ())), done.get(vid, 0),
        enters_courts, frozenset(busy.get(vid, ())))


_NONE: frozenset = frozenset()


def suggestions(task: Task, limit: int = 10) -> list[matching.Suggestion]:
    """The best `limit` volunteers for a task, among those the database lets through."""
    need = need_of(task)
    return matching.suggest(need, volunteers_for(task.day, need), limit)


def proposal(day: date) -> tuple[matching.Assignment, list[Task]]:
    """'Assign all' for a day: one optimal assignment of its open tasks (not yet applied)."""
    tasks = list(db.session.scalars(select(Task).where(Task.day == day,
                                                      Task.status == "open")))
    if not tasks:
        return matching.Assignment((), (), 0.0), []
    return matching.assign_all([need_of(t) for t in tasks], volunteers_for(day)), tasks
