"""Plain data for a day's deliveries: stops, vehicles, depots in; a plan with routes and drops out.

Times are integer seconds since midnight of the delivery day; distances are metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aid.routing.matrix import MatrixSettings

__all__ = [
    "DAY",
    "REASONS",
    "Depot",
    "Dropped",
    "Plan",
    "Problem",
    "Route",
    "RouteStop",
    "Stop",
    "Vehicle",
]

DAY = 24 * 3600

# Why a stop is left out of a plan; the dispatcher screen translates these codes.
REASONS = {
    "no_location": "the stop has no usable location",
    "no_vehicles": "no vehicle is available",
    "skill": "no available driver has the required skill",
    "too_many_boxes": "more boxes than any suitable vehicle can carry",
    "window": "no driver can reach it within its time window and shift",
    "capacity": "the vehicles are full",
    "time": "it did not fit in any route's time",
    "bad_input": "the stop's data is invalid",
}

Coords = tuple[float, float]


@dataclass(frozen=True)
class Depot:
    """A start or end point with opening hours, such as a food pantry."""

    id: str
    lat: float
    lon: float
    opens: int = 0
    closes: int = DAY


@dataclass(frozen=True)
class Stop:
    """A household delivery: where, how many boxes, when service may start, how important."""

    id: str
    lat: float | None
    lon: float | None
    boxes: int = 1
    window: tuple[int, int] | None = None  # earliest and latest start of service
    service: int = 300  # seconds spent at the door
    priority: int = 1  # 0 low, 1 normal, 2 high, 3 urgent: what to keep when not all fit
    skill: str | None = None  # e.g. a language the driver must speak


@dataclass(frozen=True)
class Vehicle:
    """A volunteer's car: capacity in boxes, shift, start/end (depot id or coordinates), skills."""

    id: str
    capacity: int
    shift: tuple[int, int]
    start: str | Coords
    end: str | Coords | None = None  # None: back where it started
    skills: frozenset[str] = frozenset()


@dataclass
class Problem:
    """Everything the planner needs for one day; no database rows, no Flask objects.

    How long to search is not part of the problem: it is `SearchSettings.time_limit`.
    """

    stops: list[Stop]
    vehicles: list[Vehicle]
    depots: list[Depot] = field(default_factory=list)
    vehicle_cost: int = 1800  # seconds of driving worth calling out one more volunteer
    drop_penalty: int = 10_000_000  # per priority level + 1; far above any route's cost
    matrix: MatrixSettings = field(default_factory=MatrixSettings)


@dataclass
class RouteStop:
    """One visit in a route: when service starts and the boxes still in the car after it."""

    stop_id: str
    arrival: int
    departure: int
    load_after: int
    distance_from_previous: int


@dataclass
class Route:
    """One vehicle's day: its visits in order and its totals."""

    vehicle_id: str
    stops: list[RouteStop]
    start_time: int
    end_time: int
    load: int
    distance: int
    duration: int


@dataclass
class Dropped:
    """A stop left out of the plan and every reason found for it (codes from REASONS)."""

    stop_id: str
    reasons: list[str]


@dataclass
class Plan:
    """A day's plan: used routes, dropped stops with reasons, totals and whole-plan problems."""

    routes: list[Route]
    dropped: list[Dropped]
    problems: list[str] = field(default_factory=list)
    solve_seconds: float = 0.0

    @property
    def total_distance(self) -> int:
        """Metres driven by all vehicles."""
        return sum(r.distance for r in self.routes)

    @property
    def total_duration(self) -> int:
        """Seconds from first departure to last return, summed over vehicles."""
        return sum(r.duration for r in self.routes)

    @property
    def vehicles_used(self) -> int:
        """Number of volunteers called out."""
        return len(self.routes)
