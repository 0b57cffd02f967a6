"""Gap to best-known solutions, ours and PyVRP's at the same time limit in the same run.

    .venv/bin/python benchmarks/literature.py [--data ../shared/bench-data]
        [--sets solomon homberger x] [--only C101 X-n101-k25 ...] [--no-pyvrp] [--json FILE]
        [--set KNOB=VALUE ...]  (SearchSettings knobs for our solver, to screen ideas;
        compiled.NAME=VALUE for a FastSettings knob of the compiled search)

Sets and time limits (one core each, one after the other; PyVRP needs the `bench` extra):
- solomon: all 28 instances in vrptw/solomon at 5 s, distance-only BKS (bks.json)
- homberger: the 6 in vrptw/homberger_200 at 10 s, vehicles first then distance, against the
  SINTEF BKS (bks_details.json); both solvers get the same fixed cost per route
- x: the 12 in cvrp/ at 10 s, CVRPLIB BKS
Both solvers see the same integer model (`BenchInstance.to_core`); every solution is priced
in the instance's own convention and re-checked by `aid.routing.bench.verify.check_bench`.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no threaded BLAS anywhere
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import ast  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from aid.routing import fast  # noqa: E402
from aid.routing.bench.instances import BenchInstance, read_instance  # noqa: E402
from aid.routing.bench.verify import check_bench  # noqa: E402
from aid.routing.solver import SearchSettings, solve_core  # noqa: E402

SETS = {
    "solomon": ("vrptw/solomon/*.txt", 5.0),
    "homberger": ("vrptw/homberger_200/*_2_1.txt", 10.0),
    "x": ("cvrp/X-*.vrp", 10.0),
}


def _order(path: Path) -> tuple:
    """Solomon files in class order (C1, C2, R1, R2, RC1, RC2), X by size, others by name."""
    name = path.stem.upper()
    if name.startswith("X-N"):
        return (4, int(name[3:].split("-")[0]), name)
    cls = name.rstrip("0123456789")
    return ({"C": 0, "R": 1, "RC": 2}.get(cls, 3), name[len(cls) :][:1], name)


def _score(inst: BenchInstance, routes: list[list[int]] | None, seconds: float) -> dict:
    """Price and re-check one solver's routes."""
    if routes is None:
        return {"feasible": False, "violations": ["no feasible solution"], "seconds": seconds}
    used = [r for r in routes if r]
    violations = check_bench(inst, used)
    return {
        "cost": inst.route_cost(used),
        "vehicles": len(used),
        "feasible": not violations,
        "violations": violations[:5],
        "seconds": round(seconds, 2),
    }


def run_instance(
    path: Path, seconds: float, vehicles_first: bool, pyvrp: bool, knobs: dict | None = None
) -> dict:
    """Solve one instance with ours and (optionally) PyVRP at the same limit; price both."""
    inst = read_instance(path)
    core = inst.to_core()
    if vehicles_first:
        # A route costs more than all depot round trips' worth of distance: vehicles first.
        core = inst.to_core(vehicle_cost=int(core.cost[0].sum()))
    row: dict = {"instance": inst.name, "time_limit": seconds}
    began = time.perf_counter()
    ours = solve_core(core, _settings(seconds, knobs or {}))
    row["ours"] = _score(inst, ours.routes if ours.found else None, time.perf_counter() - began)
    if pyvrp:
        from pyvrp_side import pyvrp_solve

        began = time.perf_counter()
        routes = pyvrp_solve(core, seconds, inst.coords.tolist())
        row["pyvrp"] = _score(inst, routes, time.perf_counter() - began)
    return row


def _settings(seconds: float, knobs: dict) -> SearchSettings:
    """SearchSettings with the knobs; "compiled.NAME" ones go to the compiled search's."""
    inner = {k.split(".", 1)[1]: v for k, v in knobs.items() if k.startswith("compiled.")}
    outer = {k: v for k, v in knobs.items() if not k.startswith("compiled.")}
    compiled = dataclasses.replace(fast.FastSettings(), **inner)
    return SearchSettings(time_limit=seconds, compiled_settings=compiled, **outer)


def _gap(result: dict, bks: float) -> float | None:
    return 100.0 * (result["cost"] - bks) / bks if result.get("feasible") else None


