"""Re-check plans without the solver: each stop once, loads per trip, skills, windows, shifts,
opening hours, reloads and breaks.

It recomputes travel from coordinates with geopy (not the planner's numpy matrix), so a bug
in the model or the matrix shows up as a violation. It imports nothing of the solver.
"""

from __future__ import annotations

from collections.abc import Callable

from geopy.distance import great_circle

from aid.routing.problem import DAY, Depot, Plan, Problem, Route, RouteStop, Stop, Vehicle

__all__ = ["check_plan"]

Seconds = Callable[[tuple[float, float], tuple[float, float]], float]
Point = tuple[float, float]


def _default_seconds(problem: Problem) -> Seconds:
    settings = problem.matrix

    def seconds(a: Point, b: Point) -> float:
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
    visits = [rs for r in plan.routes for rs in r.stops if rs.kind == "stop"]
    for stop_id in [rs.stop_id for rs in visits] + [d.stop_id for d in plan.dropped]:
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
        bad = [rs for rs in route.stops if rs.kind not in ("stop", "reload")]
        errors += [f"vehicle {vehicle.id}: unknown entry kind {rs.kind!r}" for rs in bad]
        if bad or any(rs.stop_id not in stops for rs in route.stops if rs.kind == "stop"):
            continue
        errors += _check_loads(route, vehicle, stops)
        errors += _check_reloads(route, vehicle, depots)
        errors += _check_schedule(route, vehicle, stops, depots, seconds)
        errors += _check_breaks(route, vehicle)
    return errors


def _point(where: object, depots: dict[str, Depot]) -> tuple[Point, int, int]:
    """Coordinates and opening hours of a vehicle's start or end."""
    if isinstance(where, str):
        d = depots[where]
        return (d.lat, d.lon), d.opens, d.closes
    return (float(where[0]), float(where[1])), 0, DAY  # type: ignore[index]


def _check_loads(route: Route, vehicle: Vehicle, stops: dict[str, Stop]) -> list[str]:
    """Boxes per trip within capacity, and the loads the route reports match its stops."""
    tag = f"vehicle {vehicle.id}"
    errors = []
    trips: list[list[RouteStop]] = [[]]
    for rs in route.stops:
        if rs.kind == "reload":
            trips.append([])
        else:
            trips[-1].append(rs)
    loads = [sum(stops[rs.stop_id].boxes for rs in trip) for trip in trips]
    for k, load in enumerate(loads):
        if load > vehicle.capacity:
            errors.append(f"{tag}: trip {k + 1} has {load} boxes, over capacity {vehicle.capacity}")
    if sum(loads) != route.load:
        errors.append(f"{tag}: route says load {route.load}, stops sum to {sum(loads)}")
    trip, remaining = 0, loads[0]
    for rs in route.stops:
        if rs.kind == "reload":
            trip += 1
            remaining = loads[trip]
        else:
            remaining -= stops[rs.stop_id].boxes
        if rs.load_after != remaining:
            errors.append(f"{tag}: {rs.stop_id} says {rs.load_after} boxes left, not {remaining}")
    return errors


def _check_reloads(route: Route, vehicle: Vehicle, depots: dict[str, Depot]) -> list[str]:
    """Reloads only as many as allowed, at the vehicle's reload depot while it is open."""
    tag = f"vehicle {vehicle.id}"
    reloads = [rs for rs in route.stops if rs.kind == "reload"]
    if not reloads:
        return []
    errors = []
    if len(reloads) + 1 > vehicle.max_trips:
        errors.append(f"{tag}: {len(reloads) + 1} trips, at most {vehicle.max_trips} allowed")
    where = vehicle.reload_at if vehicle.reload_at is not None else vehicle.start
    for rs in reloads:
        depot = depots.get(rs.stop_id)
        if rs.stop_id != where or depot is None:
            errors.append(f"{tag}: reload at {rs.stop_id!r}, its reload depot is {where!r}")
            continue
        if rs.departure - rs.arrival < vehicle.reload_time:
            errors.append(f"{tag}: reload at {rs.arrival} shorter than {vehicle.reload_time} s")
        if rs.arrival < depot.opens or rs.arrival + vehicle.reload_time > depot.closes:
            errors.append(f"{tag}: reload at {rs.arrival} while depot {depot.id} is closed")
    return errors


