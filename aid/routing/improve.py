"""Improve a solution by parts: re-solve groups of nearby routes as small OR-Tools models.

OR-Tools' guided local search scans every move of the whole problem for each step, so on
hundreds of stops it takes few steps per second. Routes are independent given their
vehicles, so a handful of neighbouring routes is an exact sub-problem whose search is fast;
cycling over such neighbourhoods (a POPMUSIC-style decomposition) keeps improving big plans.
"""

from __future__ import annotations

import random
import time

import numpy as np

from aid.routing.core import CoreProblem

__all__ = ["improve_by_parts", "objective", "subproblem"]


def objective(p: CoreProblem, routes: list[list[int]]) -> int:
    """The model's objective for routes: arc costs, fixed cost per used vehicle, drop penalties."""
    total = 0
    visited: set[int] = set()
    for v, route in enumerate(routes):
        if not route:
            continue
        path = [p.starts[v], *route, p.ends[v]]
        total += int(p.cost[path[:-1], path[1:]].sum()) + p.vehicle_fixed_cost
        visited.update(route)
    if p.penalty is not None:
        total += sum(int(p.penalty[i] or 0) for i in p.customers() if i not in visited)
    return total


def subproblem(
    p: CoreProblem, vehicles: list[int], customers: list[int]
) -> tuple[CoreProblem, list[int]]:
    """Restrict p to some vehicles and customers; return it and the sub -> original node map."""
    terminals = sorted({p.starts[v] for v in vehicles} | {p.ends[v] for v in vehicles})
    nodes = terminals + customers
    index = {n: i for i, n in enumerate(nodes)}
    vmap = {v: i for i, v in enumerate(vehicles)}
    grid = np.ix_(nodes, nodes)

    def pick(values: list | None) -> list | None:
        return None if values is None else [values[n] for n in nodes]

    allowed = None
    if p.allowed is not None:
        allowed = [
            None if p.allowed[n] is None else [vmap[v] for v in p.allowed[n] if v in vmap]
            for n in nodes
        ]
    sub = CoreProblem(
        cost=p.cost[grid],
        demand=[p.demand[n] for n in nodes],
        starts=[index[p.starts[v]] for v in vehicles],
        ends=[index[p.ends[v]] for v in vehicles],
        capacity=[p.capacity[v] for v in vehicles],
        travel=None if p.travel is None else p.travel[grid],
        service=pick(p.service),
        windows=pick(p.windows),
        shifts=None if p.shifts is None else [p.shifts[v] for v in vehicles],
        penalty=pick(p.penalty),
        allowed=allowed,
        vehicle_fixed_cost=p.vehicle_fixed_cost,
        max_route_duration=p.max_route_duration,
        reloads=[index[n] for n in p.reloads if n in index],
        breaks=None if p.breaks is None else [p.breaks[v] for v in vehicles],
    )
    return sub, nodes


