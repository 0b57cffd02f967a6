"""Generate a synthetic city delivery day (no real people or addresses) for demos and benchmarks.

Households cluster in neighbourhoods around an arbitrary centre; windows are 2-3 hours,
cars carry a few dozen boxes at most, some stops need a driver who speaks a language.
"""

from __future__ import annotations

import random

from aid.routing.problem import Depot, Problem, Stop, Vehicle

__all__ = ["city_day"]

H = 3600
LANGUAGES = ("so", "es", "ar", "hmn")  # needed by a few stops, spoken by some drivers


def city_day(
    stops: int = 1000,
    drivers: int = 60,
    depots: int = 3,
    *,
    seed: int = 1,
    centre: tuple[float, float] = (41.0, -87.0),
    radius_deg: float = 0.12,
    capacity: tuple[int, int] = (18, 30),
) -> Problem:
    """A reproducible day: `stops` households, `drivers` cars, `depots` pantries, for `seed`."""
    rng = random.Random(seed)
    lat0, lon0 = centre

    def around(lat: float, lon: float, spread: float) -> tuple[float, float]:
        return lat + rng.gauss(0.0, spread), lon + rng.gauss(0.0, spread * 1.3)

    hoods = [around(lat0, lon0, radius_deg * 0.6) for _ in range(max(3, stops // 40))]
    pantries = [
        Depot(f"pantry-{k + 1}", *around(lat0, lon0, radius_deg * 0.4), opens=8 * H, closes=19 * H)
        for k in range(depots)
    ]
    day_stops = []
    for i in range(stops):
        lat, lon = around(*rng.choice(hoods), radius_deg * 0.12)
        start = rng.randrange(9 * H, 16 * H, 15 * 60)
        window = None if rng.random() < 0.2 else (start, start + rng.choice((2 * H, 3 * H)))
        day_stops.append(
            Stop(
                f"stop-{i + 1:04d}",
                round(lat, 6),
                round(lon, 6),
                boxes=1 if rng.random() < 0.8 else 2,
                window=window,
                service=rng.choice((180, 300, 420)),
                priority=rng.choices((0, 1, 2, 3), weights=(2, 6, 2, 1))[0],
                skill=rng.choice(LANGUAGES) if rng.random() < 0.08 else None,
            )
        )
    vehicles = []
    for j in range(drivers):
        begin = rng.choice((8 * H, 9 * H, 10 * H, 12 * H))
        home = around(*rng.choice(hoods), radius_deg * 0.1)
        start: str | tuple[float, float] = (
            rng.choice(pantries).id
            if rng.random() < 0.7
            else (round(home[0], 6), round(home[1], 6))
        )
        skills = frozenset(rng.sample(LANGUAGES, 1)) if rng.random() < 0.3 else frozenset()
        vehicles.append(
            Vehicle(
                f"driver-{j + 1:03d}",
                rng.randint(*capacity),
                (begin, min(begin + rng.choice((4 * H, 6 * H, 8 * H)), 20 * H)),
                start,
                skills=skills,
            )
        )
    return Problem(day_stops, vehicles, pantries)
