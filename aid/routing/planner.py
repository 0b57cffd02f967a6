"""Turn a day's Problem into a Plan: screen bad input, build the core model, solve, explain drops.

Every problem found (no location, closed depot, missing skill, unreachable window, a break
or reload that cannot be honoured) is reported per stop or per vehicle, and a plan always
comes back: every stop is either on a route or dropped with its reasons.
"""

from __future__ import annotations

import time

import numpy as np

from aid.routing.core import CoreProblem
from aid.routing.fleet import Fleet, valid_point
from aid.routing.matrix import travel_matrices
from aid.routing.problem import DAY, Dropped, Plan, PlanProblem, Problem, Stop
from aid.routing.readout import explain_drops, plan_routes
from aid.routing.solver import SearchSettings, solve_core

__all__ = ["plan_day"]


def _well_formed(stop: Stop) -> bool:
    """Whether boxes, service, window and priority are integers in range."""
    try:
        numbers = [stop.boxes, stop.service, stop.priority, *(stop.window or (0, 0))]
        if any(int(x) != x for x in numbers):
            return False
    except (TypeError, ValueError, OverflowError):
        return False
    window = stop.window or (0, 0)
    return stop.boxes >= 0 and stop.service >= 0 and len(window) == 2 and window[0] <= window[1]


def _screen(stop: Stop, fleet: Fleet) -> tuple[list[str], list[int]]:
    """Reasons a stop cannot be planned before any solving, and the vehicles allowed to take it."""
    if not valid_point(stop.lat, stop.lon):
        return ["no_location"], []
    if not _well_formed(stop):
        return ["bad_input"], []
    if not fleet.vehicles:
        return ["no_vehicles"], []
    allowed = [
        i for i, v in enumerate(fleet.vehicles) if stop.skill is None or stop.skill in v.skills
    ]
    if not allowed:
        return ["skill"], []
    if stop.boxes > max(fleet.vehicles[i].capacity for i in allowed):
        return ["too_many_boxes"], allowed
    return [], allowed


def _reachable(
    seconds: np.ndarray, node: int, stop: Stop, fleet: Fleet, allowed: list[int]
) -> bool:
    """Whether some allowed vehicle can serve the stop in its window and still get back in time."""
    a, b = stop.window or (0, DAY)
    for i in allowed:
        lo, hi = fleet.shifts[i]
        arrive = max(lo + int(seconds[fleet.starts[i], node]), a)
        if arrive <= b and arrive + stop.service + int(seconds[node, fleet.ends[i]]) <= hi:
            return True
    return False


def _reload_nodes(fleet: Fleet) -> list[tuple[int, str, tuple[float, float], tuple[int, int]]]:
    """One (vehicle, depot id, point, window) per extra trip a vehicle may make."""
    out = []
    for v, reload in enumerate(fleet.reloads):
        if reload is not None:
            depot_id, point, window, extra = reload
            out += [(v, depot_id, point, window)] * extra
    return out


def plan_day(problem: Problem, settings: SearchSettings | None = None) -> Plan:
    """Plan a day's deliveries; what cannot be served is dropped with its reasons, never raised.

    `settings.time_limit` (default 10 s) bounds the search; the problem carries no limit.
    """
    began = time.monotonic()
    fleet = Fleet(problem)
    dropped: list[Dropped] = []
    kept: list[tuple[Stop, list[int]]] = []
    seen: set[str] = set()
    for stop in problem.stops:
        reasons, allowed = (["bad_input"], []) if stop.id in seen else _screen(stop, fleet)
        seen.add(stop.id)
        if reasons:
            dropped.append(Dropped(stop.id, reasons))
        else:
            kept.append((stop, allowed))
    if not fleet.vehicles and not problem.vehicles:
        fleet.problems.append(PlanProblem("no_vehicles", "no vehicles were given"))
    if not kept:
        return Plan([], dropped, fleet.problems, time.monotonic() - began)
    base = len(fleet.terminals)
    reloads = _reload_nodes(fleet)
    coords = (
        fleet.terminals
        + [(float(s.lat), float(s.lon)) for s, _ in kept]  # type: ignore[arg-type]
        + [point for _, _, point, _ in reloads]
    )
    metres, seconds = travel_matrices(coords, problem.matrix)
    reachable = []
    for offset, (stop, allowed) in enumerate(kept):
        if _reachable(seconds, base + offset, stop, fleet, allowed):
            reachable.append((stop, allowed, base + offset))
        else:
            dropped.append(Dropped(stop.id, ["window"]))
    if not reachable:
        return Plan([], dropped, fleet.problems, time.monotonic() - began)
    first_reload = base + len(kept)
    nodes = (
        list(range(base))
        + [node for _, _, node in reachable]
        + list(range(first_reload, first_reload + len(reloads)))
    )
    metres = metres[np.ix_(nodes, nodes)]
    seconds = seconds[np.ix_(nodes, nodes)]
    stops = [s for s, _, _ in reachable]
    reload_times = [fleet.vehicles[v].reload_time for v, _, _, _ in reloads]
    cost = seconds.copy()
    # Loading time counts as driving time, so a reload the route does not need is removed.
    cost[base + len(stops) :] += np.array(reload_times, dtype=np.int64)[:, None]
    all_vehicles = len(fleet.vehicles)
    core = CoreProblem(
        cost=cost,
        travel=seconds,
        demand=[0] * base
        + [s.boxes for s in stops]
        + [-fleet.vehicles[v].capacity for v, _, _, _ in reloads],
        service=[0] * base + [s.service for s in stops] + reload_times,
        windows=fleet.terminal_hours
        + [s.window or (0, DAY) for s in stops]
        + [w for _, _, _, w in reloads],
        starts=fleet.starts,
        ends=fleet.ends,
        capacity=[v.capacity for v in fleet.vehicles],
        shifts=fleet.shifts,
        penalty=[None] * base
        + [problem.drop_penalty * (max(0, s.priority) + 1) for s in stops]
        + [0] * len(reloads),
        allowed=[None] * base
        + [None if len(a) == all_vehicles else a for _, a, _ in reachable]
        + [[v] for v, _, _, _ in reloads],
        vehicle_fixed_cost=problem.vehicle_cost,
        reloads=list(range(base + len(stops), base + len(stops) + len(reloads))),
        breaks=[[(b.earliest, b.latest, b.duration) for b in v.breaks] for v in fleet.vehicles],
    )
    solution = solve_core(core, settings or SearchSettings())
    if not solution.found:
        fleet.problems.append(PlanProblem(
            "solver_none", f"the solver found no plan ({solution.status}); nothing is routed"))
    labels = [s.id for s in stops] + [depot_id for _, depot_id, _, _ in reloads]
    routes = plan_routes(solution, core, metres, labels, fleet.vehicles, base)
    dropped += explain_drops(solution, core, [s.id for s in stops], base)
    return Plan(routes, dropped, fleet.problems, time.monotonic() - began)
