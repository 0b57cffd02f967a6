"""A stop that needs a skill and keeps a window: only the driver with the skill may take it,
and only within its window, even when a driver without the skill passes by at the right time
and the skilled one would rather come early. Hand-checked; the checker re-verifies."""
from aid.routing.check import check_plan
from aid.routing.planner import plan_day
from aid.routing.problem import Depot, Problem, Stop, Vehicle
from aid.routing.solver import SearchSettings

LAT, LON, H = 40.0, -75.0, 3600
PANTRY = Depot("pantry", LAT, LON, opens=7 * H, closes=20 * H)


def east(i: float) -> tuple[float, float]:
    return LAT, LON + 0.01 * i


def test_a_skill_stop_goes_to_the_skilled_driver_inside_its_window():
    # "so-1" needs a Somali speaker between 10:30 and 11:00; "plain" stops need nobody.
    stops = [Stop("so-1", *east(3), window=(10 * H + 1800, 11 * H), skill="so"),
             Stop("plain-1", *east(2)), Stop("plain-2", *east(4))]
    vehicles = [Vehicle("no-somali", 10, (8 * H, 12 * H), "pantry"),
                Vehicle("somali", 10, (8 * H, 12 * H), "pantry", skills=frozenset({"so"}))]
    problem = Problem(stops, vehicles, [PANTRY])
    plan = plan_day(problem, SearchSettings(time_limit=1.0))
    assert check_plan(problem, plan) == []
    assert plan.dropped == []
    holder = next(r for r in plan.routes if any(s.stop_id == "so-1" for s in r.stops))
    assert holder.vehicle_id == "somali"
    visit = next(s for s in holder.stops if s.stop_id == "so-1")
    assert 10 * H + 1800 <= visit.arrival <= 11 * H  # served in its window, not early


def test_a_skill_stop_whose_window_the_skilled_driver_cannot_meet_is_dropped_with_a_reason():
    stops = [Stop("so-1", *east(3), window=(13 * H, 14 * H), skill="so")]
    vehicles = [Vehicle("no-somali", 10, (8 * H, 16 * H), "pantry"),
                Vehicle("somali", 10, (8 * H, 12 * H), "pantry", skills=frozenset({"so"}))]
    problem = Problem(stops, vehicles, [PANTRY])
    plan = plan_day(problem, SearchSettings(time_limit=1.0))
    assert check_plan(problem, plan) == []
    assert [d.stop_id for d in plan.dropped] == ["so-1"]
    assert "window" in plan.dropped[0].reasons  # the driver who could go, could not then
