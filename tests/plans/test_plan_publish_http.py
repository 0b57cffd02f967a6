"""Plan, publish and re-plan a day through HTTP, as a dispatcher does: the form, the page that
follows the job, the plan (codes and areas, never a name or an address), publishing through
the claim rules, the drivers' own pages, and planning again after a driver drops out."""
from __future__ import annotations

import re
import time

from sqlalchemy import func, select, update

from aid.extensions import db
from aid.models import AuditEvent, Claim, Notice, PlanStop, Task
from tests.support.http import post
from tests.support.plans import (
    deliveries,
    depot,
    drivers,
    plan_day,
    plan_row,
    stops_of,
)
from tests.support.staff import login_client
from tests.support.volunteers import task_row

FORM = {"time_limit": "2", "max_trips": "2", "break_minutes": "30", "break_from": "12:00",
        "break_until": "14:00", "start_at": "depot", "end_at": "area", "reload_depot": ""}


def wait_for_plan(app, plan_id: int, seconds: float = 60) -> dict:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        row = plan_row(app, plan_id)
        if row["state"] not in ("queued", "running"):
            return row
        time.sleep(0.2)
    raise AssertionError(f"plan {plan_id} still {row['state']}")


def start_plan(dispatcher, day, driver_ids, **changes) -> int:
    form = dict(FORM, day=day.isoformat(), drivers=[str(i) for i in driver_ids], **changes)
    r = post(dispatcher, "/dispatch/plans/", form, url_csrf=f"/dispatch/plans/new?day={day}")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return int(re.search(r"/dispatch/plans/(\d+)$", r.headers["Location"]).group(1))


def world(app, n_stops=12, n_drivers=2):
    day = plan_day()
    depot(app)
    tasks = deliveries(app, day, n_stops, seed=3)
    crew = drivers(app, n_drivers)
    return day, tasks, crew


def test_a_dispatcher_plans_publishes_and_each_driver_sees_their_route(app, signed_in):
    day, tasks, crew = world(app)
    dispatcher = signed_in("dispatcher")
    form_page = dispatcher.get(f"/dispatch/plans/new?day={day}").get_data(as_text=True)
    assert all(d.handle in form_page for d in crew)
    plan_id = start_plan(dispatcher, day, [d.id for d in crew])
    first = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    row = wait_for_plan(app, plan_id)
    assert row["state"] == "ready", row
    if 'http-equiv="refresh"' in first:  # the job had not finished: the progress page
        assert "Planning" in first or "Waiting" in first
    page = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "http-equiv" not in page and "<svg" in page and "<polyline" in page
    stops = [s for s in stops_of(app, plan_id) if s["kind"] == "stop"]
    assert len(stops) == 12 and all(re.fullmatch(r"[A-Z0-9]{4}", s["code"]) for s in stops)
    assert all(s["code"] in page for s in stops)
    for secret in ("Plan household", "Example Street", "word 3-"):
        assert secret not in page
    sheets = dispatcher.get(f"/dispatch/plans/{plan_id}/sheets").get_data(as_text=True)
    assert sheets.count('class="sheet"') == row["drivers_used"] and "print.css" in sheets
    assert "Example Street" not in sheets and "word 3-" not in sheets

    r = post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {})
    assert r.status_code == 200 and "Published" in r.get_data(as_text=True)
    assert plan_row(app, plan_id)["state"] == "published"
    by_driver = {}
    for s in stops:
        t = task_row(app, s["task_id"])
        assert t["status"] == "claimed"
        by_driver.setdefault(t["holder_id"], []).append(s)
    assert set(by_driver) <= {d.id for d in crew}
    with app.app_context():
        assert db.session.scalar(select(func.count(Claim.id))) == 12
        told = db.session.scalars(select(Notice.user_id).where(Notice.kind == "route_new"))
        assert sorted(told) == sorted(by_driver)

    member = next(d for d in crew if d.id in by_driver)
    driver = login_client(app, member)
    mine = driver.get("/tasks/mine").get_data(as_text=True)
    own = sorted(by_driver[member.id], key=lambda s: s["seq"])
    positions = [mine.index(s["code"]) for s in own]
    assert positions == sorted(positions)  # in the route's order
    assert "Example Street" not in mine  # addresses only on the task page and the sheet
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "reveal_task"))
    sheet = driver.get(f"/tasks/route/{day}").get_data(as_text=True)
    assert sheet.count("Example Street") == len(own) and "geo:0,0?q=" in sheet
    assert "print.css" in sheet
    with app.app_context():
        after = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "reveal_task", AuditEvent.actor_id == member.id))
    assert after - before == len(own)  # every address opened is audited


def test_the_route_sheet_shows_only_what_the_driver_still_holds(app, signed_in):
    """A stop given to someone else after publishing loses its address on the old driver's
    sheet: the reveal goes through the holder check."""
    day, tasks, crew = world(app, n_stops=6, n_drivers=1)
    dispatcher = signed_in("dispatcher")
    plan_id = start_plan(dispatcher, day, [crew[0].id])
    assert wait_for_plan(app, plan_id)["state"] == "ready"
    post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {})
    moved = tasks[0]
    with app.app_context():
        from aid.models import User
        from aid.tasks import claims

        other = drivers(app, 1, prefix="other")[0]
        task = db.session.get(Task, moved)
        claims.take_back(None, task, "test")
        db.session.commit()
        assert claims.give(None, db.session.get(Task, moved), db.session.get(User, other.id))
        db.session.commit()
    sheet = login_client(app, crew[0]).get(f"/tasks/route/{day}").get_data(as_text=True)
    assert sheet.count("Example Street") == 5
    assert "Not yours any more" in sheet


