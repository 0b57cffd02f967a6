"""Every route of the URL map x every role gives the status written here (property 3).

A route that is not in MATRIX fails the suite: whoever adds a route decides, here, who may
open it. GET rules are opened with GET; POST rules are sent a form with a real CSRF token and
the ids of real rows (each role acting on rows of its own, prepared in `world`), so a refusal
is a refusal and not a 404 for a missing record. Volunteers come in three vettings: tier 1
(deliveries and visits), tier 0 (nothing that shows an address) and pending.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from aid.extensions import db
from tests.support.households import GOOD_ANSWERS, request_ids, submit_request
from tests.support.http import post
from tests.support.ledger import filled_form, sample_books, with_statement
from tests.support.staff import Staff, login_client
from tests.support.volunteers import approve_all, soon, volunteer

ROLES = ("anonymous", "volunteer", "volunteer_t0", "pending", "dispatcher", "treasurer",
         "admin")
VOLUNTEERS = ("volunteer", "volunteer_t0", "pending")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def triage(allowed: int) -> dict[str, int]:
    """Dispatchers and admins get `allowed`; anonymous the login page; the rest 403."""
    return {**same(403), "anonymous": 302, "dispatcher": allowed, "admin": allowed}


def volunteers(tier1: int, tier0: int | None = None, pending: int | None = None) -> dict:
    """Volunteers by vetting; anonymous the login page; staff without the role 403."""
    return {**same(403), "anonymous": 302, "volunteer": tier1,
            "volunteer_t0": tier1 if tier0 is None else tier0,
            "pending": tier1 if pending is None else pending}


SIGNED_IN = {**same(200), "anonymous": 302}

def books(allowed: int) -> dict[str, int]:
    """Treasurers and admins get `allowed`; anonymous the login page; the rest 403."""
    return {**same(403), "anonymous": 302, "treasurer": allowed, "admin": allowed}


# (endpoint, method) -> expected status by role.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("main.index", "GET"): same(200),
    ("main.home", "GET"): SIGNED_IN,
    ("main.healthz", "GET"): same(200),
    ("main.quick_exit", "GET"): same(200),
    ("static", "GET"): same(200),
    ("intake.request_form", "GET"): same(200),
    ("intake.request_submit", "POST"): same(422),  # an empty form: every field is missing
    ("intake.status_lookup", "GET"): same(200),
    ("intake.status_post", "POST"): same(200),
    ("intake.request_sent", "POST"): same(200),
    ("intake.status_cancel", "POST"): same(200),
    ("intake.status_not_today", "POST"): same(200),
    ("intake.status_not_received", "POST"): same(200),
    ("intake.status_delete", "POST"): same(200),  # the "are you sure?" page
    ("auth.login", "GET"): {**same(302), "anonymous": 200},
    ("auth.login", "POST"): {**same(302), "anonymous": 401},  # a wrong password
    ("auth.logout", "POST"): same(302),
    ("dispatch.triage", "GET"): triage(200),
    ("dispatch.detail", "GET"): triage(200),
    ("dispatch.approve", "POST"): triage(302),  # done, then back to the list
    ("dispatch.decline", "POST"): triage(302),
    ("dispatch.merge", "POST"): triage(302),
    ("dispatch.close", "POST"): triage(302),
    ("dispatch.volunteers", "GET"): triage(200),
    ("dispatch.invite", "POST"): triage(200),  # the new link, shown once
    ("dispatch.approve_volunteer", "POST"): triage(302),
    ("dispatch.volunteer_tier", "POST"): triage(302),
    ("dispatch.pause_volunteer", "POST"): triage(302),
    ("dispatch.resume_volunteer", "POST"): triage(302),
    ("dispatch.remove_volunteer", "POST"): triage(302),
    ("dispatch.tasks", "GET"): triage(200),
    ("dispatch.task", "GET"): triage(200),
    ("dispatch.assign", "POST"): triage(302),
    ("dispatch.hold", "POST"): triage(302),
    ("dispatch.unhold", "POST"): triage(302),
    ("dispatch.seen", "POST"): triage(302),
    ("dispatch.assign_all", "GET"): triage(200),
    ("dispatch.assign_confirm", "POST"): triage(200),
    ("volunteers.join", "GET"): same(200),  # whoever holds a live invitation link
    ("volunteers.join", "POST"): same(422),  # an incomplete form: nobody is made
    ("volunteers.profile", "GET"): volunteers(200),
    ("volunteers.profile", "POST"): volunteers(200),  # saved
    ("volunteers.enrol_totp", "POST"): volunteers(422),  # a wrong code
    ("volunteers.board", "GET"): volunteers(200),  # pending: the waiting page
    ("volunteers.mine", "GET"): volunteers(200),
    ("volunteers.cannot_make_it", "POST"): volunteers(302),
    ("volunteers.notices_seen", "POST"): volunteers(302),
    # A task's own routes: its holder only; any other volunteer as if it did not exist.
    ("volunteers.task", "GET"): volunteers(200, 404, 404),
    ("volunteers.court_calendar", "GET"): volunteers(200, 404, 404),
    ("volunteers.claim", "POST"): volunteers(302, 404, 404),  # tier 0: a delivery is hidden
    ("volunteers.release", "POST"): volunteers(302, 404, 404),
    ("volunteers.complete", "POST"): volunteers(302, 404, 404),
    # The books: only treasurers and admins. POSTs are sent a form that acts (302) or, for
    # the forms marked 200, one that shows its result on the page.
    ("ledger.home", "GET"): books(200),
    ("ledger.setup", "POST"): books(302),
    ("ledger.transactions", "GET"): books(200),
    ("ledger.transaction", "GET"): books(200),
    ("ledger.reverse", "POST"): books(302),
    ("ledger.thank", "POST"): books(302),
    ("ledger.donation", "GET"): books(200),
    ("ledger.donation", "POST"): books(302),
    ("ledger.disbursement", "GET"): books(200),
    ("ledger.disbursement", "POST"): books(302),
    ("ledger.approvals", "GET"): books(200),
    ("ledger.approve", "POST"): books(302),
    ("ledger.reject", "POST"): books(302),
    ("ledger.transfer", "GET"): books(200),
    ("ledger.transfer", "POST"): books(302),
    ("ledger.receipt", "GET"): books(200),
    ("ledger.cases", "GET"): books(200),
    ("ledger.pay_bail", "GET"): books(200),
    ("ledger.pay_bail", "POST"): books(302),
    ("ledger.case", "GET"): books(200),
    ("ledger.refund", "POST"): books(302),
    ("ledger.forfeit", "POST"): books(302),
    ("ledger.campaign_list", "GET"): books(200),
    ("ledger.new_campaign", "GET"): books(200),
    ("ledger.new_campaign", "POST"): books(302),
    ("ledger.campaign", "GET"): books(200),
    ("ledger.publish", "POST"): books(302),
    ("ledger.public_campaign", "GET"): same(200),  # the campaign's public page
    ("ledger.balances", "GET"): books(200),
    ("ledger.monthly", "GET"): books(200),
    ("ledger.receivables", "GET"): books(200),
    ("ledger.import_statement", "GET"): books(200),
    ("ledger.import_statement", "POST"): books(200),  # the import's outcome
    ("ledger.settings_page", "GET"): books(200),
    ("ledger.threshold", "POST"): books(302),
    ("ledger.add_fund", "POST"): books(302),
    ("ledger.change_fund", "POST"): books(302),
    ("ledger.add_account", "POST"): books(302),
    ("ledger.close_account", "POST"): books(302),
    # A driver's own route sheet: only the driver of a published route; others 404.
    ("volunteers.route_sheet", "GET"): volunteers(200, 404, 404),
    ("plans.index", "GET"): triage(200),
    ("plans.new", "GET"): triage(200),
    ("plans.create", "POST"): triage(422),  # an empty form: no day to plan
    ("plans.show", "GET"): triage(200),
    ("plans.route", "GET"): triage(200),
    ("plans.sheets", "GET"): triage(200),
    ("plans.publish", "POST"): triage(200),  # the published plan, with what it did
    ("plans.holds", "GET"): triage(200),
    ("plans.hold_create", "POST"): triage(200),  # the holds page with the new hold
    ("plans.hold_lift", "POST"): triage(302),
}

PROFILE_FORM = {"contact": "signal: test", "languages": ["en"], "home_zip": "55404",
                "max_km": "5", "weekly_limit": "3", "boxes": "2", "deliver": "y"}


def routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every method of every rule, logout last."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, rule.rule))
    return sorted(out, key=lambda r: r[0] == "auth.logout")


def test_every_route_is_in_the_matrix(app):
    found = {(endpoint, method) for endpoint, method, _rule in routes(app)}
    assert found - set(MATRIX) == set(), "new route: add it to MATRIX"
    assert set(MATRIX) - found == set(), "route gone: remove it from MATRIX"


def _member(app, role: str) -> Staff | None:
    if role == "anonymous":
        return None
    if role in VOLUNTEERS:
        member = volunteer(app, f"{role}-1", tier=0 if role == "volunteer_t0" else 1)
        if role == "pending":
            from aid.models import User

            with app.app_context():
                db.session.get(User, member.id).vetting = "pending"
                db.session.commit()
        return member
    return Staff(app, f"{role}-1", [role])


def _held_tasks(app, holder: Staff | None) -> dict[str, int]:
    """Tasks on the board, and tasks the tier-1 volunteer holds (or someone else does)."""
    from aid.models import Task, User
    from aid.tasks import claims

    before = set(request_ids(app))
    submit_request(app.test_client(), dict(GOOD_ANSWERS, street="5 Board Street",
                                           contact_handle="612-555-0155"))
    for n in range(3):
        submit_request(app.test_client(), dict(GOOD_ANSWERS, street=f"{n} Held Street",
                                               contact_handle=f"612-555-016{n}"))
    submit_request(app.test_client(), dict(GOOD_ANSWERS, kinds=["court"], court_date=soon(),
                                           court_name="Demo Court", street="9 Court Street",
                                           contact_handle="612-555-0169"))
    owner = holder or volunteer(app, "someone-else", tier=1)
    task_ids = approve_all(app, only=sorted(set(request_ids(app)) - before))
    with app.app_context():
        tasks = {t.id: t for t in db.session.scalars(select(Task).where(
            Task.id.in_(task_ids)))}
        open_task, *held = sorted(t for t, task in tasks.items() if task.kind == "delivery")
        court = next(t for t, task in tasks.items() if task.kind == "court")
        user = db.session.get(User, owner.id)
        for task_id in [*held, court]:
            claims.claim(user, db.session.get(Task, task_id))
        db.session.remove()
    return {"open": open_task, "view": held[0], "release": held[1], "complete": held[2],
            "court": court, "owner": owner.id}


def _dispatch_rows(app, owner_id: int) -> dict[str, int]:
    """Volunteers to vet and tasks to hold, assign and look at, for the dispatcher routes."""
    from aid.models import Task, User

    pending = volunteer(app, "to-approve")
    vetted = volunteer(app, "to-manage")
    before = set(request_ids(app))
    for n in range(3):
        submit_request(app.test_client(), dict(GOOD_ANSWERS, street=f"{n} Dispatch Street",
                                               contact_handle=f"612-555-018{n}"))
    assign, hold, seen = approve_all(app, only=sorted(set(request_ids(app)) - before))
    with app.app_context():
        db.session.get(User, pending.id).vetting = "pending"
        db.session.get(Task, seen).attention = "released"
        db.session.commit()
    return {"approve_volunteer": pending.id, "manage": vetted.id, "assign": assign,
            "hold": hold, "seen": seen, "helper": owner_id}


def _plan_rows(app, tasks: dict[str, int]) -> dict:
    """A published plan whose route is the tier-1 volunteer's (their held task, pinned), a
    ready plan of the same day to publish, and a safety hold to lift."""
    from tests.support.plans import live_hold, stored_plan
    from tests.support.volunteers import task_row

    day = task_row(app, tasks["view"])["day"]
    published = stored_plan(app, day, "published", routes={tasks["owner"]: [tasks["view"]]},
                            pinned=True)
    ready = stored_plan(app, day, "ready", replan_of=published,
                        routes={tasks["owner"]: [tasks["view"]]}, pinned=True)
    from aid.models import PlanRoute

    with app.app_context():
        route = db.session.scalar(select(PlanRoute.id).where(PlanRoute.plan_id == ready))
        db.session.remove()
    return {"day": day.isoformat(), "ready": ready, "route": route,
            "hold": live_hold(app, "55429")}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, staff, role):
    from aid import members

    household = app.test_client()
    code = submit_request(household)  # the household whose status pages are opened
    status_request = request_ids(app)[0]
    # One request of its own for each triage action; the last two look like one household.
    phones = ("612-555-0171", "612-555-0172", "612-555-0173", "612-555-0173", "612-555-0174")
    for n, phone in enumerate(phones):
        submit_request(app.test_client(), street=f"7{n} Other Street", contact_handle=phone)
    approve, decline, merge_into, merge, close = request_ids(app)[-5:]
    member = _member(app, role)
    tasks = _held_tasks(app, member if role == "volunteer" else None)
    rows = _dispatch_rows(app, tasks["owner"])
    plans = _plan_rows(app, tasks)
    with app.app_context():
        token = members.create_invite(None, tier=None)
    ledger = sample_books(app, staff("treasurer-asks", ["treasurer"]).id)
    client = app.test_client() if member is None else login_client(app, member)
    own_row = {"dispatch.approve": approve, "dispatch.decline": decline,
               "dispatch.merge": merge, "dispatch.close": close,
               "volunteers.task": tasks["view"], "volunteers.court_calendar": tasks["court"],
               "volunteers.claim": tasks["open"], "volunteers.release": tasks["release"],
               "volunteers.complete": tasks["complete"],
               "dispatch.approve_volunteer": rows["approve_volunteer"],
               "dispatch.task": rows["assign"], "dispatch.assign": rows["assign"],
               "dispatch.hold": rows["hold"], "dispatch.unhold": rows["hold"],
               "dispatch.seen": rows["seen"]}
    for endpoint in ("volunteer_tier", "pause_volunteer", "resume_volunteer",
                     "remove_volunteer"):
        own_row[f"dispatch.{endpoint}"] = rows["manage"]
    own_row.update({"plans.show": plans["ready"], "plans.sheets": plans["ready"],
                    "plans.publish": plans["ready"], "plans.route": plans["ready"],
                    "plans.hold_lift": plans["hold"]})
    values = {"code": code, "filename": "aid.css", "token": token, "day": plans["day"],
              "route_id": plans["route"], "slug": ledger["slug"],
              "receipt_id": ledger["receipt_id"]}
    forms = {
        "intake.request_submit": {},
        "intake.status_post": {"code": code},
        "intake.request_sent": {"code": code},
        "intake.status_cancel": {"code": code, "request_id": status_request},
        "intake.status_not_today": {"code": code},
        "intake.status_not_received": {"code": code},
        "intake.status_delete": {"code": code},
        "auth.login": {"handle": f"{role}-1", "password": "not the password", "code": ""},
        "auth.logout": {},
        "dispatch.approve": {},
        "dispatch.decline": {"reason": "other"},
        "dispatch.merge": {"target": merge_into},
        "dispatch.close": {"outcome": "done"},
        "dispatch.invite": {"tier": "1"},
        "dispatch.approve_volunteer": {"tier": "1"},
        "dispatch.volunteer_tier": {"tier": "2"},
        "dispatch.pause_volunteer": {},
        "dispatch.resume_volunteer": {},
        "dispatch.remove_volunteer": {"confirm": "yes"},
        "dispatch.assign": {"volunteer_id": rows["helper"]},
        "dispatch.hold": {},
        "dispatch.unhold": {"day": date.today().isoformat()},
        "dispatch.seen": {},
        "dispatch.assign_confirm": {"pair": []},
        "volunteers.join": {"handle": "x"},
        "volunteers.profile": PROFILE_FORM,
        "volunteers.enrol_totp": {"secret": "A" * 32, "code": "000000"},
        "volunteers.cannot_make_it": {"day": date.today().isoformat()},
        "volunteers.notices_seen": {},
        "volunteers.claim": {},
        "volunteers.release": {"reason": "other"},
        "volunteers.complete": {"outcome": "delivered"},
        "plans.create": {},
        "plans.publish": {},
        "plans.hold_create": {"kind": "zips", "zips": "55430", "hours": "2"},
        "plans.hold_lift": {},
    }
    wrong = []
    for endpoint, method, rule in routes(app):
        url = rule
        for name in ("request_id", "task_id", "user_id", "plan_id", "hold_id"):
            url = url.replace(f"<int:{name}>", str(own_row.get(endpoint, approve)))
        if endpoint.startswith("ledger."):
            if method == "POST":
                ids, forms[endpoint] = filled_form(endpoint, ledger)
            else:
                ids, _form = filled_form("ledger.setup", ledger)
            for name, value in ids.items():
                url = url.replace(f"<int:{name}>", str(value))
            if endpoint == "ledger.import_statement" and method == "POST":
                forms[endpoint] = with_statement(forms[endpoint])
        for name, value in values.items():
            url = url.replace(f"<{name}>", str(value)).replace(f"<path:{name}>", str(value))
            url = url.replace(f"<int:{name}>", str(value))
        assert "<" not in url, url
        if method == "GET":
            r = client.get(url)
        else:
            r = post(client, url, forms[endpoint])
        expected = MATRIX[(endpoint, method)][role]
        if r.status_code != expected:
            wrong.append((method, url, r.status_code, expected))
        if r.status_code == 302 and expected == 302 and role == "anonymous" \
                and endpoint.startswith(("dispatch.", "volunteers.")):
            assert r.headers["Location"].startswith("/login"), url
    assert wrong == [], wrong
