"""Turn a day's Problem into a Plan: screen bad input, build the core model, solve, explain drops.

Every problem found (no location, closed depot, missing skill, unreachable window) is reported
per stop or per vehicle, and a plan always comes back.
"""

from __future__ import annotations

import math
import time

import numpy as np

from aid.routing.core import CoreProblem, CoreSolution
from aid.routing.matrix import travel_matrices
from aid.routing.problem import DAY, Depot, Dropped, Plan, Problem, Route, RouteStop, Stop, Vehicle
from aid.routing.solver import SearchSettings, solve_core

__all__ = ["plan_day"]


def _valid_point(lat: object, lon: object) -> bool:
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180


class _Fleet:
    """Usable vehicles with their terminal nodes and time bounds, and the problems found."""

    def __init__(self, problem: Problem):
        depots: dict[str, Depot] = {d.id: d for d in problem.depots}
        self.problems: list[str] = []
        self.vehicles: list[Vehicle] = []
        self.terminals: list[tuple[float, float]] = []
        self.terminal_hours: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.shifts: list[tuple[int, int]] = []
        self._keys: dict[object, int] = {}
        for v in problem.vehicles:
            self._add(v, depots)

    @staticmethod
    def _resolve(
        where: str | tuple[float, float], depots: dict[str, Depot]
    ) -> tuple[object, tuple[float, float], tuple[int, int]] | None:
        """Key, coordinates and opening hours of a depot id or a (lat, lon) point."""
        if isinstance(where, str):
            depot = depots.get(where)
            if depot is None or not _valid_point(depot.lat, depot.lon):
                return None
            return (
                ("depot", where),
                (float(depot.lat), float(depot.lon)),
                (depot.opens, depot.closes),
            )
        if not (isinstance(where, (tuple, list)) and len(where) == 2 and _valid_point(*where)):
            return None
        point = (float(where[0]), float(where[1]))
        return ("point", point), point, (0, DAY)

    def _node(self, key: object, point: tuple[float, float], hours: tuple[int, int]) -> int:
        if key not in self._keys:
            self._keys[key] = len(self.terminals)
            self.terminals.append(point)
            self.terminal_hours.append(hours)
        return self._keys[key]

    def _add(self, v: Vehicle, depots: dict[str, Depot]) -> None:
        start = self._resolve(v.start, depots)
        end = self._resolve(v.end if v.end is not None else v.start, depots)
        if start is None or end is None:
            self.problems.append(f"vehicle {v.id}: unknown depot or invalid start/end point")
            return
        if v.capacity <= 0 or v.shift[0] >= v.shift[1]:
            self.problems.append(f"vehicle {v.id}: no capacity or an empty shift")
            return
        lo = max(v.shift[0], start[2][0])
        hi = min(v.shift[1], end[2][1])
        if lo >= hi or start[2][1] < v.shift[0] or start[2][0] >= start[2][1]:
            self.problems.append(f"vehicle {v.id}: its depot is closed during the whole shift")
            return
        self.vehicles.append(v)
        self.starts.append(self._node(*start))
        self.ends.append(self._node(*end))
        self.shifts.append((lo, hi))


def _screen(stop: Stop, fleet: _Fleet) -> tuple[list[str], list[int]]:
    """Reasons a stop cannot be planned before any solving, and the vehicles allowed to take it."""
    if not _valid_point(stop.lat, stop.lon):
        return ["no_location"], []
    if stop.boxes < 0 or stop.service < 0 or (stop.window and stop.window[0] > stop.window[1]):
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
    seconds: np.ndarray, node: int, stop: Stop, fleet: _Fleet, allowed: list[int]
) -> bool:
    """Whether some allowed vehicle can serve the stop in its window and still get back in time."""
    a, b = stop.window or (0, DAY)
    for i in allowed:
        lo, hi = fleet.shifts[i]
        arrive = max(lo + int(seconds[fleet.starts[i], node]), a)
        if arrive <= b and arrive + stop.service + int(seconds[node, fleet.ends[i]]) <= hi:
            return True
    return False


