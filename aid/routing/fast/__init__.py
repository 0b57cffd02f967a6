"""A compiled improvement step for plans OR-Tools built: iterated local search in numba.

OR-Tools' local search checks every move against the whole constraint model, a few
thousand moves a second on a few hundred stops (benchmarks/README.md, row 49). For the
common case (capacities, time windows and shifts, optional visits, vehicle restrictions,
fixed cost per car) this package evaluates a move in constant time from forward and
backward times, hundreds of thousands a second. OR-Tools stays the engine: it builds the
first plans, and the final plan is read back into its model, which checks every constraint
and fixes the schedule (`aid.routing.solver`). Reloads, breaks and a maximum route
duration are not modelled here; plans with them keep OR-Tools' own search.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aid.routing.core import CoreProblem
from aid.routing.fast.pack import neighbours, pack

__all__ = ["FastSettings", "improve", "local_optimum", "supported", "warm"]


def _clear_stale_cache() -> None:
    """numba's on-disk cache notices a change to a function's own file, not to the files of
    the functions it calls, so after an update stale machine code could run. Key the whole
    cache on one hash of this package's sources and clear it when they change."""
    here = Path(__file__).parent
    sources = b"".join(f.read_bytes() for f in sorted(here.glob("*.py")))
    digest = hashlib.sha256(sources).hexdigest()
    cache = here / "__pycache__"
    stamp = cache / "numba-sources.sha256"
    try:
        if stamp.read_text() == digest:
            return
    except OSError:
        pass
    try:
        for f in cache.glob("*.nb[ci]"):
            f.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:
        pass  # a read-only install: numba then compiles in memory at each start


_clear_stale_cache()


@dataclass(frozen=True)
class FastSettings:
    """Knobs of the iterated local search; defaults measured in benchmarks/README.md."""

    neighbours: int = 12  # nearest visits each visit's moves are tried with
    max_strings: int = 3  # routes a ruin cuts a string out of, at most
    max_len: int = 10  # visits per string, at most
    # Where cars differ (homes, sizes, hours, skills), which car serves an area matters and
    # small ruins leave the search in one basin: larger ones (city days, benchmarks/README.md).
    mixed_strings: int = 5
    mixed_len: int = 15
    threshold: float = 0.01  # accept plans up to this fraction above the best, to zero at the end


def supported(p: CoreProblem) -> bool:
    """Whether the compiled search models everything p asks for."""
    no_breaks = p.breaks is None or not any(p.breaks)
    return not p.reloads and no_breaks and p.max_route_duration is None and p.size > 2


@dataclass
class _Search:
    """The packed problem, the route state and the work arrays of one search."""

    P: tuple
    S: tuple
    customers: np.ndarray
    neigh: np.ndarray
    work: tuple  # lastmod, lasttest, keep_R, keep_L, removed, buf, buf2, counters

    def routes(self, R: np.ndarray, L: np.ndarray) -> list[list[int]]:
        return [[int(x) for x in R[v, 1 : L[v] + 1]] for v in range(len(L))]


