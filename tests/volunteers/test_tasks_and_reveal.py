"""Tasks from approved requests, the board, claims, and the address a holder sees: from the
claim until 12 hours after completion, never before, never after, never for anyone else, per
tier. Every reveal is audited."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from aid.extensions import db
from aid.models import AuditEvent, HelpRequest, Task
from aid.models._types import utcnow
from tests.support.app import rows_of, table_rows
from tests.support.households import CANARIES, GOOD_ANSWERS, canary_answers, submit_request
from tests.support.http import post
from tests.support.staff import login_client
from tests.support.volunteers import approve_all, soon, task_row, volunteer

STREET = CANARIES["street"]


@pytest.fixture
def delivery(app):
    """One approved grocery request (carrying the canaries): its delivery task's id."""
    submit_request(app.test_client(), dict(canary_answers(), kinds=["groceries"]))
    return approve_all(app)[0]


def claim(client, task_id: int, **headers):
    return post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks", headers=headers)


# ---------------------------------------------------------------- tasks from requests


def test_an_approved_grocery_request_becomes_one_delivery_on_a_chosen_day(app, delivery):
    row = task_row(app, delivery)
    assert row["kind"] == "delivery" and row["status"] == "open"
    assert row["day"].weekday() in (0, 3)  # Monday or Thursday, as the household chose
    assert date.today() < row["day"] <= date.today() + timedelta(days=7)
    assert (row["slot"], row["window_start"], row["window_end"]) == ("morning", 540, 720)
    assert row["boxes"] == 2 and row["zip"] == "55455" and row["min_tier"] == 1


def test_weekly_deliveries_are_made_ahead_without_a_new_form(app, signed_in):
    submit_request(app.test_client())
    dispatcher = signed_in("dispatcher")
    rid = db_first_request(app)
    until = (date.today() + timedelta(days=20)).isoformat()
    post(dispatcher, f"/dispatch/requests/{rid}/approve", {"weekly": "y", "until": until})
    days = [r["day"] for r in rows_of(app, Task)]
    assert len(days) == 2 and {d.weekday() for d in days} == {0, 3}  # the next week's
    with app.app_context():
        from aid.tasks.making import extend_all

        db.session.execute(update(Task).values(day=date.today()))  # time passes...
        from aid.models import Recurrence

        db.session.execute(update(Recurrence).values(made_until=date.today()))
        db.session.commit()
        assert extend_all() == 2  # ...and the next week's deliveries appear by themselves
        assert extend_all() == 0  # once


def db_first_request(app) -> int:
    with app.app_context():
        return db.session.scalar(select(HelpRequest.id))


def test_translation_and_court_requests_become_their_tasks(app):
    submit_request(app.test_client(), dict(
        GOOD_ANSWERS, kinds=["translation", "court"], translation_languages="Somali",
        translation_format="document", translation_mode="phone", translation_by=soon(4),
        court_date=soon(6), court_time="9:30", court_name="Demo Court"))
    approve_all(app)
    rows = {r["kind"]: r for r in rows_of(app, Task)}
    assert set(rows) == {"translation_remote", "court"}
    assert rows["translation_remote"]["min_tier"] == 0 and rows["court"]["min_tier"] == 1
    assert rows["court"]["day"].isoformat() == soon(6)
    assert (rows["court"]["window_start"], rows["court"]["priority"]) == (8 * 60 + 30, 3)


# ---------------------------------------------------------------- the board


def test_the_board_shows_kind_area_band_window_and_language_never_a_household(app, delivery):
    client = login_client(app, volunteer(app, "vol-1"))
    page = client.get("/tasks").get_data(as_text=True)
    assert "Grocery delivery" in page and "Minneapolis 55455" in page and "km away" in page
    assert f'action="/tasks/{delivery}/claim"' in page
    for value in CANARIES.values():
        assert value not in page
    assert f'href="/tasks/{delivery}"' not in page  # no page for a task not yours


