"""Triage screens: only dispatchers and admins. One endpoint per action."""
from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from aid import households
from aid.dispatch import bp, service
from aid.extensions import db
from aid.models import HelpRequest
from aid.security import roles_required
from aid.vocabulary import STATUSES
from aid.workflow import Invalid

TRIAGE_ROLES = ("dispatcher", "admin")
MAX_ID = 2**31 - 1  # an INTEGER column: a larger id cannot exist, and would not bind


def _request_or_404(request_id: int) -> HelpRequest:
    if request_id > MAX_ID:
        abort(404)
    req = db.session.get(HelpRequest, request_id)
    if req is None or not households.readable(req.household):  # shredded: nothing to read
        abort(404)
    return req


def _form_int(name: str) -> int:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return -1


@bp.get("/")
@roles_required(*TRIAGE_ROLES)
def triage():
    status = request.args.get("status", "new")
    if status not in STATUSES:
        status = "new"
    page = request.args.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 10_000 else 1
    rows, more = service.queue(status, page)
    return render_template("dispatch/list.html", rows=rows, status=status, page=page,
                           more=more)


@bp.get("/requests/<int:request_id>")
@roles_required(*TRIAGE_ROLES)
def detail(request_id: int):
    req = _request_or_404(request_id)
    # Need to know: once a request is closed, triage has nothing left to read in it.
    return render_template("dispatch/detail.html", req=req,
                           shown=service.reveal(current_user.id, req),
                           candidates=service.merge_candidates(req))


@bp.post("/requests/<int:request_id>/approve")
@roles_required(*TRIAGE_ROLES)
def approve(request_id: int):
    until = request.form.get("until", "")
    try:
        until_day = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise Invalid("until") from exc
    service.approve(current_user.id, _request_or_404(request_id),
                    weekly=request.form.get("weekly") == "y", until=until_day)
    return redirect(url_for("dispatch.triage"))


@bp.post("/requests/<int:request_id>/decline")
@roles_required(*TRIAGE_ROLES)
def decline(request_id: int):
    service.decline(current_user.id, _request_or_404(request_id),
                    request.form.get("reason", ""))
    return redirect(url_for("dispatch.triage"))


@bp.post("/requests/<int:request_id>/merge")
@roles_required(*TRIAGE_ROLES)
def merge(request_id: int):
    service.merge(current_user.id, _request_or_404(request_id), _form_int("target"))
    return redirect(url_for("dispatch.triage"))


@bp.post("/requests/<int:request_id>/close")
@roles_required(*TRIAGE_ROLES)
def close(request_id: int):
    service.close(current_user.id, _request_or_404(request_id), request.form.get("outcome", ""))
    return redirect(url_for("dispatch.triage", status="approved"))
