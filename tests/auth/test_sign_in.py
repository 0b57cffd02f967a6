"""Staff sign-in and sessions as a person at the keyboard sees them (properties 6, 15-18).

Timeouts are tested by moving the session's timestamps back in the database, not by sleeping.
"""
from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from aid.extensions import db
from aid.models import StaffSession, User
from aid.models._types import utcnow
from aid.security import end_all_sessions
from tests.support.http import post
from tests.support.staff import COOKIE, HOST, PASSWORD, session_payload, sign_in

TRIAGE = "/dispatch/"


def sign_in_as(client, handle: str, password: str = PASSWORD, code: str = ""):
    return post(client, "/login", {"handle": handle, "password": password, "code": code},
                url_csrf="/login")


def is_signed_in(client) -> bool:
    """Open the triage list: 200 when the server knows the session, the login page if not."""
    r = client.get(TRIAGE)
    if r.status_code == 302:
        assert r.headers["Location"].startswith("/login")
        return False
    assert r.status_code == 200, r.status_code
    return True


def session_rows(app, user_id: int | None = None) -> int:
    with app.app_context():
        q = select(func.count()).select_from(StaffSession)
        if user_id is not None:
            q = q.where(StaffSession.user_id == user_id)
        n = db.session.scalar(q)
        db.session.remove()
        return n


def cookie_value(client) -> str:
    return client.get_cookie(COOKIE, domain=HOST).value


def with_cookie(app, value: str):
    """A different browser that presents a copied cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, value, domain=HOST)
    return other


def shift_sessions(app, **columns) -> None:
    with app.app_context():
        db.session.execute(update(StaffSession).values(**columns))
        db.session.commit()
        db.session.remove()


def user_row(app, handle: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == handle))
        db.session.expunge(user)
        return user


# ---------------------------------------------------------------- property 18


def test_passwords_are_stored_with_scrypt(app, staff):
    staff("dispatcher-1", ["dispatcher"])
    stored = user_row(app, "dispatcher-1").password_hash
    method, _salt, digest = stored.split("$")
    name, n, r, p = method.split(":")
    assert name == "scrypt" and int(n) >= 2 ** 15 and int(r) >= 8 and int(p) >= 1
    assert len(digest) >= 64
    assert PASSWORD not in stored


def test_two_accounts_with_one_password_get_different_hashes(app, staff):
    staff("dispatcher-1", ["dispatcher"])
    staff("volunteer-1", ["volunteer"])
    assert user_row(app, "dispatcher-1").password_hash != user_row(app, "volunteer-1").password_hash


# ---------------------------------------------------------------- property 17


@pytest.mark.parametrize("role", ["dispatcher", "treasurer", "admin"])
def test_totp_is_required_for_staff_who_see_data_or_money(app, staff, role):
    member = staff(f"{role}-1", [role])
    client = app.test_client()
    for code in ("", "000000", "12345"):
        r = sign_in_as(client, member.handle, code=code)
        assert r.status_code == 401, code
        assert session_rows(app) == 0
        assert "sid" not in session_payload(app, client)
    assert sign_in_as(client, member.handle, code=member.code()).status_code == 302
    assert session_rows(app) == 1


def test_volunteer_signs_in_without_totp(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    assert member.secret is None
    r = sign_in_as(app.test_client(), member.handle)
    assert r.status_code == 302 and r.headers["Location"] == "/tasks"


@pytest.mark.parametrize("typed", ["spaced", "arabic-indic"])
def test_totp_code_typed_as_the_app_shows_it_works(app, staff, typed):
    """Authenticator apps show "123 456"; phones set to Arabic may type ١٢٣٤٥٦."""
    member = staff("dispatcher-1", ["dispatcher"])
    code = member.code()
    if typed == "spaced":
        code = f" {code[:3]} {code[3:]} "
    else:
        code = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert sign_in_as(app.test_client(), member.handle, code=code).status_code == 302


def test_totp_code_works_only_once(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    code = member.code()
    first = app.test_client()
    assert sign_in_as(first, member.handle, code=code).status_code == 302
    second = app.test_client()  # someone who watched the code being typed
    assert sign_in_as(second, member.handle, code=code).status_code == 401
    assert not is_signed_in(second)
    assert session_rows(app) == 1


def test_an_older_totp_code_does_not_work_after_a_newer_one(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    totp = pyotp.TOTP(member.secret)
    now = totp.timecode(time.time())
    assert sign_in_as(app.test_client(), member.handle,
                   code=totp.generate_otp(now + 1)).status_code == 302
    assert sign_in_as(app.test_client(), member.handle,
                   code=totp.generate_otp(now)).status_code == 401


# ---------------------------------------------------------------- property 16


def wrong_guesses(app, handle: str, n: int, client=None) -> None:
    client = client or app.test_client()
    for _ in range(n):
        assert sign_in_as(client, handle, password="wrong guess").status_code == 401


def still_waiting(app, handle: str) -> None:
    """The guesses put the account on a wait; hold that wait for a minute, as a guesser who
    keeps trying would, so a slow machine cannot let it run out between two requests."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.handle == handle))
        assert user.backoff_until is not None and user.failed_logins >= 5
        user.backoff_until = utcnow() + timedelta(minutes=1)
        db.session.commit()


