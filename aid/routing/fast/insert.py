"""Inserting visits that are not served: the cheapest place over all routes (recreating
after a ruin), and serving or dropping an optional visit against its penalty."""

from __future__ import annotations

import numpy as np
from numba import njit

from aid.routing.fast.routes import insert_ok, refresh, remove_ok


@njit(cache=True)
def best_insertion(P, S, u, blink):
    """The cheapest valid place for an unserved u: (vehicle, position, added cost), vehicle
    -1 if none. Of the free cars only the first is tried unless skills restrict them (any
    free car was measured worse on city days: benchmarks/README.md, row 60)."""
    C, dem, cap, allow, fixed, has_allow = P[0], P[4], P[5], P[11], P[12], P[13]
    R, L, CL = S[0], S[1], S[4]
    best, bv, bj = np.int64(-1), -1, -1
    tried_empty = False
    for v in range(L.shape[0]):
        if CL[v, L[v] + 1] + dem[u] > cap[v] or (has_allow and not allow[u, v]):
            continue
        if L[v] == 0:
            if tried_empty and not has_allow:
                continue
            tried_empty = True
        for j in range(L[v] + 1):
            a, b = R[v, j], R[v, j + 1]
            add = C[a, u] + C[u, b] - C[a, b] + (fixed + C[a, b] if L[v] == 0 else 0)
            if bv >= 0 and add >= best:
                continue
            if blink > 0 and np.random.random() < blink:
                continue
            if insert_ok(P, S, v, j, u):
                best, bv, bj = add, v, j
    return bv, bj, best


@njit(cache=True)
def _place(P, S, u, v, j):
    """Insert the unserved u after position j of route v."""
    R, L = S[0], S[1]
    for k in range(L[v] + 1, j, -1):
        R[v, k + 1] = R[v, k]
    R[v, j + 1] = u
    L[v] += 1
    refresh(P, S, v)


@njit(cache=True)
def _unplace(P, S, u):
    """Take u off its route."""
    R, L, rt, ps = S[0], S[1], S[5], S[6]
    v, i = rt[u], ps[u]
    for k in range(i, L[v] + 1):
        R[v, k] = R[v, k + 1]
    L[v] -= 1
    rt[u] = -1
    refresh(P, S, v)
    return v


@njit(cache=True)
def optional(P, S, u):
    """Serve an unserved u if that costs less than its penalty, or drop a served optional u
    if that saves more than its penalty; return the vehicle changed or -1."""
    C, pen, fixed = P[0], P[10], P[12]
    R, L, rt, ps = S[0], S[1], S[5], S[6]
    if rt[u] == -1:
        v, j, add = best_insertion(P, S, u, 0.0)
        if v >= 0 and (pen[u] < 0 or add < pen[u]):
            _place(P, S, u, v, j)
            return v
        return -1
    if pen[u] < 0:
        return -1
    v, i = rt[u], ps[u]
    p, nx = R[v, i - 1], R[v, i + 1]
    gain = C[p, u] + C[u, nx] - C[p, nx] + (fixed + C[p, nx] if L[v] == 1 else 0)
    if gain > pen[u] and remove_ok(P, S, v, i):
        return _unplace(P, S, u)
    return -1
