"""Pure: the matching rules for one volunteer and one need (no Flask, no models, no numpy).

`refusals` are the hard rules that keep a volunteer from a task, `score` the preferences that
rank the eligible ones; `aid.matching_roster.Roster` applies these very rules to a whole roster
at once, and `aid.matching` is the front door (suggest, assign_all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Assignment", "Need", "Suggestion", "Volunteer", "haversine_km", "placed", "refusals",
           "score"]

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


def placed(x: Volunteer | Need) -> bool:
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
    if placed(n) and (not placed(v) or haversine_km(v.lat, v.lon, n.lat, n.lon) > v.max_km):
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
    if placed(n) and placed(v):
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
