"""The household side of tasks (planned, done, not today, not received), overdue claims, and
the dispatcher's task pages: suggestions with reasons, assign one or all, holds, Signal."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from aid import clock
from aid.extensions import db
from aid.models import AuditEvent, HelpRequest, Notice, Task
from tests.support.app import rows_of
from tests.support.households import (
    CANARY_FORMS,
    GOOD_ANSWERS,
    canary_answers,
    submit_request,
)
from tests.support.http import post
from tests.support.staff import login_client
from tests.support.volunteers import approve_all, task_row, volunteer


def status_page(client, code: str, **extra) -> str:
    return post(client, "/status", {"code": code, **extra}, url_csrf="/status").get_data(
        as_text=True)


def today_delivery(app, code_client=None):
    household = code_client or app.test_client()
    code = submit_request(household)
    task_id = approve_all(app)[-1]
    with app.app_context():
        # The group's today (AID_TIMEZONE), which the claims code reads, not the machine's.
        db.session.execute(update(Task).where(Task.id == task_id).values(day=clock.today()))
        db.session.commit()
    return household, code, task_id


def notices(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notice.kind).where(Notice.user_id == user_id)))


def test_the_status_page_shows_when_a_delivery_is_planned_and_done(app):
    household = app.test_client()
    code = submit_request(household)
    task_id = approve_all(app)[0]
    page = status_page(household, code)
    assert "Planned for" in page and "09:00 to 12:00" in page
    member = volunteer(app, "vol-1")
    client = login_client(app, member)
    post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    post(client, f"/tasks/{task_id}/complete", {"outcome": "delivered"}, url_csrf="/tasks")
    page = status_page(household, code)
    assert "Done on" in page and "Test Household" not in page


def test_not_today_holds_todays_tasks_and_tells_the_holder(app):
    household, code, task_id = today_delivery(app)
    member = volunteer(app, "vol-1")
    client = login_client(app, member)
    post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    assert "Not today" in status_page(household, code)
    post(household, "/status/not-today", {"code": code}, url_csrf="/status")
    row = task_row(app, task_id)
    assert (row["status"], row["hold_reason"]) == ("held", "not_today")
    assert notices(app, member.id) == ["not_today"]
    mine = client.get("/tasks/mine").get_data(as_text=True)
    assert "said not today" in mine
    assert client.get(f"/tasks/{task_id}").status_code == 404  # no address while on hold


def test_i_did_not_receive_it_reaches_the_dispatcher(app, signed_in):
    household, code, task_id = today_delivery(app)
    client = login_client(app, volunteer(app, "vol-1"))
    post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    post(client, f"/tasks/{task_id}/complete", {"outcome": "delivered"}, url_csrf="/tasks")
    post(household, "/status/not-received", {"code": code}, url_csrf="/status")
    assert task_row(app, task_id)["attention"] == "not_received"
    page = signed_in("dispatcher").get("/dispatch/tasks").get_data(as_text=True)
    assert "did not arrive" in page and f"/dispatch/tasks/{task_id}" in page


def test_cancelling_a_request_cancels_its_tasks_and_tells_the_holder(app):
    household, code, task_id = today_delivery(app)
    member = volunteer(app, "vol-1")
    post(login_client(app, member), f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    with app.app_context():
        rid = db.session.scalar(select(HelpRequest.id).order_by(HelpRequest.id.desc()))
    post(household, "/status/cancel", {"code": code, "request_id": rid}, url_csrf="/status")
    assert task_row(app, task_id)["status"] == "cancelled"
    assert notices(app, member.id) == ["not_today"]


def test_a_claim_not_done_two_hours_after_its_window_goes_back(app):
    from aid.tasks.claims import release_overdue

    _household, _code, task_id = today_delivery(app)
    member = volunteer(app, "vol-1")
    post(login_client(app, member), f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    with app.app_context():
        db.session.execute(update(Task).values(window_end=24 * 60 - 1))
        db.session.commit()
        assert release_overdue() == 0  # today's window, open till midnight, is not over
        # Two days back: a window that ended yesterday at 23:59 is not two hours over
        # before 01:59 today, and the test must not depend on the hour it runs.
        db.session.execute(update(Task).values(day=clock.today() - timedelta(days=2)))
        db.session.commit()
        assert release_overdue() == 1
        assert release_overdue() == 0
    row = task_row(app, task_id)
    assert (row["status"], row["holder_id"], row["attention"]) == ("open", None, "overdue")
    assert notices(app, member.id) == ["overdue"]


# ---------------------------------------------------------------- the dispatcher's side


def test_suggestions_rank_eligible_volunteers_with_reasons_and_no_personal_data(app,
                                                                              signed_in):
    submit_request(app.test_client(), dict(canary_answers(), kinds=["groceries"],
                                           zip="55404"))
    task_id = approve_all(app)[0]
    near = volunteer(app, "near-one", home_zip="55404")
    far = volunteer(app, "farther-one", home_zip="55406")
    volunteer(app, "cannot-drive", deliver=False)
    volunteer(app, "new-tier-0", tier=0)
    page = signed_in("dispatcher").get(f"/dispatch/tasks/{task_id}").get_data(as_text=True)
    listed = re.findall(r'<li class="task-card"><bdi>([^<]+)</bdi>', page)
    assert listed == ["near-one", "farther-one"], listed
    assert "km away" in page and "Tasks this week" in page
    for needle in CANARY_FORMS:
        assert needle not in page
    assert near.id and far.id


def test_a_dispatcher_assigns_a_task_and_the_volunteer_sees_it_under_my_tasks(app,
                                                                            signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    member = volunteer(app, "vol-1")
    dispatcher = signed_in("dispatcher")
    r = post(dispatcher, f"/dispatch/tasks/{task_id}/assign", {"volunteer_id": member.id},
             url_csrf="/dispatch/tasks")
    assert r.status_code == 302
    assert task_row(app, task_id)["holder_id"] == member.id
    client = login_client(app, member)
    assert f'href="/tasks/{task_id}"' in client.get("/tasks/mine").get_data(as_text=True)
    assert notices(app, member.id) == ["assigned"]
    again = post(dispatcher, f"/dispatch/tasks/{task_id}/assign", {"volunteer_id": member.id},
                 url_csrf="/dispatch/tasks")
    assert again.status_code == 409


def test_assigning_someone_who_may_not_hold_it_is_refused(app, signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    newcomer = volunteer(app, "tier-0", tier=0)
    dispatcher = signed_in("dispatcher")
    for volunteer_id in (newcomer.id, "x", "99999", dispatcher.member.id):
        r = post(dispatcher, f"/dispatch/tasks/{task_id}/assign",
                 {"volunteer_id": volunteer_id}, url_csrf="/dispatch/tasks")
        assert r.status_code == 422, volunteer_id
    assert task_row(app, task_id)["status"] == "open"


def test_assign_all_proposes_then_confirms_one_plan_for_the_day(app, signed_in):
    for n in range(3):
        submit_request(app.test_client(), dict(GOOD_ANSWERS, street=f"{n} Plan Street",
                                               contact_handle=f"612-555-02{n}0"))
    ids = approve_all(app)
    day = date.today() + timedelta(days=2)
    with app.app_context():
        db.session.execute(update(Task).values(day=day, weekslot=day.weekday() * 3))
        db.session.commit()
    volunteer(app, "vol-a", weekly_limit=1)
    volunteer(app, "vol-b", weekly_limit=1)
    dispatcher = signed_in("dispatcher")
    page = dispatcher.get(f"/dispatch/assign?day={day.isoformat()}").get_data(as_text=True)
    pairs = re.findall(r'name="pair" value="(\d+:\d+)"', page)
    assert len(pairs) == 2  # two volunteers, one task each this week
    assert "Nobody fits these tasks" in page
    r = post(dispatcher, "/dispatch/assign", {"pair": pairs, "day": day.isoformat()},
             url_csrf="/dispatch/tasks")
    assert r.status_code == 200 and "2 tasks given" in r.get_data(as_text=True)
    assert sorted(task_row(app, i)["status"] for i in ids) == ["claimed", "claimed", "open"]


def test_hold_and_bring_back_on_another_day(app, signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    member = volunteer(app, "vol-1")
    post(login_client(app, member), f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    dispatcher = signed_in("dispatcher")
    post(dispatcher, f"/dispatch/tasks/{task_id}/hold", {}, url_csrf="/dispatch/tasks")
    assert task_row(app, task_id)["status"] == "held"
    later = date.today() + timedelta(days=9)
    post(dispatcher, f"/dispatch/tasks/{task_id}/unhold", {"day": later.isoformat()},
         url_csrf="/dispatch/tasks")
    row = task_row(app, task_id)
    assert (row["status"], row["day"], row["holder_id"]) == ("claimed", later, member.id)
    assert notices(app, member.id) == ["hold", "hold_lifted"]
    past = post(dispatcher, f"/dispatch/tasks/{task_id}/unhold",
                {"day": "2001-01-01"}, url_csrf="/dispatch/tasks")
    assert past.status_code == 409  # not held any more


def test_copy_for_signal_says_kind_area_and_window_never_a_household(app, signed_in):
    submit_request(app.test_client(), dict(canary_answers(), kinds=["groceries"]))
    task_id = approve_all(app)[0]
    page = signed_in("dispatcher").get(f"/dispatch/tasks/{task_id}").get_data(as_text=True)
    text = re.search(r'<textarea id="signal-text"[^>]*>(.*?)</textarea>', page,
                     re.DOTALL).group(1)
    assert "Grocery delivery" in text and "Minneapolis 55455" in text and "/tasks" in text
    for needle in CANARY_FORMS:
        assert needle not in text


def test_seen_clears_what_needed_attention(app, signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    with app.app_context():
        db.session.execute(update(Task).values(attention="released"))
        db.session.commit()
    dispatcher = signed_in("dispatcher")
    post(dispatcher, f"/dispatch/tasks/{task_id}/seen", {}, url_csrf="/dispatch/tasks")
    assert task_row(app, task_id)["attention"] is None
    assert [r["action"] for r in rows_of(app, AuditEvent)][-1] == "seen"


def test_suggestions_follow_changes_to_volunteers_at_once(app, signed_in):
    """The day's volunteers are kept between pages; a pause, a tier, a claim elsewhere or a
    new profile shows on the very next page."""
    submit_request(app.test_client(), dict(GOOD_ANSWERS, zip="55404"))
    task_id = approve_all(app)[0]
    first = volunteer(app, "first-one", home_zip="55404")
    dispatcher = signed_in("dispatcher")

    def listed():
        page = dispatcher.get(f"/dispatch/tasks/{task_id}").get_data(as_text=True)
        return re.findall(r'<li class="task-card"><bdi>([^<]+)</bdi>', page)

    assert listed() == ["first-one"]
    volunteer(app, "second-one", home_zip="55406")
    assert listed() == ["first-one", "second-one"]
    post(dispatcher, f"/dispatch/volunteers/{first.id}/pause", {},
         url_csrf="/dispatch/volunteers")
    assert listed() == ["second-one"]


def test_an_empty_day_points_to_the_next_day_with_tasks(app, signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    ahead = date.today() + timedelta(days=3)
    with app.app_context():
        db.session.execute(update(Task).values(day=date.today() + timedelta(days=9)))
        db.session.execute(update(Task).where(Task.id == task_id).values(day=ahead))
        db.session.commit()
    dispatcher = signed_in("dispatcher")
    page = dispatcher.get("/dispatch/tasks").get_data(as_text=True)
    assert "Nothing here." in page
    assert f'href="/dispatch/tasks?day={ahead.isoformat()}">The next day with tasks' in page
    listed = dispatcher.get(f"/dispatch/tasks?day={ahead}").get_data(as_text=True)
    assert f'href="/dispatch/tasks/{task_id}"' in listed and "The next day with" not in listed
    with app.app_context():
        db.session.execute(update(Task).values(status="done"))
        db.session.commit()
    assert "The next day with" not in dispatcher.get("/dispatch/tasks").get_data(as_text=True)


def test_the_days_list_names_its_holders(app, signed_in):
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    holder = volunteer(app, "holder-one")
    volunteer(app, "bystander-two")
    with app.app_context():
        db.session.execute(update(Task).where(Task.id == task_id).values(
            status="claimed", holder_id=holder.id))
        day = db.session.get(Task, task_id).day
        db.session.commit()
    page = signed_in("dispatcher").get(f"/dispatch/tasks?day={day}").get_data(as_text=True)
    assert "<bdi>holder-one</bdi>" in page and "bystander-two" not in page


def test_any_change_to_a_task_renews_the_kept_roster(app):
    """The day's roster is kept while nothing it reads has changed; a task changed in any way
    (here its day, behind the claim rules' back, by the ORM and by an UPDATE) must show."""
    from aid.tasks import candidates

    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    with app.app_context():
        before = candidates._fingerprint()
        db.session.get(Task, task_id).day += timedelta(days=1)
        db.session.commit()
        moved = candidates._fingerprint()
        db.session.execute(update(Task).where(Task.id == task_id).values(boxes=3))
        db.session.commit()
        assert before != moved != candidates._fingerprint()
