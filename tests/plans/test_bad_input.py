"""Bad input gives a plan or a clear message, and nothing is lost: stops without a location,
no drivers, windows nobody can meet, full cars, a depot closed all day, a day with nothing to
deliver, settings that are not numbers or out of range."""
from __future__ import annotations

from sqlalchemy import func, select, update

from aid.dayplan.gather import vehicle_key
from aid.dayplan.store import problem_code
from aid.extensions import db
from aid.models import DayPlan, Task
from aid.routing.problem import PLAN_PROBLEM_CODES, PlanProblem
from aid.vocabulary import PLAN_PROBLEMS
from tests.support.app import table_rows
from tests.support.http import post
from tests.support.plans import (
    deliveries,
    depot,
    drivers,
    plan_day,
    plan_now,
    plan_row,
    stops_of,
)

GOOD = {"time_limit": "1", "max_trips": "2", "break_minutes": "30", "break_from": "12:00",
        "break_until": "14:00", "start_at": "depot", "end_at": "area", "reload_depot": ""}


def dropped(app, plan_id) -> dict[int, str]:
    return {s["task_id"]: s["reasons"] for s in stops_of(app, plan_id) if s["kind"] == "dropped"}


def test_a_stop_without_a_location_is_left_out_with_that_reason(app, signed_in):
    day = plan_day()
    depot(app)
    tasks = deliveries(app, day, 3)
    drivers(app, 1)
    with app.app_context():
        db.session.execute(update(Task).where(Task.id == tasks[0]).values(lat=None, lon=None))
        db.session.commit()
    plan_id = plan_now(app, day)
    assert plan_row(app, plan_id)["state"] == "ready"
    assert dropped(app, plan_id) == {tasks[0]: "no_location"}
    page = signed_in("dispatcher").get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "No location: the ZIP code is unknown" in page


def test_without_drivers_every_stop_is_left_out_and_the_plan_says_why(app, signed_in):
    day = plan_day()
    depot(app)
    tasks = deliveries(app, day, 3)
    plan_id = plan_now(app, day)
    assert plan_row(app, plan_id)["state"] == "ready"
    assert dropped(app, plan_id) == dict.fromkeys(tasks, "no_driver")
    page = signed_in("dispatcher").get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "No driver is available on this day" in page and "No driver is available" in page


def test_windows_no_driver_can_meet_and_full_cars_are_told_apart(app):
    day = plan_day()
    depot(app)
    morning = [f"{d}:morning" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    drivers(app, 1, boxes=3, availability=morning)
    fits = deliveries(app, day, 2, seed=1, boxes=1, slot="morning")
    late = deliveries(app, day, 1, seed=2, boxes=1, slot="afternoon")
    huge = deliveries(app, day, 1, seed=3, boxes=9, slot="morning")
    plan_id = plan_now(app, day, max_trips=1)
    reasons = dropped(app, plan_id)
    assert reasons[late[0]] == "window"
    assert reasons[huge[0]] == "too_many_boxes"
    assert not set(fits) & set(reasons)
    more = deliveries(app, day, 4, seed=4, boxes=1, slot="morning")
    plan_id = plan_now(app, day, max_trips=1)
    reasons = dropped(app, plan_id)
    assert sum(1 for t in fits + more if t in reasons) == 3  # a car of 3 boxes, one trip
    assert {reasons[t] for t in fits + more if t in reasons} <= {"capacity", "time"}


def test_a_depot_closed_all_day_is_named_and_drivers_start_from_their_area(app, signed_in):
    day = plan_day()
    depot(app, opens="10:00", closes="10:00", name="Closed pantry")
    tasks = deliveries(app, day, 3)
    drivers(app, 1)
    plan_id = plan_now(app, day)
    row = plan_row(app, plan_id)
    assert row["state"] == "ready" and "depot_closed" in row["problems"]
    assert dropped(app, plan_id) == {}  # the driver went from their own area instead
    assert len([s for s in stops_of(app, plan_id) if s["kind"] == "stop"]) == len(tasks)
    page = signed_in("dispatcher").get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "The depot Closed pantry is closed all day." in page


def test_a_day_with_nothing_to_deliver_is_refused_and_keeps_the_form(app, signed_in):
    day = plan_day()
    drivers(app, 1)
    dispatcher = signed_in("dispatcher")
    before = table_rows(app)
    form = dict(GOOD, day=day.isoformat(), time_limit="7")
    r = post(dispatcher, "/dispatch/plans/", form, url_csrf="/dispatch/plans/")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "There is nothing to deliver on this day" in page
    assert 'value="7"' in page
    assert table_rows(app) == before


def test_settings_out_of_range_or_not_numbers_are_named_and_nothing_is_lost(app, signed_in):
    day = plan_day()
    deliveries(app, day, 2)
    dispatcher = signed_in("dispatcher")
    before = table_rows(app)
    bad = dict(GOOD, day=day.isoformat(), time_limit="soon", max_trips="0",
               break_minutes="-5", break_from="25:00", break_until="11:00",
               start_at="moon", reload_depot="999", drivers=["12345"])
    r = post(dispatcher, "/dispatch/plans/", bad, url_csrf="/dispatch/plans/")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    for message in ("planning time in seconds", "trips per driver", "break in minutes",
                    "earliest start as a time", "Choose where drivers start",
                    "Choose a depot from the list", "Choose drivers from the list"):
        assert message in page, message
    for typed in ('value="soon"', 'value="0"', 'value="-5"', 'value="25:00"'):
        assert typed in page, typed
    assert table_rows(app) == before
    past = post(dispatcher, "/dispatch/plans/", dict(GOOD, day="2020-01-01"),
                url_csrf="/dispatch/plans/")
    assert past.status_code == 422 and "That day is over" in past.get_data(as_text=True)
    nonsense = dispatcher.get("/dispatch/plans/new?day=someday")
    assert nonsense.status_code == 422 and "Give the day as a date" in nonsense.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(DayPlan.id))) == 0


def test_digits_of_other_scripts_are_read_as_numbers():
    from aid.dayplan import settings

    s, errors = settings.read(dict(GOOD, time_limit="٣٠", break_from="١٢:٣٠",
                                   break_until="۱۴:۰۰"), [], [], [])
    assert errors == {} and s.time_limit == 30 and s.break_from == 12 * 60 + 30
    assert s.break_until == 14 * 60


def test_every_engine_problem_becomes_a_dispatchers_message_naming_its_driver():
    """By its code, never by the engine's English wording (which may change)."""
    for code in PLAN_PROBLEM_CODES:
        vehicle = vehicle_key(12) if code.startswith("vehicle_") else None
        shown, _, driver = problem_code(PlanProblem(code, "reworded", vehicle)).partition(":")
        assert shown in PLAN_PROBLEMS and shown != "other", code
        assert driver == ("12" if vehicle else "")
    assert problem_code(PlanProblem("vehicle_break", "x", vehicle="not-a-driver")) == "other"
    assert problem_code(PlanProblem("something_new", "x")) == "other"
