"""Matching benchmark: a synthetic Minneapolis, suggestions for one task, and "Assign all".

    .venv/bin/python benchmarks/matching_bench.py [--seed 1] [--volunteers 30000]
        [--needs 10000] [--samples 200] [--k 50] [--skip-full]

Prints: the time of `suggest` for one task against every volunteer (p50/p95 over random
needs, from a plain list, which pre-filters and builds columns each time, and from a `Roster`
built once); `assign_all` for 2,000 of the day's needs and 5,000 volunteers (time, covered,
priorities covered, cost) with an independent feasibility check, and for a dense day where
pruning kicks in; assign_all against the test suite's brute force on small cases; and the gap
best-K pruning causes against the full network (exact) on cases from 8 x 8 to 200 x 300.
Wall and CPU time: on a shared machine CPU time is the figure an idle core would show.
Single-threaded; run it alone on the machine.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from aid.matching import Assignment, Need, Roster, Volunteer, assign_all, refusals, suggest

CENTRE = (44.95, -93.25)  # Minneapolis
SPREAD_KM = 15.0
KM_PER_DEG_LAT = 111.2
SKILLS = {"deliver": 0.55, "pack": 0.30, "translate_remote": 0.20,
          "translate_in_person": 0.15, "court": 0.08}
SPOKEN = {"es": 0.30, "so": 0.12, "hmn": 0.08, "ar": 0.06, "fa_AF": 0.03, "kar": 0.02,
          "vi": 0.03, "am": 0.02}
HOUSEHOLD = {"es": 0.45, "so": 0.20, "hmn": 0.10, "ar": 0.08, "fa_AF": 0.05, "en": 0.07,
             "kar": 0.03, "vi": 0.02}
HOUSEHOLDS = 8000
PANTRIES = 3


def city_point(rng: np.random.Generator, size: int) -> np.ndarray:
    """Points spread about SPREAD_KM around the centre (uniform in a disc), as (lat, lon)."""
    r = SPREAD_KM * np.sqrt(rng.uniform(0, 1, size))
    a = rng.uniform(0, 2 * math.pi, size)
    lat = CENTRE[0] + r * np.sin(a) / KM_PER_DEG_LAT
    lon = CENTRE[1] + r * np.cos(a) / (KM_PER_DEG_LAT * math.cos(math.radians(CENTRE[0])))
    return np.column_stack([lat, lon])


def volunteers(rng: np.random.Generator, count: int) -> list[Volunteer]:
    """Volunteers at one of 60 ZIP centroids, with realistic skills, languages and hours."""
    zips = city_point(rng, 60)
    out = []
    for i in range(count):
        skills = frozenset(s for s, p in SKILLS.items() if rng.random() < p) or {"deliver"}
        langs = frozenset({"en"} | {c for c, p in SPOKEN.items() if rng.random() < p})
        point = zips[rng.integers(60)] if rng.random() > 0.03 else (None, None)
        limit = int(rng.integers(1, 6))
        out.append(Volunteer(
            id=i + 1, tier=int(rng.choice(3, p=[0.3, 0.5, 0.2])), skills=frozenset(skills),
            languages=langs, slots=frozenset(rng.choice(21, int(rng.integers(3, 10)), False)
                                             .tolist()),
            lat=None if point[0] is None else float(point[0]),
            lon=None if point[1] is None else float(point[1]),
            max_km=float(rng.choice([3, 5, 8, 10, 15, 25])),
            boxes=int(rng.integers(2, 9)) if "deliver" in skills else 0,
            weekly_limit=limit, load=int(rng.integers(0, limit + 1)),
            active=bool(rng.random() < 0.95),
            knows=frozenset(rng.integers(1, HOUSEHOLDS, int(rng.integers(1, 4))).tolist())
            if rng.random() < 0.2 else frozenset(),
            done_count=int(rng.geometric(0.12)) - 1,
            enters_courts="court" in skills and bool(rng.random() < 0.6),
        ))
    return out


def needs(rng: np.random.Generator, count: int, day: int | None = None) -> list[Need]:
    """Open tasks: deliveries, remote and in-person translation, court, packing at pantries.

    `day` puts every timed task on that weekday (the day's open tasks); None spreads them.
    """
    points, pantries = city_point(rng, count), city_point(rng, PANTRIES)
    langs, lp = list(HOUSEHOLD), np.array(list(HOUSEHOLD.values()))
    out = []
    for i in range(count):
        kind = rng.choice(5, p=[0.60, 0.15, 0.10, 0.07, 0.08])
        lang = str(rng.choice(langs, p=lp / lp.sum()))
        d = int(rng.integers(7)) if day is None else day
        slot = d * 3 + int(rng.integers(3))
        lat, lon = map(float, points[i])
        base = dict(id=i + 1, language=lang, household_id=int(rng.integers(1, HOUSEHOLDS)),
                    priority=int(rng.choice(4, p=[0.2, 0.5, 0.2, 0.1])))
        if kind == 0:
            n = Need(skill="deliver", min_tier=1, needs_language=False, weekslot=slot,
                     lat=lat, lon=lon, boxes=int(rng.integers(1, 5)), **base)
        elif kind == 1:
            n = Need(skill="translate_remote", min_tier=0, needs_language=True, weekslot=None,
                     lat=None, lon=None, **base)
        elif kind == 2:
            n = Need(skill="translate_in_person", min_tier=1, needs_language=True,
                     weekslot=slot, lat=lat, lon=lon, **base)
        elif kind == 3:
            n = Need(skill="court", min_tier=1, needs_language=False, weekslot=slot,
                     lat=lat, lon=lon, risk=1, **base)
        else:
            p = pantries[rng.integers(PANTRIES)]
            n = Need(skill="pack", min_tier=0, needs_language=False, weekslot=slot,
                     lat=float(p[0]), lon=float(p[1]), **{**base, "household_id": None})
        out.append(n)
    return out


def check(a: Assignment, ns: list[Need], vs: list[Volunteer]) -> list[str]:
    """Independent check of an assignment: rules, capacities, one need per volunteer-slot."""
    need, vol = {n.id: n for n in ns}, {v.id: v for v in vs}
    wrong = [f"need {n} refused: {refusals(vol[v], need[n])}" for n, v in a.pairs
             if refusals(vol[v], need[n])]
    per_vol = Counter(v for _, v in a.pairs)
    wrong += [f"volunteer {v} over capacity" for v, c in per_vol.items()
              if c > vol[v].weekly_limit - vol[v].load]
    slots = Counter((v, need[n].weekslot) for n, v in a.pairs if need[n].weekslot is not None)
    wrong += [f"volunteer {v} twice in slot {s}" for (v, s), c in slots.items() if c > 1]
    if sorted([n for n, _ in a.pairs] + list(a.unassigned)) != sorted(need):
        wrong.append("needs lost or doubled")
    return wrong


def summary(a: Assignment, ns: list[Need]) -> tuple[int, tuple[int, ...]]:
    """Needs covered, and covered per priority from urgent (3) down to low (0)."""
    pr = {n.id: n.priority for n in ns}
    got = Counter(pr[n] for n, _ in a.pairs)
    return len(a.pairs), tuple(got[p] for p in (3, 2, 1, 0))


def weight(a: Assignment, ns: list[Need]) -> int:
    """Sum of the priorities of the needs covered."""
    pr = {n.id: n.priority for n in ns}
    return sum(pr[n] for n, _ in a.pairs)


def timed(f, *args, **kw):
    """Call f; return its result, wall seconds and this process's CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = f(*args, **kw)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def ms(xs: list[float]) -> str:
    """p50 / p95 / max of durations in seconds, in milliseconds."""
    a = np.array(xs) * 1000
    return f"p50 {np.percentile(a, 50):.2f}, p95 {np.percentile(a, 95):.2f}, max {a.max():.2f}"


def gap(cost: float, best: float) -> float:
    """Cost above the optimum in percent of its size (costs can be negative: bonuses)."""
    return (cost - best) / abs(best) * 100 if best else 0.0


def big(title: str, ns: list[Need], vs: list[Volunteer], k: int, full: bool) -> None:
    """Time assign_all as the app calls it, check it, and compare with pruning and exact."""
    a, secs, cpu = timed(assign_all, ns, vs, k=k)
    covered, by_pr = summary(a, ns)
    print(f"assign_all, {title}:")
    print(f"  default: {secs:.2f} s wall, {cpu:.2f} s CPU, exact={a.exact}, covered {covered} "
          f"(urgent..low {by_pr}), cost {a.cost:.1f}, check: "
          f"{', '.join(check(a, ns, vs)) or 'feasible'}")
    pruned, psecs, pcpu = timed(assign_all, ns, vs, k=k, max_arcs=0)
    pc, ppr = summary(pruned, ns)
    print(f"  pruned to K={k} (forced): {psecs:.2f} s wall, {pcpu:.2f} s CPU, covered {pc} "
          f"({ppr}), cost {pruned.cost:.1f}")
    if full:
        f, fsecs, fcpu = timed(assign_all, ns, vs, max_arcs=None)
        fc, fpr = summary(f, ns)
        print(f"  full network (exact): {fsecs:.2f} s wall, {fcpu:.2f} s CPU, covered {fc} "
              f"({fpr}), cost {f.cost:.1f}; pruned covers {pc - fc:+d}, priority "
              f"{weight(pruned, ns) - weight(f, ns):+d}, cost gap {gap(pruned.cost, f.cost):+.3f}%")


def small_cases(rng: np.random.Generator, vs: list[Volunteer], count: int) -> None:
    """assign_all against brute force (the test suite's) on small cases that compete."""
    from tests.test_matching import brute_force

    roster, same, worst, pairs = Roster(vs), 0, 0.0, 0
    pruned_same = 0
    for _ in range(count):
        ns = needs(rng, 6, day=int(rng.integers(7)))
        ids = sorted({s.volunteer_id for n in ns for s in suggest(n, roster, limit=2)})
        by_id = {v.id: v for v in vs}
        cvs = [by_id[i] for i in ids[:5]]
        best, got = brute_force(ns, cvs), assign_all(ns, cvs)
        pruned = assign_all(ns, cvs, k=1, max_arcs=0)
        key = (len(best.pairs), sum(n.priority for n in ns if n.id in dict(best.pairs)))
        same += key == (len(got.pairs), sum(n.priority for n in ns if n.id in dict(got.pairs)))
        pruned_same += len(pruned.pairs) == len(best.pairs) and abs(pruned.cost - best.cost) < 1e-2
        worst = max(worst, abs(got.cost - best.cost))
        pairs += len(best.pairs)
    print(f"against brute force, {count} cases of 6 needs x up to 5 of their best volunteers "
          f"({pairs} pairs in the optima): same needs and priorities in {same}, largest cost "
          f"difference {worst:.4f}; pruned to K=1 optimal in {pruned_same}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--volunteers", type=int, default=30000)
    ap.add_argument("--needs", type=int, default=10000)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--skip-full", action="store_true", help="no full network on the big case")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")

    vs, city_built, _ = timed(volunteers, rng, args.volunteers)
    ns = needs(rng, args.needs)
    print(f"city: {len(vs)} volunteers, {len(ns)} needs (built in {city_built:.1f} s)")

    sample = [ns[i] for i in rng.choice(len(ns), args.samples, replace=False)]
    cold = [timed(suggest, n, vs)[1:] for n in sample]
    roster, built, _ = timed(Roster, vs)
    warm = [timed(suggest, n, roster)[1:] for n in sample]
    again = [timed(suggest, n, roster)[1:] for n in sample]
    found = [len(suggest(n, roster)) for n in sample]
    print(f"suggest, one need among {len(vs)} volunteers, {len(sample)} needs, in ms:")
    for name, xs in (("from the list (pre-filter, then columns)", cold),
                     (f"from a Roster built once ({built * 1000:.0f} ms), first pass", warm),
                     ("from the Roster, columns all cached", again)):
        print(f"  {name}: wall {ms([w for w, _ in xs])}; CPU {ms([c for _, c in xs])}")
    print(f"  needs with 10 suggestions: {sum(f == 10 for f in found)}, "
          f"with none: {sum(f == 0 for f in found)}")

    day_vs = [vs[i] for i in rng.choice(len(vs), 5000, replace=False)]
    day_ns = needs(rng, 2000, day=1)
    big(f"2000 needs x 5000 volunteers, a day of mixed tasks, K={args.k}", day_ns, day_vs,
        args.k, not args.skip_full)
    dense = [Need(id=i + 1, skill="translate_remote", min_tier=0, language="en",
                  needs_language=True, weekslot=None, lat=None, lon=None,
                  priority=int(rng.integers(4))) for i in range(2000)]
    big(f"2000 remote English translations x 5000 volunteers (dense), K={args.k}", dense,
        day_vs, args.k, not args.skip_full)

    small_cases(rng, vs, 200)
    ks = (5, 10, 20, args.k)
    print("best-K pruning (forced) against the full network (exact), 5 cases per size: needs "
          "and priority lost, cost gap where both are equal")
    print(f"  {'size':>9} | " + " | ".join(f"K={k:<3} lost prio  cost gap" for k in ks))
    for nn, nv in ((8, 8), (20, 30), (50, 80), (100, 150), (200, 300)):
        rows = {k: [0, 0, []] for k in ks}
        for _ in range(5):
            cvs = [vs[i] for i in rng.choice(len(vs), nv, replace=False)]
            cns = needs(rng, nn, day=int(rng.integers(7)))
            exact = assign_all(cns, cvs, max_arcs=None)
            assert not check(exact, cns, cvs)
            for k in ks:
                got = assign_all(cns, cvs, k=k, max_arcs=0)
                assert not check(got, cns, cvs)
                rows[k][0] += len(exact.pairs) - len(got.pairs)
                rows[k][1] += weight(exact, cns) - weight(got, cns)
                if (len(got.pairs), weight(got, cns)) == (len(exact.pairs), weight(exact, cns)):
                    rows[k][2].append(gap(got.cost, exact.cost))
        print(f"  {nn:>4}x{nv:<4} | " + " | ".join(
            f"{d:4d} {w:4d}  {statistics.mean(g) if g else 0:+7.3f}%" for d, w, g in rows.values()))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
