"""Tasks for dispatchers: a day's tasks, what needs attention, suggestions with reasons,
assigning one or all, holds, and a text to announce a task in the group's Signal chats."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from aid import clock
from aid.dispatch import bp
from aid.extensions import db
from aid.links import public_url
from aid.models import Task, User
from aid.security import roles_required
from aid.tasks import candidates, claims, dispatching, holds
from aid.vocabulary import TASK_KINDS, TASK_STATUSES
from aid.workflow import Invalid

ROLES = ("dispatcher", "admin")


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return clock.today()


def _task(task_id: int) -> Task:
    task = db.session.get(Task, task_id) if task_id < 2**31 else None
    if task is None:
        abort(404)
    return task


@bp.get("/tasks")
@roles_required(*ROLES)
def tasks():
    day = _day(request.args.get("day"))
    status = request.args.get("status") if request.args.get("status") in TASK_STATUSES else None
    stmt = select(Task).where(Task.day == day).order_by(Task.window_start, Task.id)
    if status:
        stmt = stmt.where(Task.status == status)
    attention = db.session.scalars(select(Task).where(Task.attention.is_not(None))
                                   .order_by(Task.day, Task.id).limit(100)).all()
    listed = db.session.scalars(stmt).all()
    holder_ids = {t.holder_id for t in listed if t.holder_id}
    holders = dict(db.session.execute(select(User.id, User.handle).where(
        User.id.in_(holder_ids))).all()) if holder_ids else {}
    upcoming = None if listed else db.session.scalar(select(func.min(Task.day)).where(
        Task.day > day, Task.status.in_(holds.ACTIVE)))
    return render_template("dispatch/tasks.html", day=day, status=status, tasks=listed,
                           attention=attention, holders=holders, upcoming=upcoming,
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1))


def signal_text(task: Task) -> str:
    """A short announcement for the group chats: kind, area, day and window, a link. Never a
    name, an address or a contact."""
    window = f"{clock.hhmm(task.window_start)}-{clock.hhmm(task.window_end)}"
    when = f"{format_date(task.day, 'full')}, {window}"
    return _("Open task: %(kind)s in %(area)s, %(when)s. Take it on the board: %(link)s",
             kind=TASK_KINDS[task.kind].label, area=task.area or "-", when=when,
             link=public_url("volunteers.board"))


@bp.get("/tasks/<int:task_id>")
@roles_required(*ROLES)
def task(task_id: int):
    task = _task(task_id)
    suggested = candidates.suggestions(task) if task.status == "open" else []
    handles = dict(db.session.execute(select(User.id, User.handle).where(
        User.id.in_([s.volunteer_id for s in suggested] + [task.holder_id or 0]))).all())
    return render_template("dispatch/task.html", task=task, suggested=suggested,
                           handles=handles, signal=signal_text(task))


@bp.post("/tasks/<int:task_id>/assign")
@roles_required(*ROLES)
def assign(task_id: int):
    task = _task(task_id)
    raw = request.form.get("volunteer_id", "")
    volunteer = db.session.get(User, int(raw)) if raw.isascii() and raw.isdigit() and int(
        raw) < 2**31 else None
    if volunteer is None:
        raise Invalid("volunteer")
    claims.assign(current_user.id, task, volunteer)
    return redirect(url_for("dispatch.task", task_id=task.id))


@bp.post("/tasks/<int:task_id>/hold")
@roles_required(*ROLES)
def hold(task_id: int):
    dispatching.hold(current_user.id, _task(task_id))
    return redirect(url_for("dispatch.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/unhold")
@roles_required(*ROLES)
def unhold(task_id: int):
    dispatching.unhold(current_user.id, _task(task_id), _day(request.form.get("day")))
    return redirect(url_for("dispatch.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/seen")
@roles_required(*ROLES)
def seen(task_id: int):
    dispatching.clear_attention(current_user.id, _task(task_id))
    return redirect(url_for("dispatch.tasks"))


@bp.get("/assign")
@roles_required(*ROLES)
def assign_all():
    """'Assign all' for a day: the proposal, for the dispatcher to review and confirm."""
    day = _day(request.args.get("day"))
    assignment, day_tasks = candidates.proposal(day)
    by_id = {t.id: t for t in day_tasks}
    handles = dict(db.session.execute(select(User.id, User.handle).where(
        User.id.in_([v for _n, v in assignment.pairs] or [0]))).all())
    return render_template("dispatch/assign.html", day=day, assignment=assignment,
                           tasks=by_id, handles=handles)


@bp.post("/assign")
@roles_required(*ROLES)
def assign_confirm():
    pairs = []
    for value in request.form.getlist("pair"):
        need, _sep, volunteer = value.partition(":")
        if not (need.isascii() and need.isdigit() and volunteer.isascii()
                and volunteer.isdigit()):
            raise Invalid("pair")
        pairs.append((int(need), int(volunteer)))
    done, skipped = dispatching.assign_pairs(current_user.id, pairs)
    return render_template("dispatch/assigned.html", done=done, skipped=skipped,
                           day=_day(request.form.get("day")))
