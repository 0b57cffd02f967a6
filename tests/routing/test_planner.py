"""Hand-checked day plans: capacity, windows, shifts, drops, several depots, skills, bad input.

Coordinates are synthetic points on a line east of an arbitrary origin; at the default
25 km/h with detour 1.3, 0.01 degrees of longitude there is roughly two minutes of driving.
"""

import pickle

import pytest

from aid.routing.check import check_plan
from aid.routing.planner import plan_day
from aid.routing.problem import Depot, Problem, Stop, Vehicle
from aid.routing.solver import SearchSettings

LAT, LON = 40.0, -75.0
H = 3600
FAST = SearchSettings(time_limit=1.0)


def east(i: float) -> tuple[float, float]:
    """A point i hundredths of a degree east of the origin."""
    return LAT, LON + 0.01 * i


def stop(name, i, **kw):
    lat, lon = east(i)
    return Stop(name, lat, lon, **kw)


def van(name, capacity=10, shift=(8 * H, 12 * H), start="pantry", **kw):
    return Vehicle(name, capacity, shift, start, **kw)


PANTRY = Depot("pantry", *east(0), opens=7 * H, closes=20 * H)


def solve(stops, vehicles, depots=(PANTRY,), **kw):
    problem = Problem(list(stops), list(vehicles), list(depots), **kw)
    plan = plan_day(problem, FAST)
    assert check_plan(problem, plan) == []
    return plan


def routes_of(plan):
    return {r.vehicle_id: [s.stop_id for s in r.stops] for r in plan.routes}


def reasons(plan):
    return {d.stop_id: d.reasons for d in plan.dropped}


def test_one_van_visits_stops_on_a_line_in_order():
    plan = solve([stop("b", 2), stop("a", 1), stop("c", 3)], [van("v1")])
    assert routes_of(plan) == {"v1": ["a", "b", "c"]} or routes_of(plan) == {"v1": ["c", "b", "a"]}
    route = plan.routes[0]
    assert route.load == 3 and [s.load_after for s in route.stops] == [2, 1, 0]
    assert route.distance > 0 and route.duration == route.end_time - route.start_time
    assert plan.vehicles_used == 1 and plan.dropped == []


def test_capacity_splits_stops_between_two_vans():
    stops = [stop(f"s{i}", i, boxes=6) for i in (1, 2)]
    plan = solve(stops, [van("v1"), van("v2")])
    assert sorted(len(r.stops) for r in plan.routes) == [1, 1]


def test_fixed_cost_calls_out_one_volunteer_when_one_car_suffices():
    stops = [stop(f"s{i}", i, boxes=2) for i in (1, 2, 3)]
    plan = solve(stops, [van("v1"), van("v2"), van("v3")])
    assert plan.vehicles_used == 1


def test_windows_order_the_route_against_geography():
    stops = [stop("far", 5, window=(8 * H, 9 * H)), stop("near", 1, window=(10 * H, 11 * H))]
    plan = solve(stops, [van("v1")])
    assert routes_of(plan) == {"v1": ["far", "near"]}
    near = plan.routes[0].stops[1]
    assert 10 * H <= near.arrival <= 11 * H


def test_what_does_not_fit_is_dropped_by_priority_with_a_reason():
    stops = [stop("low", 1, boxes=8, priority=0), stop("urgent", 2, boxes=8, priority=3)]
    plan = solve(stops, [van("v1")])
    assert routes_of(plan) == {"v1": ["urgent"]}
    assert reasons(plan) == {"low": ["capacity"]}


def test_a_short_shift_drops_a_far_stop_as_unreachable():
    stops = [stop("near", 1), stop("far", 60)]  # 0.6 degrees: about two hours each way
    plan = solve(stops, [van("v1", shift=(8 * H, 9 * H))])
    assert routes_of(plan) == {"v1": ["near"]}
    assert reasons(plan) == {"far": ["window"]}


def test_each_van_works_from_its_own_depot():
    west = Depot("west", *east(-50))
    stops = [stop("w1", -49), stop("w2", -51), stop("e1", 49), stop("e2", 51)]
    vans = [van("from_west", start="west"), van("from_east", start=east(50))]
    plan = solve(stops, vans, depots=(PANTRY, west))
    got = {k: sorted(v) for k, v in routes_of(plan).items()}
    assert got == {"from_west": ["w1", "w2"], "from_east": ["e1", "e2"]}


