"""The plan checker flags broken plans; sub-problems keep every constraint of their routes."""

import dataclasses

import numpy as np

from aid.routing.check import check_plan
from aid.routing.core import CoreProblem
from aid.routing.improve import objective, subproblem
from aid.routing.planner import plan_day
from aid.routing.problem import Depot, Dropped, Plan, Problem, Route, RouteStop, Stop, Vehicle
from aid.routing.solver import SearchSettings, solve_core

H = 3600


def small_day():
    depot = Depot("pantry", 40.0, -75.0, opens=7 * H, closes=20 * H)
    stops = [
        Stop(f"s{i}", 40.0, -75.0 + 0.01 * i, boxes=2, window=(9 * H, 12 * H)) for i in (1, 2, 3)
    ]
    vans = [Vehicle("v1", 10, (8 * H, 14 * H), "pantry", skills=frozenset({"so"}))]
    problem = Problem(stops, vans, [depot])
    return problem, plan_day(problem, SearchSettings(time_limit=1))


def test_checker_accepts_the_planner_output_and_rejects_tampering():
    problem, plan = small_day()
    assert check_plan(problem, plan) == []
    route = plan.routes[0]

    late = dataclasses.replace(
        route, stops=[dataclasses.replace(route.stops[0], arrival=13 * H)] + route.stops[1:]
    )
    assert any("outside window" in e for e in check_plan(problem, Plan([late], [])))

    twice = Plan([route], [Dropped(route.stops[0].stop_id, ["time"])])
    assert any("appears 2 times" in e for e in check_plan(problem, twice))

    missing = Plan([dataclasses.replace(route, stops=route.stops[:1], load=2)], [])
    assert any("neither routed nor dropped" in e for e in check_plan(problem, missing))

    heavy = dataclasses.replace(
        problem, vehicles=[dataclasses.replace(problem.vehicles[0], capacity=3)]
    )
    assert any("over capacity" in e for e in check_plan(heavy, plan))

    rushed = Route(
        "v1", [RouteStop("s3", 9 * H, 9 * H + 300, 0, 0)], 9 * H - 1, 9 * H + 900, 2, 0, 0
    )
    other = [Dropped("s1", ["time"]), Dropped("s2", ["time"])]
    assert any("cannot get there" in e for e in check_plan(problem, Plan([rushed], other)))

    skilled = dataclasses.replace(
        problem, stops=[dataclasses.replace(s, skill="ar") for s in problem.stops]
    )
    assert any("needs skill" in e for e in check_plan(skilled, plan))


def line_problem():
    xs = np.array([0, 1, 2, 3, 10, 11, 12])
    cost = np.abs(xs[:, None] - xs[None, :]).astype(np.int64)
    return CoreProblem(
        cost=cost,
        demand=[0, 1, 1, 1, 1, 1, 1],
        starts=[0, 0, 0],
        ends=[0, 0, 0],
        capacity=[3, 3, 3],
        penalty=[None] + [1000] * 6,
    )


def test_objective_counts_arcs_fixed_costs_and_drops():
    p = dataclasses.replace(line_problem(), vehicle_fixed_cost=5)
    assert objective(p, [[1, 2, 3], [4, 5, 6], []]) == 6 + 5 + 24 + 5
    assert objective(p, [[1, 2, 3], [4, 5], []]) == 6 + 5 + 22 + 5 + 1000


def test_subproblem_maps_nodes_and_vehicles_back():
    p = line_problem()
    sub, nodes = subproblem(p, [1, 2], [4, 5, 6])
    assert nodes == [0, 4, 5, 6] and sub.size == 4 and sub.num_vehicles == 2
    assert sub.cost[1, 3] == p.cost[4, 6] and sub.penalty == [None, 1000, 1000, 1000]
    solution = solve_core(sub, SearchSettings(time_limit=0.5, solution_limit=50))
    assert sorted(nodes[n] for r in solution.routes for n in r) == [4, 5, 6]


def test_decomposition_keeps_a_feasible_optimum_on_a_larger_line():
    xs = np.arange(0, 130)
    cost = np.abs(xs[:, None] - xs[None, :]).astype(np.int64)
    p = CoreProblem(
        cost=cost, demand=[0] + [1] * 129, starts=[0] * 15, ends=[0] * 15, capacity=[10] * 15
    )
    solution = solve_core(p, SearchSettings(time_limit=2))
    assert sorted(n for r in solution.routes for n in r) == list(range(1, 130))
    assert all(len(r) <= 10 for r in solution.routes)