def _cell(result: dict | None, bks: float, bks_vehicles: int | None) -> str:
    if result is None:
        return f"{'':>22}"
    if not result["feasible"]:
        return f"{'INFEASIBLE':>22}"
    gap = _gap(result, bks) or 0.0
    gap = 0.0 if abs(gap) < 0.005 else gap  # no "-0.00" for a cost rounded below its BKS
    extra = f"{result['vehicles'] - bks_vehicles:+d}v" if bks_vehicles is not None else ""
    return f"{result['cost']:>11.2f}{gap:>7.2f}%{result['vehicles']:>3}{extra:>4}"


def _value(text: str) -> object:
    """A knob's value: a Python literal, else the text itself (a metaheuristic's name)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sets, print one row per instance and the means; 1 if any is infeasible."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=here.parent / "shared/bench-data")
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--only", nargs="+", default=None, help="instance names to run")
    parser.add_argument("--no-pyvrp", action="store_true", help="skip PyVRP")
    parser.add_argument("--scale-time", type=float, default=1.0, help="multiply every limit")
    parser.add_argument("--json", type=Path, default=None, help="also write all rows here")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KNOB=VALUE", help="a SearchSettings knob"
    )
    args = parser.parse_args(argv)
    knobs = {k: _value(v) for k, v in (item.split("=", 1) for item in args.set)}
    fast.warm()  # compile (or load) the compiled search once, outside every time limit
    bks = json.loads((args.data / "bks.json").read_text())
    details = json.loads((args.data / "bks_details.json").read_text())
    rows, status = [], 0
    for name in args.sets:
        pattern, seconds = SETS[name]
        seconds *= args.scale_time
        files = sorted(args.data.glob(pattern), key=_order)
        files = [f for f in files if args.only is None or f.stem in args.only]
        if not files:
            continue
        vehicles_first = name == "homberger"
        print(f"== {name}: {len(files)} instances, {seconds:g} s each, one core", flush=True)
        head = "cost    gap  veh" + ("  +v" if vehicles_first else "")
        print(f"{'instance':<12}{'bks':>11}   ours {head:>15}   pyvrp {head:>14}")
        gaps: dict[str, list[float]] = {"ours": [], "pyvrp": []}
        extra: dict[str, list[int]] = {"ours": [], "pyvrp": []}
        same_fleet_gaps: dict[str, list[float]] = {"ours": [], "pyvrp": []}
        for path in files:
            row = run_instance(path, seconds, vehicles_first, not args.no_pyvrp, knobs)
            best = bks[row["instance"]]
            bks_vehicles = (
                details[row["instance"]]["hierarchical"]["vehicles"] if vehicles_first else None
            )
            row.update(set=name, bks=best, bks_vehicles=bks_vehicles)
            rows.append(row)
            for who in ("ours", "pyvrp"):
                result = row.get(who)
                if result is None:
                    continue
                if not result["feasible"]:
                    status = 1
                    continue
                gaps[who].append(_gap(result, best))  # type: ignore[arg-type]
                if bks_vehicles is not None:
                    extra[who].append(result["vehicles"] - bks_vehicles)
                    if result["vehicles"] == bks_vehicles:
                        same_fleet_gaps[who].append(gaps[who][-1])
            print(
                f"{row['instance']:<12}{best:>11.2f}"
                f"{_cell(row['ours'], best, bks_vehicles):>25}"
                f"{_cell(row.get('pyvrp'), best, bks_vehicles):>26}",
                flush=True,
            )
        summary = []
        for who in ("ours", "pyvrp"):
            if gaps[who]:
                text = f"{who} {sum(gaps[who]) / len(gaps[who]):.2f}% over {len(gaps[who])}"
                if extra[who]:
                    same = same_fleet_gaps[who]
                    mean_same = f"{sum(same) / len(same):.2f}%" if same else "-"
                    text = (
                        f"{who} {sum(extra[who])} vehicles over BKS in total; distance gap "
                        f"{mean_same} on the {len(same)} with the BKS fleet"
                    )
                summary.append(text)
        print(f"mean gap ({name}): " + "; ".join(summary), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return status


if __name__ == "__main__":
    sys.exit(main())
