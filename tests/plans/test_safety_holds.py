"""Safety holds: an area on hold holds its visits at once and tells their volunteers, plans
leave them out, the board shows them held, and lifting (or the end of) the hold brings them
back. A hold with no area, or an unknown ZIP, is refused in the dispatcher's words."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from aid.extensions import db
from aid.models import Notice, SafetyHold, Task, User
from aid.models._types import utcnow
from tests.support.app import table_rows
from tests.support.http import post
from tests.support.plans import (
    deliveries,
    depot,
    drivers,
    plan_day,
    plan_now,
    stops_of,
)
from tests.support.volunteers import task_row

INSIDE, OUTSIDE = "55406", "55412"


def held_world(app):
    """Three deliveries inside 55406 (one held by a driver), two outside."""
    from aid.tasks import claims

    day = plan_day()
    depot(app)
    inside = deliveries(app, day, 3, seed=5, zips=(INSIDE,))
    outside = deliveries(app, day, 2, seed=6, zips=(OUTSIDE,))
    driver = drivers(app, 1)[0]
    with app.app_context():
        claims.claim(db.session.get(User, driver.id), db.session.get(Task, inside[0]))
        db.session.remove()
    return day, inside, outside, driver


def notices(app, user_id):
    with app.app_context():
        kinds = [n.kind for n in db.session.scalars(select(Notice).where(
            Notice.user_id == user_id).order_by(Notice.id))]
        db.session.remove()
        return kinds


def test_a_zip_hold_holds_its_visits_tells_the_driver_and_plans_leave_them_out(app, signed_in):
    day, inside, outside, driver = held_world(app)
    dispatcher = signed_in("dispatcher")
    r = post(dispatcher, "/dispatch/plans/holds", {"kind": "zips", "zips": f" {INSIDE} ",
                                                   "hours": "72"})
    assert r.status_code == 200 and "3 visits are held" in r.get_data(as_text=True)
    assert all(task_row(app, t)["status"] == "held" for t in inside)
    assert {task_row(app, t)["hold_reason"] for t in inside} == {"safety"}
    assert task_row(app, inside[0])["holder_id"] == driver.id  # still theirs, on hold
    assert all(task_row(app, t)["status"] == "open" for t in outside)
    assert notices(app, driver.id) == ["hold"]
    board = dispatcher.get(f"/dispatch/tasks?day={day}").get_data(as_text=True)
    assert board.count("On hold") >= 3
    plan_id = plan_now(app, day)
    rows = {s["task_id"]: s for s in stops_of(app, plan_id)}
    assert all(rows[t]["kind"] == "dropped" and rows[t]["reasons"] == "safety_hold"
               for t in inside)
    assert all(rows[t]["kind"] == "stop" for t in outside)
    page = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "Safety hold on the area" in page

    with app.app_context():
        hold_id = db.session.scalar(select(SafetyHold.id))
    r = post(dispatcher, f"/dispatch/plans/holds/{hold_id}/lift", {})
    assert r.status_code == 302
    assert task_row(app, inside[0])["status"] == "claimed"  # back to its driver
    assert [task_row(app, t)["status"] for t in inside[1:]] == ["open", "open"]
    assert notices(app, driver.id) == ["hold", "hold_lifted"]
    again = plan_now(app, day)
    assert all(s["kind"] == "stop" for s in stops_of(app, again) if s["task_id"])


def test_a_hold_over_before_the_day_leaves_that_days_visits_alone(app):
    from aid.tasks import safety

    day, inside, outside, driver = held_world(app)  # the day after tomorrow
    with app.app_context():
        _hold, count = safety.create(None, [INSIDE], None, None, 6)
        db.session.remove()
    assert count == 0 and all(task_row(app, t)["status"] != "held" for t in inside)


def test_a_circle_holds_what_lies_within_its_radius(app):
    from aid.households import zip_area
    from aid.tasks import safety

    day, inside, outside, driver = held_world(app)
    _area, lat, lon = zip_area(INSIDE)
    with app.app_context():
        _hold, count = safety.create(None, [], (lat + 0.001, lon), 0.5, 72)
        db.session.remove()
    assert count == 3
    assert all(task_row(app, t)["status"] == "held" for t in inside)
    assert all(task_row(app, t)["status"] == "open" for t in outside)


def test_a_task_made_inside_a_live_hold_is_caught_and_an_ended_hold_lets_go(app):
    from aid.tasks import safety

    day, inside, outside, driver = held_world(app)
    with app.app_context():
        hold, _count = safety.create(None, [INSIDE], None, None, 72)
        hold_id = hold.id
        db.session.remove()
    later = deliveries(app, day, 1, seed=9, zips=(INSIDE,))[0]
    assert task_row(app, later)["status"] == "open"
    with app.app_context():
        assert safety.sweep() == (1, 0)
    assert task_row(app, later)["status"] == "held"
    with app.app_context():
        db.session.execute(update(SafetyHold).where(SafetyHold.id == hold_id).values(
            ends_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        assert safety.sweep() == (0, 4)
    assert all(task_row(app, t)["status"] in ("open", "claimed") for t in inside + [later])
    assert notices(app, driver.id) == ["hold", "hold_lifted"]


def test_two_holds_over_one_area_keep_it_held_until_both_are_lifted(app):
    from aid.tasks import safety

    day, inside, outside, driver = held_world(app)
    with app.app_context():
        first, _ = safety.create(None, [INSIDE], None, None, 72)
        second, _ = safety.create(None, [INSIDE, OUTSIDE], None, None, 72)
        ids = first.id, second.id
        db.session.remove()
    with app.app_context():
        assert safety.lift(None, ids[1]) == 2  # the outside ones only
    assert all(task_row(app, t)["status"] == "held" for t in inside)
    with app.app_context():
        assert safety.lift(None, ids[0]) == 3
    assert all(task_row(app, t)["status"] != "held" for t in inside)


def test_a_hold_without_an_area_or_with_an_unknown_zip_is_refused_plainly(app, signed_in):
    dispatcher = signed_in("dispatcher")
    before = table_rows(app)
    cases = [({"kind": "zips", "zips": "", "hours": "2"}, "Give the area to hold"),
             ({"kind": "zips", "zips": "00000, 55406", "hours": "2"}, "not known: 00000"),
             ({"kind": "circle", "point": "here", "radius_km": "1", "hours": "2"},
              "latitude and a longitude"),
             ({"kind": "circle", "point": "44.95, -93.26", "radius_km": "900", "hours": "2"},
              "radius must be"),
             ({"kind": "zips", "zips": "55406", "hours": "forever"}, "between 1 hour"),
             ({"kind": "zips", "zips": "55406", "hours": "0"}, "between 1 hour")]
    for form, message in cases:
        r = post(dispatcher, "/dispatch/plans/holds", form)
        page = r.get_data(as_text=True)
        assert r.status_code == 422 and message in page, (form, r.status_code)
        for value in form.values():  # nothing typed is lost
            assert f'value="{value}"' in page or value in ("zips", "circle")
    assert table_rows(app) == before


def test_lifting_a_hold_twice_says_it_is_over(app, signed_in):
    from tests.support.plans import live_hold

    hold_id = live_hold(app, "55406")
    dispatcher = signed_in("dispatcher")
    assert post(dispatcher, f"/dispatch/plans/holds/{hold_id}/lift", {}).status_code == 302
    again = post(dispatcher, f"/dispatch/plans/holds/{hold_id}/lift", {})
    assert again.status_code == 409 and "already lifted" in again.get_data(as_text=True)
    assert post(dispatcher, "/dispatch/plans/holds/999999/lift", {}).status_code == 404


def test_every_held_visit_is_left_out_with_its_own_reason(app):
    """Held by an organizer, or "not today" from the household: out of the plan, named."""
    from aid.tasks import dispatching

    day = plan_day()
    depot(app)
    tasks = deliveries(app, day, 4, seed=8)
    drivers(app, 1)
    with app.app_context():
        dispatching.hold(None, db.session.get(Task, tasks[0]))
        task = db.session.get(Task, tasks[1])
        task.status, task.hold_reason = "held", "not_today"
        db.session.commit()
        db.session.remove()
    plan_id = plan_now(app, day)
    rows = {s["task_id"]: (s["kind"], s["reasons"]) for s in stops_of(app, plan_id)}
    assert rows[tasks[0]] == ("dropped", "held")
    assert rows[tasks[1]] == ("dropped", "not_today")
    assert rows[tasks[2]][0] == rows[tasks[3]][0] == "stop"