def _neighbourhood(
    p: CoreProblem,
    routes: list[list[int]],
    dropped: list[int],
    seed: int,
    size: int,
    min_routes: int = 2,
) -> tuple[list[int], list[int]]:
    """Routes nearest to a seed customer (by their closest visit) until about `size` visits."""
    owner = {n: v for v, r in enumerate(routes) for n in r}
    served = np.fromiter(owner.keys(), dtype=np.int64, count=len(owner))
    order = served[np.argsort(p.cost[seed, served] + p.cost[served, seed], kind="stable")]
    vehicles: list[int] = []
    count = 0
    for node in order:
        v = owner[int(node)]
        if v not in vehicles:
            vehicles.append(v)
            count += len(routes[v])
            if count >= size and len(vehicles) >= min_routes:
                break
    empty = [v for v, r in enumerate(routes) if not r]
    if empty:
        # One empty vehicle lets the sub-problem open a route; pick the one nearest the seed.
        vehicles.append(min(empty, key=lambda v: (p.cost[p.starts[v], seed], v)))
    if dropped:
        near = sorted(dropped, key=lambda n: (p.cost[seed, n], n))[: max(1, size // 10)]
    else:
        near = []
    customers = [n for v in vehicles for n in routes[v]] + near
    return vehicles, customers + _idle_reloads(p, routes, vehicles)


def _idle_reloads(p: CoreProblem, routes: list[list[int]], vehicles: list[int]) -> list[int]:
    """Reload nodes of these vehicles that their routes do not use, so a sub-problem may."""
    if not p.reloads:
        return []
    used = {n for v in vehicles for n in routes[v]}
    mine = set(vehicles)
    return [n for n in p.reloads if n not in used and p.allowed[n][0] in mine]  # type: ignore[index]


def _eliminate(
    p: CoreProblem, routes: list[list[int]], victim: int, size: int, min_routes: int
) -> tuple[CoreProblem, list[int], list[int], list[list[int]]] | None:
    """A sub-problem that must serve one route's visits with the neighbouring routes only.

    Its visits start unserved; required visits get a prohibitive drop penalty so that the
    unfinished start is a valid solution and the search inserts them wherever they fit.
    """
    vehicles, chosen = _neighbourhood(p, routes, [], routes[victim][0], size, min_routes + 1)
    vehicles = [v for v in vehicles if v != victim and routes[v]]
    if not vehicles:
        return None
    chosen = [n for v in vehicles for n in routes[v]] + routes[victim]
    chosen += _idle_reloads(p, routes, vehicles)
    sub, nodes = subproblem(p, vehicles, chosen)
    _soften(sub, len(nodes) - len(chosen))
    back = {n: i for i, n in enumerate(nodes)}
    return sub, vehicles, nodes, [[back[n] for n in routes[v]] for v in vehicles]


def _soften(sub: CoreProblem, terminals: int) -> None:
    """Give required visits a prohibitive drop penalty, so a start missing them is valid."""
    big = int(sub.cost.max()) * (sub.size + 1) * 1000 + 1
    sub.penalty = [
        None if i < terminals else (big if pen is None else pen)
        for i, pen in enumerate(sub.penalty or [None] * sub.size)
    ]


def _ruin(
    rng: random.Random, routes: list[list[int]], near: np.ndarray | None = None
) -> list[list[int]]:
    """Cut a string out of each route (SISR-style), at most a third of it.

    With `near` (each node's distance to the seed) the string holds the route's visit
    nearest the seed, so the cuts meet in one area and their visits compete for it.
    """
    out = []
    for route in routes:
        if len(route) < 2:
            out.append(list(route))
            continue
        length = rng.randint(1, max(1, min(10, len(route) // 3)))
        if near is None:
            start = rng.randrange(0, len(route) - length + 1)
        else:
            at = min(range(len(route)), key=lambda i: near[route[i]])
            start = max(0, min(len(route) - length, at - rng.randrange(length)))
        out.append(route[:start] + route[start + length :])
    return out


def _budget(seconds_per_visit: float, visits: int, deadline: float, least: float = 0.05) -> float:
    """Search time for a sub-problem of `visits` nodes, never past the deadline."""
    wanted = min(0.5, max(least, seconds_per_visit * visits))
    return max(0.01, min(wanted, deadline - time.monotonic()))


def improve_by_parts(
    p: CoreProblem,
    routes: list[list[int]],
    deadline: float,
    solve_sub: object,
    *,
    size: int = 40,
    min_routes: int = 2,
    seconds_per_visit: float = 0.004,
    eliminate_every: int = 4,
    ruin_every: int = 1,
    threshold: float = 0.0,
    least_seconds: float = 0.05,
    ruin_near_seed: bool = False,
    eliminate_scale: float = 1.0,
    eliminate_time: float = 1.0,
    seed: int = 0,
) -> list[list[int]]:
    """Re-solve neighbourhoods of routes until the deadline; keep any that is no worse.

    With `threshold` > 0 a result up to that fraction worse than the best so far is kept
    too (record-to-record travel, the allowance shrinking to zero at the deadline), so the
    search can leave a local optimum; the best routes seen are returned.

    Every `eliminate_every`-th step instead tries to empty one of the shortest routes into
    its neighbours (`eliminate_scale` times the usual neighbourhood: on a tight horizon a
    route's visits need room in many routes): local search rarely removes a route by
    itself, and an extra route costs two trips to the depot (and a volunteer).
    Each sub-problem gets `seconds_per_visit` per visit in it (0.05 to 0.5 s): a bigger
    neighbourhood needs a longer search to pay for its model building.
    `solve_sub(sub, sub_routes, seconds)` returns improved sub routes or None.
    """
    rng = random.Random(seed)
    routes = [list(r) for r in routes]
    reloads = set(p.reloads)  # optional for the search, so never "dropped" visits
    customers = [n for n in p.customers() if n not in reloads]
    best, best_cost = routes, objective(p, routes)
    current_cost = best_cost
    began = time.monotonic()

    def accept(trial: list[list[int]]) -> bool:
        nonlocal best, best_cost, current_cost
        cost = objective(p, trial)
        share = max(0.0, deadline - time.monotonic()) / max(1e-9, deadline - began)
        if cost > current_cost and cost > best_cost * (1.0 + threshold * share):
            return False
        current_cost = cost
        if cost <= best_cost:
            best, best_cost = trial, cost
        return True

    step = 0
    while time.monotonic() + 0.05 < deadline:
        step += 1
        used = [v for v, r in enumerate(routes) if r]
        if eliminate_every and step % eliminate_every == 0 and len(used) > 1:
            shortest = sorted(used, key=lambda v: (len(routes[v]), v))[:3]
            victim = rng.choice(shortest)
            built = _eliminate(p, routes, victim, round(size * eliminate_scale), min_routes)
            if built is None:
                continue
            sub, vehicles, nodes, sub_routes = built
            seconds = _budget(
                seconds_per_visit * eliminate_time, len(nodes), deadline, least_seconds
            )
            found = solve_sub(sub, sub_routes, seconds)  # type: ignore[operator]
            if found is None:
                continue
            trial = [list(r) for r in routes]
            trial[victim] = []
            for v, r in zip(vehicles, found):
                trial[v] = [nodes[i] for i in r]
            served = {n for r in trial for n in r}
            if all(n in served or n in reloads for r in routes for n in r) and accept(trial):
                routes = trial
            continue
        visited = {n for r in routes for n in r} - reloads
        dropped = [n for n in customers if n not in visited]
        candidates = [n for n in customers if n in visited] or dropped
        if not candidates:
            break
        seed_node = rng.choice(candidates)
        vehicles, chosen = _neighbourhood(p, routes, dropped, seed_node, size, min_routes)
        sub, nodes = subproblem(p, vehicles, chosen)
        back = {n: i for i, n in enumerate(nodes)}
        sub_routes = [[back[n] for n in routes[v]] for v in vehicles]
        if ruin_every and step % ruin_every == 0:
            # Search from a ruined start: it lands in other local optima than the current one.
            _soften(sub, len(nodes) - len(chosen))
            near = sub.cost[back[seed_node]] if ruin_near_seed else None
            start = _ruin(rng, sub_routes, near)
        else:
            start = sub_routes
        seconds = _budget(seconds_per_visit, len(nodes), deadline, least_seconds)
        found = solve_sub(sub, start, seconds)  # type: ignore[operator]
        if found is None or found == sub_routes:
            continue
        trial = [list(r) for r in routes]
        for v, r in zip(vehicles, found):
            trial[v] = [nodes[i] for i in r]
        served = {n for r in trial for n in r}
        # Equal-cost changes are kept too: they move the search to new route shapes.
        if visited <= served and accept(trial):
            routes = trial
    return best