def _check_schedule(
    route: Route,
    vehicle: Vehicle,
    stops: dict[str, Stop],
    depots: dict[str, Depot],
    seconds: Seconds,
) -> list[str]:
    """Skills, windows, shift and hours; every drive fits between visits with the breaks in it.

    Allows a second of rounding per leg.
    """
    tag = f"vehicle {vehicle.id}"
    errors = []
    start, opens, _ = _point(vehicle.start, depots)
    end, _, closes = _point(vehicle.end if vehicle.end is not None else vehicle.start, depots)
    if route.start_time < max(vehicle.shift[0], opens):
        errors.append(f"{tag}: leaves at {route.start_time}, before its shift or depot opens")
    free, here, slack = float(route.start_time), start, 0.0
    for rs in route.stops:
        if rs.kind == "reload":
            depot = depots.get(rs.stop_id)
            if depot is None:
                continue
            there, window, service = (depot.lat, depot.lon), (0, DAY), vehicle.reload_time
        else:
            stop = stops[rs.stop_id]
            if stop.skill is not None and stop.skill not in vehicle.skills:
                errors.append(f"{tag}: stop {stop.id} needs skill {stop.skill!r}")
            there, window, service = (stop.lat, stop.lon), stop.window or (0, DAY), stop.service
        slack += 1.0
        t = free + seconds(here, there) + _paused(route, free, rs.arrival)
        if rs.arrival + slack < t:
            errors.append(f"{tag}: {rs.stop_id} at {rs.arrival}, cannot get there before {t:.0f}")
        if not window[0] <= rs.arrival <= window[1]:
            errors.append(f"{tag}: stop {rs.stop_id} at {rs.arrival} outside window {window}")
        free = max(t, float(rs.arrival)) + service
        here = there
    slack += 1.0
    t = free + seconds(here, end) + _paused(route, free, route.end_time)
    if t > min(vehicle.shift[1], closes) + slack:
        errors.append(f"{tag}: back at {t:.0f}, after its shift or depot closing")
    if route.end_time + slack < t:
        errors.append(f"{tag}: route says back at {route.end_time}, cannot be before {t:.0f}")
    return errors


def _paused(route: Route, since: float, until: float) -> float:
    """Seconds of breaks taken wholly between two moments of a route (a drive or a wait)."""
    return float(sum(b.end - b.start for b in route.breaks if since <= b.start and b.end <= until))


def _check_breaks(route: Route, vehicle: Vehicle) -> list[str]:
    """Each break taken once, in its window, for its duration, overlapping no visit or reload."""
    tag = f"vehicle {vehicle.id}"
    if len(route.breaks) != len(vehicle.breaks):
        return [f"{tag}: {len(route.breaks)} breaks planned for {len(vehicle.breaks)} asked"]
    errors = []
    busy = [(rs.arrival, rs.departure, rs.stop_id) for rs in route.stops]
    for asked, taken in zip(vehicle.breaks, route.breaks):
        if not asked.earliest <= taken.start <= asked.latest:
            errors.append(f"{tag}: break at {taken.start} outside {asked.earliest}-{asked.latest}")
        if taken.end - taken.start != asked.duration:
            errors.append(f"{tag}: break {taken.start}-{taken.end} is not {asked.duration} s")
        for a, b, what in busy:
            if taken.start < b and a < taken.end:
                errors.append(f"{tag}: break {taken.start}-{taken.end} overlaps {what} {a}-{b}")
        off_duty = taken.end <= route.start_time or taken.start >= route.end_time
        if not off_duty and not route.start_time <= taken.start <= taken.end <= route.end_time:
            errors.append(f"{tag}: break {taken.start}-{taken.end} straddles the route's ends")
    return errors
