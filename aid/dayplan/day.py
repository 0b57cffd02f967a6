"""What a date offers the planner: the drivers free that day, the depots' hours, and the
plan already published for it. Read by the gathering step and by the plan pages."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from aid.dayplan.settings import parse_minutes
from aid.extensions import db
from aid.models import DayPlan, Depot, User, VolunteerProfile
from aid.vocabulary import SLOT_HOURS, SLOTS, WEEKDAYS

H = 3600


def hours_of(depot: Depot) -> tuple[int, int]:
    """A depot's opening hours in seconds; unreadable hours count as closed."""
    opens, closes = parse_minutes(depot.opens), parse_minutes(depot.closes)
    if opens is None or closes is None:
        return 0, 0
    return opens * 60, closes * 60


def shift_of(profile: VolunteerProfile, day: date) -> tuple[int, int] | None:
    """The longest run of back-to-back slots the volunteer offers on that weekday."""
    weekday = WEEKDAYS[day.weekday()]
    offered = [s for s in SLOTS if f"{weekday}:{s}" in profile.slots()]
    best: tuple[int, int] | None = None
    run: tuple[int, int] | None = None
    for slot in offered:
        start, end = SLOT_HOURS[slot]
        run = (run[0], end) if run and run[1] == start else (start, end)
        if best is None or run[1] - run[0] > best[1] - best[0]:
            best = run
    return (best[0] * H, best[1] * H) if best else None


def available_drivers(day: date) -> list[tuple[User, VolunteerProfile, tuple[int, int]]]:
    """Approved volunteers who deliver with boxes to spare and offer time on that day."""
    rows = db.session.execute(
        select(User, VolunteerProfile).join(VolunteerProfile,
                                            VolunteerProfile.user_id == User.id)
        .where(User.active, User.vetting == "approved", User.removed_at.is_(None),
               User.tier >= 1, User.roles.contains("volunteer"), VolunteerProfile.deliver,
               VolunteerProfile.boxes > 0).order_by(User.handle)).all()
    out = []
    for user, profile in rows:
        shift = shift_of(profile, day)
        if shift is not None:
            out.append((user, profile, shift))
    return out


def published_plan(day: date) -> DayPlan | None:
    return db.session.scalar(select(DayPlan).where(
        DayPlan.day == day, DayPlan.state == "published").order_by(DayPlan.id.desc()).limit(1))
