"""The problem as arrays for the compiled code, and each visit's nearest neighbours."""

from __future__ import annotations

import numpy as np

from aid.routing.core import CoreProblem

__all__ = ["neighbours", "pack"]


def pack(p: CoreProblem) -> tuple:
    """The problem as the tuple of arrays the compiled code reads (see fast.routes)."""
    n, nv = p.size, p.num_vehicles
    big = np.int64(1) << np.int64(50)
    cost = np.ascontiguousarray(p.cost, dtype=np.int64)
    if p.travel is not None:
        service = np.asarray(p.service or [0] * n, dtype=np.int64)
        time_ = np.ascontiguousarray(p.travel, dtype=np.int64) + service[:, None]
    else:
        time_ = np.zeros((n, n), dtype=np.int64)
    lo = np.zeros(n, dtype=np.int64)
    hi = np.full(n, big, dtype=np.int64)
    terminals = set(p.starts) | set(p.ends)
    if p.windows is not None:
        for i, (a, b) in enumerate(p.windows):
            if i not in terminals:
                lo[i], hi[i] = a, b
    e0 = np.zeros(nv, dtype=np.int64)
    l1 = np.full(nv, big, dtype=np.int64)
    if p.travel is not None:
        horizon = int(hi[hi < big].max()) if (hi < big).any() else int(time_.max()) * (n + 1)
        for v in range(nv):
            a, b = p.shifts[v] if p.shifts is not None else (0, horizon)
            if p.windows is not None:
                a = max(a, p.windows[p.starts[v]][0])
                b = min(b, p.windows[p.ends[v]][1])
            e0[v], l1[v] = a, max(a, b)
    pen = np.array(
        [-1 if p.penalty is None or p.penalty[i] is None else p.penalty[i] for i in range(n)],
        dtype=np.int64,
    )
    has_allow = p.allowed is not None and any(a is not None for a in p.allowed)
    allow = np.ones((n, nv), dtype=np.bool_)
    if p.allowed is not None:
        for i, vs in enumerate(p.allowed):
            if vs is not None:
                allow[i, :] = False
                allow[i, list(vs)] = True
    return (
        cost,
        time_,
        lo,
        hi,
        np.asarray(p.demand, dtype=np.int64),
        np.asarray(p.capacity, dtype=np.int64),
        np.asarray(p.starts, dtype=np.int64),
        np.asarray(p.ends, dtype=np.int64),
        e0,
        l1,
        pen,
        allow,
        np.int64(p.vehicle_fixed_cost),
        has_allow,
        bool(np.array_equal(cost, cost.T) and np.array_equal(time_, time_.T)),
        # Every car the same (home, end, size, hours, no skills): handing a whole route to
        # another car changes nothing, and small ruins suffice.
        not has_allow and len(set(zip(p.starts, p.ends, p.capacity, e0, l1))) <= 1,
    )


def neighbours(P: tuple, customers: np.ndarray, k: int) -> np.ndarray:
    """Each node's k nearest customers by cost, with a price on waiting and lateness
    between their windows (as in Vidal's granular neighbourhoods)."""
    cost, time_, lo, hi = P[0], P[1], P[2], P[3]
    c = customers
    sub = cost[np.ix_(c, c)].astype(np.float64)
    t = time_[np.ix_(c, c)].astype(np.float64)
    wait = np.maximum(lo[c][None, :] - t - hi[c][:, None], 0)
    late = np.maximum(lo[c][:, None] + t - hi[c][None, :], 0)
    prox = sub + 0.2 * wait + 1.0 * late
    prox = np.minimum(prox, prox.T)
    np.fill_diagonal(prox, np.inf)
    k = min(k, len(c) - 1)
    near = np.argsort(prox, axis=1, kind="stable")[:, :k]
    out = np.zeros((cost.shape[0], max(k, 1)), dtype=np.int64)
    out[c] = c[near] if k > 0 else c[:, None]
    return out
