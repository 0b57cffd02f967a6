"""A day's Problem from the database: its deliveries, the drivers available, the depots.

Deliveries are the day's delivery tasks still to do. One a driver of the plan already holds
(claimed from the board) stays theirs: it is pinned to their car. One the last published plan
gave to a driver may move. Held visits, visits inside a safety hold and visits held by a
volunteer who is not driving are left out with their reason; done ones stay done, shown at the
head of their driver's route. A household's exact point, if a dispatcher set one, is opened
(audited) for the solver only and never stored; everything kept is the ZIP's centroid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from aid import clock, households
from aid.dayplan.day import H, available_drivers, hours_of, published_plan
from aid.dayplan.settings import PlanSettings
from aid.extensions import db
from aid.models import DayPlan, Depot, PlanStop, Task, User, VolunteerProfile
from aid.routing.problem import Break, Problem, Stop, Vehicle
from aid.routing.problem import Depot as RoutingDepot
from aid.tasks import safety
from aid.tasks.board import km_between

DAY = 24 * H
SERVICE_SECONDS = 300  # at the door
RELOAD_SECONDS = 600  # loading again at a depot
BREAK_AFTER_HOURS = 5  # shifts longer than this get the break
NOW_MARGIN_SECONDS = 10 * 60  # planning today: nobody is sent anywhere sooner than this
Point = tuple[float, float]


@dataclass
class StopInfo:
    """What a plan keeps of a delivery: codes and areas only, the ZIP's centroid."""

    task_id: int
    zip: str | None
    area: str | None
    lat: float | None
    lon: float | None
    window_start: int
    window_end: int
    boxes: int
    priority: int
    pinned_to: int | None = None  # the driver who already holds it
    holder_id: int | None = None


@dataclass
class DriverInfo:
    """A driver of the day: capacity, shift, where they start, end and load again."""

    user_id: int
    handle: str
    capacity: int
    shift: tuple[int, int]  # seconds after midnight
    start_depot: int | None
    end_depot: int | None
    start_zip: str | None
    end_zip: str | None
    start_point: Point | None  # a depot's point or the driver's ZIP centroid
    end_point: Point | None
    max_trips: int = 1
    reload_depot: int | None = None
    done: list[StopInfo] = field(default_factory=list)


@dataclass
class Gathered:
    """The Problem for the engine, and what the plan needs to read its answer back."""

    day: date
    problem: Problem
    stops: dict[str, StopInfo]
    drivers: dict[str, DriverInfo]
    left_out: list[tuple[StopInfo, str]]
    problems: list[str]
    depot_points: dict[int, Point]
    base_plan_id: int | None
    codes: dict[int, str]  # task id -> its stop code in the last published plan


def stop_key(task_id: int) -> str:
    return f"t{task_id}"


def vehicle_key(user_id: int) -> str:
    return f"v{user_id}"


def driver_of(key: str) -> int | None:
    """The driver a vehicle key names (vehicle_key's inverse), or None."""
    return int(key[1:]) if key[:1] == "v" and key[1:].isdigit() else None


def depot_key(depot_id: int) -> str:
    return f"d{depot_id}"


def _plan_given(plan: DayPlan | None) -> tuple[dict[int, int], dict[int, str]]:
    """Of a published plan: task -> the driver it gave the task to (not pinned ones), and
    task -> its stop code."""
    if plan is None:
        return {}, {}
    from aid.models import PlanRoute

    given, codes = {}, {}
    for stop, driver in db.session.execute(
            select(PlanStop, PlanRoute.driver_id).outerjoin(
                PlanRoute, PlanRoute.id == PlanStop.route_id)
            .where(PlanStop.plan_id == plan.id, PlanStop.task_id.is_not(None))):
        if stop.code:
            codes[stop.task_id] = stop.code
        if stop.kind == "stop" and driver is not None and not stop.pinned:
            given[stop.task_id] = driver
    return given, codes


def _info(task: Task) -> StopInfo:
    return StopInfo(task.id, task.zip, task.area, task.lat, task.lon, task.window_start,
                    task.window_end, task.boxes, task.priority, holder_id=task.holder_id)


def _exact_point(actor_id: int | None, task: Task) -> Point | None:
    """A dispatcher-set exact point of the household, opened for the solver (audited)."""
    household = task.household
    if household is None or household.coords_enc is None or not households.readable(household):
        return None
    coords = households.open_for(actor_id, household, None, fields=(households.COORDS,),
                                 action="plan_point", task_id=task.id).coords
    try:
        return float(coords["lat"]), float(coords["lon"])
    except (KeyError, TypeError, ValueError):
        return None


def _nearest(point: Point | None, depots: dict[int, tuple[Point, tuple[int, int]]],
             shift: tuple[int, int]) -> int | None:
    """The open depot nearest to a point (any open one if the point is unknown)."""
    open_ids = [i for i, (_p, (o, c)) in depots.items() if o < c and o < shift[1] and c > shift[0]]
    if not open_ids:
        return None
    if point is None:
        return open_ids[0]
    return min(open_ids, key=lambda i: km_between(*point, *depots[i][0]))


