"""Compare the planner with plain OR-Tools and with PyVRP, at equal time, on generated city days.

    .venv/bin/python benchmarks/city_compare.py [--time-limit 10] [--sizes 100 200 400]
        [--seeds 1 2] [--no-pyvrp]

City days as in the issue: 2-3 hour windows, 8-16 boxes a car, one driver per 8 stops,
two pantries, drivers from pantries or homes with their own shifts, optional stops with
drop penalties by priority. Skills are left out of these days (every stop `skill=None`):
PyVRP has no per-client vehicle restriction. All three solve the same integer model (the
one plan_day builds) on one core for the same time; the table shows its objective (travel
seconds + 1800 per driver called out + drop penalties); PyVRP's routes are re-checked by
reading them into our OR-Tools model, which rejects any broken capacity, window or shift.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ortools.constraint_solver import pywrapcp  # noqa: E402

from aid.routing import planner  # noqa: E402
from aid.routing.bench.demo import city_day  # noqa: E402
from aid.routing.check import check_plan  # noqa: E402
from aid.routing.core import CoreProblem  # noqa: E402
from aid.routing.improve import objective  # noqa: E402
from aid.routing.ortools_build import assignment_from, build_model  # noqa: E402
from aid.routing.problem import Problem  # noqa: E402
from aid.routing.solver import SearchSettings  # noqa: E402

PLAIN = dict(
    first_solutions=("PATH_CHEAPEST_ARC",),
    close_nodes_lns=0,
    parts_size=0,
    gls_lambda=0.1,
    spare_vehicles=None,
    compiled=False,
)


def day(stops: int, seed: int) -> Problem:
    """The generated day for this size and seed, without skills."""
    problem = city_day(stops, max(2, stops // 8), 2, seed=seed, capacity=(8, 16))
    return dataclasses.replace(
        problem, stops=[dataclasses.replace(s, skill=None) for s in problem.stops]
    )


def run(problem: Problem, settings: SearchSettings) -> tuple[CoreProblem, list[list[int]], int]:
    """Plan with our planner; return the core model, its routes and the dropped count."""
    seen: dict = {}
    solve = planner.solve_core

    def spy(core: CoreProblem, s: SearchSettings):
        solution = solve(core, s)
        seen["core"], seen["routes"] = core, solution.routes
        return solution

    planner.solve_core = spy
    try:
        plan = planner.plan_day(problem, settings)
    finally:
        planner.solve_core = solve
    assert check_plan(problem, plan) == [], "the checker rejected our plan"
    return seen["core"], seen["routes"], len(plan.dropped)


def feasible(core: CoreProblem, routes: list[list[int]]) -> bool:
    """Whether routes satisfy every constraint of our model (read into OR-Tools)."""
    model = build_model(core)
    model.routing.CloseModelWithParameters(pywrapcp.DefaultRoutingSearchParameters())
    return assignment_from(model, routes) is not None


def main(argv: list[str] | None = None) -> int:
    """Print one line per generated day and the mean relative differences."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-pyvrp", action="store_true")
    args = parser.parse_args(argv)
    seconds = args.time_limit
    print(f"one core, {seconds:g} s each; objective = travel s + 1800/driver + drop penalties")
    print(
        f"{'stops':>5} {'seed':>4} {'plain':>12} {'ours':>12} {'pyvrp':>12} {'vs plain':>9} "
        f"{'vs pyvrp':>9}  dropped plain/ours/pyvrp, drivers ours/pyvrp"
    )
    vs_plain, vs_pyvrp = [], []
    for size in args.sizes:
        for seed in args.seeds:
            problem = day(size, seed)
            core, plain_routes, plain_drops = run(problem, SearchSettings(seconds, **PLAIN))
            core, our_routes, our_drops = run(problem, SearchSettings(seconds))
            plain, ours = objective(core, plain_routes), objective(core, our_routes)
            vs_plain.append(100.0 * (ours - plain) / plain)
            line = f"{size:>5} {seed:>4} {plain:>12} {ours:>12}"
            drops = f"{plain_drops}/{our_drops}"
            drivers = f"{sum(1 for r in our_routes if r)}"
            if args.no_pyvrp:
                line += f"{'':>13}{vs_plain[-1]:>9.2f}%{'':>10}"
            else:
                from pyvrp_side import pyvrp_solve

                routes = pyvrp_solve(core, seconds)
                if routes is None or not feasible(core, routes):
                    line += f"{'INFEASIBLE':>13}{vs_plain[-1]:>9.2f}%{'':>10}"
                else:
                    theirs = objective(core, routes)
                    vs_pyvrp.append(100.0 * (ours - theirs) / theirs)
                    served = {n for r in routes for n in r}
                    pyvrp_drops = sum(1 for n in core.customers() if n not in served)
                    line += f" {theirs:>12}{vs_plain[-1]:>9.2f}%{vs_pyvrp[-1]:>9.2f}%"
                    drops += f"/{pyvrp_drops}"
                    drivers += f"/{sum(1 for r in routes if r)}"
            print(f"{line}  {drops}, {drivers}", flush=True)
    print(f"mean ours vs plain OR-Tools: {sum(vs_plain) / len(vs_plain):+.2f}%")
    if vs_pyvrp:
        print(f"mean ours vs PyVRP: {sum(vs_pyvrp) / len(vs_pyvrp):+.2f}% (negative: ours better)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
