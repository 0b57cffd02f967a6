"""Pure: a roster of volunteers as numpy columns, so one need's suggestions among tens of
thousands are fast. It applies exactly the rules of `aid.matching_rules` (refusals, score),
to every volunteer at once; tests/test_matching.py holds the two to the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import attrgetter, methodcaller

import numpy as np

from aid.matching_rules import (
    COURT,
    EARTH_RADIUS_KM,
    EXPERIENCED,
    FAIR,
    KM,
    KNOWS,
    NEW_LOW_RISK,
    NEW_VOLUNTEER,
    RISK,
    SPEAKS,
    Need,
    Volunteer,
    placed,
)

__all__ = ["EAGER_FROM", "SET_FIELDS", "Roster"]

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
        if placed(n):
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
