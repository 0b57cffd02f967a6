"""The integer vehicle-routing problem that OR-Tools solves, shared by city days and benchmarks.

Nodes are indices into square matrices; a vehicle starts and ends at nodes of its own, so
several depots and drivers' home areas are just more start/end nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["CoreProblem", "CoreSolution"]


@dataclass
class CoreProblem:
    """A VRP in integers: arc costs, travel times, demands, windows, fleet, optional visits.

    `travel` excludes service; the solver adds `service[i]` to every arc leaving node i.
    `penalty[i]` None means node i must be visited; an int lets the solver drop it at that cost.
    `allowed[i]` None means any vehicle; else the vehicles that may serve node i.
    Nodes that are some vehicle's start or end are never visited as customers.
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
        for name in ("ends", "capacity", "shifts"):
            values = getattr(self, name)
            if values is not None and len(values) != v:
                raise ValueError(f"{name} must have one entry per vehicle")
        if any(not 0 <= s < n for s in self.starts + self.ends):
            raise ValueError("vehicle start/end node out of range")


@dataclass
class CoreSolution:
    """Routes as node lists (terminals left out), with the schedule when there is time."""

    routes: list[list[int]]
    dropped: list[int]
    objective: int
    arrivals: list[list[int]] = field(default_factory=list)  # start of service per route node
    start_times: list[int] = field(default_factory=list)
    end_times: list[int] = field(default_factory=list)
    found: bool = True
    status: str = ""
