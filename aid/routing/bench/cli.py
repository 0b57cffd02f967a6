"""Solve standard VRP benchmark files with the planner's own model and compare with the BKS.

    python -m aid.routing.bench FILE... [--time-limit S] [--json] [--bks bks.json]

VRPLIB `.vrp` files (CVRP, every arc the Euclidean distance rounded to the nearest integer,
unlimited fleet) and Solomon `.txt` files (VRPTW, Euclidean distances in double precision,
objective total distance, fleet at most the file's). Routes list customer numbers as CVRPLIB
.sol files do: the depot is 0, customers 1..n in file order, the depot itself left out.

Homberger files read as Solomon ones. `benchmarks/literature.py` runs whole sets with
PyVRP side by side; this CLI solves the files it is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from aid.routing.bench.instances import InstanceError, read_instance
from aid.routing.bench.verify import check_bench
from aid.routing.solver import SearchSettings, solve_core

__all__ = ["find_bks", "main", "solve_file"]


def find_bks(path: Path, explicit: Path | None = None) -> dict[str, float]:
    """Load BKS costs from `explicit`, else from a bks.json beside the file or up to 3 levels up."""
    candidates = (
        [explicit] if explicit else [p / "bks.json" for p in [path.parent, *path.parents][:4]]
    )
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))}
    return {}


def solve_file(path: Path, settings: SearchSettings, bks_file: Path | None = None) -> dict:
    """Read, solve and check one instance; return the JSON-ready result."""
    inst = read_instance(path)
    began = time.perf_counter()
    solution = solve_core(inst.to_core(), settings)
    seconds = time.perf_counter() - began
    routes = [list(r) for r in solution.routes if r]
    violations = check_bench(inst, routes) if solution.found else ["no solution found"]
    cost = inst.route_cost(routes)
    result: dict = {
        "instance": inst.name,
        "cost": cost if inst.kind == "cvrp" else round(cost, 4),
        "routes": routes,
        "seconds": round(seconds, 3),
        "vehicles": len(routes),
        "feasible": not violations,
    }
    if violations:
        result["violations"] = violations[:10]
    bks = find_bks(path, bks_file).get(inst.name)
    if bks:
        result["bks"] = bks
        result["gap_percent"] = round(100.0 * (cost - bks) / bks, 3)
    return result


def _gap_text(gap: float | None) -> str:
    """The gap to two decimals, without the "-0.00" of a cost a rounding below its BKS."""
    if gap is None:
        return ""
    return f"{gap if abs(gap) >= 0.005 else 0.0:.2f}"


def _table(results: list[dict]) -> str:
    """Format results as a readable table with the gap to BKS and the mean gap."""
    lines = [f"{'instance':<14}{'cost':>12}{'bks':>12}{'gap %':>8}{'veh':>5}{'sec':>7}  ok"]
    gaps = []
    for r in results:
        if "error" in r:
            lines.append(f"{r['instance']:<14}  error: {r['error']}")
            continue
        gap = r.get("gap_percent")
        if gap is not None:
            gaps.append(gap)
        lines.append(
            f"{r['instance']:<14}{r['cost']:>12.2f}{r.get('bks', float('nan')):>12.2f}"
            f"{_gap_text(gap):>8}{r['vehicles']:>5}{r['seconds']:>7.1f}"
            f"  {'yes' if r['feasible'] else 'NO'}"
        )
    if gaps:
        lines.append(f"mean gap over {len(gaps)} instances: {sum(gaps) / len(gaps):.2f}%")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark CLI; exit status 1 if any file failed to read or solve feasibly."""
    parser = argparse.ArgumentParser(
        prog="python -m aid.routing.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("files", nargs="+", type=Path, help="VRPLIB .vrp or Solomon .txt files")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.add_argument("--bks", type=Path, default=None, help="bks.json (default: found nearby)")
    args = parser.parse_args(argv)
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    settings = SearchSettings(time_limit=args.time_limit)
    results, status = [], 0
    for path in args.files:
        try:
            results.append(solve_file(path, settings, args.bks))
        except InstanceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            results.append({"instance": path.stem, "error": str(exc)})
            status = 1
            continue
        if not results[-1]["feasible"]:
            status = 1
        if not args.json:
            # Progress: this instance's row of the table (line 0 is the header).
            print(_table(results[-1:]).splitlines()[1], file=sys.stderr, flush=True)
    print(json.dumps(results) if args.json else _table(results))
    return status
