"""What a dispatcher does to tasks: hold, bring back (on another day), mark seen, assign many."""
from __future__ import annotations

from datetime import date

from aid import audit, clock
from aid.extensions import db
from aid.models import Notice, Task, User
from aid.models._types import utcnow
from aid.tasks import claims
from aid.tasks.making import weekslot
from aid.workflow import Conflict, DomainError, Invalid, workflow


@workflow
def hold(actor_id: int, task: Task) -> None:
    """Hold a task (it leaves the board; its holder, if any, is told)."""
    if task.status not in ("open", "claimed"):
        raise Conflict(task.status)
    task.status, task.hold_reason, task.updated_at = "held", "dispatcher", utcnow()
    if task.holder_id:
        db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="hold"))
    audit.record(actor_id, "hold", task.household_id, task.request_id, task_id=task.id)


@workflow
def unhold(actor_id: int, task: Task, day: date) -> None:
    """Bring a held task back, on the same or another day: to its holder, or the board."""
    if task.status != "held":
        raise Conflict(task.status)
    if day < clock.today():
        raise Invalid("day")
    task.day, task.weekslot = day, weekslot(day, task.slot)
    task.status = "claimed" if task.holder_id else "open"
    task.hold_reason, task.updated_at = None, utcnow()
    if task.holder_id:
        db.session.add(Notice(user_id=task.holder_id, task_id=task.id, kind="hold_lifted"))
    audit.record(actor_id, "unhold", task.household_id, task.request_id, task_id=task.id)


@workflow
def clear_attention(actor_id: int, task: Task) -> None:
    if task.attention is None:
        raise Conflict("seen")
    audit.record(actor_id, "seen", task.household_id, task.request_id, task.attention,
                 task_id=task.id)
    task.attention = None


def assign_pairs(actor_id: int, pairs: list[tuple[int, int]]) -> tuple[int, int]:
    """Confirm an 'Assign all' proposal: each pair in its own transaction; a task someone
    took meanwhile, or a volunteer no longer eligible, is skipped and counted."""
    done = skipped = 0
    for task_id, volunteer_id in pairs:
        task, volunteer = db.session.get(Task, task_id), db.session.get(User, volunteer_id)
        if task is None or volunteer is None:
            skipped += 1
            continue
        try:
            claims.assign(actor_id, task, volunteer)
            done += 1
        except DomainError:
            skipped += 1
    return done, skipped
