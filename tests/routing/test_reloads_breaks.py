"""Reloads (several trips per driver) and driver breaks on hand-checked days.

Points lie on a line through a pantry at the origin; 0.01 degrees of longitude is 1107 m of
road (great circle times 1.3) and 160 s of driving at 25 km/h. Every plan is re-verified by
the independent checker, and the checker is shown to catch each rule broken by hand.
"""

import dataclasses

import pytest

from aid.routing import Break, Depot, Plan, Problem, Stop, TakenBreak, Vehicle, check_plan, plan_day
from aid.routing.solver import SearchSettings

LAT, LON = 40.0, -75.0
H, M = 3600, 60
LEG = 1107  # metres per 0.01 degree
FAST = SearchSettings(time_limit=1.0)
PANTRY = Depot("pantry", LAT, LON, opens=7 * H, closes=20 * H)


def stop(name, i, **kw):
    return Stop(name, LAT, LON + 0.01 * i, **kw)


def solve(stops, vehicles, depots=(PANTRY,)):
    problem = Problem(list(stops), list(vehicles), list(depots))
    plan = plan_day(problem, FAST)
    assert check_plan(problem, plan) == []
    return problem, plan


def trips(route):
    out = [[]]
    for rs in route.stops:
        if rs.kind == "reload":
            out.append([])
        else:
            out[-1].append(rs.stop_id)
    return [sorted(t) for t in out]


EAST = [stop(f"e{i}", i) for i in (1, 2, 3, 4)]
WEST = [stop(f"w{i}", -i) for i in (1, 2, 3, 4)]


def test_a_car_too_small_for_the_day_comes_back_once_and_serves_both_sides():
    van = Vehicle("v", 4, (8 * H, 14 * H), "pantry", max_trips=2)
    _, plan = solve(EAST + WEST, [van])
    (route,) = plan.routes
    assert plan.dropped == []
    # One trip per side of the pantry (out four legs, back four), a reload in between.
    assert sorted(trips(route)) == [["e1", "e2", "e3", "e4"], ["w1", "w2", "w3", "w4"]]
    assert route.trip_loads == [4, 4] and route.load == 8
    (reload,) = [rs for rs in route.stops if rs.kind == "reload"]
    assert reload.stop_id == "pantry" and reload.load_after == 4
    assert reload.departure - reload.arrival == van.reload_time
    assert route.distance == pytest.approx(16 * LEG, rel=0.01)


def test_without_a_second_trip_half_the_day_is_dropped_for_capacity():
    van = Vehicle("v", 4, (8 * H, 14 * H), "pantry")
    _, plan = solve(EAST + WEST, [van])
    assert len(plan.routes[0].visits) == 4
    assert [d.reasons for d in plan.dropped] == [["capacity"]] * 4


def test_a_car_reloads_at_the_named_depot_and_not_where_it_started():
    north = Depot("north", LAT + 0.01, LON + 0.02)
    van = Vehicle("v", 2, (8 * H, 14 * H), "pantry", max_trips=3, reload_at="north")
    _, plan = solve(EAST, [van], depots=(PANTRY, north))
    route = plan.routes[0]
    assert [rs.stop_id for rs in route.stops if rs.kind == "reload"] == ["north"]
    assert route.trip_loads == [2, 2]


def test_a_reload_depot_closed_for_the_shift_leaves_one_trip_and_says_so():
    closed = Depot("closed", LAT, LON, opens=7 * H, closes=9 * H)
    van = Vehicle("v", 4, (9 * H, 14 * H), "pantry", max_trips=2, reload_at="closed")
    _, plan = solve(EAST + WEST, [van], depots=(PANTRY, closed))
    assert len(plan.routes[0].visits) == 4 and len(plan.dropped) == 4
    assert any("closed for reloading" in p for p in plan.problems)
    assert [p.code for p in plan.problems] == ["vehicle_reload"]


def test_reloading_waits_for_the_depot_to_open():
    late = Depot("late", LAT, LON, opens=12 * H, closes=20 * H)
    early = [stop(f"a{i}", i, boxes=2, window=(9 * H, 10 * H)) for i in (1, 2)]
    after = [stop(f"b{i}", -i, boxes=2) for i in (1, 2)]
    van = Vehicle("v", 4, (8 * H, 16 * H), "pantry", max_trips=2, reload_at="late")
    _, plan = solve(early + after, [van], depots=(PANTRY, late))
    (reload,) = [rs for rs in plan.routes[0].stops if rs.kind == "reload"]
    assert reload.arrival >= 12 * H and plan.dropped == []