def _driver(user: User, profile: VolunteerProfile, shift: tuple[int, int],
            s: PlanSettings, depots: dict[int, tuple[Point, tuple[int, int]]]
            ) -> DriverInfo | None:
    home = (profile.home_lat, profile.home_lon) if profile.home_lat is not None else None
    near = _nearest(home, depots, shift)
    if s.start_at == "depot" and near is not None:
        start_depot, start_point, start_zip = near, depots[near][0], None
    elif home is not None:
        start_depot, start_point, start_zip = None, home, profile.home_zip
    elif near is not None:
        start_depot, start_point, start_zip = near, depots[near][0], None
    else:
        return None
    if s.end_at == "area" and home is not None:
        end_depot, end_point, end_zip = None, home, profile.home_zip
    elif start_depot is not None or near is None:
        end_depot, end_point, end_zip = start_depot, start_point, start_zip
    else:
        end_depot, end_point, end_zip = near, depots[near][0], None
    reload_depot = None
    trips = s.max_trips
    if trips > 1:
        wanted = s.reload_depot_id
        if wanted is not None and wanted in depots and depots[wanted][1][0] < depots[wanted][1][1]:
            reload_depot = wanted
        else:
            reload_depot = start_depot if start_depot is not None else near
        if reload_depot is None:
            trips = 1
    return DriverInfo(user.id, user.handle, profile.boxes, shift, start_depot, end_depot,
                      start_zip, end_zip, start_point, end_point, trips, reload_depot)


def _vehicle(d: DriverInfo, s: PlanSettings, start: Point | None) -> Vehicle:
    where_from = start or (depot_key(d.start_depot) if d.start_depot is not None
                           else d.start_point)
    where_to = depot_key(d.end_depot) if d.end_depot is not None else d.end_point
    breaks: tuple[Break, ...] = ()
    if s.break_minutes and d.shift[1] - d.shift[0] > BREAK_AFTER_HOURS * H:
        breaks = (Break(s.break_from * 60, s.break_until * 60, s.break_minutes * 60),)
    return Vehicle(vehicle_key(d.user_id), d.capacity, d.shift, where_from, where_to,
                   skills=frozenset({vehicle_key(d.user_id)}), max_trips=d.max_trips,
                   reload_at=depot_key(d.reload_depot) if d.reload_depot is not None else None,
                   reload_time=RELOAD_SECONDS, breaks=breaks)


def gather(day: date, s: PlanSettings, actor_id: int | None) -> Gathered:
    """Read the day from the database into a Problem (a step: exact points are audited)."""
    problems: list[str] = []
    depot_rows = list(db.session.scalars(select(Depot).order_by(Depot.id)))
    depots = {d.id: ((d.lat, d.lon), hours_of(d)) for d in depot_rows}
    for d in depot_rows:
        opens, closes = depots[d.id][1]
        if opens >= closes:
            problems.append(f"depot_closed:{d.id}")
    if not depot_rows:
        problems.append("no_depots")
    now_s = None
    if day == clock.today():
        now = clock.local_now()
        now_s = now.hour * H + now.minute * 60 + NOW_MARGIN_SECONDS
    drivers: dict[str, DriverInfo] = {}
    for user, profile, shift in available_drivers(day):
        if user.id in s.excluded:
            continue
        if now_s is not None:
            shift = (max(shift[0], now_s), shift[1])
        if shift[0] >= shift[1]:
            problems.append(f"driver_shift:{user.id}")
            continue
        info = _driver(user, profile, shift, s, depots)
        if info is None:
            problems.append(f"driver_no_start:{user.id}")
            continue
        drivers[vehicle_key(user.id)] = info
    by_user = {d.user_id: d for d in drivers.values()}
    base = published_plan(day)
    given, codes = _plan_given(base)
    holds = safety.live_holds()
    stops: dict[str, StopInfo] = {}
    left_out: list[tuple[StopInfo, str]] = []
    routing_stops: list[Stop] = []
    tasks = db.session.scalars(select(Task).where(
        Task.day == day, Task.kind == "delivery",
        Task.status.in_(("open", "claimed", "held", "done"))).order_by(Task.id)).all()
    if not tasks:
        problems.append("nothing")
    if not drivers:
        problems.append("no_drivers")
    finished = {t.id: t.completed_at for t in tasks if t.status == "done"}
    for task in tasks:
        info = _info(task)
        if task.status == "done":
            if task.holder_id in by_user:
                by_user[task.holder_id].done.append(info)
            continue
        if task.status == "held":
            left_out.append((info, {"safety": "safety_hold", "not_today": "not_today"}.get(
                task.hold_reason or "", "held")))
            continue
        if safety.covering(task, holds):
            left_out.append((info, "safety_hold"))
            continue
        if task.status == "claimed" and given.get(task.id) != task.holder_id:
            if task.holder_id not in by_user:
                left_out.append((info, "driver_away"))
                continue
            info.pinned_to = task.holder_id
        point = _exact_point(actor_id, task) or (task.lat, task.lon)
        key = stop_key(task.id)
        stops[key] = info
        routing_stops.append(Stop(key, point[0], point[1], boxes=task.boxes,
                                  window=(task.window_start * 60, task.window_end * 60),
                                  service=SERVICE_SECONDS, priority=task.priority,
                                  skill=vehicle_key(info.pinned_to) if info.pinned_to else None))
    vehicles = []
    for d in drivers.values():
        d.done.sort(key=lambda i: (finished[i.task_id] is None, finished[i.task_id] or 0,
                                   i.task_id))
        start = None
        if now_s is not None and d.done:  # re-planning today: from the last door they left
            last = d.done[-1]
            start = (last.lat, last.lon) if last.lat is not None else None
        vehicles.append(_vehicle(d, s, start))
    routing_depots = [RoutingDepot(depot_key(i), p[0], p[1], hours[0], hours[1])
                      for i, (p, hours) in depots.items()]
    return Gathered(day, Problem(routing_stops, vehicles, routing_depots), stops, drivers,
                    left_out, problems, {i: p for i, (p, _h) in depots.items()},
                    base.id if base else None, codes)
