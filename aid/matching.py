"""Pure: rank volunteers for a task and assign a day's tasks at once (no Flask, no models).

The app builds `Volunteer` and `Need` records from the database and calls `suggest` for the
dispatcher's matching screen or `assign_all` for "Assign all". `refusals` and `score` are the
rules written for one pair, plainly; `Roster` applies the very same rules to every volunteer
at once with numpy, which is what keeps one task's suggestions among 30,000 volunteers fast.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aid.matching_flow import best, cheapest, cover
from aid.matching_roster import Roster
from aid.matching_rules import (
    KM_PER_DEGREE,
    Assignment,
    Need,
    Suggestion,
    Volunteer,
    haversine_km,
    placed,
    refusals,
    score,
)

__all__ = ["Assignment", "Need", "Roster", "Suggestion", "Volunteer", "assign_all",
           "haversine_km", "refusals", "score", "suggest"]

MAX_ARCS = 1_000_000  # "Assign all" solves the whole network up to this many pairs (~1 s, 200 MB)


def _plausible(n: Need, volunteers: Sequence[Volunteer]) -> list[Volunteer]:
    """The volunteers the cheapest rules (kind, weekslot, latitude, tier, active) let through.

    A plain-Python pre-filter so that one need's suggestions build columns only for the few
    who could take it; it only drops volunteers `refusals` refuses, the Roster decides. The
    latitude gap alone is a lower bound of the great-circle distance.
    """
    skill, tier, slot, lat = n.skill, n.min_tier, n.weekslot, n.lat
    if not placed(n):
        lat = None
    return [v for v in volunteers if skill in v.skills and (slot is None or slot in v.slots)
            and (lat is None or (v.lat is not None and abs(v.lat - lat) * KM_PER_DEGREE
                                 <= v.max_km)) and v.tier >= tier and v.active]


def suggest(n: Need, volunteers: Sequence[Volunteer] | Roster, limit: int = 10
            ) -> list[Suggestion]:
    """The `limit` best eligible volunteers for n, best first, each with its reasons.

    Pass a `Roster` to reuse its columns across needs (the dispatcher's list of open tasks).
    """
    if limit <= 0:
        return []
    roster = volunteers if isinstance(volunteers, Roster) else Roster(_plausible(n, volunteers))
    idx, cost = roster.candidates(n)
    out = []
    for i in idx[best(roster.ids[idx], cost, limit)]:
        v = roster.volunteers[i]
        c, reasons = score(v, n)
        out.append(Suggestion(v.id, round(c, 6), tuple(reasons)))
    return out


def assign_all(needs: Sequence[Need], volunteers: Sequence[Volunteer] | Roster,
               k: int = 50, max_arcs: int | None = MAX_ARCS) -> Assignment:
    """One optimal assignment of needs to volunteers, for the dispatcher to review.

    Covers the most needs it can, dropping low priority first, then minimises the summed
    `score`; a volunteer takes at most weekly_limit - load needs and one per weekslot.
    Each need keeps its len(needs) cheapest eligible volunteers, which loses nothing: a need
    sent further has, among those, one the other needs cannot all block. If more than
    `max_arcs` pairs remain, only a need's k cheapest volunteers and a volunteer's k cheapest
    and k most urgent needs stay (`exact` is then False; benchmarks/matching_bench.py
    measures the gap).
    """
    roster = volunteers if isinstance(volunteers, Roster) else Roster(volunteers)
    if len({n.id for n in needs}) != len(needs) or len(set(roster.ids.tolist())) != roster.size:
        raise ValueError("need and volunteer ids must be unique")
    if k < 1:
        raise ValueError("k must be at least 1")
    arc_need, arc_vol, arc_cost = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for i, n in enumerate(needs):
        idx, cost = roster.candidates(n)
        keep = best(roster.ids[idx], cost, len(needs))
        arc_need.append(np.full(len(keep), i, dtype=np.int64))
        arc_vol.append(idx[keep])
        arc_cost.append(cost[keep])
    need_of, vol_of, cost_of = map(np.concatenate, (arc_need, arc_vol, arc_cost))
    priority = np.array([n.priority for n in needs], dtype=np.int64)
    exact = max_arcs is None or len(need_of) <= max_arcs
    if not exact:
        kept = cheapest(need_of, vol_of, cost_of, k, priority)
        need_of, vol_of, cost_of = need_of[kept], vol_of[kept], cost_of[kept]
    chosen = cover(len(needs), priority,
                   np.array([-1 if n.weekslot is None else n.weekslot for n in needs]),
                   need_of, vol_of, cost_of, roster.limit - roster.load)
    got = {int(need_of[a]): int(roster.ids[vol_of[a]]) for a in np.flatnonzero(chosen)}
    return Assignment(
        pairs=tuple(sorted((needs[i].id, vid) for i, vid in got.items())),
        unassigned=tuple(sorted(n.id for i, n in enumerate(needs) if i not in got)),
        cost=float(cost_of[chosen].sum()),
        exact=exact,
    )