@pytest.mark.parametrize("profile, shown", [
    ({}, True),
    ({"deliver": False}, False),  # cannot do the kind
    ({"boxes": 1}, False),  # two boxes to carry
    ({"home_zip": "55901", "max_km": 5}, False),  # Rochester: too far
    ({"availability": ["mon:evening"]}, False),  # not free then
])
def test_the_board_lists_only_what_a_volunteer_can_do_near_them_when_free(app, delivery,
                                                                          profile, shown):
    client = login_client(app, volunteer(app, "vol-1", **profile))
    page = client.get("/tasks").get_data(as_text=True)
    assert (f"/tasks/{delivery}/claim" in page) is shown


def test_a_tier_zero_volunteer_sees_and_claims_no_task_that_shows_an_address(app, delivery):
    submit_request(app.test_client(), dict(GOOD_ANSWERS, kinds=["translation"],
                                           translation_languages="Somali",
                                           translation_format="live",
                                           translation_mode="phone", street="2 Other St"))
    remote = approve_all(app)[-1]
    client = login_client(app, volunteer(app, "new-1", tier=0))
    page = client.get("/tasks").get_data(as_text=True)
    assert f"/tasks/{remote}/claim" in page and f"/tasks/{delivery}/claim" not in page
    before = table_rows(app)
    assert claim(client, delivery).status_code == 404  # as if it did not exist
    assert table_rows(app) == before
    assert claim(client, remote).status_code == 302


def test_a_pending_volunteer_waits_and_can_claim_nothing(app, delivery):
    member = volunteer(app, "pending-1")
    with app.app_context():
        from aid.models import User

        db.session.get(User, member.id).vetting = "pending"
        db.session.commit()
    client = login_client(app, member)
    assert "Waiting for approval" in client.get("/tasks").get_data(as_text=True)
    assert claim(client, delivery).status_code == 404


# ---------------------------------------------------------------- the address window


def reveals(app) -> list[tuple]:
    return [(r["action"], r["actor_id"], r["task_id"]) for r in rows_of(app, AuditEvent)
            if r["action"] == "reveal_task"]


def test_the_holder_sees_the_address_from_the_claim_until_twelve_hours_after(app, delivery):
    holder = volunteer(app, "vol-1")
    client = login_client(app, holder)
    assert client.get(f"/tasks/{delivery}").status_code == 404  # before the claim
    assert claim(client, delivery).headers["Location"] == f"/tasks/{delivery}"
    page = client.get(f"/tasks/{delivery}").get_data(as_text=True)
    assert STREET in page and CANARIES["code_word"] in page
    assert "Never ask for a status code" in page
    assert reveals(app) == [("reveal_task", holder.id, delivery)]
    post(client, f"/tasks/{delivery}/complete", {"outcome": "delivered"}, url_csrf="/tasks")
    assert STREET in client.get(f"/tasks/{delivery}").get_data(as_text=True)  # still, for now
    with app.app_context():
        db.session.execute(update(Task).values(completed_at=utcnow() - timedelta(hours=12,
                                                                                  minutes=1)))
        db.session.commit()
    assert client.get(f"/tasks/{delivery}").status_code == 404  # never again
    assert len(reveals(app)) == 2


def test_nobody_else_sees_a_task_page_whatever_id_they_try(app, delivery):
    holder, other = volunteer(app, "vol-1"), volunteer(app, "vol-2")
    claim(login_client(app, holder), delivery)
    snoop = login_client(app, other)
    for task_id in (delivery, delivery - 1, delivery + 1, 0, 2**31, 10**20):
        r = snoop.get(f"/tasks/{task_id}")
        assert r.status_code == 404, task_id
        assert STREET not in r.get_data(as_text=True)
    assert reveals(app) == []


def test_someone_else_cannot_release_or_complete_a_task(app, delivery):
    holder, other = volunteer(app, "vol-1"), volunteer(app, "vol-2")
    claim(login_client(app, holder), delivery)
    snoop = login_client(app, other)
    snoop.get("/tasks")
    before = table_rows(app)
    assert post(snoop, f"/tasks/{delivery}/release", {"reason": "other"},
                url_csrf="/tasks").status_code == 404
    assert post(snoop, f"/tasks/{delivery}/complete", {"outcome": "delivered"},
                url_csrf="/tasks").status_code == 404
    assert table_rows(app) == before


