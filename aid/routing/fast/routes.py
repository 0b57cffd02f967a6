"""Route state in flat arrays and O(1) checks of a changed route, compiled with numba.

The problem is a tuple P of arrays (see `aid.routing.fast.pack`):
    C cost, T time (travel plus service at the origin), A/B window of each node,
    dem demand, cap/vs/ve/e0/l1 per vehicle (capacity, start and end node, earliest
    departure, latest return), pen drop penalty per node (-1: required), allow[node, v],
    fixed cost per used vehicle, has_allow, sym (costs and times the same both ways),
    alike (every car the same).
The state is a tuple S of arrays:
    R[v, k] node at position k of vehicle v's route (0: its start, L[v] + 1: its end),
    L[v] visits, FW[v, k] earliest service start, BW[v, k] latest service start that keeps
    the rest of the route on time, CL[v, k] load up to and including position k,
    rt/ps route and position of each node (-1: not served), rc[v] cost of the route,
    CC[v, k] cost of its arcs up to position k.
An unused vehicle costs nothing (not the arc from its start to its end), as in OR-Tools.
A route is on time when FW[v, k] <= BW[v, k] everywhere; every move keeps that, so checking
a change needs only the arrays at its two ends (Savelsbergh's forward/backward times).
"""

from __future__ import annotations

import numpy as np
from numba import njit

BIG = np.int64(1) << np.int64(50)


@njit(cache=True)
def refresh(P, S, v):
    """Recompute times, loads, positions and cost of route v after its nodes changed."""
    C, T, A, B, dem, cap, vs, ve, e0, l1, pen, allow, fixed, has_allow, sym, alike = P
    R, L, FW, BW, CL, rt, ps, rc, CC = S
    n = L[v]
    FW[v, 0] = e0[v]
    CL[v, 0] = 0
    CC[v, 0] = 0
    cost = 0
    for k in range(1, n + 2):
        a = R[v, k - 1]
        b = R[v, k]
        t = FW[v, k - 1] + T[a, b]
        if k <= n and t < A[b]:
            t = A[b]
        FW[v, k] = t
        CL[v, k] = CL[v, k - 1] + dem[b]
        cost += C[a, b]
        CC[v, k] = cost
        if k <= n:
            rt[b] = v
            ps[b] = k
    BW[v, n + 1] = l1[v]
    for k in range(n, -1, -1):
        a = R[v, k]
        t = BW[v, k + 1] - T[a, R[v, k + 1]]
        if k > 0 and t > B[a]:
            t = B[a]
        BW[v, k] = t
    rc[v] = cost + fixed if n > 0 else 0


@njit(cache=True)
def insert_ok(P, S, v, i, u):
    """Whether u fits on time between positions i and i + 1 of route v (load aside)."""
    C, T, A, B, dem, cap, vs, ve, e0, l1, pen, allow, fixed, has_allow, sym, alike = P
    R, L, FW, BW, CL, rt, ps, rc, CC = S
    t = FW[v, i] + T[R[v, i], u]
    if t < A[u]:
        t = A[u]
    if t > B[u]:
        return False
    return t + T[u, R[v, i + 1]] <= BW[v, i + 1]


@njit(cache=True)
def remove_ok(P, S, v, i):
    """Whether route v stays on time without its visit at position i."""
    T = P[1]
    R, FW, BW = S[0], S[2], S[3]
    return FW[v, i - 1] + T[R[v, i - 1], R[v, i + 1]] <= BW[v, i + 1]


@njit(cache=True)
def walk(P, v, buf, m):
    """Cost of vehicle v driving buf[0..m) (its start, visits, its end), or -1 if it breaks
    a window, the return time, the capacity or a node's allowed vehicles."""
    C, T, A, B, dem, cap, vs, ve, e0, l1, pen, allow, fixed, has_allow, sym, alike = P
    t = e0[v]
    load = 0
    cost = 0
    for k in range(1, m):
        a = buf[k - 1]
        b = buf[k]
        t += T[a, b]
        cost += C[a, b]
        if k < m - 1:
            if t < A[b]:
                t = A[b]
            if t > B[b]:
                return -1
            load += dem[b]
            if has_allow and not allow[b, v]:
                return -1
    if t > l1[v] or load > cap[v]:
        return -1
    return cost + fixed if m > 2 else 0


@njit(cache=True)
def set_route(P, S, v, buf, m):
    """Make buf[0..m) (start, visits, end) the route of vehicle v."""
    R, L = S[0], S[1]
    for k in range(m):
        R[v, k] = buf[k]
    L[v] = m - 2
    refresh(P, S, v)


@njit(cache=True)
def adopt(P, S, v, buf, m):
    """Make buf[0..m) the route of vehicle v if it keeps every rule and costs less than
    the route it replaces; return whether it did."""
    new = walk(P, v, buf, m)
    if new < 0 or new >= S[7][v]:
        return False
    set_route(P, S, v, buf, m)
    return True


@njit(cache=True)
def total(P, S):
    """The objective: route costs plus a penalty per node not served."""
    pen = P[10]
    rt, rc = S[5], S[7]
    out = 0
    for v in range(rc.shape[0]):
        out += rc[v]
    for u in range(pen.shape[0]):
        if rt[u] == -1:
            out += BIG if pen[u] < 0 else pen[u]
    return out


@njit(cache=True)
def rebuild(P, S, customers):
    """Recompute everything from R and L (after a state was copied back)."""
    rt = S[5]
    for u in customers:
        rt[u] = -1
    for v in range(S[1].shape[0]):
        refresh(P, S, v)


@njit(cache=True)
def seed_rng(seed):
    """Seed the compiled code's random numbers (numba keeps its own generator)."""
    np.random.seed(seed)
