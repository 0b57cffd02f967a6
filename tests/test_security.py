"""What a household, a dispatcher or an adversary sees of aid's protections: headers, origins,
CSRF, cookies, URLs, the columns we keep, logs, bytes at rest and the status code.

Properties 7, 8, 10, 11, 12, 13, 14, 19, 24, 25 and 26 of SECURITY.md. Every value here is
synthetic; the canaries are made-up strings that must never be found where they should not be.
"""
from __future__ import annotations

import logging
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from aid import create_app
from aid.extensions import db
from aid.households import CODE_ALPHABET, new_status_code
from aid.models import Household
from tests.support.app import ON_PG, make_app, row_counts, table_rows
from tests.support.households import (
    CANARIES,
    CANARY_FORMS,
    GOOD_ANSWERS,
    canary_answers,
    code_forms,
    code_on,
    request_ids,
    submit_request,
)
from tests.support.http import post
from tests.support.ledger import filled_form, sample_books, with_statement
from tests.support.staff import (
    COOKIE,
    HOST,
    PASSWORD,
    Staff,
    login_client,
    session_payload,
    sign_in,
)

CLIENT_IP = "203.0.113.77"

# ---------------------------------------------------------------- shared helpers


def urls_in(html: str) -> list[str]:
    """Every URL a page or stylesheet names: attributes, CSS url() and @import, meta refresh."""
    found = re.findall(r"""(?:src|href|action|formaction|srcset|poster|data|ping)\s*=\s*
                           (?:"([^"]*)"|'([^']*)'|([^\s>]+))""", html, re.IGNORECASE | re.VERBOSE)
    urls = [a or b or c for a, b, c in found]
    urls += re.findall(r"""url\(\s*['"]?([^'")\s]*)""", html, re.IGNORECASE)
    urls += re.findall(r"""@import\s+['"]([^'"]+)""", html, re.IGNORECASE)
    urls += re.findall(r"""content\s*=\s*["']\s*\d+\s*;\s*url=([^"']+)""", html, re.IGNORECASE)
    return urls


def full_flow(app, household, dispatcher) -> tuple[str, list]:
    """A household asks, reviews, sends and checks; a dispatcher triages and approves.

    Returns the status code and every (url, response) seen by either browser.
    """
    seen = []

    def keep(url, response):
        seen.append((url, response))
        return response

    answers = canary_answers()
    keep("/", household.get("/"))
    keep("/request", household.get("/request"))
    keep("/request", post(household, "/request", answers))
    done = keep("/request", post(household, "/request", dict(answers, action="confirm")))
    code = code_on(done.get_data(as_text=True))
    keep("/status", post(household, "/status", {"code": code}))
    keep("/login", dispatcher.get("/login"))
    keep("/dispatch/", dispatcher.get("/dispatch/"))
    ids = request_ids(app)
    for rid in ids:
        keep(f"/dispatch/requests/{rid}", dispatcher.get(f"/dispatch/requests/{rid}"))
    url = f"/dispatch/requests/{ids[0]}/approve"
    keep(url, post(dispatcher, url, {}))
    return code, seen


@pytest.fixture
def boom_app(app):
    """The app with one extra route that fails the way a bug would, quoting SQL and a canary."""

    def boom():
        raise RuntimeError("SELECT name_enc FROM household WHERE name = 'Zephyrine Qwoltbauer'")

    app.add_url_rule("/test-only-boom", "test_only_boom", boom)
    return app


# ---------------------------------------------------------------- property 10 and 25: headers

RESPONSES = {
    "home page": lambda c: c.get("/"),
    "request form": lambda c: c.get("/request"),
    "status lookup": lambda c: c.get("/status"),
    "sign-in page": lambda c: c.get("/login"),
    "quick exit": lambda c: c.get("/exit"),
    "404 page": lambda c: c.get("/no-such-page"),
    "405 page": lambda c: c.get("/logout"),
    "500 page": lambda c: c.get("/test-only-boom"),
    "CSRF failure page": lambda c: c.post("/status", data={"code": "7KQ2-M9XD-4HRT-0PZB"}),
    "stylesheet": lambda c: c.get("/static/aid.css"),
    "health check": lambda c: c.get("/healthz"),
    "redirect to sign-in": lambda c: c.get("/dispatch/"),
}
EXPECTED_STATUS = {"404 page": 404, "405 page": 405, "500 page": 500, "CSRF failure page": 400,
                   "redirect to sign-in": 302}