def test_a_released_task_goes_back_to_the_board_and_its_address_closes(app, delivery):
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, delivery)
    r = post(client, f"/tasks/{delivery}/release", {"reason": "too_far"}, url_csrf="/tasks")
    assert r.status_code == 302 and r.headers["Location"] == "/tasks"
    row = task_row(app, delivery)
    assert (row["status"], row["holder_id"], row["attention"]) == ("open", None, "released")
    assert client.get(f"/tasks/{delivery}").status_code == 404
    assert post(client, f"/tasks/{delivery}/release", {"reason": "x"},
                url_csrf="/tasks").status_code == 404


@pytest.mark.parametrize("form, status", [({"reason": ""}, 422), ({"reason": "bored"}, 422)])
def test_a_release_needs_a_known_reason(app, delivery, form, status):
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, delivery)
    assert post(client, f"/tasks/{delivery}/release", form, url_csrf="/tasks").status_code \
        == status
    assert task_row(app, delivery)["status"] == "claimed"


def test_claiming_a_taken_task_is_a_kind_409(app, delivery):
    claim(login_client(app, volunteer(app, "vol-1")), delivery)
    late = login_client(app, volunteer(app, "vol-2"))
    r = claim(late, delivery)
    assert r.status_code == 409 and "Someone was faster" in r.get_data(as_text=True)
    assert claim(late, delivery, Accept="application/json").get_json()["error"] == "taken"


def test_completing_the_last_task_closes_the_request(app, delivery):
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, delivery)
    r = post(client, f"/tasks/{delivery}/complete", {"outcome": "delivered"}, url_csrf="/tasks")
    assert r.status_code == 302
    with app.app_context():
        req = db.session.scalar(select(HelpRequest))
        assert req.status == "done" and req.household.last_closed_at is not None


def test_nobody_home_is_done_but_the_dispatcher_sees_it(app, delivery):
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, delivery)
    post(client, f"/tasks/{delivery}/complete", {"outcome": "nobody_home"}, url_csrf="/tasks")
    assert task_row(app, delivery)["attention"] == "nobody_home"
    with app.app_context():
        assert db.session.scalar(select(HelpRequest.status)) == "approved"


def test_i_cannot_make_it_gives_back_every_task_of_that_day(app):
    for n in range(3):
        submit_request(app.test_client(), dict(GOOD_ANSWERS, street=f"{n} Day Street"))
    ids = approve_all(app)
    with app.app_context():
        db.session.execute(update(Task).values(day=date.today() + timedelta(days=1)))
        db.session.commit()
    client = login_client(app, volunteer(app, "vol-1"))
    for task_id in ids:
        assert claim(client, task_id).status_code == 302
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    r = post(client, "/tasks/mine/cannot-make-it", {"day": tomorrow}, url_csrf="/tasks")
    assert r.status_code == 302
    assert {task_row(app, i)["status"] for i in ids} == {"open"}


def test_my_tasks_shows_what_i_hold_and_what_is_due_today(app, delivery):
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, delivery)
    with app.app_context():
        db.session.execute(update(Task).values(day=date.today()))
        db.session.commit()
    page = client.get("/tasks/mine").get_data(as_text=True)
    assert "Grocery delivery" in page and "Today" in page
    assert f'href="/tasks/{delivery}"' in page and STREET not in page


def test_a_court_accompaniment_offers_a_calendar_entry_without_the_household(app):
    submit_request(app.test_client(), dict(canary_answers(), kinds=["court"],
                                           court_time="14:00"))
    task_id = approve_all(app)[0]
    client = login_client(app, volunteer(app, "vol-1"))
    claim(client, task_id)
    r = client.get(f"/tasks/{task_id}/court.ics")
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in body and CANARIES["court_name"] in body
    for value in (CANARIES["name"], CANARIES["street"], CANARIES["contact_handle"]):
        assert value not in body
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", body)
    other = login_client(app, volunteer(app, "vol-2"))
    assert other.get(f"/tasks/{task_id}/court.ics").status_code == 404
