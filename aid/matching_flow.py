"""Pure: the min-cost flow behind "Assign all", on plain arrays (no Flask, no models).

The network, for needs i, volunteers v and weekslots s:

    need i --(1, cost of i with v)--> slot node (v, s) --(1, 0)--> volunteer v --(capacity)--> sink
    need i --(1, penalty by priority)---------------------------------------------------------> sink

Each need supplies one unit and the sink absorbs them all, so every need is either covered
or pays its penalty. The slot node lets a volunteer take at most one need per weekslot; it is
only built where two or more needs of that slot compete for a volunteer who may take two or
more, since elsewhere the arc's own capacity already says it. Needs without a weekslot
(remote work) go straight to the volunteer.

The penalty of leaving need i out is (priority_i + 1) * BIG with BIG larger than any total
of arc costs, so the flow first covers as much priority weight as it can and only then
minimises cost. The needs a flow can cover together form a matroid (a gammoid), so the
largest-weight set is also a largest set, and it is the same set for every increasing weight
of priority: most needs covered, urgent ones kept first, then the cheapest such assignment.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["COST_SCALE", "best", "cheapest", "cover"]

COST_SCALE = 1000  # float costs become integer thousandths (1 m when the unit is a km)


def cover(
    n_needs: int,
    priority: np.ndarray,
    need_slot: np.ndarray,
    arc_need: np.ndarray,
    arc_vol: np.ndarray,
    arc_cost: np.ndarray,
    capacity: np.ndarray,
) -> np.ndarray:
    """Return a boolean array over the arcs: the ones an optimal assignment uses.

    priority[i] >= 0 and need_slot[i] (-1: none) describe need i; arc k lets need arc_need[k]
    go to volunteer arc_vol[k] at float cost arc_cost[k]; capacity[v] caps volunteer v.
    """
    arc_need = np.asarray(arc_need, dtype=np.int64)
    arc_vol = np.asarray(arc_vol, dtype=np.int64)
    n_arcs = len(arc_need)
    if n_needs == 0 or n_arcs == 0:
        return np.zeros(n_arcs, dtype=bool)
    cost = np.rint(np.asarray(arc_cost, dtype=np.float64) * COST_SCALE).astype(np.int64)
    cost -= cost.min()  # non-negative; every covered need shifts by the same amount
    big = n_needs * int(cost.max()) + 1
    weight = np.maximum(np.asarray(priority, dtype=np.int64), 0) + 1

    # Only volunteers that some arc reaches become nodes: needs, then volunteers, then slots.
    vols, vol_of_arc = np.unique(arc_vol, return_inverse=True)
    vol_node = n_needs + vol_of_arc
    cap = np.maximum(np.asarray(capacity, dtype=np.int64)[vols], 0)
    slot = np.asarray(need_slot, dtype=np.int64)[arc_need]

    # A slot node where two or more arcs share (volunteer, slot) and the volunteer may take 2+.
    head = vol_node.copy()
    timed = np.flatnonzero((slot >= 0) & (cap[vol_of_arc] >= 2))
    extra_tail = extra_head = np.zeros(0, dtype=np.int64)
    if len(timed):
        key = vol_of_arc[timed] * (int(slot.max()) + 1) + slot[timed]
        groups, group_of, counts = np.unique(key, return_inverse=True, return_counts=True)
        shared = counts[group_of] >= 2
        first_slot_node = n_needs + len(vols)
        shared_groups = np.flatnonzero(counts >= 2)
        node_of_group = np.full(len(groups), -1, dtype=np.int64)
        node_of_group[shared_groups] = first_slot_node + np.arange(len(shared_groups))
        head[timed[shared]] = node_of_group[group_of[shared]]
        extra_tail = node_of_group[shared_groups]
        extra_head = n_needs + groups[shared_groups] // (int(slot.max()) + 1)
    sink = n_needs + len(vols) + len(extra_tail)

    needs = np.arange(n_needs, dtype=np.int64)
    tails = np.concatenate([arc_need, needs, extra_tail, n_needs + np.arange(len(vols))])
    heads = np.concatenate([head, np.full(n_needs, sink), extra_head, np.full(len(vols), sink)])
    caps = np.concatenate([np.ones(n_arcs + n_needs + len(extra_tail), np.int64), cap])
    costs = np.concatenate([cost, weight * big, np.zeros(len(extra_tail) + len(vols), np.int64)])

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    flow.set_nodes_supplies(np.r_[needs, sink].astype(np.int32),
                            np.r_[np.ones(n_needs, np.int64), -n_needs])
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return np.asarray(flow.flows(np.asarray(arcs[:n_arcs], dtype=np.int32))) > 0


def _ranks(group: np.ndarray, other: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Each arc's rank by cost (in COST_SCALE units) among the arcs of its group (0: cheapest).

    Equal costs are ordered by a hash of (group, other) that differs from group to group, so
    that when many volunteers look alike (remote work) each need keeps different ones. One
    int64 key (group, cost, hash) sorts in a fraction of a lexsort's time.
    """
    c = np.rint(cost * COST_SCALE).astype(np.int64)
    c -= c.min()
    gbits, cbits = int(group.max()).bit_length(), int(c.max()).bit_length()
    hbits = max(0, 63 - gbits - cbits)
    mix = (group.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
           ^ other.astype(np.uint64) * np.uint64(0xBF58476D1CE4E5B9))
    if hbits:
        key = (group << (cbits + hbits)) | (c << hbits) | (mix >> np.uint64(64 - hbits)).astype(
            np.int64)
        order = np.argsort(key)
    else:  # too many groups or too wide a cost range for one key
        order = np.lexsort((mix, c, group))
    g = group[order]
    start = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - np.repeat(start, np.diff(np.r_[start, len(group)]))
    return rank


def cheapest(arc_need: np.ndarray, arc_vol: np.ndarray, arc_cost: np.ndarray, k: int,
             priority: np.ndarray) -> np.ndarray:
    """Boolean mask of the arcs worth keeping when the network is too big to solve whole.

    An arc stays if it is among its need's k cheapest, its volunteer's k cheapest, or its
    volunteer's k most urgent needs (cheapest first). The need's side alone fails: the
    volunteers near dense neighbourhoods (or all of them, for remote work) are every need's
    favourites and the rest of the roster drops out; the volunteer's side by urgency keeps
    urgent needs from losing to cheap ones, as the flow's penalties would have it.
    """
    need, vol = np.asarray(arc_need, dtype=np.int64), np.asarray(arc_vol, dtype=np.int64)
    if len(need) == 0:
        return np.zeros(0, dtype=bool)
    cost = np.asarray(arc_cost, dtype=np.float64)
    urgency = cost - np.asarray(priority, dtype=np.float64)[need] * (np.ptp(cost) + 1.0)
    return ((_ranks(need, vol, cost) < k) | (_ranks(vol, need, cost) < k)
            | (_ranks(vol, need, urgency) < k))


def best(ids: np.ndarray, cost: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k cheapest entries, cheapest first, ties broken by the smaller id."""
    keep = np.arange(len(cost))
    if len(cost) > k:
        keep = np.flatnonzero(cost <= np.partition(cost, k - 1)[k - 1])
    return keep[np.lexsort((ids[keep], cost[keep]))][:k]
