"""Volunteers and tasks as tests need them: approved volunteers with a profile, requests
approved into tasks. Handles and places are synthetic."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from aid.extensions import db
from aid.members import ProfileAnswers
from aid.models import Task, User
from tests.support.staff import Staff

EVERY_SLOT = [f"{d}:{s}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
              for s in ("morning", "afternoon", "evening")]


def volunteer(app, handle: str, tier: int = 1, **profile) -> Staff:
    """An approved volunteer of a tier, able to do everything near 55404 unless told."""
    from aid import members

    member = Staff(app, handle, ["volunteer"])
    answers = dict(contact="signal: test-volunteer", languages=["en", "es", "so", "ar"],
                   deliver=True, vehicle="car", boxes=6, pack=True, translate_in_person=True,
                   translate_remote=True, court=True, enter_courts=True,
                   availability=EVERY_SLOT, home_zip="55404", max_km=15, weekly_limit=10)
    answers.update(profile)
    with app.app_context():
        user = db.session.get(User, member.id)
        user.vetting, user.tier = "approved", tier
        db.session.commit()
        members.update_profile(db.session.get(User, member.id), ProfileAnswers(**answers))
        db.session.remove()
    return member


def approve_all(app, dispatcher_id: int | None = None,
                only: list[int] | None = None) -> list[int]:
    """Approve every new request (or those `only`) the way a dispatcher does; the ids of the
    tasks made for them."""
    from aid.dispatch import service
    from aid.models import HelpRequest

    with app.app_context():
        actor = dispatcher_id or db.session.scalar(select(User.id).limit(1))
        stmt = select(HelpRequest).where(HelpRequest.status == "new")
        if only is not None:
            stmt = stmt.where(HelpRequest.id.in_(only))
        approved = [req.id for req in db.session.scalars(stmt).all()]
        for rid in approved:
            service.approve(actor, db.session.get(HelpRequest, rid))
        ids = list(db.session.scalars(select(Task.id).where(
            Task.request_id.in_(approved)).order_by(Task.id)))
        db.session.remove()
        return ids


def task_row(app, task_id: int) -> dict:
    with app.app_context():
        task = db.session.get(Task, task_id)
        row = {c.name: getattr(task, c.name) for c in Task.__table__.columns}
        db.session.remove()
        return row


def soon(days: int = 3) -> str:
    return (date.today() + timedelta(days=days)).isoformat()
