"""PyVRP on the very CoreProblem our solver gets, for side-by-side figures (benchmark only).

The same integer matrices, demands, windows, service times, shifts, fixed cost and drop
penalties (as prizes), so both objectives are the same number and both solutions are
priced and re-checked by our own code. Needs the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from aid.routing.core import CoreProblem

__all__ = ["pyvrp_solve"]

BIG = np.iinfo(np.int64).max


def _data(p: CoreProblem, coords: Sequence[tuple[float, float]] | None) -> tuple:
    """PyVRP ProblemData for p, with the maps from PyVRP indices back to p's nodes/vehicles."""
    if p.allowed is not None and any(a is not None for a in p.allowed):
        raise ValueError("PyVRP has no per-client vehicle restriction (skills)")
    if p.reloads or (p.breaks and any(p.breaks)):
        raise ValueError("reloads and breaks are not mapped to PyVRP here")
    coords = coords if coords is not None else [(0.0, 0.0)] * p.size
    locations = [pyvrp.Location(x=float(x), y=float(y)) for x, y in coords]
    terminals = sorted(set(p.starts) | set(p.ends))
    windows = p.windows or [(0, BIG)] * p.size
    service = p.service or [0] * p.size
    depots = [pyvrp.Depot(n, tw_early=windows[n][0], tw_late=windows[n][1]) for n in terminals]
    customers = p.customers()
    clients = []
    for n in customers:
        penalty = p.penalty[n] if p.penalty is not None else None
        clients.append(
            pyvrp.Client(
                n,
                delivery=[int(p.demand[n])],
                service_duration=int(service[n]),
                tw_early=int(windows[n][0]),
                tw_late=int(windows[n][1]),
                required=penalty is None,
                prize=int(penalty or 0),
            )
        )
    depot_of = {n: i for i, n in enumerate(terminals)}
    groups: dict[tuple, list[int]] = {}
    for v in range(p.num_vehicles):
        shift = p.shifts[v] if p.shifts is not None else (0, BIG)
        key = (depot_of[p.starts[v]], depot_of[p.ends[v]], int(p.capacity[v]), tuple(shift))
        groups.setdefault(key, []).append(v)
    types = [
        pyvrp.VehicleType(
            len(vs),
            capacity=[cap],
            start_depot=start,
            end_depot=end,
            fixed_cost=int(p.vehicle_fixed_cost),
            tw_early=int(shift[0]),
            tw_late=int(shift[1]),
        )
        for (start, end, cap, shift), vs in groups.items()
    ]
    travel = p.travel if p.travel is not None else np.zeros_like(p.cost)
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=types,
        distance_matrices=[np.asarray(p.cost, dtype=np.int64)],
        duration_matrices=[np.asarray(travel, dtype=np.int64)],
    )
    return data, customers, list(groups.values())


def pyvrp_solve(
    p: CoreProblem,
    seconds: float,
    coords: Sequence[tuple[float, float]] | None = None,
    seed: int = 1,
) -> list[list[int]] | None:
    """Solve p with PyVRP for `seconds` on one core; routes per vehicle as p's node lists.

    None if PyVRP's best solution is infeasible.
    """
    data, customers, vehicles_of_type = _data(p, coords)
    result = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False)
    if not result.best.is_feasible():
        return None
    routes: list[list[int]] = [[] for _ in range(p.num_vehicles)]
    next_of_type = [0] * len(vehicles_of_type)
    for route in result.best.routes():
        t = route.vehicle_type()
        v = vehicles_of_type[t][next_of_type[t]]
        next_of_type[t] += 1
        routes[v] = [customers[a.idx] for a in route.schedule() if a.is_client()]
    return routes
