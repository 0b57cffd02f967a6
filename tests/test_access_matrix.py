"""Every route of the URL map x every role gives the status written here (property 3).

A route that is not in MATRIX fails the suite: whoever adds a route decides, here, who may
open it. GET rules are opened with GET; POST rules are sent a form with a real CSRF token and
the ids of real rows, so a refusal is a refusal and not a 404 for a missing record.
"""
from __future__ import annotations

import pytest

from tests.support.households import request_ids, submit_request
from tests.support.http import post
from tests.support.staff import login_client

ROLES = ("anonymous", "volunteer", "dispatcher", "treasurer", "admin")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def triage(allowed: int) -> dict[str, int]:
    """Dispatchers and admins get `allowed`; anonymous the login page; the rest 403."""
    return {"anonymous": 302, "volunteer": 403, "dispatcher": allowed, "treasurer": 403,
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
    ("intake.request_sent", "POST"): same(200),
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
    ("dispatch.close", "POST"): triage(302),
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
    phones = ("612-555-0171", "612-555-0172", "612-555-0173", "612-555-0173", "612-555-0174")
    for n, phone in enumerate(phones):
        submit_request(app.test_client(), street=f"7{n} Other Street", contact_handle=phone)
    approve, decline, merge_into, merge, close = request_ids(app)[-5:]
    own_request = {"dispatch.approve": approve, "dispatch.decline": decline,
                   "dispatch.merge": merge, "dispatch.close": close}
    if role == "anonymous":
        client = app.test_client()
    else:
        client = login_client(app, staff(f"{role}-1", [role]))
    values = {"code": code, "filename": "aid.css"}
    forms = {
        "intake.request_submit": {},
        "intake.status_post": {"code": code},
        "intake.request_sent": {"code": code},
        "intake.status_cancel": {"code": code, "request_id": status_request},
        "intake.status_delete": {"code": code},
        "auth.login": {"handle": f"{role}-1", "password": "not the password", "code": ""},
        "auth.logout": {},
        "dispatch.approve": {},
        "dispatch.decline": {"reason": "other"},
        "dispatch.merge": {"target": merge_into},
        "dispatch.close": {"outcome": "done"},
    }
    wrong = []
    for endpoint, method, rule in routes(app):
        url = rule.replace("<int:request_id>", str(own_request.get(endpoint, approve)))
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
    assert wrong == []