def csp_sources(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("which", sorted(RESPONSES))
def test_every_response_carries_the_protective_headers(boom_app, which):
    r = RESPONSES[which](boom_app.test_client())
    assert r.status_code == EXPECTED_STATUS.get(which, 200)
    csp = csp_sources(r.headers.get("Content-Security-Policy", ""))
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("default-src") == ["'none'"]
    for directive, sources in csp.items():
        for source in sources:  # only our own origin, never a host, scheme or wildcard
            assert source in ("'self'", "'none'"), (directive, source)
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Referrer-Policy") == "no-referrer"
    if r.mimetype in ("text/html", "application/json"):
        assert "no-store" in r.headers.get("Cache-Control", "")
    assert not re.search(r"\d", r.headers.get("Server", "")), r.headers.get("Server")
    for name, value in r.headers.items():
        found = re.search(r"werkzeug|python/|gunicorn|flask", value, re.IGNORECASE)
        assert not found, (name, value)


def test_unexpected_error_shows_a_generic_page_without_trace_or_sql(boom_app):
    r = boom_app.test_client().get("/test-only-boom")
    page = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "<h1>" in page and 'href="/"' in page
    for leak in ("Traceback", "SELECT", "household", "RuntimeError", "Zephyrine", 'File "',
                 "line ", "name_enc"):
        assert leak not in page, leak


def test_method_not_allowed_page_says_which_methods_are(app):
    r = app.test_client().get("/logout")
    assert r.status_code == 405
    assert set(r.headers.get("Allow", "").replace(" ", "").split(",")) >= {"POST"}
    assert r.mimetype == "text/html" and "<h1>" in r.get_data(as_text=True)


# ---------------------------------------------------------------- property 11: one origin

OFF_ORIGIN = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//|^\s*(?:https?|ftp|data|javascript):",
                        re.IGNORECASE)
PUBLIC_GET_RULES = {"/", "/healthz", "/exit", "/request", "/status", "/login",
                    "/static/<path:filename>", "/join/<token>",
                    "/campaigns/<slug>"}
SIGNED_IN_PREFIXES = ("/dispatch", "/tasks", "/me", "/home", "/ledger")


def test_no_page_or_stylesheet_names_another_origin(app, staff):
    from aid import members

    public = {r.rule for r in app.url_map.iter_rules()
              if "GET" in r.methods and not r.rule.startswith(SIGNED_IN_PREFIXES)}
    assert public == PUBLIC_GET_RULES, "a new public page: add it to this test"
    household = app.test_client()
    code = submit_request(household, canary_answers())
    with app.app_context():
        token = members.create_invite(None)
    pages = {url: household.get(url) for url in
             ("/", "/healthz", "/exit", "/request", "/status", "/login",
              "/static/aid.css", "/no-such-page", f"/join/{token}")}
    pages["review"] = post(household, "/request", canary_answers())
    pages["done"] = post(household, "/request", dict(canary_answers(), action="confirm"))
    pages["status post"] = post(household, "/status", {"code": code})
    pages["sent again"] = post(household, "/request/sent", {"code": code})
    pages["bad form"] = post(household, "/request", {"name": ""})
    dispatcher = login_client(app, staff("dispatcher-1", ["dispatcher"]))
    pages["triage"] = dispatcher.get("/dispatch/")
    pages["detail"] = dispatcher.get(f"/dispatch/requests/{request_ids(app)[0]}")
    for name, r in pages.items():
        assert r.status_code in (200, 404, 422), (name, r.status_code)
        body = r.get_data(as_text=True)
        urls = urls_in(body)
        if r.mimetype == "text/html" and name != "/exit":
            assert urls, name  # the scan found the page's own links
        assert [u for u in urls if OFF_ORIGIN.search(u)] == [], name
    css = pages["/static/aid.css"].get_data(as_text=True)
    assert not re.search(r"@import|@font-face|https?:|//", css.replace("/*", "").replace(
        "*/", ""))


# ---------------------------------------------------------------- property 14: CSRF


def _duplicate_pair(app, client) -> tuple[int, int]:
    """Two requests that look like one household's (same phone): a merge candidate pair."""
    for street in ("1 First Street", "2 Second Street"):
        submit_request(client, dict(GOOD_ANSWERS, street=street, contact_handle="612-555-0142"))
    return tuple(request_ids(app)[-2:])


