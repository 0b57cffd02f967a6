"""Tasks that stop or wait: a request cancelled or closed, a household saying "not today",
a delivery that did not arrive. Holders are told on their pages at once."""
from __future__ import annotations

from sqlalchemy import select, update

from aid import audit, clock
from aid.extensions import db
from aid.models import Claim, HelpRequest, Household, Notice, Recurrence, Task
from aid.models._types import utcnow
from aid.workflow import workflow

ACTIVE = ("open", "claimed", "held")


def cancel_for_request(req: HelpRequest) -> int:
    """The request is over (cancelled, closed, declined): its tasks to come are cancelled,
    weekly deliveries stop, holders are told (a step of that workflow)."""
    db.session.execute(update(Recurrence).where(Recurrence.request_id == req.id)
                       .values(active=False).execution_options(synchronize_session=False))
    tasks = db.session.scalars(select(Task).where(Task.request_id == req.id,
                                                  Task.status.in_(ACTIVE))).all()
    for task in tasks:
        if task.holder_id:
            db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="not_today"))
        db.session.execute(update(Claim).where(Claim.task_id == task.id,
                                               Claim.ended_at.is_(None))
                           .values(ended_at=utcnow(), ending="cancelled")
                           .execution_options(synchronize_session=False))
        task.status, task.updated_at = "cancelled", utcnow()
    return len(tasks)


@workflow
def not_today(household: Household) -> int:
    """The household says "not today": every task of theirs for today is held at once and
    each holder is told. The dispatcher finds them on hold and plans another day."""
    tasks = db.session.scalars(select(Task).where(
        Task.household_id == household.id, Task.day == clock.today(),
        Task.status.in_(("open", "claimed")))).all()
    for task in tasks:
        task.status, task.hold_reason, task.updated_at = "held", "not_today", utcnow()
        if task.holder_id:
            db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="not_today"))
        audit.record(None, "not_today", household.id, task.request_id, task_id=task.id)
    return len(tasks)


@workflow
def not_received(household: Household) -> bool:
    """The household says a delivery did not arrive: the dispatcher sees it."""
    task = db.session.scalar(select(Task).where(
        Task.household_id == household.id, Task.kind == "delivery", Task.status == "done")
        .order_by(Task.completed_at.desc()).limit(1))
    if task is None:
        return False
    task.attention, task.updated_at = "not_received", utcnow()
    audit.record(None, "not_received", household.id, task.request_id, task_id=task.id)
    return True
