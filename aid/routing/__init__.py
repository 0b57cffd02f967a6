"""Pure route planning: geocoding, distance matrices, the OR-Tools search, plan checking.

Nothing in this package imports Flask or the app's models: plain data in, plain data out.

    from aid.routing import Problem, Stop, Vehicle, Depot, plan_day, check_plan
    plan = plan_day(Problem(stops, vehicles, depots), SearchSettings(time_limit=10))
    assert check_plan(problem, plan) == []

Names are loaded on first use (PEP 562), so `import aid.routing.geocode` from intake does
not pull in OR-Tools: the search stack costs about 0.2 s to import.

- `problem`: `Stop`, `Vehicle` (reloads, `Break`s), `Depot`, `Problem` in;
  `Plan`, `Route` (visits, reloads, `TakenBreak`s), `Dropped` out
- `planner.plan_day(problem, settings) -> Plan`: never raises on bad stops or fleets
- `check.check_plan(problem, plan) -> list[str]`: independent re-check of a plan
- `geocode`: `zip_centroid`, `locate`, `make_geocoder` (offline by default)
- `bench`: benchmark file readers, their checker and CLI, a synthetic city day (apart)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Break",
    "Depot",
    "Dropped",
    "Plan",
    "PlanProblem",
    "Problem",
    "Route",
    "RouteStop",
    "SearchSettings",
    "Stop",
    "TakenBreak",
    "Vehicle",
    "check_plan",
    "plan_day",
]

_HOME = {
    **dict.fromkeys(
        [
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
        ],
        "aid.routing.problem",
    ),
    "SearchSettings": "aid.routing.solver",
    "plan_day": "aid.routing.planner",
    "check_plan": "aid.routing.check",
}

if TYPE_CHECKING:
    from aid.routing.check import check_plan
    from aid.routing.planner import plan_day
    from aid.routing.problem import (
        Break,
        Depot,
        Dropped,
        Plan,
        PlanProblem,
        Problem,
        Route,
        RouteStop,
        Stop,
        TakenBreak,
        Vehicle,
    )
    from aid.routing.solver import SearchSettings


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