def _csrf_case(app, staff, endpoint):
    """What a POST to this endpoint needs to act: the browser, the URL and the form."""
    client = app.test_client()
    if endpoint == "intake.request_submit":
        return client, "/request", dict(canary_answers(), action="confirm")
    if endpoint == "intake.status_post":
        return client, "/status", {"code": submit_request(client)}
    if endpoint == "intake.request_sent":
        return client, "/request/sent", {"code": submit_request(client)}
    if endpoint == "intake.status_cancel":
        code = submit_request(client)
        return client, "/status/cancel", {"code": code, "request_id": request_ids(app)[0]}
    if endpoint == "intake.status_delete":
        return client, "/status/delete", {"code": submit_request(client), "confirm": "yes"}
    if endpoint == "auth.login":
        member = staff("dispatcher-1", ["dispatcher"])
        return client, "/login", {"handle": member.handle, "password": PASSWORD,
                                  "code": member.code()}
    if endpoint == "auth.logout":
        return login_client(app, staff("dispatcher-1", ["dispatcher"])), "/logout", {}
    if endpoint.startswith("dispatch.") and endpoint.split(".")[1] not in (
            "approve", "decline", "merge", "close"):
        return _dispatch_case(app, staff, endpoint)
    if endpoint.startswith("dispatch."):
        target, rid = _duplicate_pair(app, client)
        client = login_client(app, staff("dispatcher-1", ["dispatcher"]))
        action = endpoint.split(".")[1]
        if action == "close":
            assert post(client, f"/dispatch/requests/{rid}/approve", {}).status_code == 302
        return client, f"/dispatch/requests/{rid}/{action}", {"reason": "other",
                                                              "target": target,
                                                              "outcome": "done"}
    if endpoint in ("intake.status_not_today", "intake.status_not_received"):
        code = submit_request(client)
        _deliveries_for(app, today=True, done=endpoint.endswith("not_received"))
        return client, "/" + endpoint.split(".")[1].replace("_", "/", 1).replace("_", "-"), {
            "code": code}
    if endpoint.startswith("volunteers."):
        return _volunteer_case(app, endpoint)
    if endpoint.startswith("ledger."):
        ids = sample_books(app, staff("treasurer-asks", ["treasurer"]).id)
        values, data = filled_form(endpoint, ids)
        rule = next(r.rule for r in app.url_map.iter_rules()
                    if r.endpoint == endpoint and "POST" in r.methods)
        for name, value in values.items():
            rule = rule.replace(f"<int:{name}>", str(value))
        if endpoint == "ledger.import_statement":
            data = with_statement(data)
        return login_client(app, staff("treasurer-1", ["treasurer"])), rule, data
    if endpoint.startswith("plans."):
        return _plans_case(app, staff, endpoint)
    raise AssertionError(f"new POST route {endpoint}: add how it acts to _csrf_case")


def _plans_case(app, staff, endpoint):
    """A dispatcher about to plan a day, publish a plan, or put or lift a safety hold."""
    from tests.support.plans import deliveries, live_hold, plan_day, stored_plan

    client = login_client(app, staff("dispatcher-1", ["dispatcher"]))
    day = plan_day()
    if endpoint == "plans.create":
        deliveries(app, day, 2)
        return client, "/dispatch/plans/", {
            "day": day.isoformat(), "time_limit": "1", "max_trips": "1", "break_minutes": "0",
            "break_from": "12:00", "break_until": "13:00", "start_at": "depot",
            "end_at": "area"}
    if endpoint == "plans.publish":
        return client, f"/dispatch/plans/{stored_plan(app, day)}/publish", {}
    if endpoint == "plans.hold_create":
        return client, "/dispatch/plans/holds", {"kind": "zips", "zips": "55404",
                                                 "hours": "3"}
    if endpoint == "plans.hold_lift":
        return client, f"/dispatch/plans/holds/{live_hold(app)}/lift", {}
    raise AssertionError(f"new POST route {endpoint}: add how it acts to _csrf_case")


def _deliveries_for(app, today: bool = False, done: bool = False) -> list[int]:
    """Approve every new request; its delivery moved to today (and done), if asked."""
    from aid.models import Task
    from tests.support.volunteers import approve_all

    ids = approve_all(app, Staff(app, f"approver-{len(request_ids(app))}",
                                 ["dispatcher"]).id)
    with app.app_context():
        for task in db.session.scalars(select(Task).where(Task.id.in_(ids))):
            if today:
                task.day = date.today()
            if done:
                task.status, task.completed_at = "done", db.func.now()
        db.session.commit()
    return ids


def _dispatch_case(app, staff, endpoint):
    """A dispatcher about to vet a volunteer or act on a task."""
    from aid.models import Task, User
    from tests.support.volunteers import volunteer

    client = login_client(app, staff("dispatcher-1", ["dispatcher"]))
    member = volunteer(app, "volunteer-csrf")
    submit_request(app.test_client())
    task_id = _deliveries_for(app)[-1]
    action = endpoint.split(".")[1]
    with app.app_context():
        task, user = db.session.get(Task, task_id), db.session.get(User, member.id)
        if action == "approve_volunteer":
            user.vetting = "pending"
        if action == "resume_volunteer":
            user.active = False
        if action == "unhold":
            task.status = "held"
        if action == "seen":
            task.attention = "released"
        db.session.commit()
    forms = {
        "invite": ("/dispatch/invites", {"tier": "1"}),
        "approve_volunteer": (f"/dispatch/volunteers/{member.id}/approve", {"tier": "1"}),
        "volunteer_tier": (f"/dispatch/volunteers/{member.id}/tier", {"tier": "2"}),
        "pause_volunteer": (f"/dispatch/volunteers/{member.id}/pause", {}),
        "resume_volunteer": (f"/dispatch/volunteers/{member.id}/resume", {}),
        "remove_volunteer": (f"/dispatch/volunteers/{member.id}/remove", {"confirm": "yes"}),
        "assign": (f"/dispatch/tasks/{task_id}/assign", {"volunteer_id": member.id}),
        "hold": (f"/dispatch/tasks/{task_id}/hold", {}),
        "unhold": (f"/dispatch/tasks/{task_id}/unhold", {"day": date.today().isoformat()}),
        "seen": (f"/dispatch/tasks/{task_id}/seen", {}),
        "assign_confirm": ("/dispatch/assign", {"pair": f"{task_id}:{member.id}"}),
    }
    if action not in forms:
        raise AssertionError(f"new POST route {endpoint}: add how it acts to _csrf_case")
    url, form = forms[action]
    return client, url, form