def test_a_break_is_taken_between_visits_inside_its_window():
    stops = [
        stop("a", 1, window=(9 * H, 9 * H + 5 * M)),
        stop("b", 2, window=(9 * H + 45 * M, 10 * H)),
    ]
    van = Vehicle(
        "v",
        10,
        (8 * H + 30 * M, 12 * H),
        "pantry",
        breaks=(Break(9 * H + 5 * M, 9 * H + 30 * M, 30 * M),),
    )
    _, plan = solve(stops, [van])
    route = plan.routes[0]
    (taken,) = route.breaks
    a, b = route.stops
    assert 9 * H + 5 * M <= taken.start <= 9 * H + 30 * M and taken.end - taken.start == 30 * M
    assert a.departure <= taken.start and taken.end <= b.arrival


def test_a_visit_whose_window_only_falls_inside_the_break_is_dropped():
    stops = [
        stop("early", 1, window=(9 * H, 9 * H + 30 * M)),
        stop("blocked", 2, window=(10 * H, 10 * H + 30 * M)),
    ]
    van = Vehicle(
        "v", 10, (8 * H, 12 * H), "pantry", breaks=(Break(9 * H + 55 * M, 10 * H, 45 * M),)
    )
    _, plan = solve(stops, [van])
    assert [rs.stop_id for rs in plan.routes[0].stops] == ["early"]
    assert [(d.stop_id, d.reasons) for d in plan.dropped] == [("blocked", ["time"])]


def test_reloads_and_a_break_in_one_shift():
    van = Vehicle(
        "v",
        2,
        (10 * H, 14 * H),
        "pantry",
        max_trips=4,
        breaks=(Break(11 * H, 11 * H + 30 * M, 20 * M),),
    )
    stops = [stop(f"s{i}", i, window=(10 * H, 14 * H)) for i in range(1, 7)]
    _, plan = solve(stops, [van])
    route = plan.routes[0]
    assert plan.dropped == [] and len(route.trip_loads) == 3 and len(route.breaks) == 1


@pytest.mark.parametrize(
    ("vehicle", "problem", "code"),
    [
        (Vehicle("v", 4, (8 * H, 14 * H), (LAT, LON), max_trips=2), "no depot to reload at",
         "vehicle_reload"),
        (
            Vehicle("v", 4, (8 * H, 14 * H), "pantry", breaks=(Break(10 * H, 9 * H, 600),)),
            "empty window", "vehicle_break",
        ),
        (
            Vehicle("v", 4, (8 * H, 9 * H), "pantry", breaks=(Break(8 * H, 9 * H, 2 * H),)),
            "whole shift", "vehicle_break",
        ),
    ],
)
def test_reloads_or_breaks_that_cannot_be_honoured_are_named_and_nothing_is_lost(vehicle, problem,
                                                                                 code):
    _, plan = solve(EAST, [vehicle])
    assert any(problem in p for p in plan.problems)
    assert [(p.code, p.vehicle) for p in plan.problems] == [(code, "v")]
    assert sum(len(r.visits) for r in plan.routes) + len(plan.dropped) == 4


def test_checker_rejects_broken_reloads_and_breaks():
    van = Vehicle(
        "v", 4, (8 * H, 14 * H), "pantry", max_trips=2, breaks=(Break(9 * H, 13 * H, 15 * M),)
    )
    problem, plan = solve(EAST + WEST, [van])
    route = plan.routes[0]
    at = next(i for i, rs in enumerate(route.stops) if rs.kind == "reload")

    def with_route(**changes):
        return Plan([dataclasses.replace(route, **changes)], plan.dropped)

    def with_stop(i, **changes):
        entries = list(route.stops)
        entries[i] = dataclasses.replace(entries[i], **changes)
        return with_route(stops=entries)

    def errors(p, vehicle=van):
        return " ".join(check_plan(dataclasses.replace(problem, vehicles=[vehicle]), p))

    no_reload = route.stops[:at] + route.stops[at + 1 :]
    assert "over capacity" in errors(with_route(stops=no_reload))
    assert "at most 1 allowed" in errors(plan, dataclasses.replace(van, max_trips=1))
    assert "its reload depot is" in errors(with_stop(at, stop_id="elsewhere"))
    closed = dataclasses.replace(
        problem, depots=[dataclasses.replace(PANTRY, closes=route.stops[at].arrival)]
    )
    assert "closed" in " ".join(check_plan(closed, plan))
    taken = route.breaks[0]
    assert "outside" in errors(with_route(breaks=[TakenBreak(8 * H, 8 * H + 15 * M)]))
    assert "is not 900 s" in errors(with_route(breaks=[TakenBreak(taken.start, taken.start + 60)]))
    first = route.stops[0]
    assert "overlaps" in errors(
        with_route(breaks=[TakenBreak(first.arrival, first.arrival + 15 * M)])
    )
    assert "breaks planned" in errors(with_route(breaks=[]))