def test_after_five_wrong_guesses_the_next_try_waits_for_that_account_only(app, staff):
    held = staff("volunteer-1", ["volunteer"])
    other = staff("volunteer-2", ["volunteer"])
    attacker = app.test_client()
    wrong_guesses(app, held.handle, 5, attacker)
    still_waiting(app, held.handle)
    # From a browser it has never signed in from, even the right password waits now...
    assert sign_in_as(app.test_client(), held.handle).status_code == 401
    assert session_rows(app) == 0
    # ...while another account signs in fine, from the same address as the attacker.
    assert sign_in_as(attacker, other.handle).status_code == 302
    assert session_rows(app) == 1


def test_four_wrong_guesses_do_not_hold_the_account(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    client = app.test_client()
    wrong_guesses(app, member.handle, 4, client)
    assert sign_in_as(client, member.handle).status_code == 302


def test_the_wait_doubles_and_never_exceeds_a_minute(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    waits = []
    for _ in range(12):
        with app.app_context():
            db.session.execute(update(User).values(backoff_until=None))
            db.session.commit()
        wrong_guesses(app, member.handle, 1)
        row = user_row(app, member.handle)
        if row.backoff_until:
            waits.append(round((row.backoff_until - utcnow()).total_seconds()))
    assert waits[:4] == [1, 2, 4, 8] and max(waits) == 60


def test_the_account_opens_again_when_the_wait_is_over(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    client = app.test_client()
    wrong_guesses(app, member.handle, 5, client)
    still_waiting(app, member.handle)
    assert sign_in_as(client, member.handle).status_code == 401
    with app.app_context():
        db.session.execute(update(User).values(backoff_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert sign_in_as(client, member.handle).status_code == 302


def test_guesses_never_lock_the_owner_out_with_a_fresh_totp_code(app, staff):
    """Property 34: the right password and a fresh TOTP code sign in whatever others tried."""
    member = staff("dispatcher-1", ["dispatcher"])
    wrong_guesses(app, member.handle, 30)
    still_waiting(app, member.handle)
    r = sign_in_as(app.test_client(), member.handle, code=member.code())
    assert r.status_code == 302
    assert user_row(app, member.handle).failed_logins == 0


def test_guesses_never_lock_the_owner_out_of_a_browser_they_signed_in_from(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    own = app.test_client()
    assert sign_in_as(own, member.handle).status_code == 302
    assert post(own, "/logout", {}).status_code == 302
    wrong_guesses(app, member.handle, 30)
    still_waiting(app, member.handle)
    assert sign_in_as(app.test_client(), member.handle).status_code == 401  # a stranger waits
    assert sign_in_as(own, member.handle).status_code == 302  # the owner's browser does not


def test_a_forged_device_cookie_passes_nothing(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    wrong_guesses(app, member.handle, 5)
    still_waiting(app, member.handle)
    forger = app.test_client()
    forger.set_cookie("aid_device", "abc.0123456789abcdef0123456789abcdef", domain=HOST)
    assert sign_in_as(forger, member.handle).status_code == 401


def test_tries_during_the_wait_are_not_even_checked(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    wrong_guesses(app, member.handle, 5)
    still_waiting(app, member.handle)
    before = user_row(app, member.handle).failed_logins
    wrong_guesses(app, member.handle, 3)
    assert user_row(app, member.handle).failed_logins == before


def test_failed_login_page_does_not_say_which_part_was_wrong(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    pages = [sign_in_as(app.test_client(), handle, password=pw).get_data(as_text=True)
             for handle, pw in ((member.handle, "wrong guess"), ("nobody-here", PASSWORD))]
    strip = [p.replace("nobody-here", member.handle) for p in pages]
    strip = [re.sub(r'name="csrf_token" value="[^"]*"', "", p) for p in strip]
    assert strip[0] == strip[1]


# ---------------------------------------------------------------- property 15


def test_login_issues_a_new_session(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    client.get("/login")
    before = cookie_value(client)
    assert sign_in(client, member).status_code == 302
    after = cookie_value(client)
    assert before != after
    assert "sid" not in session_payload(app, with_cookie(app, before))
    assert session_payload(app, client)["sid"]
    # The cookie from before sign-in does not open staff pages, in this browser or another.
    assert not is_signed_in(with_cookie(app, before))
    assert is_signed_in(client)


def test_each_login_gets_its_own_session_token(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    first, second = app.test_client(), app.test_client()
    assert sign_in(first, member).status_code == 302
    assert sign_in(second, member).status_code == 302
    assert session_payload(app, first)["sid"] != session_payload(app, second)["sid"]
    assert session_rows(app) == 2


def test_logout_ends_the_session_on_the_server(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    copied = cookie_value(client)
    assert is_signed_in(with_cookie(app, copied))  # the copy works while signed in
    r = post(client, "/logout", {})
    assert r.status_code == 302
    assert session_rows(app) == 0
    assert not is_signed_in(client)
    assert not is_signed_in(with_cookie(app, copied))


def test_session_idle_past_the_limit_ends(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    idle = app.config["AID_SESSION_IDLE_MINUTES"]
    shift_sessions(app, last_seen_at=utcnow() - timedelta(minutes=idle, seconds=5))
    assert not is_signed_in(client)
    assert session_rows(app) == 0


def test_session_idle_within_the_limit_stays(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    idle = app.config["AID_SESSION_IDLE_MINUTES"]
    shift_sessions(app, last_seen_at=utcnow() - timedelta(minutes=idle - 1))
    assert is_signed_in(client)
    # Being seen moves the idle clock forward.
    with app.app_context():
        seen = db.session.scalar(select(StaffSession.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)


def test_session_past_the_absolute_limit_ends_even_when_active(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    hours = app.config["AID_SESSION_MAX_HOURS"]
    shift_sessions(app, created_at=utcnow() - timedelta(hours=hours, seconds=5),
                   last_seen_at=utcnow())
    assert not is_signed_in(client)
    assert session_rows(app) == 0


def test_session_within_the_absolute_limit_stays(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    hours = app.config["AID_SESSION_MAX_HOURS"]
    shift_sessions(app, created_at=utcnow() - timedelta(hours=hours, minutes=-5),
                   last_seen_at=utcnow())
    assert is_signed_in(client)


# ---------------------------------------------------------------- property 6


def test_pausing_an_account_ends_its_sessions_at_once(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    colleague = staff("dispatcher-2", ["dispatcher"])
    phone, laptop = app.test_client(), app.test_client()
    assert sign_in(phone, member).status_code == 302
    assert sign_in(laptop, member).status_code == 302
    other = app.test_client()
    assert sign_in(other, colleague).status_code == 302
    with app.app_context():
        user = db.session.get(User, member.id)
        user.active = False
        end_all_sessions(user.id)
        db.session.commit()
    assert session_rows(app, member.id) == 0
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    # The colleague is not touched.
    assert session_rows(app, colleague.id) == 1
    assert is_signed_in(other)


def test_paused_account_cannot_sign_in_again(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    with app.app_context():
        db.session.get(User, member.id).active = False
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, member).status_code == 401
    assert session_rows(app) == 0


def test_a_session_seen_while_paused_stays_ended_after_unpausing(app, staff):
    """Pausing by the flag alone (no end_all_sessions) still ends a session once it is used."""
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    copied = cookie_value(client)

    def set_active(value: bool) -> None:
        with app.app_context():
            db.session.get(User, member.id).active = value
            db.session.commit()

    set_active(False)
    assert not is_signed_in(client)
    set_active(True)
    assert not is_signed_in(with_cookie(app, copied))
    assert session_rows(app, member.id) == 0


def test_ending_all_sessions_alone_signs_the_account_out(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    assert sign_in(client, member).status_code == 302
    with app.app_context():
        end_all_sessions(member.id)
        db.session.commit()
    assert not is_signed_in(client)


# ---------------------------------------------------------------- property 4


def test_posting_roles_to_the_login_form_grants_nothing(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    client = app.test_client()
    r = post(client, "/login", {"handle": member.handle, "password": PASSWORD, "code": "",
                                "roles": "admin,dispatcher", "role": "admin", "active": "1",
                                "_user_id": "999", "sid": "x", "is_admin": "1"},
             url_csrf="/login")
    assert r.status_code == 302
    assert user_row(app, member.handle).roles == "volunteer"
    assert client.get(TRIAGE).status_code == 403
    assert session_payload(app, client)["_user_id"] == str(member.id)


# ---------------------------------------------------------------- the same, at once


def _at_once(app, handle: str, password: str, code: str, n: int) -> list[int]:
    """n browsers send one sign-in each at the same moment; their statuses."""
    clients = [app.test_client() for _ in range(n)]
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"',
                        c.get("/login").get_data(as_text=True)).group(1) for c in clients]
    barrier = threading.Barrier(n)
    statuses = [0] * n

    def run(i):
        barrier.wait()
        statuses[i] = clients[i].post("/login", data={
            "handle": handle, "password": password, "code": code,
            "csrf_token": tokens[i]}).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_simultaneous_failed_logins_all_count_towards_the_wait(app, staff):
    member = staff("volunteer-1", ["volunteer"])
    assert _at_once(app, member.handle, "wrong guess", "", 8) == [401] * 8
    row = user_row(app, member.handle)
    assert row.failed_logins == 8  # none escaped the count by arriving at the same moment
    assert row.backoff_until is not None  # and the account waits (2^(8-5) s) for each
    assert session_rows(app) == 0


def test_one_totp_code_sent_from_several_browsers_at_once_works_once(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    statuses = _at_once(app, member.handle, PASSWORD, member.code(), 6)
    assert sorted(statuses) == [302] + [401] * 5
    assert session_rows(app) == 1


def test_sign_in_never_redirects_to_another_site(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    r = post(client, "/login?next=https://evil.example/phish",
             {"handle": member.handle, "password": PASSWORD, "code": member.code()},
             url_csrf="/login")
    assert r.status_code == 302 and r.headers["Location"] == "/dispatch/"


def test_a_strange_totp_code_is_refused_like_a_wrong_one(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    for n, code in enumerate(["12345é", "١٢٣٤٥x", "😀😀😀😀😀😀", "x" * 200], start=1):
        assert sign_in_as(client, member.handle, code=code).status_code == 401, code
        assert user_row(app, member.handle).failed_logins == n


def test_a_nul_byte_or_bidi_control_in_a_handle_is_dropped_never_a_500(app, staff):
    """What people type is cleaned of null bytes and bidi controls before anything else."""
    member = staff("dispatcher-1", ["dispatcher"])
    r = sign_in_as(app.test_client(), member.handle + "\x00\u202e", code=member.code())
    assert r.status_code == 302
    assert sign_in_as(app.test_client(), "nobody\x00", code="").status_code == 401


# ---------------------------------------------------------------- where each role lands


@pytest.mark.parametrize("roles, home", [(["dispatcher"], "/dispatch/"),
                                         (["admin"], "/dispatch/"),
                                         (["volunteer"], "/tasks"), (["treasurer"], "/ledger/")])
def test_each_role_lands_on_its_own_page_which_says_who_is_signed_in(app, staff, roles, home):
    member = staff(f"{roles[0]}-1", roles)
    client = app.test_client()
    r = sign_in_as(client, member.handle, code=member.code())
    assert r.status_code == 302 and r.headers["Location"] == home
    page = client.get(home).get_data(as_text=True)
    assert f"Signed in as <bdi>{member.handle}</bdi>" in page


@pytest.mark.parametrize("target", ["/dispatch/?status=approved", "/home"])
def test_next_takes_a_signed_in_person_back_to_a_page_of_this_site(app, staff, target):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert 'name="next" value="' in page
    r = post(client, "/login", {"handle": member.handle, "password": PASSWORD,
                                "code": member.code(), "next": target}, url_csrf="/login")
    assert r.status_code == 302 and r.headers["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)", "http:/x",
                                    "/ok\r\nSet-Cookie: x=1", "dispatch", "/é"])
def test_next_never_leads_off_this_site(app, staff, target):
    member = staff("dispatcher-1", ["dispatcher"])
    r = post(app.test_client(), "/login", {"handle": member.handle, "password": PASSWORD,
                                           "code": member.code(), "next": target},
             url_csrf="/login")
    assert r.status_code == 302 and r.headers["Location"] == "/dispatch/"


def test_anonymous_sent_to_sign_in_comes_back_where_they_were_going(app, staff):
    member = staff("dispatcher-1", ["dispatcher"])
    client = app.test_client()
    first = client.get("/dispatch/?status=done")
    assert first.status_code == 302 and first.headers["Location"].startswith("/login?next=")
    login_page = client.get(first.headers["Location"]).get_data(as_text=True)
    target = re.search(r'name="next" value="([^"]*)"', login_page).group(1)
    r = post(client, "/login", {"handle": member.handle, "password": PASSWORD,
                                "code": member.code(), "next": target.replace("&amp;", "&")},
             url_csrf="/login")
    assert r.headers["Location"] == "/dispatch/?status=done"


# ---------------------------------------------------------------- limits per address


def test_wrong_guesses_from_one_address_slow_that_address_on_that_account(tmp_path,
                                                                          template_db):
    from tests.support.app import make_app
    from tests.support.staff import Staff

    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    member, colleague = Staff(app, "vol-1", ["volunteer"]), Staff(app, "vol-2", ["volunteer"])
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    statuses = [sign_in_as(guesser, member.handle, password="wrong").status_code
                for _ in range(11)]
    assert statuses[-1] == 429
    limited = sign_in_as(guesser, member.handle, password="wrong")
    assert int(limited.headers["Retry-After"]) > 0
    # A colleague in the same office, behind the same address, is not blocked.
    assert sign_in_as(guesser, colleague.handle).status_code == 302