def _volunteer_case(app, endpoint):
    """A tier-1 volunteer holding a task (or with one on the board), ready to act."""
    from aid import members
    from aid.models import Task, User
    from aid.tasks import claims
    from tests.support.volunteers import volunteer

    member = volunteer(app, "volunteer-csrf")
    client = login_client(app, member)
    if endpoint == "volunteers.join":
        with app.app_context():
            token = members.create_invite(None)
        return app.test_client(), f"/join/{token}", {
            "handle": "new-volunteer", "password": PASSWORD, "password_again": PASSWORD,
            "contact": "signal: x", "languages": ["en"], "home_zip": "55404",
            "max_km": "5", "weekly_limit": "3", "boxes": "0"}
    if endpoint == "volunteers.profile":
        return client, "/me", {"contact": "signal: y", "languages": ["so"],
                               "home_zip": "55406", "max_km": "9", "weekly_limit": "2",
                               "boxes": "0"}
    if endpoint == "volunteers.enrol_totp":
        import pyotp

        secret = pyotp.random_base32()
        return client, "/me/totp", {"secret": secret, "code": pyotp.TOTP(secret).now()}
    submit_request(app.test_client())
    task_id = _deliveries_for(app, today=True)[-1]
    if endpoint == "volunteers.claim":
        return client, f"/tasks/{task_id}/claim", {}
    with app.app_context():
        claims.claim(db.session.get(User, member.id), db.session.get(Task, task_id))
        if endpoint == "volunteers.notices_seen":
            from aid.models import Notice

            db.session.add(Notice(user_id=member.id, kind="assigned"))
            db.session.commit()
    if endpoint == "volunteers.release":
        return client, f"/tasks/{task_id}/release", {"reason": "other"}
    if endpoint == "volunteers.complete":
        return client, f"/tasks/{task_id}/complete", {"outcome": "delivered"}
    if endpoint == "volunteers.cannot_make_it":
        return client, "/tasks/mine/cannot-make-it", {"day": date.today().isoformat()}
    if endpoint == "volunteers.notices_seen":
        return client, "/notices/seen", {}
    raise AssertionError(f"new POST route {endpoint}: add how it acts to _csrf_case")


def post_endpoints() -> list[str]:
    """Every endpoint that takes a POST, straight from the URL map of an app on no database."""
    with tempfile.TemporaryDirectory() as inst:
        app = create_app({"AID_INSTANCE_PATH": inst, "AID_AUTO_MIGRATE": False,
                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        return sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})


POST_ENDPOINTS = post_endpoints()


def test_every_post_route_is_covered_by_the_csrf_tests(app):
    found = sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})
    assert found == POST_ENDPOINTS and len(found) >= 8


@pytest.mark.parametrize("token", [None, "forged.token.value"], ids=["missing", "forged"])
@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_without_valid_csrf_token_changes_nothing(app, staff, endpoint, token):
    client, url, data = _csrf_case(app, staff, endpoint)
    client.get("/request")  # the browser has a session with a real token in it
    if token is not None:
        data["csrf_token"] = token
    before = table_rows(app)
    r = client.post(url, data=data)
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    # Our own translated page (base template, a way back), not the framework's technical one.
    assert '<html lang="en"' in page and 'href="/"' in page and "<h1>" in page
    assert "CSRF" not in page and "Bad Request" not in page
    assert table_rows(app) == before


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_with_a_valid_csrf_token_does_act(app, staff, endpoint):
    """The control for the test above: the same POST with the page's token goes through."""
    client, url, data = _csrf_case(app, staff, endpoint)
    before = table_rows(app)
    r = post(client, url, data)
    assert r.status_code in (200, 302), r.status_code
    if endpoint not in ("intake.status_post", "intake.request_sent"):  # looking changes nothing
        assert table_rows(app) != before


