"""The synthetic city day: reproducible, synthetic, and planned without any rule broken."""

from aid.routing.bench.demo import city_day
from aid.routing.check import check_plan
from aid.routing.planner import plan_day
from aid.routing.solver import SearchSettings


def test_same_seed_gives_the_same_day_and_another_seed_another():
    assert city_day(30, 4, 2, seed=5) == city_day(30, 4, 2, seed=5)
    assert city_day(30, 4, 2, seed=5).stops != city_day(30, 4, 2, seed=6).stops


def test_a_small_city_day_is_planned_and_passes_the_checker():
    problem = city_day(60, 6, 2, seed=3)
    assert len(problem.stops) == 60 and len(problem.vehicles) == 6 and len(problem.depots) == 2
    assert all(s.id.startswith("stop-") for s in problem.stops)  # synthetic labels only
    plan = plan_day(problem, SearchSettings(time_limit=2))
    assert check_plan(problem, plan) == []
    assert sum(len(r.stops) for r in plan.routes) + len(plan.dropped) == 60
    assert sum(len(r.stops) for r in plan.routes) >= 40