def _load(p: CoreProblem, routes: list[list[int]], s: FastSettings, seed: int) -> _Search | None:
    """The search state for p from routes; None if p is not supported or the routes break
    a rule as this package reads it."""
    from aid.routing.fast.routes import rebuild, seed_rng, total, walk

    if not supported(p) or len(routes) != p.num_vehicles:
        return None
    P = pack(p)
    n, nv = p.size, p.num_vehicles
    customers = np.array(p.customers(), dtype=np.int64)
    if len(customers) < 2:
        return None
    R = np.zeros((nv, n + 2), dtype=np.int64)
    L = np.zeros(nv, dtype=np.int64)
    for v, route in enumerate(routes):
        path = [p.starts[v], *route, p.ends[v]]
        if walk(P, v, np.array(path, dtype=np.int64), len(path)) < 0:
            return None
        R[v, : len(path)] = path
        L[v] = len(route)
    rt = np.full(n, -2, dtype=np.int64)
    rt[customers] = -1
    grid = [np.zeros((nv, n + 2), dtype=np.int64) for _ in range(3)]
    S = (R, L, *grid, rt, np.zeros(n, dtype=np.int64), np.zeros(nv, dtype=np.int64), grid[0].copy())
    rebuild(P, S, customers)
    seed_rng(seed)
    cost = total(P, S)
    work = (
        np.zeros(nv, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
        R.copy(),
        L.copy(),
        np.zeros(n, dtype=np.int64),
        np.zeros(n + 2, dtype=np.int64),
        np.zeros(n + 2, dtype=np.int64),
        np.array([0, cost, cost], dtype=np.int64),  # change counter, current, best
    )
    return _Search(P, S, customers, neighbours(P, customers, s.neighbours), work)


def _descend(search: _Search) -> int:
    """Local search to a local optimum; return the objective there."""
    from aid.routing.fast.moves import local_search
    from aid.routing.fast.routes import total

    lastmod, lasttest, _, _, _, buf, buf2, counters = search.work
    P, S = search.P, search.S
    counters[0] = local_search(
        P, S, search.neigh, search.customers, lastmod, lasttest, counters[0], buf, buf2
    )
    return int(total(P, S))


def local_optimum(p: CoreProblem, routes: list[list[int]], seed: int = 0) -> list[list[int]]:
    """One descent of the local search from routes (no ruin): every move it makes lowers
    the objective. Returns routes unchanged where improve would."""
    search = _load(p, routes, FastSettings(), seed)
    if search is None:
        return routes
    _descend(search)
    return search.routes(search.S[0], search.S[1])


def improve(
    p: CoreProblem,
    routes: list[list[int]],
    deadline: float,
    settings: FastSettings | None = None,
    seed: int = 0,
) -> list[list[int]] | None:
    """The best plan the search finds from `routes` before `deadline` (time.monotonic()),
    never costlier than `routes`: the best starts as the routes given.

    None when p is not supported or its routes break a rule as this package reads them:
    the caller then searches with OR-Tools instead.
    """
    from aid.routing.fast.search import rounds

    s = settings or FastSettings()
    search = _load(p, routes, s, seed)
    if search is None:
        return None
    alike = search.P[15]
    strings, length = (s.max_strings, s.max_len) if alike else (s.mixed_strings, s.mixed_len)
    R, L = search.S[0], search.S[1]
    best_R, best_L = R.copy(), L.copy()
    counters = search.work[-1]
    cost = _descend(search)
    counters[1] = cost
    if cost < counters[2]:
        counters[2] = cost
        best_R[:, :], best_L[:] = R, L
    began, batch, done = time.monotonic(), 1, 0
    while True:
        now = time.monotonic()
        if now >= deadline and done:  # at least one round: warm() compiles them all
            break
        left = (deadline - now) / max(deadline - began, 1e-9)
        threshold = int(s.threshold * left * counters[2])
        t0 = time.monotonic()
        rounds(
            search.P,
            search.S,
            best_R,
            best_L,
            search.neigh,
            search.customers,
            search.work,
            batch,
            threshold,
            strings,
            length,
        )
        spent = time.monotonic() - t0
        done += batch
        # About 20 ms per call: the clock is read often enough, the calls cost nothing.
        batch = max(1, min(1000, int(batch * 0.02 / max(spent, 1e-6))))
    return search.routes(best_R, best_L)


_warm = False


def warm() -> None:
    """Compile (or load from numba's cache in __pycache__) every function on a tiny problem,
    so that the first real search does not spend its time limit compiling."""
    global _warm
    if _warm:
        return
    cost = np.array([[0, 2, 3, 4], [2, 0, 1, 2], [3, 1, 0, 1], [4, 2, 1, 0]], dtype=np.int64)
    tiny = CoreProblem(
        cost=cost,
        demand=[0, 1, 1, 1],
        starts=[0, 0],
        ends=[0, 0],
        capacity=[2, 2],
        travel=cost,
        service=[0, 1, 1, 1],
        windows=[(0, 100), (0, 50), (0, 50), (0, 50)],
        penalty=[None, 1000, 1000, 1000],
    )
    improve(tiny, [[1, 2], [3]], time.monotonic() + 0.005)
    _warm = True
