"""Reading plans for the pages: a plan's routes with their stops, what was left out and why,
each stop's task as it is now, the maps, a driver's own published route. Nothing is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup
from sqlalchemy import select

from aid import clock
from aid.dayplan import svgmap
from aid.dayplan.day import available_drivers, published_plan
from aid.dayplan.states import shown_state
from aid.extensions import db
from aid.models import DayPlan, Depot, PlanRoute, PlanStop, Task, User


@dataclass
class RouteView:
    """One driver's route as the pages show it."""

    route: PlanRoute
    index: int
    handle: str
    stops: list[PlanStop] = field(default_factory=list)  # done, stops and reloads, in order

    @property
    def deliveries(self) -> list[PlanStop]:
        return [s for s in self.stops if s.kind == "stop"]


@dataclass
class PlanView:
    """A plan with everything its pages need."""

    plan: DayPlan
    state: str
    error: str | None
    routes: list[RouteView]
    dropped: list[PlanStop]
    depots: dict[int, Depot]
    live: dict[int, tuple[str, str | None, int | None]]  # task -> (status, hold, holder)
    handles: dict[int, str]

    def problems(self) -> list[tuple[str, dict]]:
        """Problem codes with what they name (a driver's handle, a depot's name)."""
        out = []
        for code, subject in self.plan.problem_codes():
            args = {}
            if code.startswith("driver_") and subject.isdigit():
                args["driver"] = self.handles.get(int(subject), f"#{subject}")
            elif code == "depot_closed" and subject.isdigit():
                depot = self.depots.get(int(subject))
                args["depot"] = depot.name if depot else f"#{subject}"
            out.append((code, args))
        return out

    def changed_since(self, stop: PlanStop) -> bool:
        """The stop's task is no longer as the plan expects (taken, held, done, gone)."""
        if stop.task_id is None or stop.kind != "stop":
            return False
        status, _hold, holder = self.live.get(stop.task_id, ("gone", None, None))
        route = next((r for r in self.routes if r.route.id == stop.route_id), None)
        if self.plan.state == "published":
            return not (status == "claimed" and route and holder == route.route.driver_id)
        return status not in ("open", "claimed")


def get(plan_id: int) -> DayPlan | None:
    return db.session.get(DayPlan, plan_id) if 0 < plan_id < 2**31 else None


def published(day: date) -> DayPlan | None:
    return published_plan(day)


def latest_id(day: date) -> int:
    return db.session.scalar(select(DayPlan.id).where(DayPlan.day == day)
                             .order_by(DayPlan.id.desc()).limit(1)) or 0


def plans_of(day: date) -> list[tuple[DayPlan, str]]:
    rows = db.session.scalars(select(DayPlan).where(DayPlan.day == day)
                              .order_by(DayPlan.id.desc()).limit(20))
    return [(p, shown_state(p)[0]) for p in rows]


def recent(limit: int = 15) -> list[tuple[DayPlan, str]]:
    rows = db.session.scalars(select(DayPlan).order_by(DayPlan.id.desc()).limit(limit))
    return [(p, shown_state(p)[0]) for p in rows]


def view(plan: DayPlan, route_id: int | None = None) -> PlanView:
    """The plan with its routes (or one route) and stops, its drops and the tasks as now."""
    routes = list(db.session.scalars(select(PlanRoute).where(PlanRoute.plan_id == plan.id)
                                     .order_by(PlanRoute.position)))
    handles = dict(db.session.execute(select(User.id, User.handle).where(
        User.id.in_({r.driver_id for r in routes if r.driver_id} | _problem_drivers(plan)))).all())
    views = {r.id: RouteView(r, i, handles.get(r.driver_id, "—")) for i, r in enumerate(routes)}
    stmt = select(PlanStop).where(PlanStop.plan_id == plan.id)
    if route_id is not None:
        stmt = stmt.where(PlanStop.route_id == route_id)
    dropped = []
    for stop in db.session.scalars(stmt.order_by(PlanStop.seq, PlanStop.id)):
        if stop.route_id in views:
            views[stop.route_id].stops.append(stop)
        elif stop.kind == "dropped":
            dropped.append(stop)
    dropped.sort(key=lambda s: (s.reason_codes()[:1], -s.priority, s.window_start or 0))
    task_ids = [s.task_id for v in views.values() for s in v.stops if s.task_id] + [
        s.task_id for s in dropped if s.task_id]
    live = {}
    for chunk in range(0, len(task_ids), 900):
        for row in db.session.execute(select(Task.id, Task.status, Task.hold_reason,
                                             Task.holder_id).where(
                Task.id.in_(task_ids[chunk:chunk + 900]))):
            live[row.id] = (row.status, row.hold_reason, row.holder_id)
    depots = {d.id: d for d in db.session.scalars(select(Depot))}
    shown = [v for v in views.values() if route_id is None or v.route.id == route_id]
    state, error = shown_state(plan)
    return PlanView(plan, state, error, shown, dropped, depots, live, handles)


