"""The integer vehicle-routing problem that OR-Tools solves, shared by city days and benchmarks.

Nodes are indices into square matrices; a vehicle starts and ends at nodes of its own, so
several depots and drivers' home areas are just more start/end nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

__all__ = ["CoreProblem", "CoreSolution", "fleet_to_keep", "restrict_fleet", "widen"]


@dataclass
class CoreProblem:
    """A VRP in integers: arc costs, travel times, demands, windows, fleet, optional visits.

    `travel` excludes service; the solver adds `service[i]` to every arc leaving node i.
    `penalty[i]` None means node i must be visited; an int lets the solver drop it at that cost.
    `allowed[i]` None means any vehicle; else the vehicles that may serve node i.
    Nodes that are some vehicle's start or end are never visited as customers.
    `reloads` are optional nodes where a car loads again: their demand is minus the capacity
    of the one vehicle allowed there, and the load may drop to zero through them (slack).
    `breaks[v]` lists (earliest start, latest start, duration) of vehicle v's breaks.
    """

    cost: np.ndarray
    demand: list[int]
    starts: list[int]
    ends: list[int]
    capacity: list[int]
    travel: np.ndarray | None = None
    service: list[int] | None = None
    windows: list[tuple[int, int]] | None = None
    shifts: list[tuple[int, int]] | None = None
    penalty: list[int | None] | None = None
    allowed: list[list[int] | None] | None = None
    vehicle_fixed_cost: int = 0
    max_route_duration: int | None = None
    reloads: list[int] = field(default_factory=list)
    breaks: list[list[tuple[int, int, int]]] | None = None

    @property
    def size(self) -> int:
        """Number of nodes."""
        return int(self.cost.shape[0])

    @property
    def num_vehicles(self) -> int:
        """Number of vehicles."""
        return len(self.starts)

    @property
    def has_time(self) -> bool:
        """Whether the problem has a time dimension (windows, shifts or service)."""
        return self.travel is not None

    def customers(self) -> list[int]:
        """Nodes that are not any vehicle's start or end, in index order."""
        terminals = set(self.starts) | set(self.ends)
        return [i for i in range(self.size) if i not in terminals]

    def validate(self) -> None:
        """Raise ValueError if sizes or values are inconsistent; cheap, run before solving."""
        n = self.size
        if self.cost.shape != (n, n):
            raise ValueError("cost matrix must be square")
        if self.travel is not None and self.travel.shape != (n, n):
            raise ValueError("travel matrix must match the cost matrix")
        for name in ("demand", "service", "windows", "penalty", "allowed"):
            values = getattr(self, name)
            if values is not None and len(values) != n:
                raise ValueError(f"{name} must have one entry per node")
        v = self.num_vehicles
        for name in ("ends", "capacity", "shifts", "breaks"):
            values = getattr(self, name)
            if values is not None and len(values) != v:
                raise ValueError(f"{name} must have one entry per vehicle")
        if any(not 0 <= s < n for s in self.starts + self.ends):
            raise ValueError("vehicle start/end node out of range")
        if self.reloads and (self.travel is None or self.allowed is None):
            raise ValueError("reload nodes need a time dimension and an allowed vehicle")
        if self.breaks is not None and any(self.breaks) and self.travel is None:
            raise ValueError("breaks need a time dimension")


@dataclass
class CoreSolution:
    """Routes as node lists (terminals left out), with the schedule when there is time."""

    routes: list[list[int]]
    dropped: list[int]
    objective: int
    arrivals: list[list[int]] = field(default_factory=list)  # start of service per route node
    start_times: list[int] = field(default_factory=list)
    end_times: list[int] = field(default_factory=list)
    breaks: list[list[tuple[int, int]]] = field(default_factory=list)  # (start, end) per vehicle
    found: bool = True
    status: str = ""


def fleet_to_keep(
    p: CoreProblem, first: list[list[int]] | None, spare: int | None
) -> list[int] | None:
    """For a fleet of identical vehicles, those the first solution used plus a few spare ones.

    Empty identical vehicles only add symmetric moves that slow every search step.
    """
    if first is None or spare is None or p.allowed is not None and any(p.allowed):
        return None

    def key(v: int) -> tuple:
        return (
            p.starts[v],
            p.ends[v],
            p.capacity[v],
            p.shifts[v] if p.shifts else None,
            p.breaks[v] if p.breaks else None,
        )

    same = all(key(v) == key(0) for v in range(p.num_vehicles))
    if not same:
        return None
    used = [v for v, r in enumerate(first) if r]
    unused = [v for v, r in enumerate(first) if not r]
    keep = sorted(used + unused[:spare])
    return keep if len(keep) < p.num_vehicles else None


def restrict_fleet(p: CoreProblem, keep: list[int]) -> CoreProblem:
    """The same problem with only the vehicles in `keep` (no vehicle restrictions on nodes)."""
    return replace(
        p,
        starts=[p.starts[v] for v in keep],
        ends=[p.ends[v] for v in keep],
        capacity=[p.capacity[v] for v in keep],
        shifts=None if p.shifts is None else [p.shifts[v] for v in keep],
        breaks=None if p.breaks is None else [p.breaks[v] for v in keep],
    )


def widen(solution: CoreSolution, p: CoreProblem, keep: list[int]) -> CoreSolution:
    """Map a solution of the restricted fleet back onto every vehicle of p."""
    routes: list[list[int]] = [[] for _ in range(p.num_vehicles)]
    arrivals: list[list[int]] = [[] for _ in range(p.num_vehicles)]
    starts = [0] * p.num_vehicles
    ends = [0] * p.num_vehicles
    breaks: list[list[tuple[int, int]]] = [[] for _ in range(p.num_vehicles)]
    for i, v in enumerate(keep):
        routes[v] = solution.routes[i] if solution.routes else []
        if solution.arrivals:
            arrivals[v] = solution.arrivals[i]
        if solution.start_times:
            starts[v], ends[v] = solution.start_times[i], solution.end_times[i]
        if solution.breaks:
            breaks[v] = solution.breaks[i]
    return replace(
        solution,
        routes=routes,
        arrivals=arrivals,
        start_times=starts,
        end_times=ends,
        breaks=breaks,
    )