def test_forms_work_over_https_for_a_browser_that_sends_no_referer(tmp_path, template_db,
                                                                   monkeypatch):
    monkeypatch.setenv("AID_HTTPS", "1")
    app = make_app(tmp_path, template_db)
    client = app.test_client()
    page = client.get("/request", base_url=f"https://{HOST}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    # Exactly what a browser following our Referrer-Policy sends: the form, no Referer.
    r = client.post("/request", base_url=f"https://{HOST}",
                    data=dict(GOOD_ANSWERS, action="confirm", csrf_token=token))
    assert r.status_code == 200
    assert row_counts(app)["household"] == 1


def test_get_requests_never_change_the_database(app, staff):
    """GET every rule, signed out, as a dispatcher and as a volunteer holding a task; only the
    audited reveals are written."""
    from aid import members
    from aid.models import Task, User
    from aid.tasks import claims
    from tests.support.volunteers import volunteer

    household = app.test_client()
    code = submit_request(household)
    submit_request(household, dict(GOOD_ANSWERS, kinds=["court"],
                                   court_date=date.today().isoformat(), court_name="Demo"))
    dispatcher = login_client(app, staff("dispatcher-1", ["dispatcher"]))
    member = volunteer(app, "volunteer-1")
    helper = login_client(app, member)
    rid = request_ids(app)[0]
    task_ids = _deliveries_for(app)
    with app.app_context():
        court = db.session.scalar(select(Task.id).where(Task.kind == "court"))
        claims.claim(db.session.get(User, member.id), db.session.get(Task, court))
        token = members.create_invite(None)
    from aid.models import PlanRoute
    from tests.support.plans import live_hold, stored_plan

    plan_id = stored_plan(app, date.today(), "published", routes={member.id: [court]},
                          pinned=True)
    with app.app_context():
        route_id = db.session.scalar(select(PlanRoute.id).where(PlanRoute.plan_id == plan_id))
    values = {"code": code, "request_id": rid, "action": "approve", "filename": "aid.css",
              "task_id": court, "token": token, "plan_id": plan_id, "route_id": route_id,
              "hold_id": live_hold(app, "55430"), "user_id": member.id,
              "day": date.today().isoformat(), "slug": "no-such-campaign",
              "receipt_id": "0" * 32}
    values.update(dict.fromkeys(("txn_id", "disbursement_id", "case_id", "campaign_id",
                                 "fund_id", "account_id"), 1))
    before = table_rows(app)
    reveals = 0
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule)
        # Query strings that would do harm if a GET ever acted on them.
        query = {"code": code, "confirm": "yes", "action": "confirm", "reason": "other",
                 "request_id": rid, "outcome": "delivered", "task_id": task_ids[0],
                 "day": date.today().isoformat(), "handle": "x", "password": "y" * 12}
        for client in (app.test_client(), household, dispatcher, helper):
            r = client.get(url, query_string=query)
            assert r.status_code < 500, (url, r.status_code)
            if (rule.endpoint == "dispatch.detail" and client is dispatcher) or (
                    rule.endpoint in ("volunteers.task", "volunteers.court_calendar",
                                      "volunteers.route_sheet") and client is helper):
                assert r.status_code == 200, url
                reveals += 1
    after = table_rows(app)
    assert reveals == 4
    for name in before:
        if name == "audit_event":
            assert len(after[name]) == len(before[name]) + reveals
            assert all("'reveal" in row for row in set(after[name]) - set(before[name]))
        else:
            assert after[name] == before[name], name


# ---------------------------------------------------------------- property 13: cookies


def _set_cookie_headers(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]


def test_session_cookie_is_httponly_and_samesite_lax(app, staff):
    client = app.test_client()
    headers = _set_cookie_headers(client.get("/request"))
    headers += _set_cookie_headers(sign_in(client, staff("dispatcher-1", ["dispatcher"])))
    assert len(headers) == 2
    for header in headers:
        attrs = {a.strip().split("=")[0].lower(): a.strip() for a in header.split(";")[1:]}
        assert "httponly" in attrs, header
        assert attrs.get("samesite", "").lower() == "samesite=lax", header
        assert "domain" not in attrs, header  # never shared with other hosts


def test_session_cookie_is_secure_over_https(tmp_path, template_db, monkeypatch):
    monkeypatch.setenv("AID_HTTPS", "1")
    app = make_app(tmp_path, template_db)
    headers = _set_cookie_headers(app.test_client().get("/request"))
    assert headers and all("; Secure" in h for h in headers), headers


def test_hsts_is_sent_under_aid_https_only(tmp_path, template_db, monkeypatch):
    plain = make_app(tmp_path, template_db)
    assert "Strict-Transport-Security" not in plain.test_client().get("/").headers
    monkeypatch.setenv("AID_HTTPS", "1")
    https_app = make_app(tmp_path, template_db)  # the same instance folder and keys
    for url in ("/", "/request", "/static/aid.css", "/no-such-page"):
        hsts = https_app.test_client().get(url, base_url=f"https://{HOST}").headers.get(
            "Strict-Transport-Security", "")
        assert re.fullmatch(r"max-age=(\d+).*", hsts) and int(hsts[8:].split(";")[0]) >= \
            180 * 86400, (url, hsts)


def test_session_cookie_is_not_marked_secure_over_plain_http_by_default(app):
    # The control for the test above: the flag comes from AID_HTTPS, not from elsewhere.
    headers = _set_cookie_headers(app.test_client().get("/request"))
    assert headers and not any("Secure" in h for h in headers)