def plan_day(problem: Problem, settings: SearchSettings | None = None) -> Plan:
    """Plan a day's deliveries; what cannot be served is dropped with its reasons, never raised.

    `settings.time_limit` (default 10 s) bounds the search; the problem carries no limit.
    """
    began = time.monotonic()
    fleet = _Fleet(problem)
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
        fleet.problems.append("no vehicles were given")
    base = len(fleet.terminals)
    coords = fleet.terminals + [(float(s.lat), float(s.lon)) for s, _ in kept]  # type: ignore[arg-type]
    if not kept:
        return Plan([], dropped, fleet.problems, time.monotonic() - began)
    metres, seconds = travel_matrices(coords, problem.matrix)
    reachable = []
    for offset, (stop, allowed) in enumerate(kept):
        if _reachable(seconds, base + offset, stop, fleet, allowed):
            reachable.append((stop, allowed, base + offset))
        else:
            dropped.append(Dropped(stop.id, ["window"]))
    if not reachable:
        return Plan([], dropped, fleet.problems, time.monotonic() - began)
    nodes = list(range(base)) + [node for _, _, node in reachable]
    metres = metres[np.ix_(nodes, nodes)]
    seconds = seconds[np.ix_(nodes, nodes)]
    stops = [s for s, _, _ in reachable]
    core = CoreProblem(
        cost=seconds,
        travel=seconds,
        demand=[0] * base + [s.boxes for s in stops],
        service=[0] * base + [s.service for s in stops],
        windows=fleet.terminal_hours + [s.window or (0, DAY) for s in stops],
        starts=fleet.starts,
        ends=fleet.ends,
        capacity=[v.capacity for v in fleet.vehicles],
        shifts=fleet.shifts,
        penalty=[None] * base + [problem.drop_penalty * (max(0, s.priority) + 1) for s in stops],
        allowed=[None] * base
        + [None if len(a) == len(fleet.vehicles) else a for _, a, _ in reachable],
        vehicle_fixed_cost=problem.vehicle_cost,
    )
    settings = settings or SearchSettings()
    solution = solve_core(core, settings)
    routes = _routes(solution, core, metres, stops, fleet, base)
    dropped += _explain_drops(solution, core, stops, base)
    return Plan(routes, dropped, fleet.problems, time.monotonic() - began)


def _routes(
    solution: CoreSolution,
    core: CoreProblem,
    metres: np.ndarray,
    stops: list[Stop],
    fleet: _Fleet,
    base: int,
) -> list[Route]:
    """Turn solver routes (node lists) into the plan's Route objects, empty routes left out."""
    routes = []
    for v, nodes in enumerate(solution.routes):
        if not nodes:
            continue
        load = sum(core.demand[n] for n in nodes)
        remaining, previous, visits, distance = load, core.starts[v], [], 0
        for node, arrival in zip(nodes, solution.arrivals[v]):
            stop = stops[node - base]
            remaining -= stop.boxes
            leg = int(metres[previous, node])
            distance += leg
            visits.append(RouteStop(stop.id, arrival, arrival + stop.service, remaining, leg))
            previous = node
        distance += int(metres[previous, core.ends[v]])
        start, end = solution.start_times[v], solution.end_times[v]
        routes.append(Route(fleet.vehicles[v].id, visits, start, end, load, distance, end - start))
    return routes


def _explain_drops(
    solution: CoreSolution, core: CoreProblem, stops: list[Stop], base: int
) -> list[Dropped]:
    """Say why the solver left a stop out: no spare room in any allowed car, else time."""
    if not solution.dropped:
        return []
    spare = [
        cap - sum(core.demand[n] for n in route) if solution.found else cap
        for cap, route in zip(core.capacity, solution.routes or [[]] * len(core.capacity))
    ]
    out = []
    for node in solution.dropped:
        allowed = (core.allowed[node] if core.allowed else None) or range(len(spare))
        boxes = core.demand[node]
        reason = "capacity" if all(spare[v] < boxes for v in allowed) else "time"
        out.append(Dropped(stops[node - base].id, [reason]))
    return out
