"""Build the OR-Tools routing model from a CoreProblem and search it within a time limit.

Matrices and demands are registered natively (RegisterTransitMatrix/UnaryTransitVector):
a Python callback per arc would make every move evaluation cross into Python.

Determinism: one search thread and fixed seeds throughout, so the same input with a
`solution_limit` gives the same plan bit for bit. Under a time limit alone, how far the
search gets depends on the machine's speed and load: on an idle machine repeated runs
usually return the same plan, but that is not guaranteed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from google.protobuf import text_format
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util.optional_boolean_pb2 import BOOL_TRUE

from aid.routing.core import CoreProblem, CoreSolution, fleet_to_keep, restrict_fleet, widen
from aid.routing.improve import improve_by_parts, objective

__all__ = ["SearchSettings", "build_model", "solve_core"]

FSS = routing_enums_pb2.FirstSolutionStrategy
LSM = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchSettings:
    """Search knobs; the defaults are the ones measured in benchmarks/README.md."""

    time_limit: float = 10.0
    # Constructive heuristics tried, best kept; "NAME:x" sets the savings arc coefficient.
    first_solutions: tuple[str, ...] = (
        "PARALLEL_SAVINGS:1.0",
        "PARALLEL_SAVINGS:0.6",
        "PARALLEL_SAVINGS:1.4",
        "PARALLEL_CHEAPEST_INSERTION",
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
    parts_seconds_per_visit: float = 0.004  # sub-problem search time per visit in it
    parts_min_routes: int = 3  # routes per sub-problem at least
    eliminate_every: int = 4  # every n-th sub-problem tries to empty a short route; 0: never
    ruin_every: int = 2  # every n-th sub-problem starts from a ruined copy; 0: never
    global_share: float = 0.25  # share of the time for GLS on the whole problem first
    extra: str = ""  # RoutingSearchParameters in protobuf text format, merged last


@dataclass
class BuiltModel:
    """The OR-Tools objects for one problem, kept together for search and extraction."""

    problem: CoreProblem
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time_dim: pywrapcp.RoutingDimension | None


def build_model(p: CoreProblem) -> BuiltModel:
    """Translate the plain problem into an OR-Tools RoutingModel with all its constraints."""
    p.validate()
    manager = pywrapcp.RoutingIndexManager(p.size, p.num_vehicles, list(p.starts), list(p.ends))
    routing = pywrapcp.RoutingModel(manager)
    cost_cb = routing.RegisterTransitMatrix(p.cost.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    if p.vehicle_fixed_cost:
        routing.SetFixedCostOfAllVehicles(int(p.vehicle_fixed_cost))
    demand_cb = routing.RegisterUnaryTransitVector([int(d) for d in p.demand])
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, 0, [int(c) for c in p.capacity], True, "Load"
    )
    time_dim = _add_time(p, manager, routing) if p.has_time else None
    terminals = set(p.starts) | set(p.ends)
    for node in range(p.size):
        if node in terminals:
            continue
        index = manager.NodeToIndex(node)
        penalty = p.penalty[node] if p.penalty is not None else None
        if penalty is not None:
            routing.AddDisjunction([index], int(penalty))
        allowed = p.allowed[node] if p.allowed is not None else None
        if allowed is not None:
            routing.VehicleVar(index).SetValues(
                ([-1] if penalty is not None else []) + list(allowed)
            )
    return BuiltModel(p, manager, routing, time_dim)


def _add_time(
    p: CoreProblem, manager: pywrapcp.RoutingIndexManager, routing: pywrapcp.RoutingModel
) -> pywrapcp.RoutingDimension:
    """Add the time dimension: travel plus service at the origin, windows, shifts."""
    assert p.travel is not None
    service = [int(s) for s in (p.service or [0] * p.size)]
    matrix = p.travel.copy()
    matrix += [[s] for s in service]  # service at i is spent before leaving i
    horizon = max(
        [b for _, b in (p.windows or [])] + [b for _, b in (p.shifts or [])] + [int(matrix.max())]
    )
    time_cb = routing.RegisterTransitMatrix(matrix.tolist())
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    dim = routing.GetDimensionOrDie("Time")
    terminals = set(p.starts) | set(p.ends)
    if p.windows is not None:
        for node, (a, b) in enumerate(p.windows):
            if node not in terminals:
                dim.CumulVar(manager.NodeToIndex(node)).SetRange(int(a), int(b))
    for v in range(p.num_vehicles):
        lo, hi = p.shifts[v] if p.shifts is not None else (0, horizon)
        if p.windows is not None:  # a depot's opening hours bound its vehicles' departures
            lo = max(lo, p.windows[p.starts[v]][0])
            hi_end = min(hi, p.windows[p.ends[v]][1])
        else:
            hi_end = hi
        start, end = dim.CumulVar(routing.Start(v)), dim.CumulVar(routing.End(v))
        start.SetRange(int(lo), int(max(lo, min(hi, hi_end))))
        end.SetRange(int(lo), int(max(lo, hi_end)))
        # Leave as late and come back as early as the route allows: no idle hours for drivers.
        routing.AddVariableMaximizedByFinalizer(start)
        routing.AddVariableMinimizedByFinalizer(end)
    if p.max_route_duration is not None:
        for v in range(p.num_vehicles):
            routing.solver().Add(
                dim.CumulVar(routing.End(v)) - dim.CumulVar(routing.Start(v))
                <= int(p.max_route_duration)
            )
    return dim


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


def _extract(model: BuiltModel, assignment: pywrapcp.Assignment | None) -> CoreSolution:
    """Read routes, drops and schedule out of an assignment."""
    p, manager, routing = model.problem, model.manager, model.routing
    if assignment is None:
        return CoreSolution(
            routes=[], dropped=p.customers(), objective=0, found=False, status=str(routing.status())
        )
    routes, arrivals, starts, ends = [], [], [], []
    visited: set[int] = set()
    for v in range(p.num_vehicles):
        index = assignment.Value(routing.NextVar(routing.Start(v)))
        route, times = [], []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            route.append(node)
            visited.add(node)
            if model.time_dim is not None:
                times.append(assignment.Min(model.time_dim.CumulVar(index)))
            index = assignment.Value(routing.NextVar(index))
        routes.append(route)
        arrivals.append(times)
        if model.time_dim is not None:
            starts.append(assignment.Min(model.time_dim.CumulVar(routing.Start(v))))
            ends.append(assignment.Min(model.time_dim.CumulVar(routing.End(v))))
    dropped = [i for i in p.customers() if i not in visited]
    return CoreSolution(routes, dropped, int(assignment.ObjectiveValue()), arrivals, starts, ends)


def _routes_of(model: BuiltModel, assignment: pywrapcp.Assignment) -> list[list[int]]:
    """Node lists per vehicle from an assignment."""
    return _extract(model, assignment).routes


def _assignment_from(model: BuiltModel, routes: list[list[int]]) -> pywrapcp.Assignment | None:
    """Turn node lists into an assignment of the model, None if they break a constraint."""
    indices = [[model.manager.NodeToIndex(n) for n in r] for r in routes]
    return model.routing.ReadAssignmentFromRoutes(indices, True)


def _solve_sub(settings: SearchSettings) -> object:
    """A sub-problem solver for improve_by_parts: GLS from the given routes for a short time."""

    def solve(sub: CoreProblem, routes: list[list[int]], seconds: float) -> list[list[int]] | None:
        model = build_model(sub)
        params = _params(settings, "PATH_CHEAPEST_ARC", seconds)
        model.routing.CloseModelWithParameters(params)
        start = _assignment_from(model, routes)
        if start is None:
            return None
        found = model.routing.SolveFromAssignmentWithParameters(start, params)
        return None if found is None else _routes_of(model, found)

    return solve


def _first_routes(
    p: CoreProblem, settings: SearchSettings, deadline: float
) -> list[list[int]] | None:
    """Run each constructive heuristic on its own model (their parameters are fixed when a
    model closes) and return the cheapest routes found, None if all fail."""
    best, best_cost = None, None
    budget = time.monotonic() + settings.time_limit * settings.first_share
    for spec in settings.first_solutions:
        if best is not None and settings.solution_limit is None and time.monotonic() > budget:
            break
        name, _, coefficient = spec.partition(":")
        model = build_model(p)
        params = _params(settings, name, max(0.05, deadline - time.monotonic()))
        params.local_search_metaheuristic = LSM.GREEDY_DESCENT
        params.solution_limit = 1
        if coefficient:
            params.savings_parameters.arc_coefficient = float(coefficient)
        found = model.routing.SolveWithParameters(params)
        if found is None:
            continue
        routes = _routes_of(model, found)
        cost = objective(p, routes)
        if best_cost is None or cost < best_cost:
            best, best_cost = routes, cost
    return best


def solve_core(p: CoreProblem, settings: SearchSettings | None = None) -> CoreSolution:
    """Solve within settings.time_limit: best of several first solutions, GLS, then by parts."""
    settings = settings or SearchSettings()
    deadline = time.monotonic() + settings.time_limit
    first = _first_routes(p, settings, deadline)
    full = p
    keep = fleet_to_keep(p, first, settings.spare_vehicles)
    if keep is not None:
        p = restrict_fleet(p, keep)
        first = [first[v] for v in keep]  # type: ignore[index]
    model = build_model(p)
    routing = model.routing
    params = _params(settings, "PATH_CHEAPEST_ARC", max(0.05, deadline - time.monotonic()))
    routing.CloseModelWithParameters(params)
    best = _assignment_from(model, first) if first is not None else None
    if best is None:  # every constructive heuristic failed: let the default search try
        return _extract(model, routing.SolveWithParameters(params))
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
            # Leave time to rebuild the model and fix the schedule for the final routes.
            p,
            _routes_of(model, best),
            deadline - 0.02 - 0.001 * p.size,
            _solve_sub(settings),
            size=settings.parts_size,
            seconds_per_visit=settings.parts_seconds_per_visit,
            min_routes=settings.parts_min_routes,
            eliminate_every=settings.eliminate_every,
        )
        if objective(p, routes) < best.ObjectiveValue():
            # A model that has been searched no longer reads routes back in, so the
            # schedule (cumul values) for the improved routes comes from a fresh one.
            fresh = build_model(p)
            params = _params(settings, "PATH_CHEAPEST_ARC", 1.0)
            params.local_search_metaheuristic = LSM.GREEDY_DESCENT
            params.solution_limit = 1
            fresh.routing.CloseModelWithParameters(params)
            start = _assignment_from(fresh, routes)
            fixed = (
                None
                if start is None
                else fresh.routing.SolveFromAssignmentWithParameters(start, params)
            )
            if fixed is not None:
                model, best = fresh, fixed
    solution = _extract(model, best)
    return widen(solution, full, keep) if keep is not None else solution