def test_session_cookie_holds_no_household_data(app, staff):
    household, dispatcher = app.test_client(), app.test_client()
    household.environ_base["REMOTE_ADDR"] = CLIENT_IP
    dispatcher.environ_base["REMOTE_ADDR"] = CLIENT_IP
    assert sign_in(dispatcher, staff("dispatcher-1", ["dispatcher"])).status_code == 302
    code, _seen = full_flow(app, household, dispatcher)
    for client in (household, dispatcher):
        cookie = client.get_cookie(COOKIE, domain=HOST).value
        decoded = repr(session_payload(app, client))
        assert "csrf_token" in decoded
        for needle in CANARY_FORMS + code_forms(code) + [CLIENT_IP]:
            assert needle not in decoded and needle not in cookie, needle


def test_staff_session_cookie_holds_only_token_user_id_csrf_and_language(app, staff):
    """No fingerprint of the client's address either (Flask-Login's `_id` is a hash of it)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = CLIENT_IP
    client.get("/login?lang=es")
    assert sign_in(client, staff("dispatcher-1", ["dispatcher"])).status_code == 302
    payload = session_payload(app, client)
    assert {"sid", "_user_id", "lang"} <= set(payload)
    assert set(payload) <= {"sid", "_user_id", "_fresh", "_permanent", "csrf_token", "lang"}, \
        payload


# ---------------------------------------------------------------- property 12: POST bodies only


def test_personal_data_never_appears_in_a_url_or_location_header(app, staff):
    household, dispatcher = app.test_client(), app.test_client()
    assert sign_in(dispatcher, staff("dispatcher-1", ["dispatcher"])).status_code == 302
    _code, seen = full_flow(app, household, dispatcher)
    urls = []
    for url, r in seen:
        urls.append(url)
        urls.append(r.headers.get("Location", ""))
        if r.mimetype == "text/html":
            urls += urls_in(r.get_data(as_text=True))
    assert any(r.headers.get("Location") for _u, r in seen)  # redirects were looked at
    assert len(urls) > 50
    for u in urls:
        for needle in CANARY_FORMS:
            assert needle not in u, (needle, u)
    # The canaries did reach the dispatcher's screen: the scan looks at the right pages.
    detail = "".join(r.get_data(as_text=True) for u, r in seen if "/dispatch/requests/" in u)
    assert CANARIES["street"] in detail


# ---------------------------------------------------------------- property 26: allowlist

HOUSEHOLD_COLUMNS = {
    "id", "uid", "status_code_hash", "language", "zip", "area", "approx_lat", "approx_lon",
    "name_enc", "contact_enc", "address_enc", "coords_enc", "safety_notes_enc",
    "code_word_enc", "phone_index", "address_index", "created_at", "last_closed_at",
}
HELP_REQUEST_COLUMNS = {
    "id", "household_id", "kind", "status", "details_enc", "decline_reason",
    "merged_into_id", "created_at", "updated_at", "closed_at",
}
FORBIDDEN_COLUMN = re.compile(r"immigration|status_code$|birth|dob|a_number|alien|legal_name|ssn",
                              re.IGNORECASE)


@pytest.mark.parametrize("table, allowed", [("household", HOUSEHOLD_COLUMNS),
                                            ("help_request", HELP_REQUEST_COLUMNS)])
def test_household_tables_hold_only_allowlisted_columns(app, table, allowed):
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns(table)}
    assert columns == allowed


def test_no_column_anywhere_is_named_for_status_birth_date_or_legal_name(app):
    with app.app_context():
        insp = inspect(db.engine)
        names = [(t, c["name"]) for t in insp.get_table_names() for c in insp.get_columns(t)]
    assert len(names) > 30
    assert [n for n in names if FORBIDDEN_COLUMN.search(n[1])] == []


# ---------------------------------------------------------------- property 24: logs


def test_debug_logs_of_a_full_flow_hold_no_canary_code_or_client_ip(app, staff, caplog):
    member = staff("dispatcher-1", ["dispatcher"])
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
    household, dispatcher = app.test_client(), app.test_client()
    household.environ_base["REMOTE_ADDR"] = CLIENT_IP
    dispatcher.environ_base["REMOTE_ADDR"] = CLIENT_IP
    assert sign_in(dispatcher, member).status_code == 302
    code, _seen = full_flow(app, household, dispatcher)
    assert post(household, "/status/delete", {"code": code, "confirm": "yes"}).status_code == 200
    records = caplog.records
    assert any(r.getMessage() == "request submitted" for r in records)
    assert any(r.name.startswith("sqlalchemy") for r in records)  # DEBUG really was on
    everything = caplog.text + "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.__dict__!r}" for r in records)
    for needle in CANARY_FORMS + code_forms(code) + [CLIENT_IP]:
        assert needle not in everything, needle
    # The ZIP is stored readable, so SQLAlchemy's row logging may carry it; the app's own
    # records never do, and no statement's parameters are logged at all.
    ours = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in records
                     if not r.name.startswith("sqlalchemy"))
    assert canary_answers()["zip"] not in ours and "Minneapolis" not in ours
    assert "parameters hidden" in caplog.text


def test_rate_limit_breach_logs_no_client_ip(tmp_path, template_db, caplog):
    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.91"  # this test's own limit bucket
    statuses = [post(client, "/status", {"code": new_status_code()}, url_csrf="/status")
                .status_code for _ in range(12)]
    assert 429 in statuses
    assert caplog.records
    assert "203.0.113.91" not in caplog.text


# ---------------------------------------------------------------- property 19 and 7: at rest


def _needles(code: str) -> list[bytes]:
    out = []
    for value in CANARY_FORMS + code_forms(code):
        out.append(value.encode())
        out.append(value.encode("utf-16-le"))
    return out


def _database_text(app) -> str:
    """Every column of every table, as PostgreSQL prints it (bytea as hex)."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        parts = [str(v) for name in names
                 for v in db.session.execute(text(f'SELECT t::text FROM "{name}" t')).scalars()]
        db.session.remove()
    return "\n".join(parts)


