"""The database as the pure matching engine (aid.matching) sees it: volunteers and needs.

Only what matching needs is read: no contact, no exact point, nothing about a household but
its id (to know who has helped it before), its language and its ZIP's centroid.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from aid import matching, members
from aid.extensions import db
from aid.models import Claim, Task, User, VolunteerProfile
from aid.tasks.board import weekslots_of
from aid.vocabulary import TASK_KINDS

SKILL = {"delivery": "deliver", "translation_visit": "translate_in_person",
         "translation_remote": "translate_remote", "court": "court", "packing": "pack"}


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


def _week(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def volunteers_for(day: date, min_tier: int = 0) -> list[matching.Volunteer]:
    """Every approved, active volunteer who could hold a task on `day`, with this week's load,
    the households they have helped and how many tasks they have done."""
    start, end = _week(day)
    rows = db.session.execute(
        select(User, VolunteerProfile).join(VolunteerProfile,
                                            VolunteerProfile.user_id == User.id)
        .where(User.active, User.vetting == "approved", User.removed_at.is_(None),
               User.tier >= min_tier, User.roles.contains("volunteer"))).all()
    if not rows:
        return []
    load = dict(db.session.execute(
        select(Task.holder_id, func.count(Task.id)).where(
            Task.holder_id.is_not(None), Task.day.between(start, end),
            Task.status.in_(("claimed", "done", "held"))).group_by(Task.holder_id)).all())
    busy: dict[int, set[int]] = {}
    for holder, slot in db.session.execute(select(Task.holder_id, Task.weekslot).where(
            Task.holder_id.is_not(None), Task.day == day, Task.status == "claimed")):
        busy.setdefault(holder, set()).add(slot)
    done = dict(db.session.execute(
        select(Claim.volunteer_id, func.count(Claim.id)).where(Claim.ending == "completed")
        .group_by(Claim.volunteer_id)).all())
    knows: dict[int, set[int]] = {}
    for holder, household in db.session.execute(
            select(Claim.volunteer_id, Task.household_id).join(Task, Task.id == Claim.task_id)
            .where(Claim.ending == "completed", Task.household_id.is_not(None))):
        knows.setdefault(holder, set()).add(household)
    return [matching.Volunteer(
        id=user.id, tier=user.tier, skills=members.skills_of(profile),
        languages=profile.language_set(), slots=frozenset(weekslots_of(profile)),
        lat=profile.home_lat, lon=profile.home_lon, max_km=float(profile.max_km),
        boxes=profile.boxes if profile.deliver else 0, weekly_limit=profile.weekly_limit,
        load=load.get(user.id, 0), active=user.approved,
        knows=frozenset(knows.get(user.id, ())), done_count=done.get(user.id, 0),
        enters_courts=profile.enter_courts, busy=frozenset(busy.get(user.id, ())))
        for user, profile in rows]


def suggestions(task: Task, limit: int = 10) -> list[matching.Suggestion]:
    return matching.suggest(need_of(task), volunteers_for(task.day, task.min_tier), limit)


def proposal(day: date) -> tuple[matching.Assignment, list[Task]]:
    """'Assign all' for a day: one optimal assignment of its open tasks (not yet applied)."""
    tasks = list(db.session.scalars(select(Task).where(Task.day == day,
                                                      Task.status == "open")))
    if not tasks:
        return matching.Assignment((), (), 0.0), []
    return matching.assign_all([need_of(t) for t in tasks], volunteers_for(day)), tasks
