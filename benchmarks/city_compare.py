"""Compare the planner with plain OR-Tools (cheapest arc, then GLS) on generated city days.

    .venv/bin/python benchmarks/city_compare.py [--time-limit 10] [--sizes 100 200 400]

City days as in the issue: 2-3 hour windows, 8-16 boxes a car, one driver per 8 stops,
two pantries. Both runs get the same time on one core; the table shows the model's
objective (travel seconds + vehicle cost + drop penalties) and its parts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aid.routing import planner  # noqa: E402
from aid.routing.bench.demo import city_day  # noqa: E402
from aid.routing.improve import objective  # noqa: E402
from aid.routing.solver import SearchSettings  # noqa: E402

PLAIN = dict(
    first_solutions=("PATH_CHEAPEST_ARC",),
    close_nodes_lns=0,
    parts_size=0,
    gls_lambda=0.1,
    spare_vehicles=None,
)


def run(stops: int, seed: int, settings: SearchSettings) -> tuple[int, int, int]:
    """Plan one generated day; return (objective, dropped stops, vehicles used)."""
    problem = city_day(stops, max(2, stops // 8), 2, seed=seed, capacity=(8, 16))
    seen = {}
    solve = planner.solve_core

    def spy(core, s):
        solution = solve(core, s)
        seen["objective"] = objective(core, solution.routes)
        return solution

    planner.solve_core = spy
    try:
        plan = planner.plan_day(problem, settings)
    finally:
        planner.solve_core = solve
    return seen["objective"], len(plan.dropped), plan.vehicles_used


def main(argv: list[str] | None = None) -> int:
    """Print one line per generated day and the mean relative difference."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    ours = SearchSettings(time_limit=args.time_limit)
    plain = SearchSettings(time_limit=args.time_limit, **PLAIN)
    diffs = []
    print(f"{'stops':>5} {'seed':>4} {'plain':>12} {'ours':>12} {'ours vs plain':>14}")
    for size in args.sizes:
        for seed in args.seeds:
            base, ours_run = run(size, seed, plain), run(size, seed, ours)
            diff = 100.0 * (ours_run[0] - base[0]) / base[0]
            diffs.append(diff)
            print(
                f"{size:>5} {seed:>4} {base[0]:>12} {ours_run[0]:>12} {diff:>13.2f}%"
                f"   drops {base[1]} -> {ours_run[1]}, vehicles {base[2]} -> {ours_run[2]}"
            )
    print(f"mean: {sum(diffs) / len(diffs):.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
