"""Re-check benchmark solutions without the solver: each customer once, loads, fleet, windows.

Times are recomputed in double precision from the file's coordinates, so a rounding or
scaling bug in the integer model shows up as a violation.
"""

from __future__ import annotations

import math

from aid.routing.bench.instances import BenchInstance

__all__ = ["check_bench"]


def check_bench(inst: BenchInstance, routes: list[list[int]]) -> list[str]:
    """List violations of a benchmark solution (customer numbers, no depot); [] if feasible."""
    errors: list[str] = []
    seen: dict[int, int] = {}
    for r, route in enumerate(routes):
        for c in route:
            if not 1 <= c <= inst.n_customers:
                errors.append(f"route {r}: {c} is not a customer")
            seen[c] = seen.get(c, 0) + 1
    errors += [f"customer {c} visited {k} times" for c, k in sorted(seen.items()) if k > 1]
    missing = [c for c in range(1, inst.n_customers + 1) if c not in seen]
    if missing:
        errors.append(f"{len(missing)} customers not visited, e.g. {missing[:5]}")
    used = [r for r in routes if r]
    if inst.max_vehicles is not None and len(used) > inst.max_vehicles:
        errors.append(f"{len(used)} routes for a fleet of {inst.max_vehicles}")
    for r, route in enumerate(used):
        load = sum(inst.demand[c] for c in route if 0 <= c < len(inst.demand))
        if load > inst.capacity:
            errors.append(f"route {r}: load {load} over capacity {inst.capacity}")
    if inst.kind == "vrptw" and not errors:
        errors += _bench_times(inst, used)
    return errors


def _bench_times(inst: BenchInstance, routes: list[list[int]]) -> list[str]:
    """Check Solomon windows in double precision: service starts in [ready, due], may wait."""
    assert inst.ready is not None and inst.due is not None and inst.service is not None
    xy = inst.coords
    errors = []
    for r, route in enumerate(routes):
        t, prev = inst.ready[0], 0
        for c in route + [0]:
            t += inst.service[prev] + math.dist(xy[prev], xy[c])
            t = max(t, inst.ready[c])
            if t > inst.due[c] + 1e-9:
                errors.append(f"route {r}: node {c} reached at {t:.4f} after due {inst.due[c]}")
            prev = c
    return errors
