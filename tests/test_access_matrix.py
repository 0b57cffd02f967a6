"""Every route of the URL map x every role gives the status written here (property 3).

A route that is not in MATRIX fails the suite: whoever adds a route decides, here, who may
open it. GET rules are opened with GET; POST rules are sent a form with a real CSRF token and
the ids of real rows, so a refusal is a refusal and not a 404 for a missing record.
"""
from __future__ import annotations

import pytest

from tests.support.households import request_ids, submit_request
from tests.support.http import post
from tests.support.ledger import filled_form, sample_books, with_statement
from tests.support.staff import login_client

ROLES = ("anonymous", "volunteer", "dispatcher", "treasurer", "admin")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def triage(allowed: int) -> dict[str, int]:
    """Dispatchers and admins get `allowed`; anonymous the login page; the rest 403."""
    return {"anonymous": 302, "volunteer": 403, "dispatcher": allowed, "treasurer": 403,
            "admin": allowed}


def books(allowed: int) -> dict[str, int]:
    """Treasurers and admins get `allowed`; anonymous the login page; the rest 403."""
    return {"anonymous": 302, "volunteer": 403, "dispatcher": 403, "treasurer": allowed,
            "admin": allowed}


# (endpoint, method) -> expected status by role.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("main.index", "GET"): same(200),
    ("main.healthz", "GET"): same(200),
    ("main.quick_exit", "GET"): same(200),
    ("static", "GET"): same(200),
    ("intake.request_form", "GET"): same(200),
    ("intake.request_submit", "POST"): same(422),  # an empty form: every field is missing
    ("intake.status_lookup", "GET"): same(200),
    ("intake.status_post", "POST"): same(200),
    ("intake.status_link", "GET"): same(200),
    ("intake.status_cancel", "POST"): same(200),
    ("intake.status_delete", "POST"): same(200),  # the "are you sure?" page
    ("auth.login", "GET"): {**same(302), "anonymous": 200},
    ("auth.login", "POST"): {**same(302), "anonymous": 401},  # a wrong password
    ("auth.logout", "POST"): same(302),
    ("dispatch.triage", "GET"): triage(200),
    ("dispatch.detail", "GET"): triage(200),
    ("dispatch.approve", "POST"): triage(302),  # done, then back to the list
    ("dispatch.decline", "POST"): triage(302),
    ("dispatch.merge", "POST"): triage(302),
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
}


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


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, staff, role):
    household = app.test_client()
    code = submit_request(household)  # the household whose status pages are opened
    status_request = request_ids(app)[0]
    # One request of its own for each triage action; the last two look like one household.
    for n, phone in enumerate(("612-555-0171", "612-555-0172", "612-555-0173", "612-555-0173")):
        submit_request(app.test_client(), street=f"7{n} Other Street", contact_handle=phone)
    approve, decline, merge_into, merge = request_ids(app)[-4:]
    own_request = {"dispatch.approve": approve, "dispatch.decline": decline,
                   "dispatch.merge": merge}
    ledger = sample_books(app, staff("treasurer-asks", ["treasurer"]).id)
    if role == "anonymous":
        client = app.test_client()
    else:
        client = login_client(app, staff(f"{role}-1", [role]))
    values = {"code": code, "filename": "aid.css", "slug": ledger["slug"],
              "receipt_id": ledger["receipt_id"]}
    forms = {
        "intake.request_submit": {},
        "intake.status_post": {"code": code},
        "intake.status_cancel": {"code": code, "request_id": status_request},
        "intake.status_delete": {"code": code},
        "auth.login": {"handle": f"{role}-1", "password": "not the password", "code": ""},
        "auth.logout": {},
        "dispatch.approve": {},
        "dispatch.decline": {"reason": "other"},
        "dispatch.merge": {"target": merge_into},
    }
    wrong = []
    for endpoint, method, rule in routes(app):
        url = rule.replace("<int:request_id>", str(own_request.get(endpoint, approve)))
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
            url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
            url = url.replace(f"<path:{name}>", str(value))
        assert "<" not in url, url
        if method == "GET":
            r = client.get(url)
        else:
            r = post(client, url, forms[endpoint])
        expected = MATRIX[(endpoint, method)][role]
        if r.status_code != expected:
            wrong.append((method, url, r.status_code, expected))
        if r.status_code == 302 and expected == 302 and role == "anonymous" \
                and endpoint.startswith("dispatch."):
            assert r.headers["Location"].startswith("/login"), url
    assert wrong == [], wrong
