"""Granular local search on the route arrays: relocating one to three visits, swapping two,
reversing part of a route, exchanging route ends (2-opt*, fast.tails), and serving or
dropping optional visits; each move is tried only between a visit and its nearest
neighbours, and a pair is skipped while neither route changed since it was tried.

Moves are priced and checked by call-free functions on plain arrays, inlined (a call that
passes the problem and state tuples costs more than the check); only an improving move
reaches the functions that change routes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from aid.routing.fast.insert import optional
from aid.routing.fast.routes import adopt, refresh, set_route
from aid.routing.fast.tails import tails, tails_ok

MAX_PASSES = 1000  # every move lowers the objective, so a descent ends: a guard all the same


@njit(cache=True, inline="always")
def _move_ok(C, T, A, B, dem, cap, allow, fixed, has_allow, R, L, FW, BW, CL, rt, ps, u, n, v2, j):
    """Moving the n visits from u on to just after position j of route v2: 1 if v2 is
    another route and the move is valid and cheaper; 2 if within u's route and cheaper (the
    times are walked when applied); 0 otherwise."""
    v1, i = rt[u], ps[u]
    e = i + n - 1
    if e > L[v1]:
        return 0
    z = R[v1, e]
    p, nx = R[v1, i - 1], R[v1, e + 1]
    gain = C[p, u] + C[z, nx] - C[p, nx] + (fixed + C[p, nx] if L[v1] == n else 0)
    if v1 == v2:
        if i - 1 <= j <= e:
            return 0
        a, b = R[v1, j], R[v1, j + 1]
        return 2 if C[a, u] + C[z, b] - C[a, b] < gain else 0
    a, b = R[v2, j], R[v2, j + 1]
    add = C[a, u] + C[z, b] - C[a, b] + (fixed + C[a, b] if L[v2] == 0 else 0)
    if add >= gain or CL[v2, L[v2] + 1] + CL[v1, e] - CL[v1, i - 1] > cap[v2]:
        return 0
    if FW[v1, i - 1] + T[p, nx] > BW[v1, e + 1]:
        return 0
    t = FW[v2, j] + T[a, u]
    for k in range(i, e + 1):
        x = R[v1, k]
        if k > i:
            t += T[R[v1, k - 1], x]
        if t < A[x]:
            t = A[x]
        if t > B[x] or (has_allow and not allow[x, v2]):
            return 0
    return 1 if t + T[z, b] <= BW[v2, j + 1] else 0


@njit(cache=True)
def _move(P, S, kind, u, n, v2, j, buf, buf2):
    """Apply a move _move_ok found; False if, within one route, it turns out late."""
    R, L, rt, ps = S[0], S[1], S[5], S[6]
    v1, i = rt[u], ps[u]
    e = i + n - 1
    if kind == 1:
        m2 = 0
        for k in range(L[v2] + 2):
            buf2[m2] = R[v2, k]
            m2 += 1
            if k == j:
                for x in range(i, e + 1):
                    buf2[m2] = R[v1, x]
                    m2 += 1
        m1 = 0
        for k in range(L[v1] + 2):
            if k < i or k > e:
                buf[m1] = R[v1, k]
                m1 += 1
        set_route(P, S, v1, buf, m1)
        set_route(P, S, v2, buf2, m2)
        return True
    m = 0
    for k in range(L[v1] + 2):
        if k < i or k > e:
            buf[m] = R[v1, k]
            m += 1
        if k == j:
            for x in range(i, e + 1):
                buf[m] = R[v1, x]
                m += 1
    return adopt(P, S, v1, buf, m)


@njit(cache=True)
def _reverse(P, S, u, w, buf):
    """2-opt within a route (symmetric costs): link u to w and reverse what lay between."""
    C = P[0]
    R, L, rt, ps = S[0], S[1], S[5], S[6]
    v = rt[u]
    i, j = ps[u], ps[w]
    if i > j:
        i, j = j, i
    if j - i < 2:
        return False
    a, b, c, d = R[v, i], R[v, i + 1], R[v, j], R[v, j + 1]
    if C[a, c] + C[b, d] >= C[a, b] + C[c, d]:
        return False
    m = 0
    for k in range(i + 1):
        buf[m] = R[v, k]
        m += 1
    for k in range(j, i, -1):
        buf[m] = R[v, k]
        m += 1
    for k in range(j + 1, L[v] + 2):
        buf[m] = R[v, k]
        m += 1
    return adopt(P, S, v, buf, m)


@njit(cache=True, inline="always")
def _swap_ok(C, T, A, B, dem, cap, allow, has_allow, R, L, FW, BW, CL, rt, ps, u, w):
    """Whether exchanging u and w between their two routes is valid and cheaper."""
    v1, i, v2, j = rt[u], ps[u], rt[w], ps[w]
    if v1 == v2:
        return False
    p1, n1, p2, n2 = R[v1, i - 1], R[v1, i + 1], R[v2, j - 1], R[v2, j + 1]
    delta = C[p1, w] + C[w, n1] - C[p1, u] - C[u, n1] + C[p2, u] + C[u, n2] - C[p2, w] - C[w, n2]
    if delta >= 0:
        return False
    if CL[v1, L[v1] + 1] - dem[u] + dem[w] > cap[v1]:
        return False
    if CL[v2, L[v2] + 1] - dem[w] + dem[u] > cap[v2]:
        return False
    if has_allow and not (allow[u, v2] and allow[w, v1]):
        return False
    t = FW[v1, i - 1] + T[p1, w]
    if t < A[w]:
        t = A[w]
    if t > B[w] or t + T[w, n1] > BW[v1, i + 1]:
        return False
    t = FW[v2, j - 1] + T[p2, u]
    if t < A[u]:
        t = A[u]
    return t <= B[u] and t + T[u, n2] <= BW[v2, j + 1]


@njit(cache=True)
def _swap(P, S, u, w):
    R, rt, ps = S[0], S[5], S[6]
    v1, i, v2, j = rt[u], ps[u], rt[w], ps[w]
    R[v1, i] = w
    R[v2, j] = u
    refresh(P, S, v1)
    refresh(P, S, v2)
    return True


@njit(cache=True)
def local_search(P, S, neigh, customers, lastmod, lasttest, stamp, buf, buf2):
    """Apply improving moves until none is left; return the updated change counter."""
    C, T, A, B, dem, cap, vs, ve, e0, l1, pen, allow, fixed, has_allow, sym, alike = P
    R, L, FW, BW, CL, rt, ps, rc, CC = S

    def move_ok(u, n, v, j):  # numba inlines this closure
        return _move_ok(
            C, T, A, B, dem, cap, allow, fixed, has_allow, R, L, FW, BW, CL, rt, ps, u, n, v, j
        )

    def tail_ok(v1, i, v2, j):
        return tails_ok(C, T, cap, ve, l1, fixed, has_allow, R, L, FW, BW, CL, rc, CC, v1, i, v2, j)

    order = customers.copy()
    improved = True
    passes = 0
    while improved and passes < MAX_PASSES:
        passes += 1
        improved = False
        np.random.shuffle(order)
        for u in order:
            before = stamp
            if rt[u] == -1 or pen[u] >= 0:
                v = optional(P, S, u)
                if v >= 0:
                    stamp += 1
                    lastmod[v] = stamp
                    improved = True
                if rt[u] == -1:
                    lasttest[u] = before
                    continue
            for w in neigh[u]:
                if rt[u] == -1:
                    break
                if rt[w] < 0:
                    continue
                v1, v2 = rt[u], rt[w]
                if lastmod[v1] <= lasttest[u] and lastmod[v2] <= lasttest[u]:
                    continue
                moved = False
                for n in range(1, 4):
                    for j in (ps[w], ps[w] - 1):
                        kind = move_ok(u, n, v2, j)
                        if kind and _move(P, S, kind, u, n, v2, j, buf, buf2):
                            moved = True
                            break
                    if moved:
                        break
                if not moved and v1 == v2 and sym:
                    moved = _reverse(P, S, u, w, buf)
                if not moved and _swap_ok(
                    C, T, A, B, dem, cap, allow, has_allow, R, L, FW, BW, CL, rt, ps, u, w
                ):
                    moved = _swap(P, S, u, w)
                if not moved and v1 != v2:
                    for i, j in ((ps[u], ps[w] - 1), (ps[u] - 1, ps[w])):
                        kind = tail_ok(v1, i, v2, j)
                        if kind and tails(P, S, kind, v1, i, v2, j, buf, buf2):
                            moved = True
                            break
                if moved:
                    stamp += 1
                    lastmod[v1] = stamp
                    lastmod[v2] = stamp
                    improved = True
            if rt[u] >= 0:
                for v in range(L.shape[0]):  # a route of its own, in any free car
                    if L[v] == 0:
                        v1 = rt[u]
                        kind = move_ok(u, 1, v, 0)
                        if kind and _move(P, S, kind, u, 1, v, 0, buf, buf2):
                            stamp += 1
                            lastmod[v1] = stamp
                            lastmod[v] = stamp
                            improved = True
                            break
            lasttest[u] = before
        if not improved and not alike:
            # Cars differ in home, size or hours: hand whole routes from one to another.
            for v1 in range(L.shape[0]):
                for v2 in range(v1 + 1, L.shape[0]):
                    if L[v1] + L[v2] > 0:
                        kind = tail_ok(v1, 0, v2, 0)
                        if kind and tails(P, S, kind, v1, 0, v2, 0, buf, buf2):
                            stamp += 1
                            lastmod[v1] = stamp
                            lastmod[v2] = stamp
                            improved = True
    return stamp
