"""Re-check plans without the solver: each stop once, loads, skills, windows, shifts, hours.

It recomputes travel from coordinates with geopy (not the planner's numpy matrix), so a bug
in the model or the matrix shows up as a violation. It imports nothing of the solver.
"""

from __future__ import annotations

from collections.abc import Callable

from geopy.distance import great_circle

from aid.routing.problem import DAY, Plan, Problem

__all__ = ["check_plan"]

Seconds = Callable[[tuple[float, float], tuple[float, float]], float]


def _default_seconds(problem: Problem) -> Seconds:
    settings = problem.matrix

    def seconds(a: tuple[float, float], b: tuple[float, float]) -> float:
        metres = great_circle(a, b).meters * settings.detour_factor
        return metres * 3.6 / settings.speed_kmh

    return seconds


def check_plan(problem: Problem, plan: Plan, seconds: Seconds | None = None) -> list[str]:
    """List violations of a day plan against its problem; [] if every rule holds.

    `seconds(a, b)` gives travel time between (lat, lon) points; by default great-circle
    times the detour factor at the configured speed (pass an OSRM lookup when one is used).
    """
    seconds = seconds or _default_seconds(problem)
    stops = {s.id: s for s in problem.stops}
    vehicles = {v.id: v for v in problem.vehicles}
    depots = {d.id: d for d in problem.depots}
    errors: list[str] = []
    counts: dict[str, int] = {}
    for stop_id in [rs.stop_id for r in plan.routes for rs in r.stops] + [
        d.stop_id for d in plan.dropped
    ]:
        counts[stop_id] = counts.get(stop_id, 0) + 1
    errors += [f"stop {s} appears {k} times" for s, k in counts.items() if k > 1]
    errors += [f"stop {s} is not a known stop" for s in counts if s not in stops]
    errors += [f"stop {s} is neither routed nor dropped" for s in stops if s not in counts]
    errors += [f"stop {d.stop_id} dropped without a reason" for d in plan.dropped if not d.reasons]
    used = [r.vehicle_id for r in plan.routes]
    errors += [f"vehicle {v} has {used.count(v)} routes" for v in set(used) if used.count(v) > 1]
    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            errors.append(f"route for unknown vehicle {route.vehicle_id}")
            continue
        if any(rs.stop_id not in stops for rs in route.stops):
            continue
        errors += _check_route(route, vehicle, stops, depots, seconds)
    return errors


def _point(where: object, depots: dict) -> tuple[tuple[float, float], int, int]:
    """Coordinates and opening hours of a vehicle's start or end."""
    if isinstance(where, str):
        d = depots[where]
        return (d.lat, d.lon), d.opens, d.closes
    return (float(where[0]), float(where[1])), 0, DAY  # type: ignore[index]


def _check_route(route, vehicle, stops, depots, seconds: Seconds) -> list[str]:
    """Check one route's load, skills and schedule, allowing a second of rounding per leg."""
    tag = f"vehicle {vehicle.id}"
    errors = []
    load = sum(stops[rs.stop_id].boxes for rs in route.stops)
    if load > vehicle.capacity:
        errors.append(f"{tag}: {load} boxes over capacity {vehicle.capacity}")
    if load != route.load:
        errors.append(f"{tag}: route says load {route.load}, stops sum to {load}")
    start, opens, _ = _point(vehicle.start, depots)
    end, _, closes = _point(vehicle.end if vehicle.end is not None else vehicle.start, depots)
    if route.start_time < max(vehicle.shift[0], opens):
        errors.append(f"{tag}: leaves at {route.start_time}, before its shift or depot opens")
    t, here, slack = float(route.start_time), start, 0.0
    for rs in route.stops:
        stop = stops[rs.stop_id]
        if stop.skill is not None and stop.skill not in vehicle.skills:
            errors.append(f"{tag}: stop {stop.id} needs skill {stop.skill!r}")
        there = (stop.lat, stop.lon)
        t += seconds(here, there)
        slack += 1.0
        window = stop.window or (0, DAY)
        if rs.arrival + slack < t:
            errors.append(f"{tag}: stop {stop.id} at {rs.arrival}, cannot get there before {t:.0f}")
        if not window[0] <= rs.arrival <= window[1]:
            errors.append(f"{tag}: stop {stop.id} at {rs.arrival} outside window {window}")
        t = max(t, float(rs.arrival)) + stop.service
        here = there
    t += seconds(here, end)
    slack += 1.0
    if t > min(vehicle.shift[1], closes) + slack:
        errors.append(f"{tag}: back at {t:.0f}, after its shift or depot closing")
    if route.end_time + slack < t:
        errors.append(f"{tag}: route says back at {route.end_time}, cannot be before {t:.0f}")
    return errors
