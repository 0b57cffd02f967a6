"""The task board, a task's page for its holder, claim, release, complete, my tasks.

A task's page exists only for its holder, in its reveal window; for anyone else, whatever id
they try, it is 404, as it is for a task their tier or skills do not allow.
"""
from __future__ import annotations

from datetime import date

from flask import abort, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update

from aid import clock, members
from aid.dayplan import read as plan_read
from aid.extensions import db
from aid.models import Notice, Task
from aid.models._types import utcnow
from aid.security import roles_required
from aid.tasks import board as task_board
from aid.tasks import claims
from aid.vocabulary import TASK_KINDS
from aid.volunteers import bp, calendar
from aid.workflow import DomainError, Invalid, workflow

MAX_ID = 2**31 - 1


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def _task_id(task_id: int) -> int:
    if task_id > MAX_ID:
        abort(404)
    return task_id


def _int_arg(name: str, default: int | None, high: int) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= high else default


def _date_arg(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def _pending_page():
    return render_template("volunteers/pending.html"), 200


@bp.get("/tasks")
@roles_required("volunteer")
def board():
    if not current_user.approved:
        return _pending_page()
    profile = members.profile_of(current_user)
    kind = request.args.get("kind") if request.args.get("kind") in TASK_KINDS else None
    day, page = _date_arg(request.args.get("day")), _int_arg("page", 1, 10_000)
    within = _int_arg("km", None, 100)
    entries, more = task_board.board(current_user, profile, kind, day, within, page)
    return render_template("volunteers/board.html", entries=entries, more=more, page=page,
                           kind=kind, day=day, within=within, notices=_notices(),
                           kinds=task_board.allowed_kinds(current_user, profile))


def _notices() -> list[Notice]:
    return list(db.session.scalars(select(Notice).where(
        Notice.user_id == current_user.id, Notice.seen_at.is_(None)).order_by(Notice.id)))


@bp.post("/tasks/<int:task_id>/claim")
@roles_required("volunteer")
def claim(task_id: int):
    task = claims.claimable(current_user, _task_id(task_id))
    if task is None:
        abort(404)
    try:
        claims.claim(current_user, task)
    except DomainError as err:
        if _wants_json():
            return jsonify(error=err.reason, message=str(err.message)), err.status
        raise
    if _wants_json():
        return jsonify(task=task.id, status="claimed"), 200
    return redirect(url_for("volunteers.task", task_id=task.id))


@bp.get("/tasks/<int:task_id>")
@roles_required("volunteer")
def task(task_id: int):
    task = db.session.get(Task, _task_id(task_id))
    shown = claims.reveal(current_user, task) if task is not None else None
    if shown is None:
        abort(404)
    return render_template("volunteers/task.html", task=task, shown=shown,
                           kind=TASK_KINDS[task.kind])


@bp.post("/tasks/<int:task_id>/release")
@roles_required("volunteer")
def release(task_id: int):
    _mine_or_404(task_id)
    claims.release(current_user, task_id, request.form.get("reason", ""))
    return redirect(url_for("volunteers.board"))


@bp.post("/tasks/<int:task_id>/complete")
@roles_required("volunteer")
def complete(task_id: int):
    _mine_or_404(task_id)
    claims.complete(current_user, task_id, request.form.get("outcome", ""))
    return redirect(url_for("volunteers.mine"))


def _mine_or_404(task_id: int) -> Task:
    """Releasing or completing someone else's task: as if it did not exist."""
    task = db.session.get(Task, _task_id(task_id))
    if task is None or task.holder_id != current_user.id:
        abort(404)
    return task


@bp.get("/tasks/mine")
@roles_required("volunteer")
def mine():
    if not current_user.approved:
        return _pending_page()
    tasks = task_board.mine(current_user)
    route = plan_read.driver_stops(current_user.id, {t.day for t in tasks})
    return render_template("volunteers/mine.html", tasks=tasks, route=route,
                           route_days=sorted({t.day for t in tasks if t.id in route}),
                           today=clock.today(), notices=_notices())


@bp.post("/tasks/mine/cannot-make-it")
@roles_required("volunteer")
def cannot_make_it():
    day = _date_arg(request.form.get("day"))
    if day is None:
        raise Invalid("day")
    claims.cannot_make_it(current_user, day)
    return redirect(url_for("volunteers.board"))


@bp.post("/notices/seen")
@roles_required("volunteer")
def notices_seen():
    _mark_seen(current_user.id)
    return redirect(url_for("volunteers.mine"))


@workflow
def _mark_seen(user_id: int) -> None:
    db.session.execute(update(Notice).where(Notice.user_id == user_id,
                                            Notice.seen_at.is_(None)).values(seen_at=utcnow()))


@bp.get("/tasks/<int:task_id>/court.ics")
@roles_required("volunteer")
def court_calendar(task_id: int):
    """A calendar entry for a court accompaniment: time, court and its public address; no
    household name. Only its holder gets it, in the reveal window (audited)."""
    task = db.session.get(Task, _task_id(task_id))
    shown = claims.reveal(current_user, task) if task is not None and task.kind == "court" \
        else None
    if shown is None:
        abort(404)
    body = calendar.court_event(task, shown.details, request.host)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="court-{task.id}.ics"'
    return response
