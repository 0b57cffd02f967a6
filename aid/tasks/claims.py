"""Claims, releases, completion and the holder's view of a household: one set of rules for
every kind of task.

A claim is one conditional UPDATE (`... WHERE status = 'open' AND holder_id IS NULL`): of
any number of simultaneous claims the database lets exactly one through, and a unique index
refuses a second open claim row besides. The holder sees the household's address and contact
from the claim until REVEAL_HOURS after completion, never before and never after, and every
opening is audited.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from aid import audit, clock, households
from aid.extensions import db
from aid.households import ADDRESS, CODE_WORD, CONTACT, NAME, SAFETY_NOTES, Revealed
from aid.models import Claim, HelpRequest, Notice, Task, User, VolunteerProfile
from aid.models._types import utcnow
from aid.vocabulary import OUTCOMES, RELEASE_REASONS, TASK_KINDS
from aid.workflow import Conflict, Invalid, workflow

REVEAL_HOURS = 12  # after completion the holder still sees the address, then never again
OVERDUE_HOURS = 2  # a claim not completed this long after its window goes back
TAKEN = _l("Someone was faster and took this task a moment ago. Thank you for offering: "
           "there are other tasks on the board.")


def refusals(user: User, profile: VolunteerProfile | None, task: Task) -> list[str]:
    """Why this volunteer may not hold this task (empty: they may). Tier, skill, language."""
    kind = TASK_KINDS[task.kind]
    out = []
    if not user.approved or not user.has_role("volunteer"):
        out.append("inactive")
    if user.tier < task.min_tier:
        out.append("tier")
    if profile is None:
        return out + ["kind"]
    able = {"deliver": profile.deliver and profile.boxes >= max(task.boxes, 1),
            "pack": profile.pack, "court": profile.court and profile.enter_courts,
            "translate": profile.translate_in_person if task.kind == "translation_visit"
            else profile.translate_remote}
    if not able.get(kind.skill, False):
        out.append("kind")
    if kind.needs_language and task.language not in profile.language_set():
        out.append("language")
    return out


def _profile(user: User) -> VolunteerProfile | None:
    return db.session.get(VolunteerProfile, user.id)


def claimable(user: User, task_id: int) -> Task | None:
    """The task if this volunteer may hold it (whoever holds it now); None otherwise, so a
    task they may not see looks exactly like one that does not exist."""
    task = db.session.get(Task, task_id)
    if task is None or refusals(user, _profile(user), task):
        return None
    return task


def _end_claim(task: Task, ending: str, reason: str | None = None) -> None:
    db.session.execute(update(Claim).where(Claim.task_id == task.id, Claim.ended_at.is_(None))
                       .values(ended_at=utcnow(), ending=ending, reason=reason)
                       .execution_options(synchronize_session=False))


def _take(task_id: int, holder_id: int) -> bool:
    now = utcnow()
    moved = db.session.execute(
        update(Task).where(Task.id == task_id, Task.status == "open", Task.holder_id.is_(None))
        .values(status="claimed", holder_id=holder_id, claimed_at=now, updated_at=now,
                attention=None).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        return False
    db.session.add(Claim(task_id=task_id, volunteer_id=holder_id, claimed_at=now))
    db.session.flush()
    return True


@workflow
def claim(user: User, task: Task) -> None:
    """Take a task from the board; someone faster gets a kind 409."""
    if not _take(task.id, user.id):
        raise Conflict("taken", TAKEN)
    audit.record(user.id, "claim", task.household_id, task.request_id, task_id=task.id)


@workflow
def assign(actor_id: int, task: Task, volunteer: User) -> None:
    """A dispatcher puts a volunteer on a task (the volunteer sees it under /tasks/mine)."""
    if refusals(volunteer, _profile(volunteer), task):
        raise Invalid("volunteer")
    if not _take(task.id, volunteer.id):
        raise Conflict("taken")
    db.session.add(Notice(user_id=volunteer.id, task_id=task.id, kind="assigned"))
    audit.record(actor_id, "assign", task.household_id, task.request_id, task_id=task.id,
                 subject_id=volunteer.id)


def give(actor_id: int | None, task: Task, volunteer: User, notice: str | None = None) -> bool:
    """A step of a larger workflow (a plan's publishing): put an eligible volunteer on an open
    task by the same conditional UPDATE as a claim; False, and nothing written, otherwise."""
    if refusals(volunteer, _profile(volunteer), task) or not _take(task.id, volunteer.id):
        return False
    if notice:
        db.session.add(Notice(user_id=volunteer.id, task_id=task.id, kind=notice))
    audit.record(actor_id, "assign", task.household_id, task.request_id, task_id=task.id,
                 subject_id=volunteer.id)
    return True


def take_back(actor_id: int | None, task: Task, ending: str) -> bool:
    """A step: end the holder's claim and put the task back on the board (a new plan moves
    it to someone else, or leaves it out); False if it is no longer claimed."""
    holder = task.holder_id
    if not _back_to_board(task, None):
        return False
    _end_claim(task, ending)
    audit.record(actor_id, "release", task.household_id, task.request_id, ending,
                 task_id=task.id, subject_id=holder)
    return True


def _held_by(user: User, task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or task.holder_id != user.id or task.status != "claimed":
        raise Conflict("not_holder")
    return task


def _back_to_board(task: Task, attention: str | None) -> bool:
    moved = db.session.execute(
        update(Task).where(Task.id == task.id, Task.status == "claimed",
                           Task.holder_id == task.holder_id)
        .values(status="open", holder_id=None, claimed_at=None, attention=attention,
                updated_at=utcnow()).execution_options(synchronize_session=False))
    return moved.rowcount == 1


@workflow
def release(user: User, task_id: int, reason: str) -> None:
    """Give a task back to the board, with a reason; the dispatcher sees it came back."""
    if reason not in RELEASE_REASONS:
        raise Invalid("reason")
    task = _held_by(user, task_id)
    _end_claim(task, "released", reason)
    if not _back_to_board(task, "released"):
        raise Conflict("not_holder")
    audit.record(user.id, "release", task.household_id, task.request_id, reason,
                 task_id=task.id)


def release_all_of(user_id: int, ending: str, day=None, above_tier: int | None = None) -> int:
    """Every task a volunteer holds (on a day, or above a tier) back to the board (a step)."""
    stmt = select(Task).where(Task.holder_id == user_id, Task.status == "claimed")
    if day is not None:
        stmt = stmt.where(Task.day == day)
    if above_tier is not None:
        stmt = stmt.where(Task.min_tier > above_tier)
    released = 0
    for task in db.session.scalars(stmt).all():
        _end_claim(task, ending)
        if _back_to_board(task, "released"):
            released += 1
            audit.record(user_id, "release", task.household_id, task.request_id, ending,
                         task_id=task.id)
    return released


@workflow
def cannot_make_it(user: User, day) -> int:
    """'I can't make it': all of a volunteer's tasks on that day go back at once."""
    return release_all_of(user.id, "cannot_make_it", day)


@workflow
def complete(user: User, task_id: int, outcome: str) -> None:
    """Mark a held task done with its outcome; a request closes when its last task is done."""
    if outcome not in OUTCOMES:
        raise Invalid("outcome")
    task = _held_by(user, task_id)
    now = utcnow()
    moved = db.session.execute(
        update(Task).where(Task.id == task.id, Task.status == "claimed",
                           Task.holder_id == user.id)
        .values(status="done", completed_at=now, outcome=outcome, updated_at=now,
                attention=None if outcome == "delivered" else outcome)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise Conflict("not_holder")
    _end_claim(task, "completed", outcome)
    audit.record(user.id, "complete", task.household_id, task.request_id, outcome,
                 task_id=task.id)
    db.session.refresh(task)
    if outcome == "delivered" and task.request_id:
        close_if_finished(db.session.get(HelpRequest, task.request_id))


def close_if_finished(req: HelpRequest | None) -> None:
    """A request is done when none of its tasks is still to do and nothing repeats."""
    from aid.models import Recurrence

    if req is None or req.status != "approved":
        return
    pending = db.session.scalar(select(Task.id).where(
        Task.request_id == req.id, Task.status.in_(("open", "claimed", "held"))).limit(1))
    repeating = db.session.scalar(select(Recurrence.id).where(
        Recurrence.request_id == req.id, Recurrence.active).limit(1))
    if pending is None and repeating is None:
        households.close_request(req, "done")


def reveal_window_open(task: Task, user: User) -> bool:
    """The holder sees the household from the claim until REVEAL_HOURS after completion."""
    if task.holder_id != user.id or not user.approved or user.tier < task.min_tier:
        return False
    if task.status == "claimed":
        return True
    return task.status == "done" and task.completed_at is not None and (
        utcnow() - task.completed_at <= timedelta(hours=REVEAL_HOURS))


def reveal(user: User, task: Task) -> Revealed | None:
    """What the holder needs at the door, audited; None outside the window (then: 404)."""
    if not reveal_window_open(task, user) or task.household is None or not households.readable(
            task.household):
        return None
    kind = TASK_KINDS[task.kind]
    fields = [NAME]
    if kind.reveals_contact:
        fields.append(CONTACT)
    if kind.reveals_address:
        fields += [ADDRESS, SAFETY_NOTES, CODE_WORD]
    return households.open_for(user.id, task.household, task.request, fields=tuple(fields),
                               action="reveal_task", task_id=task.id)


@workflow
def release_overdue() -> int:
    """Claims not completed OVERDUE_HOURS after their window go back to the board; the
    dispatcher sees them and the volunteer is told."""
    now = utcnow()
    released = 0
    for task in db.session.scalars(select(Task).where(
            Task.status == "claimed", Task.day <= clock.today())).all():
        if clock.to_utc(task.day, task.window_end) + timedelta(hours=OVERDUE_HOURS) > now:
            continue
        holder = task.holder_id
        _end_claim(task, "overdue")
        if _back_to_board(task, "overdue"):
            db.session.add(Notice(user_id=holder, task_id=task.id, kind="overdue"))
            audit.record(None, "release_overdue", task.household_id, task.request_id,
                         task_id=task.id, subject_id=holder)
            released += 1
    return released


def release_overdue_job() -> int:
    return release_overdue()
