"""Scale benchmark: plan a synthetic city day and time the 2,000-point distance matrix.

    .venv/bin/python benchmarks/city_day.py [--stops 1000] [--drivers 60] [--depots 3]
        [--time-limit 45] [--seed 1] [--max-trips 1] [--lunch] [--json]

`--max-trips N` lets every car come back to its pantry (or the first pantry, for drivers
starting from home) to load again, up to N trips; `--lunch` gives every driver a 30-minute
break starting between 12:00 and 13:00.

Reports the whole job's wall time, the solver's time, the matrix time (median of 5), stops
planned and dropped by reason, the independent checker's verdict and peak memory (the
process's maximum resident set, which includes OR-Tools' C++ memory, and Python's own peak
as seen by tracemalloc). Run it alone on the machine: the figures are single-threaded.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from aid.routing.bench.demo import city_day
from aid.routing.check import check_plan
from aid.routing.matrix import travel_matrices
from aid.routing.planner import plan_day
from aid.routing.problem import Break
from aid.routing.solver import SearchSettings


def matrix_seconds(points: int = 2000, repeats: int = 5, seed: int = 0) -> float:
    """Median time to build the metres and seconds matrices for `points` random city points."""
    rng = np.random.default_rng(seed)
    coords = np.column_stack([rng.uniform(40.9, 41.1, points), rng.uniform(-87.2, -86.8, points)])
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        travel_matrices(coords)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stops", type=int, default=1000)
    parser.add_argument("--drivers", type=int, default=60)
    parser.add_argument("--depots", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-trips", type=int, default=1)
    parser.add_argument("--lunch", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    tracemalloc.start()
    began = time.perf_counter()
    problem = city_day(args.stops, args.drivers, args.depots, seed=args.seed)
    lunch = (Break(12 * 3600, 13 * 3600, 1800),) if args.lunch else ()
    vehicles = [
        dataclasses.replace(
            v,
            max_trips=args.max_trips,
            reload_at=v.start if isinstance(v.start, str) else problem.depots[0].id,
            breaks=lunch,
        )
        for v in problem.vehicles
    ]
    problem = dataclasses.replace(problem, vehicles=vehicles)
    plan = plan_day(problem, SearchSettings(time_limit=args.time_limit))
    job_seconds = time.perf_counter() - began
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    violations = check_plan(problem, plan)
    reasons = Counter(r for d in plan.dropped for r in d.reasons)
    figures = {
        "stops": args.stops,
        "drivers": args.drivers,
        "depots": args.depots,
        "time_limit": args.time_limit,
        "job_seconds": round(job_seconds, 2),
        "solve_seconds": round(plan.solve_seconds, 2),
        "planned_stops": sum(len(r.visits) for r in plan.routes),
        "trips": sum(len(r.trip_loads) for r in plan.routes),
        "dropped": dict(sorted(reasons.items())),
        "vehicles_used": plan.vehicles_used,
        "hours_on_road": round(plan.total_duration / 3600, 1),
        "km": round(plan.total_distance / 1000, 1),
        "checker_violations": len(violations),
        "matrix_2000_seconds": round(matrix_seconds(), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python_peak_mb": round(python_peak / 2**20, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
        for line in violations[:10]:
            print("violation:", line)
    return 0 if not violations else 1


if __name__ == "__main__":
    sys.exit(main())