def test_a_driver_whose_tier_fell_sees_no_address_on_their_sheet(app, signed_in):
    """The reveal checks the holder's tier when the sheet is read, whatever lowered it (here
    a change behind the app's back that released nothing)."""
    day, tasks, crew = world(app, n_stops=4, n_drivers=1)
    dispatcher = signed_in("dispatcher")
    plan_id = start_plan(dispatcher, day, [crew[0].id])
    assert wait_for_plan(app, plan_id)["state"] == "ready"
    post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {})
    driver = login_client(app, crew[0])
    assert driver.get(f"/tasks/route/{day}").get_data(as_text=True).count("Example Street") == 4
    with app.app_context():
        from aid.models import User

        db.session.execute(update(User).where(User.id == crew[0].id).values(tier=0))
        db.session.commit()
    before = audit_rows(app)
    sheet = driver.get(f"/tasks/route/{day}")
    assert "Example Street" not in sheet.get_data(as_text=True)
    assert audit_rows(app) == before  # nothing was opened


def audit_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_somebody_elses_route_sheet_is_not_found(app, signed_in):
    day, tasks, crew = world(app, n_stops=4, n_drivers=1)
    dispatcher = signed_in("dispatcher")
    plan_id = start_plan(dispatcher, day, [crew[0].id])
    wait_for_plan(app, plan_id)
    post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {})
    stranger = login_client(app, drivers(app, 1, prefix="stranger")[0])
    assert stranger.get(f"/tasks/route/{day}").status_code == 404
    assert stranger.get("/tasks/route/not-a-day").status_code == 404


def test_replanning_after_a_driver_drops_out_moves_their_stops_and_tells_both(app, signed_in):
    day, tasks, crew = world(app, n_stops=10, n_drivers=2)
    dispatcher = signed_in("dispatcher")
    first = start_plan(dispatcher, day, [d.id for d in crew])
    wait_for_plan(app, first)
    post(dispatcher, f"/dispatch/plans/{first}/publish", {})
    holders = {t: task_row(app, t)["holder_id"] for t in tasks}
    leaving = next(d for d in crew if d.id in holders.values())
    staying = next(d for d in crew if d is not leaving)
    # One stop of the leaving driver is done already: it stays done, and theirs.
    done_task = next(t for t, h in holders.items() if h == leaving.id)
    with app.app_context():
        from aid.models import User
        from aid.tasks import claims

        claims.complete(db.session.get(User, leaving.id), done_task, "delivered")
    codes = {s["task_id"]: s["code"] for s in stops_of(app, first) if s["task_id"]}
    page = dispatcher.get(f"/dispatch/plans/new?day={day}&source={first}")
    assert page.status_code == 200
    second = start_plan(dispatcher, day, [staying.id])
    assert wait_for_plan(app, second)["state"] == "ready"
    r = post(dispatcher, f"/dispatch/plans/{second}/publish", {})
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert plan_row(app, first)["state"] == "replaced"
    after = {t: task_row(app, t) for t in tasks}
    assert after[done_task]["status"] == "done" and after[done_task]["holder_id"] == leaving.id
    for t, row in after.items():
        if t != done_task:
            assert row["status"] == "claimed" and row["holder_id"] == staying.id, (t, row)
    second_codes = {s["task_id"]: s["code"] for s in stops_of(app, second) if s["task_id"]}
    assert all(second_codes[t] == codes[t] for t in tasks if t != done_task)  # kept that day
    with app.app_context():
        kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notice))}
        ended = db.session.scalar(select(func.count(Claim.id)).where(
            Claim.ending == "replanned"))
    had_route = staying.id in holders.values()
    assert (leaving.id, "route_changed") in kinds
    assert (staying.id, "route_changed" if had_route else "route_new") in kinds
    assert ended == sum(1 for t, h in holders.items() if h == leaving.id and t != done_task)


def test_a_plan_made_before_another_was_published_cannot_be_published(app, signed_in):
    day, tasks, crew = world(app, n_stops=4, n_drivers=1)
    dispatcher = signed_in("dispatcher")
    one = start_plan(dispatcher, day, [crew[0].id])
    two = start_plan(dispatcher, day, [crew[0].id])
    wait_for_plan(app, one)
    wait_for_plan(app, two)
    assert post(dispatcher, f"/dispatch/plans/{one}/publish", {}).status_code == 200
    r = post(dispatcher, f"/dispatch/plans/{two}/publish", {})
    assert r.status_code == 409 and "plan again" in r.get_data(as_text=True)
    assert plan_row(app, two)["state"] == "ready" and plan_row(app, one)["state"] == "published"


def test_done_stops_stay_done_at_the_head_of_their_drivers_route(app):
    from aid.dayplan import publish
    from aid.models import User
    from aid.tasks import claims
    from tests.support.plans import plan_now

    day, tasks, crew = world(app, n_stops=6, n_drivers=1)
    first = plan_now(app, day)
    with app.app_context():
        publish.publish(None, first)
        order = [s.task_id for s in db.session.scalars(select(PlanStop).where(
            PlanStop.plan_id == first, PlanStop.kind == "stop").order_by(PlanStop.seq))]
        claims.complete(db.session.get(User, crew[0].id), order[0], "delivered")
        db.session.remove()
    second = plan_now(app, day)
    rows = {s["task_id"]: s for s in stops_of(app, second) if s["task_id"]}
    assert rows[order[0]]["kind"] == "done" and rows[order[0]]["seq"] == 0
    assert [r["kind"] for t, r in rows.items() if t != order[0]] == ["stop"] * 5
    with app.app_context():
        done = publish.publish(None, second)
        db.session.remove()
    assert task_row(app, order[0])["status"] == "done" and done.skipped == 0
