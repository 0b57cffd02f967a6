"""Plain data for a day's deliveries: stops, vehicles, depots in; a plan with routes and drops out.

Times are integer seconds since midnight of the delivery day; distances are metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aid.routing.matrix import MatrixSettings

__all__ = [
    "DAY",
    "REASONS",
    "Break",
    "Depot",
    "Dropped",
    "Plan",
    "PlanProblem",
    "Problem",
    "Route",
    "RouteStop",
    "Stop",
    "TakenBreak",
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
class Break:
    """A driver's pause: it starts between `earliest` and `latest` and lasts `duration` seconds.

    It may fall while driving (the drive resumes after it) or while waiting, never during a
    visit or a reload. A route that ends before the window opens (or starts after it closes)
    takes it off duty, outside the route.
    """

    earliest: int
    latest: int
    duration: int


@dataclass(frozen=True)
class Vehicle:
    """A volunteer's car: capacity in boxes, shift, start/end (depot id or coordinates), skills.

    With `max_trips` above 1 the car may come back to load again: at depot `reload_at`, or at
    its start depot when that is None, spending `reload_time` seconds there each time. The car
    leaves its start loaded for the first trip. `breaks` are pauses the driver must take.
    """

    id: str
    capacity: int
    shift: tuple[int, int]
    start: str | Coords
    end: str | Coords | None = None  # None: back where it started
    skills: frozenset[str] = frozenset()
    max_trips: int = 1  # trips per shift, each at most `capacity` boxes
    reload_at: str | None = None  # depot id to reload at; None: the start depot
    reload_time: int = 600  # seconds at the depot to load the next trip
    breaks: tuple[Break, ...] = ()


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
    """One visit in a route: when service starts and the boxes still in the car after it.

    A reload entry (`kind == "reload"`, `stop_id` the depot's id) is a return to the pantry:
    `arrival` to `departure` is the loading, `load_after` the boxes loaded for the next trip.
    """

    stop_id: str
    arrival: int
    departure: int
    load_after: int
    distance_from_previous: int
    kind: str = "stop"  # "stop" (a household) or "reload" (back at a depot to load again)


@dataclass
class TakenBreak:
    """When a driver's break is planned: from `start` to `end` seconds since midnight."""

    start: int
    end: int


@dataclass
class Route:
    """One vehicle's day: its visits (and reloads) in order, its breaks and its totals.

    `load` is the boxes delivered over all trips; `trip_loads` the boxes of each trip.
    """

    vehicle_id: str
    stops: list[RouteStop]
    start_time: int
    end_time: int
    load: int
    distance: int
    duration: int
    breaks: list[TakenBreak] = field(default_factory=list)  # in the order of Vehicle.breaks

    @property
    def visits(self) -> list[RouteStop]:
        """The household visits only, reloads left out."""
        return [s for s in self.stops if s.kind == "stop"]

    @property
    def trip_loads(self) -> list[int]:
        """Boxes carried on each trip: the load at the start, then after each reload."""
        reloads = [s.load_after for s in self.stops if s.kind == "reload"]
        return [self.load - sum(reloads), *reloads]


@dataclass
class Dropped:
    """A stop left out of the plan and every reason found for it (codes from REASONS)."""

    stop_id: str
    reasons: list[str]


PLAN_PROBLEM_CODES = ("vehicle_bad", "vehicle_no_start", "vehicle_shift", "vehicle_depot_closed",
                      "vehicle_break", "vehicle_reload", "no_vehicles", "solver_none")


class PlanProblem(str):
    """A whole-plan problem: the English sentence people read in logs and benchmark output,
    carrying a stable `code` (and the `vehicle` it is about) for callers that translate it.

    Codes (PLAN_PROBLEM_CODES): ``vehicle_bad`` (settings not numbers), ``vehicle_no_start``,
    ``vehicle_shift`` (no capacity or empty shift), ``vehicle_depot_closed``, ``vehicle_break``,
    ``vehicle_reload`` (fewer trips than asked), ``no_vehicles``, ``solver_none``.
    """

    code: str
    vehicle: str | None
    detail: str

    def __new__(cls, code: str, detail: str, vehicle: str | None = None) -> PlanProblem:
        text = f"vehicle {vehicle}: {detail}" if vehicle is not None else detail
        self = super().__new__(cls, text)
        self.code, self.detail, self.vehicle = code, detail, vehicle
        return self

    def __reduce__(self):  # pickled with its code (an RQ job's result)
        return PlanProblem, (self.code, self.detail, self.vehicle)


@dataclass
class Plan:
    """A day's plan: used routes, dropped stops with reasons, totals and whole-plan problems."""

    routes: list[Route]
    dropped: list[Dropped]
    problems: list[PlanProblem] = field(default_factory=list)
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
