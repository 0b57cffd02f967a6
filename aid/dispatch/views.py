"""Triage screens: only dispatchers and admins."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from aid.dispatch import bp, service
from aid.extensions import db
from aid.intake.forms import RequestForm
from aid.models import HelpRequest
from aid.models.requests import DECLINE_REASONS, OPEN_STATUSES, STATUSES
from aid.security import roles_required

TRIAGE_ROLES = ("dispatcher", "admin")


MAX_ID = 2**31 - 1  # an INTEGER column: a larger id cannot exist, and would not bind


def _request_or_404(request_id: int) -> HelpRequest:
    if request_id > MAX_ID:
        abort(404)
    req = db.session.get(HelpRequest, request_id)
    if req is None or req.household.key is None:  # no key: shredded, nothing left to read
        abort(404)
    return req


@bp.get("/")
@roles_required(*TRIAGE_ROLES)
def triage():
    status = request.args.get("status", "new")
    if status not in STATUSES:
        status = "new"
    return render_template("dispatch/list.html", rows=service.queue(status), status=status,
                           statuses=STATUSES)


@bp.get("/requests/<int:request_id>")
@roles_required(*TRIAGE_ROLES)
def detail(request_id: int, error: str | None = None, status: int = 200):
    req = _request_or_404(request_id)
    # Need to know: once a request is closed, triage has nothing left to read in it.
    shown = service.reveal(current_user.id, req) if req.status in OPEN_STATUSES else None
    form = RequestForm(formdata=None)
    labels = {field.name: field.label.text for field in form}
    choice_labels = {str(v): text for field in form if hasattr(field, "choices")
                     for v, text in (field.choices or []) if field.name != "language"}
    return render_template("dispatch/detail.html", req=req, shown=shown, labels=labels,
                           choice_labels=choice_labels,
                           candidates=service.merge_candidates(req),
                           reasons=DECLINE_REASONS, error=error), status


@bp.post("/requests/<int:request_id>/<action>")
@roles_required(*TRIAGE_ROLES)
def act(request_id: int, action: str):
    req = _request_or_404(request_id)
    try:
        if action == "approve":
            service.approve(current_user.id, req)
        elif action == "decline":
            service.decline(current_user.id, req, request.form.get("reason", ""))
        elif action == "merge":
            try:
                target = int(request.form.get("target", ""))
            except ValueError:
                target = -1
            service.merge(current_user.id, req, target)
        else:
            abort(404)
    except service.TriageError:
        db.session.rollback()
        return detail(request_id, error="invalid", status=409)
    return redirect(url_for("dispatch.triage"))
