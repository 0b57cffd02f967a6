"""Pure: rank volunteers for a task and assign a day's tasks at once (no Flask, no models).

The app builds `Volunteer` and `Need` records from the database and calls `suggest` for the
dispatcher's matching screen or `assign_all` for "Assign all". `refusals` and `score` are the
rules written for one pair, plainly; `Roster` applies the very same rules to every volunteer
at once with numpy, which is what keeps one task's suggestions among 30,000 volunteers fast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter, methodcaller

import numpy as np

from aid.matching_flow import best, cheapest, cover

__all__ = ["Assignment", "Need", "Roster", "Suggestion", "Volunteer", "assign_all",
           "haversine_km", "refusals", "score", "suggest"]

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), as geopy and aid.routing use
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180 * (1 - 1e-9)  # of latitude, a hair under
COURT = "court"

# Preference weights, in kilometres of travel they are worth (lower cost is better).
KM = 1.0  # each km between the volunteer's ZIP centroid and the door: time, fuel, exposure
KNOWS = 3.0  # a face the household already knows: a family in hiding opens the door to them
SPEAKS = 2.0  # speaking the household's language where it is not required: they can talk
FAIR = 3.0  # times load / weekly_limit: spread the work so nobody burns out or drifts away
RISK = 5.0  # times the missing share of EXPERIENCED tasks, on higher-risk needs (court)
EXPERIENCED = 10  # completed tasks after which a volunteer counts as experienced
NEW_VOLUNTEER = 3  # fewer completed tasks than this: a new volunteer
NEW_LOW_RISK = 0.5  # a small pull of new volunteers towards ordinary tasks to learn on

MAX_ARCS = 1_000_000  # "Assign all" solves the whole network up to this many pairs (~1 s, 200 MB)


@dataclass(frozen=True)
class Volunteer:
    """What matching knows of a volunteer: what, where, when and how much they will do."""

    id: int
    tier: int  # 0 new, 1 vetted, 2 trusted
    skills: frozenset[str]  # deliver, translate_in_person, translate_remote, court, pack
    languages: frozenset[str]  # interface language codes: "es", "so", "fa_AF", "hmn"
    slots: frozenset[int]  # weekslots available: weekday * 3 + slot (Mon = 0; morning = 0)
    lat: float | None  # their home ZIP's centroid (approximate); None: unknown
    lon: float | None
    max_km: float  # how far they will go
    boxes: int  # boxes they can carry
    weekly_limit: int  # tasks per week they accept
    load: int = 0  # tasks they already hold this week
    active: bool = True  # approved and not paused
    knows: frozenset[int] = frozenset()  # household ids they have helped before
    done_count: int = 0  # tasks completed so far
    enters_courts: bool = False  # willing to enter courts and immigration offices
    busy: frozenset[int] = frozenset()  # weekslots in which they already hold a task


@dataclass(frozen=True)
class Need:
    """An open task as matching sees it: what it takes, whose language, when and where."""

    id: int
    skill: str
    min_tier: int
    language: str | None  # the household's language
    needs_language: bool  # the holder must speak it; otherwise a preference
    weekslot: int | None  # None: any time that day (remote work)
    lat: float | None  # None: no place (remote work), distance does not apply
    lon: float | None
    boxes: int = 0
    household_id: int | None = None
    risk: int = 0  # 0 ordinary, 1 higher (court, immigration office)
    priority: int = 1  # 0 low .. 3 urgent


@dataclass(frozen=True)
class Suggestion:
    """One eligible volunteer for a need, its cost (lower is better) and why."""

    volunteer_id: int
    cost: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """An optimal "Assign all": (need_id, volunteer_id) pairs, needs left out, total cost."""

    pairs: tuple[tuple[int, int], ...]
    unassigned: tuple[int, ...]
    cost: float
    exact: bool = True  # False when pruning to the k cheapest arcs may have cost optimality


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _placed(x: Volunteer | Need) -> bool:
    return x.lat is not None and x.lon is not None


def refusals(v: Volunteer, n: Need) -> list[str]:
    """The hard rules that keep v from n, as codes; an empty list means v may take n."""
    out = []
    if not v.active:
        out.append("inactive")
    if n.skill not in v.skills:
        out.append("kind")
    if v.tier < n.min_tier:
        out.append("tier")
    if n.needs_language and n.language is not None and n.language not in v.languages:
        out.append("language")
    if n.weekslot is not None and n.weekslot not in v.slots:
        out.append("availability")
    if n.weekslot is not None and n.weekslot in v.busy:
        out.append("busy")
    if _placed(n) and (not _placed(v) or haversine_km(v.lat, v.lon, n.lat, n.lon) > v.max_km):
        out.append("distance")
    if n.boxes > v.boxes:
        out.append("boxes")
    if v.load >= v.weekly_limit:
        out.append("weekly_limit")
    if n.skill == COURT and not v.enters_courts:
        out.append("courts")
    return out


def score(v: Volunteer, n: Need) -> tuple[float, list[str]]:
    """Cost of v doing n (lower is better) and the preferences behind it, for eligible pairs.

    In km-equivalents: + KM per km from the volunteer's ZIP centroid (nearness; remote work
    has none); - KNOWS if they have helped this household (trust: the door opens); - SPEAKS
    if they speak its language where that is only a preference; + FAIR * load / weekly_limit
    (a fair spread: at equal distance the less loaded goes first); on a higher-risk need
    + RISK * (1 - done / EXPERIENCED) so experienced volunteers go first, and on an ordinary
    need - NEW_LOW_RISK for a new volunteer, who then learns where little can go wrong.
    Reasons: "near:1.2", "knows_household", "speaks_language", "fair:load 2 of 5",
    "experienced" or "experience:4 of 10", "new_volunteer_low_risk".
    """
    cost, reasons = 0.0, []
    if _placed(n) and _placed(v):
        km = haversine_km(v.lat, v.lon, n.lat, n.lon)
        cost += KM * km
        reasons.append(f"near:{km:.1f}")
    if n.household_id is not None and n.household_id in v.knows:
        cost -= KNOWS
        reasons.append("knows_household")
    if n.language is not None and not n.needs_language and n.language in v.languages:
        cost -= SPEAKS
        reasons.append("speaks_language")
    cost += FAIR * v.load / max(v.weekly_limit, 1)
    reasons.append(f"fair:load {v.load} of {v.weekly_limit}")
    if n.risk > 0:
        cost += RISK * (1 - min(v.done_count, EXPERIENCED) / EXPERIENCED)
        reasons.append("experienced" if v.done_count >= EXPERIENCED
                       else f"experience:{v.done_count} of {EXPERIENCED}")
    elif v.done_count < NEW_VOLUNTEER:
        cost -= NEW_LOW_RISK
        reasons.append("new_volunteer_low_risk")
    return cost, reasons


# Set-valued fields a Roster turns into columns, all at once from this many volunteers (a
# roster kept for a day); smaller ones (one need's pre-filtered few) build them on first use.
SET_FIELDS = ("skills", "languages", "slots", "busy")
EAGER_FROM = 2000


class Roster:
    """Volunteers as numpy columns, built once and reused for every need (same rules, at once).

    Set-valued fields become one boolean column per value asked for (a skill, a weekslot, a
    language), made on first use; the household a volunteer knows goes through an index.
    """

    def __init__(self, volunteers: Sequence[Volunteer], eager: bool | None = None) -> None:
        self.volunteers = vs = tuple(volunteers)
        self.size = len(vs)
        self.eager = self.size >= EAGER_FROM if eager is None else eager

        def column(name: str, dtype: type) -> np.ndarray:
            return np.fromiter(map(attrgetter(name), vs), dtype, self.size)

        self.ids = column("id", np.int64)
        self.ok = column("active", bool) & (column("load", np.int64) < column("weekly_limit",
                                                                             np.int64))
        self.tier, self.boxes = column("tier", np.int64), column("boxes", np.int64)
        self.max_km, self.done = column("max_km", np.float64), column("done_count", np.int64)
        self.load, self.limit = column("load", np.int64), column("weekly_limit", np.int64)
        self.courts = column("enters_courts", bool)
        lat = np.radians(np.array(list(map(attrgetter("lat"), vs)), dtype=np.float64))
        lon = np.radians(np.array(list(map(attrgetter("lon"), vs)), dtype=np.float64))
        self.lat, self.lon, self.cos_lat = lat, lon, np.cos(lat)  # nan where unknown
        self._columns: dict[tuple[str, object], np.ndarray] = {}
        self._knows: tuple[np.ndarray, np.ndarray] | None = None  # households, sorted; who
        if self.eager:
            self._index_sets()

    def _index_sets(self) -> None:
        """Every column of the set fields at once, in one pass over the volunteers: a kept
        roster then answers each task's suggestions without first building the columns of a
        language or a weekslot it has not met yet (tens of milliseconds each at city size)."""
        for field in SET_FIELDS:
            where: dict[object, list[int]] = {}
            for i, values in enumerate(map(attrgetter(field), self.volunteers)):
                for value in values:
                    where.setdefault(value, []).append(i)
            for value, rows in where.items():
                column = np.zeros(self.size, bool)
                column[rows] = True
                self._columns[(field, value)] = column

    def has(self, field: str, value: object) -> np.ndarray:
        """Boolean column: which volunteers have `value` in their set `field`."""
        key = (field, value)
        if key not in self._columns:
            if field in SET_FIELDS and self.eager:  # all indexed: nobody has this value
                return np.zeros(self.size, bool)
            sets = map(attrgetter(field), self.volunteers)
            self._columns[key] = np.fromiter(map(methodcaller("__contains__", value), sets),
                                             bool, self.size)
        return self._columns[key]

    def knowing(self, household_id: int) -> np.ndarray:
        """Indexes of the volunteers who have helped this household before."""
        if self._knows is None:
            pairs = [(h, i) for i, v in enumerate(self.volunteers) if v.knows for h in v.knows]
            known = np.array(pairs, dtype=np.int64).reshape(-1, 2)
            known = known[np.argsort(known[:, 0], kind="stable")]
            self._knows = known[:, 0], known[:, 1]
        households, who = self._knows
        lo, hi = np.searchsorted(households, [household_id, household_id + 1])
        return who[lo:hi]

    def candidates(self, n: Need) -> tuple[np.ndarray, np.ndarray]:
        """Indexes of the volunteers `refusals` lets take n, and their `score` costs."""
        ok = self.ok & (self.tier >= n.min_tier) & (self.boxes >= n.boxes)
        ok &= self.has("skills", n.skill)
        if n.needs_language and n.language is not None:
            ok &= self.has("languages", n.language)
        if n.weekslot is not None:
            ok &= self.has("slots", n.weekslot) & ~self.has("busy", n.weekslot)
        if n.skill == COURT:
            ok &= self.courts
        idx = np.flatnonzero(ok)
        cost = np.zeros(len(idx))
        if _placed(n):
            p, lam = math.radians(n.lat), math.radians(n.lon)
            h = (np.sin((p - self.lat[idx]) / 2) ** 2 + self.cos_lat[idx] * math.cos(p)
                 * np.sin((lam - self.lon[idx]) / 2) ** 2)
            km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            near = km <= self.max_km[idx]  # an unknown point is nan: never near
            idx, cost = idx[near], KM * km[near]
        if n.household_id is not None:
            cost -= KNOWS * np.isin(idx, self.knowing(n.household_id))
        if n.language is not None and not n.needs_language:
            cost -= SPEAKS * self.has("languages", n.language)[idx]
        cost += FAIR * self.load[idx] / np.maximum(self.limit[idx], 1)
        if n.risk > 0:
            cost += RISK * (1 - np.minimum(self.done[idx], EXPERIENCED) / EXPERIENCED)
        else:
            cost -= NEW_LOW_RISK * (self.done[idx] < NEW_VOLUNTEER)
        return idx, cost


def _plausible(n: Need, volunteers: Sequence[Volunteer]) -> list[Volunteer]:
    """The volunteers the cheapest rules (kind, weekslot, latitude, tier, active) let through.

    A plain-Python pre-filter so that one need's suggestions build columns only for the few
    who could take it; it only drops volunteers `refusals` refuses, the Roster decides. The
    latitude gap alone is a lower bound of the great-circle distance.
    """
    skill, tier, slot, lat = n.skill, n.min_tier, n.weekslot, n.lat
    if not _placed(n):
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
