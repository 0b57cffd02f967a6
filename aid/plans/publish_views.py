"""Publish a plan to its drivers, and print every driver's sheet (stop codes and areas only)."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from aid.dayplan import publish as publishing
from aid.dayplan import read
from aid.plans import ROLES, bp
from aid.plans.day_views import _map_title, _plan_or_404
from aid.security import roles_required


@bp.post("/<int:plan_id>/publish")
@roles_required(*ROLES)
def publish(plan_id: int):
    """Give each driver their stops; the plan page says what happened."""
    plan = _plan_or_404(plan_id)
    outcome = publishing.publish(current_user.id, plan.id)
    pv = read.view(read.get(plan_id))
    return render_template("plans/show.html", pv=pv, published=read.published(pv.plan.day),
                           map=read.map_of(pv, _map_title(pv.plan)), outcome=outcome)


@bp.get("/<int:plan_id>/sheets")
@roles_required(*ROLES)
def sheets(plan_id: int):
    """Every driver's route on paper, one page each: codes, areas, windows, boxes."""
    plan = _plan_or_404(plan_id)
    pv = read.view(plan)
    if pv.state not in ("ready", "published", "replaced"):
        abort(404)
    return render_template("plans/sheets.html", pv=pv)
