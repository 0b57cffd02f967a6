"""Joining: invitations that work once and expire, pending until approved, a contact sealed
like a household's, vetting tiers, pause and remove; the profile a volunteer keeps."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from aid.extensions import db
from aid.models import Invite, StaffSession, Task, User, VolunteerKey, VolunteerProfile
from aid.models._types import utcnow
from tests.support.app import ON_PG, table_rows
from tests.support.households import submit_request
from tests.support.http import TOKEN, post
from tests.support.staff import PASSWORD, login_client
from tests.support.volunteers import approve_all, task_row, volunteer

CONTACT = "signal: Quillfeather-Marrowgate"  # a canary: it must exist only sealed

JOIN = {"handle": "new-helper", "password": PASSWORD, "password_again": PASSWORD,
        "contact": CONTACT, "languages": ["so", "en"], "deliver": "y", "vehicle": "bike",
        "boxes": "2", "availability": ["mon:morning", "thu:evening"], "home_zip": "55406",
        "max_km": "6", "weekly_limit": "2"}


def invite(app, signed_in, tier: str = "") -> str:
    """A dispatcher makes an invitation; the link is on the page once: its token."""
    page = post(signed_in("dispatcher"), "/dispatch/invites", {"tier": tier},
                url_csrf="/dispatch/volunteers").get_data(as_text=True)
    return re.search(r"/join/([A-Za-z0-9_-]+)</code>", page).group(1)


def join(app, token: str, **changes):
    client = app.test_client()
    page = client.get(f"/join/{token}")
    data = dict(JOIN, **changes, csrf_token=TOKEN.search(page.get_data(as_text=True)).group(1))
    return client, client.post(f"/join/{token}", data=data)


def user(app, handle: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.handle == handle))
        db.session.expunge(found)
        return found


def test_an_invitation_makes_a_pending_volunteer_who_waits(app, signed_in):
    token = invite(app, signed_in)
    with app.app_context():
        assert db.session.scalar(select(Invite.token_hash)) != token  # only its hash is kept
    client, r = join(app, token)
    assert r.status_code == 302 and r.headers["Location"] == "/me"
    joined = user(app, "new-helper")
    assert (joined.vetting, joined.tier, joined.roles) == ("pending", 0, "volunteer")
    assert "Waiting for approval" in client.get("/tasks").get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(VolunteerProfile, joined.id)
        assert profile.languages == "en,so" and profile.vehicle == "bike" and profile.boxes == 2
        assert profile.home_zip == "55406" and profile.home_lat is not None


def test_an_invitation_works_once(app, signed_in):
    token = invite(app, signed_in)
    join(app, token)
    again = app.test_client().get(f"/join/{token}")
    assert again.status_code == 404


def test_an_old_or_unknown_invitation_is_404(app, signed_in):
    token = invite(app, signed_in)
    with app.app_context():
        db.session.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert app.test_client().get(f"/join/{token}").status_code == 404
    assert app.test_client().get("/join/not-a-real-token").status_code == 404
    assert app.test_client().get("/join/" + "x" * 200).status_code == 404


def test_two_sign_ups_with_one_link_at_once_make_one_volunteer(app, signed_in):
    token = invite(app, signed_in)
    clients = [app.test_client() for _ in range(4)]
    tokens = [TOKEN.search(c.get(f"/join/{token}").get_data(as_text=True)).group(1)
              for c in clients]
    barrier, statuses = threading.Barrier(4), []

    def go(i):
        barrier.wait()
        r = clients[i].post(f"/join/{token}", data=dict(JOIN, handle=f"racer-{i}",
                                                          csrf_token=tokens[i]))
        statuses.append(r.status_code)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(302) == 1, statuses
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(
            User.handle.startswith("racer-"))) == 1


def test_a_pre_vetted_invitation_approves_at_its_tier(app, signed_in):
    _client, r = join(app, invite(app, signed_in, tier="1"))
    assert r.status_code == 302
    assert (user(app, "new-helper").vetting, user(app, "new-helper").tier) == ("approved", 1)


@pytest.mark.parametrize("changes, message", [
    ({"handle": "Real Name Here"}, "Use 3 to 32 letters"),
    ({"password": "short", "password_again": "short"}, "at least 12 characters"),
    ({"password_again": "something else entirely"}, "not the same"),
    ({"home_zip": "00000"}, "We do not know that ZIP code"),
    ({"languages": []}, "Choose at least one language"),
    ({"boxes": "900"}, "Enter a number from 0 to 40"),
    ({"vehicle": "helicopter"}, "Choose one of the options shown"),
])
def test_bad_sign_ups_are_refused_with_a_message_and_nothing_is_made(app, signed_in, changes,
                                                                     message):
    token = invite(app, signed_in)
    before = table_rows(app)
    _client, r = join(app, token, **changes)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert table_rows(app) == before


def test_a_handle_already_taken_is_refused(app, signed_in):
    volunteer(app, "new-helper")
    _client, r = join(app, invite(app, signed_in))
    assert r.status_code == 422


@pytest.mark.skipif(ON_PG, reason="the SQLite file's bytes")
def test_the_volunteer_contact_is_sealed_in_the_database(app, signed_in):
    from pathlib import Path

    join(app, invite(app, signed_in))
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    data = b"".join(Path(p).read_bytes() for p in (path, path + "-wal") if Path(p).exists())
    assert CONTACT.encode() not in data and b"Quillfeather" not in data


def test_a_dispatcher_approves_a_pending_volunteer_and_the_board_opens(app, signed_in):
    client, _r = join(app, invite(app, signed_in))
    joined = user(app, "new-helper")
    dispatcher = signed_in("dispatcher")
    page = dispatcher.get("/dispatch/volunteers").get_data(as_text=True)
    assert "new-helper" in page and CONTACT not in page
    post(dispatcher, f"/dispatch/volunteers/{joined.id}/approve", {"tier": "1"},
         url_csrf="/dispatch/volunteers")
    assert "Task board" in client.get("/tasks").get_data(as_text=True)
    assert user(app, "new-helper").tier == 1


def test_a_tier_change_changes_what_a_volunteer_may_claim(app, signed_in):
    member = volunteer(app, "vol-1", tier=0)
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    client = login_client(app, member)
    assert post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks").status_code == 404
    post(signed_in("dispatcher"), f"/dispatch/volunteers/{member.id}/tier", {"tier": "1"},
         url_csrf="/dispatch/volunteers")
    assert post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks").status_code == 302
    post(signed_in("dispatcher"), f"/dispatch/volunteers/{member.id}/tier", {"tier": "0"},
         url_csrf="/dispatch/volunteers")
    assert client.get(f"/tasks/{task_id}").status_code == 404  # the address closes too
    row = task_row(app, task_id)
    assert (row["status"], row["holder_id"]) == ("open", None)  # and the task goes back


def test_pausing_ends_sessions_at_once_and_gives_tasks_back(app, signed_in):
    member = volunteer(app, "vol-1")
    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    client = login_client(app, member)
    post(client, f"/tasks/{task_id}/claim", {}, url_csrf="/tasks")
    post(signed_in("dispatcher"), f"/dispatch/volunteers/{member.id}/pause", {},
         url_csrf="/dispatch/volunteers")
    assert client.get("/tasks").status_code == 302  # signed out, at once
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffSession.id)).where(
            StaffSession.user_id == member.id)) == 0
    assert task_row(app, task_id)["status"] == "open"


def test_removing_shreds_the_contact(app, signed_in):
    client, _r = join(app, invite(app, signed_in, tier="1"))
    joined = user(app, "new-helper")
    post(signed_in("dispatcher"), f"/dispatch/volunteers/{joined.id}/remove",
         {"confirm": "yes"}, url_csrf="/dispatch/volunteers")
    with app.app_context():
        assert db.session.get(VolunteerKey, joined.id) is None
        assert db.session.get(VolunteerProfile, joined.id).contact_enc is None
        assert db.session.get(User, joined.id).removed_at is not None
    assert client.get("/tasks").status_code == 302
    assert "new-helper" not in signed_in("dispatcher").get("/dispatch/volunteers").get_data(
        as_text=True)


def test_removing_needs_a_confirmation(app, signed_in):
    member = volunteer(app, "vol-1")
    r = post(signed_in("dispatcher"), f"/dispatch/volunteers/{member.id}/remove", {},
             url_csrf="/dispatch/volunteers")
    assert r.status_code == 422 and user(app, "vol-1").removed_at is None


def test_a_volunteer_keeps_their_profile(app):
    member = volunteer(app, "vol-1")
    client = login_client(app, member)
    page = client.get("/me").get_data(as_text=True)
    assert 'value="signal: test-volunteer"' in page
    r = post(client, "/me", {"contact": "signal: moved", "languages": ["hmn"],
                             "home_zip": "55411", "max_km": "3", "weekly_limit": "1",
                             "boxes": "0"}, url_csrf="/me")
    assert r.status_code == 200 and "Saved." in r.get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(VolunteerProfile, member.id)
        assert (profile.languages, profile.home_zip, profile.deliver) == ("hmn", "55411", False)


def test_a_volunteer_can_add_totp_and_then_needs_it_to_sign_in(app):
    member = volunteer(app, "vol-1")
    client = login_client(app, member)
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"',
                       client.get("/me").get_data(as_text=True)).group(1)
    bad = post(client, "/me/totp", {"secret": secret, "code": "000000"}, url_csrf="/me")
    assert bad.status_code == 422
    ok = post(client, "/me/totp", {"secret": secret, "code": pyotp.TOTP(secret).now()},
              url_csrf="/me")
    assert ok.status_code == 302
    fresh = app.test_client()
    r = post(fresh, "/login", {"handle": "vol-1", "password": PASSWORD, "code": ""},
             url_csrf="/login")
    assert r.status_code == 401  # the second step is now required


def test_the_invite_command_prints_a_working_link(app, runner):
    result = runner.invoke(args=["aid", "invite", "--tier", "1"])
    assert result.exit_code == 0
    token = re.search(r"/join/([A-Za-z0-9_-]+)\s*$", result.output).group(1)
    assert app.test_client().get(f"/join/{token}").status_code == 200


def test_create_user_makes_an_approved_volunteer_at_a_tier(app, runner):
    result = runner.invoke(args=["aid", "create-user", "--handle", "script-vol", "--role",
                                 "volunteer", "--tier", "2", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert (user(app, "script-vol").vetting, user(app, "script-vol").tier) == ("approved", 2)
    with app.app_context():
        assert db.session.scalar(select(func.count(Task.id))) == 0