@pytest.mark.skipif(ON_PG, reason="the SQLite file itself")
def test_canaries_and_status_code_never_reach_the_sqlite_file_or_its_wal(app, staff):
    household, dispatcher = app.test_client(), app.test_client()
    assert sign_in(dispatcher, staff("dispatcher-1", ["dispatcher"])).status_code == 302
    code, _seen = full_flow(app, household, dispatcher)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    files = [path, path + "-wal", path + "-shm"]
    blobs = {f: Path(f).read_bytes() for f in files}
    assert len(blobs[path + "-wal"]) > 0  # the new rows are in the WAL right now
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Household.id))) == 1
        db.engine.dispose()  # the last connection folds the WAL into the file
    blobs[path + " after checkpoint"] = Path(path).read_bytes()
    for name, blob in blobs.items():
        for needle in _needles(code):
            assert needle not in blob, (name, needle)


@pytest.mark.skipif(not ON_PG, reason="PostgreSQL holds the rows")
def test_canaries_and_status_code_never_reach_a_postgres_column(app, staff):
    household, dispatcher = app.test_client(), app.test_client()
    assert sign_in(dispatcher, staff("dispatcher-1", ["dispatcher"])).status_code == 302
    code, _seen = full_flow(app, household, dispatcher)
    dump = _database_text(app)
    assert "\\x01" in dump  # ciphertexts are there, as hex
    for needle in CANARY_FORMS + code_forms(code):
        assert needle not in dump, needle
        assert needle.encode().hex() not in dump, needle


def test_status_code_has_80_bits_in_16_crockford_characters(client):
    code = submit_request(client)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    # Every one of the 16 positions takes all 32 symbols: 16 x 5 = 80 bits.
    samples = [new_status_code().replace("-", "") for _ in range(3000)]
    for pos in range(16):
        assert {s[pos] for s in samples} == set(CODE_ALPHABET), pos
    assert len(set(samples)) == len(samples)


def test_status_code_is_stored_only_as_a_hash(app, client):
    code = submit_request(client)
    rows = table_rows(app)
    with app.app_context():
        stored = db.session.scalar(select(Household.status_code_hash))
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    dump = "\n".join(r for rows_ in rows.values() for r in rows_)
    for form in code_forms(code):
        assert form not in dump


# ---------------------------------------------------------------- property 8: the status page


def test_status_page_never_shows_what_the_household_sent(app, client):
    code = submit_request(client, canary_answers())
    pages = [post(client, "/status", {"code": code}),
             post(client, "/status/cancel", {"code": code, "request_id": request_ids(app)[0]},
                  url_csrf="/status"),
             post(client, "/status/delete", {"code": code}, url_csrf="/status")]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert 'action="/status/cancel"' in pages[0].get_data(as_text=True)  # the real page
    for page in pages:
        body = page.get_data(as_text=True)
        for needle in CANARY_FORMS:
            assert needle not in body, needle


def _without_token(response) -> tuple[int, str]:
    body = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""',
                  response.get_data(as_text=True))
    return response.status_code, body


def test_wrong_and_unknown_status_codes_get_identical_responses(app, client):
    code = submit_request(client)
    last = code[-1]
    wrong = code[:-1] + CODE_ALPHABET[(CODE_ALPHABET.index(last) + 1) % 32]
    unknown = new_status_code()
    codes = (wrong, unknown, "ZZ9Z-ZZ8Z")  # the last one too short to be any code
    by_post = [_without_token(post(client, "/status", {"code": c}, url_csrf="/status"))
               for c in codes]
    assert by_post[0][0] == 404 and by_post.count(by_post[0]) == 3
    by_action = [_without_token(post(client, url, {"code": c, "request_id": 1},
                                     url_csrf="/status"))
                 for c in codes for url in ("/status/cancel", "/status/delete", "/request/sent")]
    assert {status for status, _ in by_action} == {404}
    assert len({body for _, body in by_action}) == 1 and by_action[0] == by_post[0]
    # The real code does find it: the comparison above is not between two broken pages.
    assert post(client, "/status", {"code": code}, url_csrf="/status").status_code == 200


