"""The database as the pure matching engine (aid.matching) sees it: volunteers and needs.

Only what matching needs is read: no contact, no exact point, nothing about a household but
its id (to know who has helped it before), its language and its ZIP's centroid. The
volunteers of a day are read once into a Roster (numpy columns) and kept while nothing they
depend on changes, so each task's suggestions cost a fraction of a millisecond.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from aid import matching
from aid.extensions import db
from aid.models import Claim, Task, User, VolunteerProfile
from aid.vocabulary import SLOTS, TASK_KINDS, WEEKDAYS

SKILL = {"delivery": "deliver", "translation_visit": "translate_in_person",
         "translation_remote": "translate_remote", "court": "court", "packing": "pack"}
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


def volunteers_for(day: date) -> list[matching.Volunteer]:
    """Approved, active volunteers with this week's load, the slots they are busy in that
    day, the households they have helped and how many tasks they have done."""
    conds = [User.active, User.vetting == "approved", User.removed_at.is_(None),
             User.roles.contains("volunteer")]
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


def _fingerprint() -> tuple:
    """What changes when anything matching reads changes: profiles, vetting and pauses,
    claims, tasks taken, done or moved. Cheap aggregate queries, no rows."""
    return (
        db.session.scalar(select(func.max(P.updated_at))),
        tuple(db.session.execute(select(func.count(User.id), func.sum(User.tier),
                                        func.max(User.removed_at)).where(
            User.active, User.vetting == "approved")).one()),
        tuple(db.session.execute(select(func.max(Claim.id), func.max(Claim.ended_at))).one()),
        db.session.scalar(select(func.max(Task.updated_at))),  # any change to a task moves it
    )


def roster_for(day: date) -> matching.Roster:
    """Every approved volunteer as matching's columns for `day`, kept per app while nothing
    it reads has changed: a dispatcher going through the day's tasks pays the load once."""
    cache = current_app.extensions.setdefault("aid_rosters", {})
    fingerprint = _fingerprint()
    hit = cache.get(day)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    roster = matching.Roster(volunteers_for(day))
    if len(cache) >= 14:
        cache.clear()
    cache[day] = (fingerprint, roster)
    return roster


def suggestions(task: Task, limit: int = 10) -> list[matching.Suggestion]:
    """The best `limit` volunteers for a task; a stale pick is refused when assigned (the
    claim rules check again), so the kept roster can never give a task to the wrong one."""
    return matching.suggest(need_of(task), roster_for(task.day), limit)


def proposal(day: date) -> tuple[matching.Assignment, list[Task]]:
    """'Assign all' for a day: one optimal assignment of its open tasks (not yet applied)."""
    tasks = list(db.session.scalars(select(Task).where(Task.day == day,
                                                      Task.status == "open")))
    if not tasks:
        return matching.Assignment((), (), 0.0), []
    return matching.assign_all([need_of(t) for t in tasks], roster_for(day)), tasks
