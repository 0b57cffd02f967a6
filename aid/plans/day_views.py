"""Pick a day, set the plan, follow its job, read the plan and one driver's route."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from aid import clock
from aid.dayplan import read, run
from aid.dayplan import settings as plan_settings
from aid.extensions import db
from aid.models import Depot
from aid.plans import ROLES, bp
from aid.security import roles_required
from aid.tasks import safety
from aid.workflow import DomainError

DAY_MESSAGE_BAD = plan_settings.MESSAGES["day"]


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _plan_or_404(plan_id: int):
    plan = read.get(plan_id)
    if plan is None:
        abort(404)
    return plan


@bp.get("/")
@roles_required(*ROLES)
def index():
    return _index()


def _index(error=None, status: int = 200, typed: str = ""):
    tomorrow = clock.today() + timedelta(days=1)
    return render_template("plans/index.html", plans=read.recent(), tomorrow=tomorrow,
                           holds=safety.live_holds(), error=error, typed=typed), status


def _form_page(day: date, values: dict, errors: dict, from_plan=None, status: int = 200):
    excluded = from_plan.excluded_ids() if from_plan is not None else frozenset()
    choices = read.driver_choices(day, excluded)
    if "drivers" in values:  # shown again after an error: as the dispatcher ticked them
        ticked = set(values["drivers"])
        for choice in choices:
            choice.chosen = str(choice.user_id) in ticked
    depots = list(db.session.scalars(db.select(Depot).order_by(Depot.id)))
    return render_template("plans/new.html", day=day, values=values, errors=errors,
                           counts=read.day_counts(day), drivers=choices, depots=depots,
                           published=read.published(day), from_plan=from_plan,
                           today=clock.today()), status


def _defaults(plan=None) -> dict:
    s = plan_settings.of_plan(plan) if plan is not None else plan_settings.PlanSettings()
    return {"time_limit": str(s.time_limit), "max_trips": str(s.max_trips),
            "break_minutes": str(s.break_minutes),
            "break_from": plan_settings.clock_text(s.break_from),
            "break_until": plan_settings.clock_text(s.break_until), "start_at": s.start_at,
            "end_at": s.end_at,
            "reload_depot": str(s.reload_depot_id) if s.reload_depot_id else ""}


@bp.get("/new")
@roles_required(*ROLES)
def new():
    """The plan form for a day: who drives, from where, trips, break, how long to search."""
    typed = request.args.get("day", "")
    day = _day(typed) if typed else clock.today() + timedelta(days=1)
    if day is None:
        return _index(DAY_MESSAGE_BAD, 422, typed[:20])
    if day < clock.today():
        return _index(run.PAST_DAY, 422, typed[:20])
    from_raw = request.args.get("source", "")
    from_plan = read.get(int(from_raw)) if from_raw.isascii() and from_raw.isdigit() else None
    if from_plan is not None and from_plan.day != day:
        from_plan = None
    return _form_page(day, _defaults(from_plan), {}, from_plan)


@bp.post("/")
@roles_required(*ROLES)
def create():
    day = _day(request.form.get("day"))
    if day is None:
        return _index(DAY_MESSAGE_BAD, 422)
    available = [c.user_id for c in read.driver_choices(day)]
    depots = [d for d in db.session.scalars(db.select(Depot.id))]
    chosen = request.form.getlist("drivers")
    s, errors = plan_settings.read(request.form, chosen, available, depots)
    from_plan = read.get(_int(request.form.get("source")))
    values = {k: (request.form.get(k) or "")[:20] for k in _defaults()} | {"drivers": chosen}
    if s is None:
        return _form_page(day, values, errors, from_plan, 422)
    try:
        plan_id = run.start(current_app._get_current_object(), current_user.id, day, s)
    except DomainError as err:
        return _form_page(day, values, {"day": err.message}, from_plan, err.status)
    return redirect(url_for("plans.show", plan_id=plan_id))


def _int(raw: str | None) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


@bp.get("/<int:plan_id>")
@roles_required(*ROLES)
def show(plan_id: int):
    """The plan; while its job runs, a page that refreshes itself (no JavaScript)."""
    plan = _plan_or_404(plan_id)
    pv = read.view(plan)
    if pv.state in ("queued", "running"):
        return render_template("plans/progress.html", pv=pv, now=_now())
    return render_template("plans/show.html", pv=pv, published=read.published(plan.day),
                           map=read.map_of(pv, _map_title(plan)), outcome=None)


def _now():
    from aid.models._types import utcnow

    return utcnow()


def _map_title(plan) -> str:
    from flask_babel import format_date
    from flask_babel import gettext as _

    return _("Map of the routes of %(day)s", day=format_date(plan.day, "full"))


@bp.get("/<int:plan_id>/routes/<int:route_id>")
@roles_required(*ROLES)
def route(plan_id: int, route_id: int):
    """One driver's route: its stops in order, its map."""
    plan = _plan_or_404(plan_id)
    pv = read.view(plan, route_id if route_id < 2**31 else -1)
    if not pv.routes:
        abort(404)
    return render_template("plans/route.html", pv=pv, rv=pv.routes[0],
                           map=read.map_of(pv, _map_title(plan)))