# ---------------------------------------------------------------- hosts, redirects, logs


def test_a_forged_host_gets_a_plain_400_and_is_never_reflected(app):
    client = app.test_client()
    for url in ("/dispatch", "/", "/request", "/no-such-page"):
        r = client.get(url, headers={"Host": "evil.example"})
        assert r.status_code == 400, url
        assert "evil.example" not in r.get_data(as_text=True)
        assert "evil.example" not in r.headers.get("Location", "")


def test_redirects_name_a_path_never_a_host(app):
    r = app.test_client().get("/dispatch", headers={"Host": "localhost"})
    assert r.status_code == 308 and r.headers["Location"] == "/dispatch/"


def test_the_default_trusted_hosts_are_the_local_ones(monkeypatch, tmp_path, template_db):
    monkeypatch.delenv("AID_HOSTS", raising=False)
    from aid.config import from_environment

    assert from_environment(tmp_path)["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    monkeypatch.setenv("AID_HOSTS", "aid.example.org, .example.net")
    assert from_environment(tmp_path)["TRUSTED_HOSTS"] == ["aid.example.org", ".example.net"]


def test_an_oversized_post_gets_our_413_page_not_a_500(app):
    client = app.test_client()
    r = client.post("/request", data={"name": "x" * 100_000, "lang": "es"})
    assert r.status_code == 413
    assert "<h1>" in r.get_data(as_text=True)


@pytest.mark.parametrize("line, kept", [
    ('203.0.113.9 - - [01/Dec/2026 10:00:00] "GET /request HTTP/1.1" 200 -', None),
    ('2001:db8::7 - - [01/Dec/2026 10:00:00] code 400, message Bad request syntax',
     "code 400, message Bad request syntax"),
    ("Invalid request from ip=198.51.100.23: Invalid HTTP Version",
     "Invalid request from ip=[address]: Invalid HTTP Version"),
    (" * Running on http://127.0.0.1:5000", " * Running on http://127.0.0.1:5000"),
    ("job took 15:10:42", "job took 15:10:42"),
])
def test_server_logs_drop_request_lines_and_client_addresses(line, kept):
    from aid.logs import DropClientAddresses

    level = logging.INFO if " - - [" in line and "code 400" not in line else logging.ERROR
    record = logging.LogRecord("werkzeug", level, __file__, 1, line, (), None)
    shown = DropClientAddresses().filter(record)
    assert (record.getMessage() if shown else None) == kept


def test_gunicorn_uses_the_logger_without_addresses():
    import runpy

    from aid.logs import GunicornLogger

    conf = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    assert conf["logger_class"] == "aid.logs.GunicornLogger" and conf["accesslog"] is None
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("errorlog", "-")
    logger = GunicornLogger(cfg)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda r: records.append(r.getMessage())
    logger.error_log.addHandler(handler)
    logger.warning("Invalid request from ip=203.0.113.5: Invalid Method 'X'")
    assert records == ["Invalid request from ip=[address]: Invalid Method 'X'"]


def test_status_pages_share_one_budget_and_a_429_says_when_to_retry(tmp_path, template_db):
    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.61"
    urls = ["/status", "/status/cancel", "/status/delete", "/request/sent"]
    statuses = [post(client, urls[n % 4], {"code": "AAAA-BBBB-CCCC-DDDD"},
                     url_csrf="/status").status_code for n in range(11)]
    assert statuses[:10] == [404] * 10 and statuses[10] == 429
    limited = post(client, "/status", {"code": "AAAA"}, url_csrf="/status")
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 61
    assert "<h1>" in limited.get_data(as_text=True)


def test_limits_are_checked_by_their_views_alone(tmp_path, template_db):
    """Flask-Limiter's before-request check is dropped (it only repeated the decorators'
    work): every limited view carries the decorator's mark, and the hook is gone."""
    from aid.extensions import limiter
    from tests.support.app import make_app

    app = make_app(tmp_path, template_db, RATELIMIT_ENABLED=True)
    # Flask-Limiter marks the wrapper its decorators put around a view (functools.wraps
    # carries the mark through any decorator above it).
    limited = {name for name, view in app.view_functions.items()
               if getattr(view, "__wrapper-limiter-instance", None) is not None}
    assert limited == {"intake.request_submit", "intake.request_sent", "intake.status_post",
                       "intake.status_cancel", "intake.status_delete",
                       "intake.status_not_today", "intake.status_not_received",
                       "auth.login", "volunteers.join"}, limited
    assert limiter._check_request_limit not in app.before_request_funcs[None]
