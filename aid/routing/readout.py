"""Read a solver solution back into the plan's terms: routes with visits, reloads and breaks.

Node layout (planner's): terminals first (`base` of them), then stops, then reload nodes;
`labels[node - base]` names the stop or the reload depot.
"""

from __future__ import annotations

import numpy as np

from aid.routing.core import CoreProblem, CoreSolution
from aid.routing.problem import Dropped, Route, RouteStop, TakenBreak, Vehicle

__all__ = ["explain_drops", "plan_routes", "trips"]


def trips(nodes: list[int], reloads: set[int]) -> list[list[int]]:
    """Split a route's nodes into trips at its reload nodes (the reloads left out)."""
    out: list[list[int]] = [[]]
    for node in nodes:
        if node in reloads:
            out.append([])
        else:
            out[-1].append(node)
    return out


def _useful(nodes: list[int], reloads: set[int]) -> list[int]:
    """The route without reloads that start no trip (first, last or back to back)."""
    kept: list[int] = []
    pending = None
    for node in nodes:
        if node in reloads:
            pending = node
            continue
        if pending is not None and kept:
            kept.append(pending)
        pending = None
        kept.append(node)
    return kept


def plan_routes(
    solution: CoreSolution,
    core: CoreProblem,
    metres: np.ndarray,
    labels: list[str],
    vehicles: list[Vehicle],
    base: int,
) -> list[Route]:
    """Turn solver routes (node lists) into the plan's Route objects, empty routes left out."""
    reloads = set(core.reloads)
    routes = []
    for v, all_nodes in enumerate(solution.routes):
        arrival_of = dict(zip(all_nodes, solution.arrivals[v]))
        nodes = _useful(all_nodes, reloads)
        if not any(n not in reloads for n in nodes):
            continue
        trip_loads = [sum(core.demand[n] for n in trip) for trip in trips(nodes, reloads)]
        trip, remaining = 0, trip_loads[0]
        previous, visits, distance = core.starts[v], [], 0
        for node in nodes:
            leg = int(metres[previous, node])
            distance += leg
            arrival = arrival_of[node]
            service = core.service[node] if core.service else 0
            if node in reloads:
                trip += 1
                remaining = trip_loads[trip]
                kind = "reload"
            else:
                remaining -= core.demand[node]
                kind = "stop"
            visits.append(
                RouteStop(labels[node - base], arrival, arrival + service, remaining, leg, kind)
            )
            previous = node
        distance += int(metres[previous, core.ends[v]])
        start, end = solution.start_times[v], solution.end_times[v]
        breaks = [TakenBreak(a, b) for a, b in solution.breaks[v]] if solution.breaks else []
        routes.append(
            Route(
                vehicles[v].id,
                visits,
                start,
                end,
                sum(trip_loads),
                distance,
                end - start,
                breaks,
            )
        )
    return routes


def explain_drops(
    solution: CoreSolution, core: CoreProblem, stop_ids: list[str], base: int
) -> list[Dropped]:
    """Say why the solver left a stop out: no spare room in any allowed car, else time."""
    if not solution.dropped:
        return []
    reloads = set(core.reloads)
    spare = []
    for v, cap in enumerate(core.capacity):
        route = solution.routes[v] if solution.found and solution.routes else []
        loads = [sum(core.demand[n] for n in t) for t in trips(route, reloads)]
        idle = sum(1 for n in core.reloads if core.allowed and core.allowed[n] == [v]) + 1
        spare.append(cap if len(loads) < idle else cap - min(loads))
    out = []
    for node in solution.dropped:
        allowed = (core.allowed[node] if core.allowed else None) or range(len(spare))
        boxes = core.demand[node]
        reason = "capacity" if all(spare[v] < boxes for v in allowed) else "time"
        out.append(Dropped(stop_ids[node - base], [reason]))
    return out
