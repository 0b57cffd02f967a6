"""Exchanging the ends of two routes (2-opt*): priced exactly in constant time from each
route's arc costs up to every position, its own end included, then checked from forward and
backward times where both cars end at the same place and time, walked otherwise."""

from __future__ import annotations

from numba import njit

from aid.routing.fast.routes import set_route, walk


@njit(cache=True, inline="always")
def tails_ok(C, T, cap, ve, l1, fixed, has_allow, R, L, FW, BW, CL, rc, CC, v1, i, v2, j):
    """1: exchanging the parts after position i of v1 and j of v2 (2-opt*) is valid and
    cheaper; 2: cheaper, the times to be walked (other end or restricted visits); 0: no.
    Priced exactly from the arc costs up to each position, each car's own end included."""
    L1, L2 = L[v1], L[v2]
    a1, a2, e1, e2 = R[v1, i], R[v2, j], R[v1, L1 + 1], R[v2, L2 + 1]
    cost1 = CC[v1, i] + (
        C[a1, R[v2, j + 1]] + CC[v2, L2] - CC[v2, j + 1] + C[R[v2, L2], e1] if j < L2 else C[a1, e1]
    )
    cost2 = CC[v2, j] + (
        C[a2, R[v1, i + 1]] + CC[v1, L1] - CC[v1, i + 1] + C[R[v1, L1], e2] if i < L1 else C[a2, e2]
    )
    cost1 = cost1 + fixed if i + L2 - j > 0 else 0  # an unused car costs nothing
    cost2 = cost2 + fixed if j + L1 - i > 0 else 0
    if cost1 + cost2 >= rc[v1] + rc[v2]:
        return 0
    if CL[v1, i] + CL[v2, L2 + 1] - CL[v2, j] > cap[v1]:
        return 0
    if CL[v2, j] + CL[v1, L1 + 1] - CL[v1, i] > cap[v2]:
        return 0
    if e1 != e2 or l1[v1] != l1[v2] or has_allow:
        return 2
    b1, b2 = R[v1, i + 1], R[v2, j + 1]
    if FW[v1, i] + T[a1, b2] > BW[v2, j + 1] or FW[v2, j] + T[a2, b1] > BW[v1, i + 1]:
        return 0
    return 1


@njit(cache=True)
def tails(P, S, kind, v1, i, v2, j, buf, buf2):
    """Apply a tails exchange tails_ok found; False if a walked route breaks a rule."""
    R, L, rc = S[0], S[1], S[7]
    m1 = _splice(R, L, v1, i, v2, j, buf)
    m2 = _splice(R, L, v2, j, v1, i, buf2)
    if kind == 2:
        c1 = walk(P, v1, buf, m1)
        if c1 < 0:
            return False
        c2 = walk(P, v2, buf2, m2)
        if c2 < 0 or c1 + c2 >= rc[v1] + rc[v2]:
            return False
    set_route(P, S, v1, buf, m1)
    set_route(P, S, v2, buf2, m2)
    return True


@njit(cache=True)
def _splice(R, L, va, i, vb, j, out):
    """Write va's route up to position i, then vb's visits after position j, then va's end
    into out; return the length."""
    m = 0
    for k in range(i + 1):
        out[m] = R[va, k]
        m += 1
    for k in range(j + 1, L[vb] + 1):
        out[m] = R[vb, k]
        m += 1
    out[m] = R[va, L[va] + 1]
    return m + 1