def _problem_drivers(plan: DayPlan) -> set[int]:
    return {int(s) for c, s in plan.problem_codes() if c.startswith("driver_") and s.isdigit()}


def map_of(pv: PlanView, title: str) -> Markup:
    """The plan's map: every route shown (or the one), depots, what was left out."""
    lines = []
    for rv in pv.routes:
        r = rv.route
        points = [(r.start_lat, r.start_lon)]
        stops = []
        for s in rv.stops:
            if s.kind in ("stop", "reload"):
                points.append((s.lat, s.lon))
            if s.kind == "stop":
                stops.append((s.lat, s.lon))
        points.append((r.end_lat, r.end_lon))
        lines.append(svgmap.Line(rv.index, points, stops))
    depots = [(d.lat, d.lon) for d in pv.depots.values()]
    loose = [(s.lat, s.lon) for s in pv.dropped]
    return svgmap.draw(lines, depots, loose, title)


def driver_route(day: date, user_id: int) -> tuple[DayPlan, RouteView] | None:
    """A driver's route in the day's published plan, if they have one."""
    plan = published_plan(day)
    if plan is None:
        return None
    route = db.session.scalar(select(PlanRoute).where(PlanRoute.plan_id == plan.id,
                                                      PlanRoute.driver_id == user_id))
    if route is None:
        return None
    pv = view(plan, route.id)
    return (plan, pv.routes[0]) if pv.routes else None


def driver_stops(user_id: int, days: set[date]) -> dict[int, PlanStop]:
    """task -> its stop in the driver's published routes of those days (for My tasks)."""
    if not days:
        return {}
    rows = db.session.scalars(
        select(PlanStop).join(PlanRoute, PlanRoute.id == PlanStop.route_id)
        .join(DayPlan, DayPlan.id == PlanStop.plan_id)
        .where(DayPlan.state == "published", DayPlan.day.in_(days),
               PlanRoute.driver_id == user_id, PlanStop.task_id.is_not(None)))
    return {s.task_id: s for s in rows}


@dataclass
class DriverChoice:
    """A driver available on a day, as the plan form offers them."""

    user_id: int
    handle: str
    boxes: int
    shift: tuple[int, int]
    home_zip: str | None
    gave_back: bool  # said "I cannot make it" for that day
    chosen: bool


def day_counts(day: date) -> dict[str, int]:
    """The day's delivery tasks by state."""
    from sqlalchemy import func

    rows = db.session.execute(select(Task.status, func.count(Task.id)).where(
        Task.day == day, Task.kind == "delivery").group_by(Task.status)).all()
    return {status: n for status, n in rows}


def driver_choices(day: date, excluded: frozenset[int] = frozenset()) -> list[DriverChoice]:
    """Drivers available that day; those left out before, or who gave that day back, unticked."""
    from aid.models import Claim

    gave_back = set(db.session.scalars(select(Claim.volunteer_id).join(
        Task, Task.id == Claim.task_id).where(Task.day == day,
                                              Claim.ending == "cannot_make_it")))
    return [DriverChoice(user.id, user.handle, profile.boxes, shift, profile.home_zip,
                         user.id in gave_back,
                         user.id not in excluded and user.id not in gave_back)
            for user, profile, shift in available_drivers(day)]


hhmm = clock.at  # seconds after midnight as a wall-clock time (the CLI's text uses it)


def km(metres: int | None) -> str:
    return f"{(metres or 0) / 1000:.1f}"


def hours(seconds: int | None) -> str:
    return f"{(seconds or 0) / 3600:.1f}"
