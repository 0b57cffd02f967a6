"""The usable fleet of a day: each car's start and end nodes, shift, reload depot and breaks.

A car whose data cannot be honoured (unknown depot, closed all shift, a break that does not
fit) is left out with a problem naming it, rather than planned against rules it breaks.
"""

from __future__ import annotations

import math

from aid.routing.problem import DAY, Depot, PlanProblem, Problem, Vehicle

__all__ = ["MAX_TRIPS", "Fleet", "valid_point"]

MAX_TRIPS = 6  # trips per car a plan considers; each extra trip is a node in the model

Point = tuple[float, float]


def valid_point(lat: object, lon: object) -> bool:
    """Whether (lat, lon) are finite numbers on the globe."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180


class Fleet:
    """Usable vehicles with their terminal nodes, time bounds and reloads; problems found."""

    def __init__(self, problem: Problem):
        self.depots: dict[str, Depot] = {d.id: d for d in problem.depots}
        self.problems: list[PlanProblem] = []
        self.vehicles: list[Vehicle] = []
        self.terminals: list[Point] = []
        self.terminal_hours: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.shifts: list[tuple[int, int]] = []
        # Per vehicle: the reload depot (id, point, reload-start window) and extra trips.
        self.reloads: list[tuple[str, Point, tuple[int, int], int] | None] = []
        self._keys: dict[object, int] = {}
        for v in problem.vehicles:
            self._add(v)

    def _resolve(self, where: str | Point) -> tuple[object, Point, tuple[int, int]] | None:
        """Key, coordinates and opening hours of a depot id or a (lat, lon) point."""
        if isinstance(where, str):
            depot = self.depots.get(where)
            if depot is None or not valid_point(depot.lat, depot.lon):
                return None
            point = (float(depot.lat), float(depot.lon))
            return ("depot", where), point, (depot.opens, depot.closes)
        if not (isinstance(where, (tuple, list)) and len(where) == 2 and valid_point(*where)):
            return None
        point = (float(where[0]), float(where[1]))
        return ("point", point), point, (0, DAY)

    def _node(self, key: object, point: Point, hours: tuple[int, int]) -> int:
        if key not in self._keys:
            self._keys[key] = len(self.terminals)
            self.terminals.append(point)
            self.terminal_hours.append(hours)
        return self._keys[key]

    def _problem(self, code: str, v: Vehicle, detail: str) -> None:
        self.problems.append(PlanProblem(code, detail, vehicle=str(v.id)))

    def _add(self, v: Vehicle) -> None:
        try:
            numbers = [v.capacity, *v.shift, v.max_trips, v.reload_time]
            numbers += [x for b in v.breaks for x in (b.earliest, b.latest, b.duration)]
            well_formed = len(v.shift) == 2 and all(int(x) == x for x in numbers)
        except (TypeError, ValueError, OverflowError, AttributeError):
            well_formed = False
        if not well_formed:
            self._problem("vehicle_bad", v, "capacity, shift, trips or breaks are not numbers")
            return
        start = self._resolve(v.start)
        end = self._resolve(v.end if v.end is not None else v.start)
        if start is None or end is None:
            self._problem("vehicle_no_start", v, "unknown depot or invalid start/end point")
            return
        if v.capacity <= 0 or v.shift[0] >= v.shift[1]:
            self._problem("vehicle_shift", v, "no capacity or an empty shift")
            return
        lo = max(v.shift[0], start[2][0])
        hi = min(v.shift[1], end[2][1])
        if lo >= hi or start[2][1] < v.shift[0] or start[2][0] >= start[2][1]:
            self._problem("vehicle_depot_closed", v, "its depot is closed during the whole shift")
            return
        breaks_problem = self._breaks_problem(v)
        if breaks_problem:
            self._problem("vehicle_break", v, breaks_problem)
            return
        self.vehicles.append(v)
        self.starts.append(self._node(*start))
        self.ends.append(self._node(*end))
        self.shifts.append((lo, hi))
        self.reloads.append(self._reload(v, (lo, hi)))

    @staticmethod
    def _breaks_problem(v: Vehicle) -> str:
        """Why the vehicle's breaks cannot be planned, or '' if they can."""
        for b in v.breaks:
            if b.duration <= 0 or b.earliest > b.latest or b.earliest < 0:
                return f"break {b} has no duration or an empty window"
        total = sum(b.duration for b in v.breaks)
        if total >= v.shift[1] - v.shift[0]:
            return "its breaks fill the whole shift"
        return ""

    def _reload(
        self, v: Vehicle, shift: tuple[int, int]
    ) -> tuple[str, Point, tuple[int, int], int] | None:
        """Where and when vehicle v may reload, or None (a problem is noted if it asked to)."""
        if v.max_trips <= 1:
            return None
        depot_id = v.reload_at if v.reload_at is not None else v.start
        depot = self.depots.get(depot_id) if isinstance(depot_id, str) else None
        if depot is None or not valid_point(depot.lat, depot.lon):
            self._problem("vehicle_reload", v,
                          f"no depot to reload at (reload_at {v.reload_at!r}); one trip only")
            return None
        if v.reload_time < 0:
            self._problem("vehicle_reload", v, "negative reload time; one trip only")
            return None
        # Loading starts when the depot is open and ends before it closes, within the shift.
        window = (max(depot.opens, shift[0]), min(depot.closes - v.reload_time, shift[1]))
        if window[0] > window[1]:
            self._problem("vehicle_reload", v, f"depot {depot_id} is closed for reloading")
            return None
        trips = min(v.max_trips, MAX_TRIPS)
        if trips < v.max_trips:
            self._problem("vehicle_reload", v, f"at most {MAX_TRIPS} trips are planned")
        return depot_id, (float(depot.lat), float(depot.lon)), window, trips - 1
