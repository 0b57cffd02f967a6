"""The engine's answer into the plan's rows: routes, stops in order with codes, drops with
reasons, totals and problems as codes. One transaction, only while the plan still runs."""
from __future__ import annotations

import secrets

from sqlalchemy import insert

from aid.dayplan.gather import DriverInfo, Gathered, StopInfo, driver_of
from aid.dayplan.states import shown_state
from aid.extensions import db
from aid.models import DayPlan, PlanRoute, PlanStop
from aid.models._types import utcnow
from aid.routing.problem import PlanProblem
from aid.vocabulary import DROP_REASONS, ENGINE_REASONS
from aid.workflow import workflow

# Stop codes: four characters that cannot be mistaken for one another on paper or aloud.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 4

# The engine's whole-plan problems by code, as the dispatcher's (aid.vocabulary PLAN_PROBLEMS):
# a vehicle's problem `vehicle_x` about vehicle v12 becomes `driver_x:12`.
ENGINE_PROBLEMS = {"no_vehicles": "no_drivers", "solver_none": "solver_none"}


def problem_code(problem: PlanProblem) -> str:
    if problem.vehicle is not None and problem.code.startswith("vehicle_"):
        driver = driver_of(problem.vehicle)
        return f"driver_{problem.code.removeprefix('vehicle_')}:{driver}" if driver else "other"
    return ENGINE_PROBLEMS.get(problem.code, "other")


def reason_code(engine_reason: str) -> str:
    code = ENGINE_REASONS.get(engine_reason, engine_reason)
    return code if code in DROP_REASONS else "bad_input"


class Codes:
    """Short random stop codes, unique in a plan; a task keeps the code it had that day."""

    def __init__(self, previous: dict[int, str]):
        self.previous = previous
        self.used: set[str] = set()

    def for_task(self, task_id: int) -> str:
        code = self.previous.get(task_id)
        while code is None or code in self.used:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        self.used.add(code)
        return code


def _stop_row(plan_id: int, info: StopInfo, codes: Codes, **extra) -> dict:
    row = dict(plan_id=plan_id, task_id=info.task_id, depot_id=None, kind="stop", seq=None,
               code=codes.for_task(info.task_id), arrival=None, departure=None,
               boxes=info.boxes, load_after=None, leg_m=None, reasons=None,
               pinned=info.pinned_to is not None, zip=info.zip, area=info.area,
               lat=info.lat, lon=info.lon, window_start=info.window_start,
               window_end=info.window_end, priority=info.priority, route_id=None)
    row.update(extra)
    return row


def _route(plan_id: int, position: int, d: DriverInfo, route=None) -> PlanRoute:
    row = PlanRoute(plan_id=plan_id, driver_id=d.user_id, position=position,
                    capacity=d.capacity, shift_start=d.shift[0], shift_end=d.shift[1],
                    start_depot_id=d.start_depot, end_depot_id=d.end_depot,
                    start_zip=d.start_zip, end_zip=d.end_zip,
                    start_lat=d.start_point[0] if d.start_point else None,
                    start_lon=d.start_point[1] if d.start_point else None,
                    end_lat=d.end_point[0] if d.end_point else None,
                    end_lon=d.end_point[1] if d.end_point else None,
                    max_trips=d.max_trips, trips=1, start_time=d.shift[0],
                    end_time=d.shift[0], boxes=0, distance_m=0, duration_s=0, changed=False)
    if route is not None:
        row.trips = 1 + sum(1 for s in route.stops if s.kind == "reload")
        row.start_time, row.end_time = route.start_time, route.end_time
        row.boxes, row.distance_m, row.duration_s = route.load, route.distance, route.duration
        # A break after the route ends (or before it starts) is off duty: nothing to show.
        taken = [b for b in route.breaks if b.start < route.end_time and b.end > route.start_time]
        if taken:
            row.break_start, row.break_end = taken[0].start, taken[0].end
    return row


@workflow
def save(plan_id: int, g: Gathered, result) -> bool:
    """Store a solved plan as "ready"; False (nothing stored) if it is no longer running."""
    plan = db.session.get(DayPlan, plan_id)
    if plan is None or plan.state != "running":
        return False
    if shown_state(plan)[0] == "failed":  # finished after its deadline: it counts as failed
        plan.state, plan.error, plan.finished_at = "failed", "timeout", utcnow()
        return False
    codes = Codes(g.codes)
    engine_routes = {r.vehicle_id: r for r in result.routes}
    with_routes = [k for k, d in g.drivers.items() if k in engine_routes or d.done]
    with_routes.sort(key=lambda k: (engine_routes[k].start_time if k in engine_routes
                                    else g.drivers[k].shift[0], g.drivers[k].handle))
    routes = {k: _route(plan_id, i, g.drivers[k], engine_routes.get(k))
              for i, k in enumerate(with_routes)}
    db.session.add_all(routes.values())
    db.session.flush()
    rows: list[dict] = []
    planned = 0
    for key, route_row in routes.items():
        seq = 0
        for info in g.drivers[key].done:
            rows.append(_stop_row(plan_id, info, codes, route_id=route_row.id, kind="done",
                                  seq=seq))
            seq += 1
        engine_route = engine_routes.get(key)
        for visit in engine_route.stops if engine_route else []:
            common = dict(route_id=route_row.id, seq=seq, arrival=visit.arrival,
                          departure=visit.departure, load_after=visit.load_after,
                          leg_m=visit.distance_from_previous)
            if visit.kind == "reload":
                depot_id = int(visit.stop_id[1:])
                point = g.depot_points.get(depot_id, (None, None))
                rows.append(dict(_reload_row(plan_id, depot_id, point), **common))
            else:
                rows.append(_stop_row(plan_id, g.stops[visit.stop_id], codes, **common))
                planned += 1
            seq += 1
    dropped = 0
    for item in result.dropped:
        reasons = ",".join(dict.fromkeys(reason_code(r) for r in item.reasons))
        rows.append(_stop_row(plan_id, g.stops[item.stop_id], codes, kind="dropped",
                              reasons=reasons[:120]))
        dropped += 1
    for info, reason in g.left_out:
        rows.append(_stop_row(plan_id, info, codes, kind="dropped", reasons=reason))
        dropped += 1
    if rows:
        db.session.execute(insert(PlanStop), rows)
    problems = list(dict.fromkeys(g.problems + [problem_code(p) for p in result.problems]))
    plan.problems = ";".join(problems)
    plan.stops_total, plan.stops_planned, plan.stops_dropped = planned + dropped, planned, dropped
    plan.drivers_used = len(result.routes)
    plan.distance_m = sum(r.distance for r in result.routes)
    plan.duration_s = sum(r.duration for r in result.routes)
    plan.solve_seconds = round(float(result.solve_seconds), 2)
    plan.replan_of = g.base_plan_id
    plan.state, plan.finished_at = "ready", utcnow()
    return True


def _reload_row(plan_id: int, depot_id: int, point) -> dict:
    return dict(plan_id=plan_id, task_id=None, depot_id=depot_id, kind="reload", code=None,
                boxes=0, reasons=None, pinned=False, zip=None, area=None, lat=point[0],
                lon=point[1], window_start=None, window_end=None, priority=0)
