"""The OR-Tools routing model of a CoreProblem: building it and reading solutions out.

Matrices and demands are registered natively (RegisterTransitMatrix/UnaryTransitVector):
a Python callback per arc would make every move evaluation cross into Python.

Reloads (several trips per driver) are optional duplicated depot nodes on the driver's one
route, not chained copies of the vehicle: a reload node's demand is minus the capacity and
the Load dimension's slack there lets the load fall back to zero. Keeping all trips of a
driver on one OR-Tools route means the time dimension chains the trips by itself, a break
may fall in any trip or between two, the fixed cost counts once per driver, and the usual
moves (and the decomposition by routes) treat a multi-trip driver like any other; chained
vehicle copies would need extra time constraints that OR-Tools' move filters cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp

from aid.routing.core import CoreProblem, CoreSolution

__all__ = ["BuiltModel", "assignment_from", "build_model", "extract", "routes_of"]


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
    slack = max(p.capacity) if p.reloads and p.capacity else 0
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, slack, [int(c) for c in p.capacity], True, "Load"
    )
    if slack:
        # Only at a reload may the load drop below what is still to deliver.
        load, reloads = routing.GetDimensionOrDie("Load"), set(p.reloads)
        for index in range(routing.Size()):
            if routing.IsStart(index) or manager.IndexToNode(index) not in reloads:
                load.SlackVar(index).SetValue(0)
    time_dim = _add_time(p, manager, routing) if p.has_time else None
    if time_dim is not None and p.breaks is not None and any(p.breaks):
        _add_breaks(p, manager, routing, time_dim)
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


def _add_breaks(
    p: CoreProblem,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    dim: pywrapcp.RoutingDimension,
) -> None:
    """Breaks as fixed-duration intervals that no visit (its service time) may overlap."""
    assert p.breaks is not None
    service = p.service or [0] * p.size
    visits = [
        0 if routing.IsStart(i) else int(service[manager.IndexToNode(i)])
        for i in range(routing.Size())
    ]
    solver = routing.solver()
    for v, breaks in enumerate(p.breaks):
        if breaks:
            intervals = [
                solver.FixedDurationIntervalVar(int(a), int(b), int(d), False, f"break {v} {k}")
                for k, (a, b, d) in enumerate(breaks)
            ]
            dim.SetBreakIntervalsOfVehicle(intervals, v, visits)


def _breaks_of(p: CoreProblem, assignment: pywrapcp.Assignment) -> list[list[tuple[int, int]]]:
    """(start, end) of each break per vehicle, in the order given, from an assignment."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(p.num_vehicles)]
    container = assignment.IntervalVarContainer()
    found = {}
    for i in range(container.Size()):
        element = container.Element(i)
        found[element.Var().Name()] = (
            element.StartValue(),
            element.StartValue() + element.DurationValue(),
        )
    for v, breaks in enumerate(p.breaks or []):
        out[v] = [found[f"break {v} {k}"] for k in range(len(breaks)) if f"break {v} {k}" in found]
    return out


def extract(model: BuiltModel, assignment: pywrapcp.Assignment | None) -> CoreSolution:
    """Read routes, drops and schedule out of an assignment."""
    p, manager, routing = model.problem, model.manager, model.routing
    if assignment is None:
        return CoreSolution(
            routes=[],
            dropped=[i for i in p.customers() if i not in set(p.reloads)],
            objective=0,
            found=False,
            status=str(routing.status()),
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
    reloads = set(p.reloads)
    dropped = [i for i in p.customers() if i not in visited and i not in reloads]
    return CoreSolution(
        routes,
        dropped,
        int(assignment.ObjectiveValue()),
        arrivals,
        starts,
        ends,
        breaks=_breaks_of(p, assignment) if p.breaks else [],
    )


def routes_of(model: BuiltModel, assignment: pywrapcp.Assignment) -> list[list[int]]:
    """Node lists per vehicle from an assignment."""
    return extract(model, assignment).routes


def assignment_from(model: BuiltModel, routes: list[list[int]]) -> pywrapcp.Assignment | None:
    """Turn node lists into an assignment of the model, None if they break a constraint."""
    indices = [[model.manager.NodeToIndex(n) for n in r] for r in routes]
    return model.routing.ReadAssignmentFromRoutes(indices, True)