def test_a_van_can_end_elsewhere_than_it_started():
    plan = solve([stop("a", 5)], [van("v1", start="pantry", end=east(10))])
    assert routes_of(plan) == {"v1": ["a"]}


def test_a_stop_needing_a_language_goes_to_the_driver_who_speaks_it():
    stops = [stop("needs_so", 1, skill="so"), stop("any", 1.1)]
    vans = [van("plain"), van("speaks_so", skills=frozenset({"so"}))]
    plan = solve(stops, vans, vehicle_cost=0)
    assert "needs_so" in routes_of(plan)["speaks_so"]


def test_bad_input_still_returns_a_plan_with_every_problem_listed():
    stops = [
        Stop("nowhere", None, None),
        stop("needs_xx", 1, skill="xx"),
        stop("too_big", 2, boxes=99),
        stop("midnight", 3, window=(1 * H, 2 * H)),
        stop("ok", 4),
    ]
    closed = Depot("closed", *east(0), opens=0, closes=0)
    vans = [van("v1"), van("v_closed", start="closed"), van("v_ghost", start="no-such-depot")]
    plan = solve(stops, vans, depots=(PANTRY, closed))
    assert reasons(plan) == {
        "nowhere": ["no_location"],
        "needs_xx": ["skill"],
        "too_big": ["too_many_boxes"],
        "midnight": ["window"],
    }
    assert routes_of(plan) == {"v1": ["ok"]}
    assert any("v_closed" in p for p in plan.problems)
    assert any("v_ghost" in p for p in plan.problems)
    assert {(p.code, p.vehicle) for p in plan.problems} == {
        ("vehicle_depot_closed", "v_closed"), ("vehicle_no_start", "v_ghost")}
    again = pickle.loads(pickle.dumps(plan.problems))  # an RQ job's result keeps its codes
    assert again == plan.problems and [p.code for p in again] == [p.code for p in plan.problems]


def test_no_vehicles_drops_every_stop_with_that_reason():
    plan = solve([stop("a", 1), stop("b", 2)], [])
    assert reasons(plan) == {"a": ["no_vehicles"], "b": ["no_vehicles"]}
    assert plan.routes == [] and [p.code for p in plan.problems] == ["no_vehicles"]


def test_empty_day_is_an_empty_plan():
    plan = solve([], [van("v1")])
    assert plan.routes == [] and plan.dropped == []


def test_same_input_and_solution_limit_give_the_same_plan():
    stops = [stop(f"s{i}", (i * 7) % 11, boxes=1 + i % 3) for i in range(12)]
    problem = Problem(stops, [van("v1"), van("v2")], [PANTRY])
    settings = SearchSettings(time_limit=5.0, solution_limit=200)
    first, second = plan_day(problem, settings), plan_day(problem, settings)
    assert routes_of(first) == routes_of(second)


@pytest.mark.parametrize("bad", [(95.0, 0.0), (float("nan"), 1.0)])
def test_invalid_coordinates_count_as_no_location(bad):
    plan = solve([Stop("x", *bad)], [van("v1")])
    assert reasons(plan) == {"x": ["no_location"]}


def test_malformed_numbers_are_bad_input_not_a_crash():
    stops = [
        stop("text_boxes", 1, boxes="3"),
        stop("text_window", 2, window=("9:00", "10:00")),
        stop("half_box", 3, boxes=1.5),
        stop("ok", 4),
    ]
    vans = [van("v1"), Vehicle("v_text", "ten", (8 * H, 12 * H), "pantry")]
    plan = solve(stops, vans)
    assert reasons(plan) == {s: ["bad_input"] for s in ("text_boxes", "text_window", "half_box")}
    assert routes_of(plan) == {"v1": ["ok"]}
    assert any("v_text" in p for p in plan.problems)
    assert [p.code for p in plan.problems] == ["vehicle_bad"]


def test_a_depot_closed_all_day_leaves_its_stops_dropped_with_a_reason():
    closed = Depot("closed", *east(0), opens=0, closes=0)
    plan = solve([stop("a", 1), stop("b", 2)], [van("v1", start="closed")], depots=(closed,))
    assert reasons(plan) == {"a": ["no_vehicles"], "b": ["no_vehicles"]}
    assert any("closed during the whole shift" in p for p in plan.problems)
