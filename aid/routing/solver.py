"""Search a CoreProblem within a time limit: OR-Tools' first solutions, then the compiled
search (aid.routing.fast) where it models the problem, checked and scheduled by OR-Tools;
else OR-Tools' GLS and then by parts.

Determinism: one search thread and fixed seeds throughout, so the same input with a
`solution_limit` gives the same plan bit for bit. Under a time limit alone, how far the
search gets depends on the machine's speed and load: on an idle machine repeated runs
usually return the same plan, but that is not guaranteed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from google.protobuf import text_format
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util.optional_boolean_pb2 import BOOL_TRUE

from aid.routing import fast
from aid.routing.core import CoreProblem, CoreSolution, fleet_to_keep, restrict_fleet, widen
from aid.routing.fast import FastSettings
from aid.routing.improve import improve_by_parts, objective
from aid.routing.ortools_build import (
    assignment_from,
    build_model,
    extract,
    routes_of,
)

__all__ = ["SearchSettings", "build_model", "solve_core"]

FSS = routing_enums_pb2.FirstSolutionStrategy
LSM = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchSettings:
    """Search knobs; the defaults are the ones measured in benchmarks/README.md."""

    time_limit: float = 10.0  # seconds for the whole search: the one time limit (Problem has none)
    # Constructive heuristics tried, best kept; "NAME:x" sets the savings arc coefficient.
    # Cheapest insertion first: it is quick whatever the fleet, while savings slows down
    # with every distinct vehicle (2 s for 50 drivers on a 400-stop city day).
    first_solutions: tuple[str, ...] = (
        "PARALLEL_CHEAPEST_INSERTION",
        "PARALLEL_SAVINGS:1.0",
        "PARALLEL_SAVINGS:0.6",
        "PARALLEL_SAVINGS:1.4",
        "LOCAL_CHEAPEST_INSERTION",
    )
    first_share: float = 0.1  # stop trying first solutions after this share of the time
    spare_vehicles: int | None = 2  # identical fleets: keep the used vehicles and this many more
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.3
    close_nodes_lns: int = 10  # ruin-and-recreate neighbourhood size inside GLS; 0 turns it off
    solution_limit: int | None = None  # a fixed budget makes runs reproducible bit for bit
    log: bool = False
    parts_size: int = 30  # customers per sub-problem; 0 turns decomposition off
    parts_seconds_per_visit: float = 0.002  # sub-problem search time per visit in it
    parts_least_seconds: float = 0.05  # and at least this long
    ruin_near_seed: bool = False  # cut each route's string at its visit nearest the seed
    parts_metaheuristic: str = "GUIDED_LOCAL_SEARCH"  # GREEDY_DESCENT stops at a local optimum
    parts_min_routes: int = 3  # routes per sub-problem at least
    eliminate_every: int = 4  # every n-th sub-problem tries to empty a short route; 0: never
    eliminate_scale: float = 3.0  # that sub-problem's size relative to parts_size
    eliminate_time: float = 1.0  # and its search time per visit relative to the others
    squeeze: float = 0.0  # extra vehicle cost in average depot round trips, whole-problem GLS
    ruin_every: int = 1  # every n-th sub-problem starts from a ruined copy; 0: never
    threshold: float = 0.02  # keep sub-problem results up to this fraction worse than the best
    global_share: float = 0.25  # share of the time for GLS on the whole problem first
    extra: str = ""  # RoutingSearchParameters in protobuf text format, merged last
    # The compiled iterated local search (aid.routing.fast) improves the first plan where
    # it models every constraint; False keeps OR-Tools' own search throughout.
    compiled: bool = True
    compiled_settings: FastSettings = FastSettings()


def _params(
    settings: SearchSettings, first: str, seconds: float
) -> pywrapcp.RoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FSS, first)
    params.local_search_metaheuristic = getattr(LSM, settings.metaheuristic)
    params.guided_local_search_lambda_coefficient = settings.gls_lambda
    if settings.close_nodes_lns:
        # Remove a node and its nearest neighbours, reinsert them cheapest-first: a ruin and
        # recreate move that plain relocate/exchange cannot make, measured to cut the gap most.
        ops = params.local_search_operators
        ops.use_local_cheapest_insertion_close_nodes_lns = BOOL_TRUE
        ops.use_global_cheapest_insertion_close_nodes_lns = BOOL_TRUE
        params.heuristic_close_nodes_lns_num_nodes = settings.close_nodes_lns
    params.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    if settings.solution_limit is not None:
        params.solution_limit = settings.solution_limit
    params.log_search = settings.log
    # Savings keeps a list per vehicle type; the default 6 GB cap is far beyond a small server.
    params.savings_parameters.max_memory_usage_bytes = 256 * 2**20
    if settings.extra:
        text_format.Merge(settings.extra, params)
    return params


def _solve_sub(settings: SearchSettings) -> object:
    """A sub-problem solver for improve_by_parts: GLS from the given routes for a short time."""

    def solve(sub: CoreProblem, routes: list[list[int]], seconds: float) -> list[list[int]] | None:
        model = build_model(sub)
        params = _params(settings, "PATH_CHEAPEST_ARC", seconds)
        params.local_search_metaheuristic = getattr(LSM, settings.parts_metaheuristic)
        model.routing.CloseModelWithParameters(params)
        start = assignment_from(model, routes)
        if start is None:
            return None
        found = model.routing.SolveFromAssignmentWithParameters(start, params)
        return None if found is None else routes_of(model, found)

    return solve


def _first_routes(
    p: CoreProblem, settings: SearchSettings, deadline: float
) -> list[list[int]] | None:
    """Run each constructive heuristic on its own model (their parameters are fixed when a
    model closes) and return the cheapest routes found, None if all fail."""
    best, best_cost = None, None
    budget = time.monotonic() + settings.time_limit * settings.first_share
    for spec in settings.first_solutions:
        capped = best is not None and settings.solution_limit is None
        if capped and time.monotonic() > budget:
            break
        name, _, coefficient = spec.partition(":")
        model = build_model(p)
        # Once a plan exists, a heuristic may only use what is left of the share for them.
        until = budget if capped else deadline
        params = _params(settings, name, max(0.05, until - time.monotonic()))
        params.local_search_metaheuristic = LSM.GREEDY_DESCENT
        params.solution_limit = 1
        if coefficient:
            params.savings_parameters.arc_coefficient = float(coefficient)
        found = model.routing.SolveWithParameters(params)
        if found is None:
            continue
        routes = routes_of(model, found)
        cost = objective(p, routes)
        if best_cost is None or cost < best_cost:
            best, best_cost = routes, cost
    return best


def _squeezed(p: CoreProblem, squeeze: float) -> CoreProblem:
    """p with `squeeze` average depot round trips added to the cost of each vehicle used.

    Guided local search on whole routes rarely empties one; a temporary price on vehicles
    makes it merge routes, which on tight horizons also shortens the total distance.
    """
    customers = p.customers()
    if not squeeze or not customers:
        return p
    trip = float(p.cost[p.starts[0], customers].mean() + p.cost[customers, p.ends[0]].mean())
    return replace(p, vehicle_fixed_cost=p.vehicle_fixed_cost + int(squeeze * trip))


def solve_core(p: CoreProblem, settings: SearchSettings | None = None) -> CoreSolution:
    """Solve within settings.time_limit: the best of several first solutions, then the
    compiled iterated local search where it models the problem, else GLS and then by parts."""
    settings = settings or SearchSettings()
    compiled = settings.compiled and settings.solution_limit is None and fast.supported(p)
    if compiled:
        fast.warm()  # compiling (once per install, then loading) is not search time
    deadline = time.monotonic() + settings.time_limit
    first = _first_routes(p, settings, deadline)
    full = p
    keep = fleet_to_keep(p, first, settings.spare_vehicles)
    if keep is not None:
        p = restrict_fleet(p, keep)
        first = [first[v] for v in keep]  # type: ignore[index]
    model = build_model(_squeezed(p, settings.squeeze))
    routing = model.routing
    params = _params(settings, "PATH_CHEAPEST_ARC", max(0.05, deadline - time.monotonic()))
    routing.CloseModelWithParameters(params)
    best = assignment_from(model, first) if first is not None else None
    if best is None:  # every constructive heuristic failed: let the default search try
        return extract(model, routing.SolveWithParameters(params))
    if compiled:
        routes = fast.improve(
            p, routes_of(model, best), _reserve(p, deadline), settings.compiled_settings
        )
        scheduled = None if routes is None else _schedule(p, routes, settings)
        if scheduled is not None:
            model, best = scheduled
            solution = extract(model, best)
            solution.objective = objective(p, solution.routes)
            return widen(solution, full, keep) if keep is not None else solution
    by_parts = (
        settings.parts_size > 0
        and settings.solution_limit is None
        and len(p.customers()) > settings.parts_size * 1.5
    )
    share = settings.global_share if by_parts else 1.0
    remaining = deadline - time.monotonic()
    if remaining > 0.05:
        params = _params(settings, "PATH_CHEAPEST_ARC", max(0.01, remaining * share))
        improved = routing.SolveFromAssignmentWithParameters(best, params)
        if improved is not None:
            best = routing.solver().Assignment(improved)
    if by_parts and deadline - time.monotonic() > 0.1:
        routes = improve_by_parts(
            p,
            routes_of(model, best),
            _reserve(p, deadline),
            _solve_sub(settings),
            size=settings.parts_size,
            seconds_per_visit=settings.parts_seconds_per_visit,
            min_routes=settings.parts_min_routes,
            eliminate_every=settings.eliminate_every,
            ruin_every=settings.ruin_every,
            threshold=settings.threshold,
            least_seconds=settings.parts_least_seconds,
            ruin_near_seed=settings.ruin_near_seed,
            eliminate_scale=settings.eliminate_scale,
            eliminate_time=settings.eliminate_time,
        )
        if objective(p, routes) < objective(p, routes_of(model, best)):
            scheduled = _schedule(p, routes, settings)
            if scheduled is not None:
                model, best = scheduled
    solution = extract(model, best)
    solution.objective = objective(p, solution.routes)
    return widen(solution, full, keep) if keep is not None else solution


def _reserve(p: CoreProblem, deadline: float) -> float:
    """When an improvement step must stop: time is left to fix the final schedule."""
    return deadline - 0.02 - 0.001 * p.size


def _schedule(
    p: CoreProblem, routes: list[list[int]], settings: SearchSettings
) -> tuple[object, pywrapcp.Assignment] | None:
    """Read routes into a fresh OR-Tools model, which checks every constraint, and fix their
    schedule (cumul values); None if the model refuses them.

    A model that has been searched no longer reads routes back in, hence a fresh one.
    """
    fresh = build_model(p)
    params = _params(settings, "PATH_CHEAPEST_ARC", 1.0)
    params.local_search_metaheuristic = LSM.GREEDY_DESCENT
    params.solution_limit = 1
    fresh.routing.CloseModelWithParameters(params)
    start = assignment_from(fresh, routes)
    if start is None:
        return None
    fixed = fresh.routing.SolveFromAssignmentWithParameters(start, params)
    return None if fixed is None else (fresh, fixed)
