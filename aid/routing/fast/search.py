"""Iterated local search on the route arrays: ruin strings of nearby routes (SISR-style),
recreate by cheapest insertion with blinks, descend with the granular local search, accept
by record-to-record travel, keep the best. Runs a given number of rounds per call, so the
caller keeps the clock (numba code cannot read it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from aid.routing.fast.insert import best_insertion
from aid.routing.fast.moves import local_search
from aid.routing.fast.routes import refresh, total


@njit(cache=True)
def _ruin(P, S, neigh, max_strings, max_len, removed):
    """Cut strings of visits out of routes near a random visit; return how many."""
    R, L, rt, ps = S[0], S[1], S[5], S[6]
    served = 0
    for u in range(rt.shape[0]):
        if rt[u] >= 0:
            served += 1
    if served == 0:
        return 0
    pick = np.random.randint(served)
    seed = -1
    for u in range(rt.shape[0]):
        if rt[u] >= 0:
            if pick == 0:
                seed = u
                break
            pick -= 1
    strings = np.random.randint(1, max_strings + 1)
    done = np.zeros(L.shape[0], dtype=np.bool_)
    count = 0
    k = -1
    while strings > 0 and k < neigh.shape[1]:
        w = seed if k < 0 else neigh[seed, k]
        k += 1
        if rt[w] < 0 or done[rt[w]]:
            continue
        v = rt[w]
        done[v] = True
        strings -= 1
        length = min(L[v], np.random.randint(1, max_len + 1))
        lo = max(1, ps[w] - np.random.randint(length))
        hi = min(L[v], lo + length - 1)
        lo = hi - length + 1
        for i in range(lo, hi + 1):
            removed[count] = R[v, i]
            rt[R[v, i]] = -1
            count += 1
        gap = hi - lo + 1
        for i in range(lo, L[v] + 2 - gap):
            R[v, i] = R[v, i + gap]
        L[v] -= gap
        refresh(P, S, v)
    return count


@njit(cache=True)
def _recreate(P, S, removed, count, blink, lastmod, stamp):
    """Insert the removed visits, in random order, each where it costs least."""
    R, L, pen = S[0], S[1], P[10]
    order = removed[:count].copy()
    np.random.shuffle(order)
    for u in order:
        v, j, add = best_insertion(P, S, u, blink)
        if v < 0 or (pen[u] >= 0 and add >= pen[u]):
            continue
        for k in range(L[v] + 1, j, -1):
            R[v, k + 1] = R[v, k]
        R[v, j + 1] = u
        L[v] += 1
        refresh(P, S, v)
        stamp += 1
        lastmod[v] = stamp
    return stamp


@njit(cache=True)
def rounds(P, S, best_R, best_L, neigh, customers, work, n, threshold, max_strings, max_len):
    """n ruin-recreate-descend rounds from the current state; S becomes the accepted state,
    best_R/best_L the best seen. work = (lastmod, lasttest, keep_R, keep_L, removed, buf,
    buf2, counters[stamp, current cost, best cost])."""
    lastmod, lasttest, keep_R, keep_L, removed, buf, buf2, counters = work
    R, L = S[0], S[1]
    for _ in range(n):
        keep_R[:, :] = R
        keep_L[:] = L
        begun = counters[0]
        count = _ruin(P, S, neigh, max_strings, max_len, removed)
        stamp = counters[0] + 1
        for v in range(L.shape[0]):
            if L[v] != keep_L[v]:
                lastmod[v] = stamp
        stamp = _recreate(P, S, removed, count, 0.01, lastmod, stamp)
        stamp = local_search(P, S, neigh, customers, lastmod, lasttest, stamp, buf, buf2)
        counters[0] = stamp
        if not _on_time(P, S, lastmod, begun):
            # A cut can make a route late where travel times break the triangle
            # inequality (road matrices): such a round is never kept.
            _restore(P, S, keep_R, keep_L, lastmod, begun, counters)
            continue
        cost = total(P, S)
        if cost < counters[2]:
            counters[2] = cost
            best_R[:, :] = R
            best_L[:] = L
        if cost <= counters[1] or cost < counters[2] + threshold:
            counters[1] = cost
        else:
            _restore(P, S, keep_R, keep_L, lastmod, begun, counters)


@njit(cache=True)
def _restore(P, S, keep_R, keep_L, lastmod, begun, counters):
    """Put back the routes a rejected round changed (those stamped after it began)."""
    R, L, rt = S[0], S[1], S[5]
    stamp = counters[0] + 1
    for v in range(L.shape[0]):
        if lastmod[v] > begun:
            for k in range(1, L[v] + 1):
                rt[R[v, k]] = -1
    for v in range(L.shape[0]):
        if lastmod[v] > begun:
            L[v] = keep_L[v]
            for k in range(L[v] + 2):
                R[v, k] = keep_R[v, k]
            refresh(P, S, v)
            lastmod[v] = stamp
    counters[0] = stamp


@njit(cache=True)
def _on_time(P, S, lastmod, begun):
    """Whether every route changed since `begun` keeps its windows and return time."""
    B, l1 = P[3], P[9]
    R, L, FW = S[0], S[1], S[2]
    for v in range(L.shape[0]):
        if lastmod[v] > begun:
            for k in range(1, L[v] + 1):
                if FW[v, k] > B[R[v, k]]:
                    return False
            if FW[v, L[v] + 1] > l1[v]:
                return False
    return True
