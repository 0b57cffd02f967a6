"""Triage as dispatchers use it: who may enter, the audited reveal, approve, decline, merge,
the possible-duplicate flag, and fields nobody may set by posting them (property 4)."""
from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event

from aid.extensions import db
from aid.models import AuditEvent, HelpRequest, HouseholdKey
from aid.vocabulary import DECLINE_REASONS
from tests.support.app import rows_of, table_rows
from tests.support.households import (
    CANARY_FORMS,
    GOOD_ANSWERS,
    canary_answers,
    request_ids,
    submit_request,
)
from tests.support.http import post
from tests.support.staff import login_client, sign_in


def requests_by_id(app) -> dict[int, dict]:
    return {row["id"]: row for row in rows_of(app, HelpRequest)}


def audit_rows(app) -> list[dict]:
    return rows_of(app, AuditEvent)


def household_of(app, request_id: int) -> int:
    return requests_by_id(app)[request_id]["household_id"]


def dispatch_urls(app, rid: int) -> list[tuple[str, str]]:
    """(method, url) for every triage rule in the URL map, with a real request's id (the
    other dispatcher pages have their own tests and the access matrix)."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule == "/dispatch/" or rule.rule.startswith("/dispatch/requests"):
            url = rule.rule.replace("<int:request_id>", str(rid))
            out += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(out) == 6
    return out


def act(client, rid: int, action: str, **form):
    return post(client, f"/dispatch/requests/{rid}/{action}", form)


@pytest.fixture
def dispatcher(signed_in):
    return signed_in("dispatcher")


def flags(page: str) -> dict[int, bool]:
    """The triage list's possible-duplicate column, by request id."""
    rows = re.findall(r'<tr>\s*<td><a href="/dispatch/requests/(\d+)">.*?</tr>', page, re.DOTALL)
    blocks = re.findall(r'(<tr>\s*<td><a href="/dispatch/requests/\d+">.*?</tr>)', page, re.DOTALL)
    return {int(rid): "<strong>" in block for rid, block in zip(rows, blocks)}


# ---------------------------------------------------------------- who may enter


def test_anonymous_is_sent_to_login_from_every_dispatch_url(app):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    client = app.test_client()
    before = table_rows(app)
    for method, url in dispatch_urls(app, rid):
        r = client.get(url) if method == "GET" else post(client, url, {"reason": "other"})
        assert r.status_code == 302, url
        assert r.headers["Location"].startswith("/login"), url
    assert table_rows(app) == before


@pytest.mark.parametrize("role", ["volunteer", "treasurer"])
def test_volunteer_and_treasurer_get_403_on_every_dispatch_url(app, staff, role):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    client = login_client(app, staff(f"{role}-1", [role]))
    before = table_rows(app)
    for method, url in dispatch_urls(app, rid):
        r = client.get(url) if method == "GET" else post(client, url, {"reason": "other"})
        assert r.status_code == 403, url
        assert "Test Household" not in r.get_data(as_text=True)
    assert table_rows(app) == before


@pytest.mark.parametrize("role", ["dispatcher", "admin"])
def test_dispatcher_and_admin_reach_the_triage_list(app, staff, role):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    client = login_client(app, staff(f"{role}-1", [role]))
    r = client.get("/dispatch/")
    assert r.status_code == 200
    assert f'href="/dispatch/requests/{rid}"' in r.get_data(as_text=True)


def test_signing_in_sends_a_dispatcher_to_the_triage_list(app, staff):
    r = sign_in(app.test_client(), staff("dispatcher-1", ["dispatcher"]))
    assert r.status_code == 302 and r.headers["Location"] == "/dispatch/"


# ---------------------------------------------------------------- the audited reveal


def test_opening_a_request_writes_exactly_one_audit_event(app, dispatcher):
    submit_request(app.test_client(), canary_answers())
    rid = request_ids(app)[0]
    assert audit_rows(app) == []
    r = dispatcher.get(f"/dispatch/requests/{rid}")
    assert r.status_code == 200
    assert canary_answers()["street"] in r.get_data(as_text=True)
    rows = audit_rows(app)
    assert len(rows) == 1
    row = rows[0]
    assert row["actor_id"] == dispatcher.member.id
    assert row["household_id"] == household_of(app, rid)
    assert row["request_id"] == rid
    assert row["action"] == "reveal"
    assert row["at"] is not None


def test_audit_rows_hold_no_personal_value(app, dispatcher):
    submit_request(app.test_client(), canary_answers())
    for rid in request_ids(app):
        dispatcher.get(f"/dispatch/requests/{rid}")
    act(dispatcher, request_ids(app)[0], "decline", reason="other")
    rows = audit_rows(app)
    assert [r["action"] for r in rows] == ["reveal", "reveal", "decline"]
    dump = repr(rows) + repr(table_rows(app)["audit_event"])
    for needle in CANARY_FORMS:
        assert needle not in dump, needle


def test_listing_requests_reveals_nothing_and_writes_no_audit_event(app, dispatcher):
    submit_request(app.test_client(), canary_answers())
    page = dispatcher.get("/dispatch/").get_data(as_text=True)
    for needle in CANARY_FORMS:
        assert needle not in page
    assert audit_rows(app) == []


def test_unknown_request_id_is_404(app, dispatcher):
    submit_request(app.test_client())
    missing = max(request_ids(app)) + 1
    assert dispatcher.get(f"/dispatch/requests/{missing}").status_code == 404
    assert act(dispatcher, missing, "approve").status_code == 404
    assert audit_rows(app) == []


def test_out_of_range_request_ids_are_404_not_an_error(app, dispatcher):
    submit_request(app.test_client())
    before = table_rows(app)
    for rid in ("0", "2147483648", "99999999999999999999"):
        assert dispatcher.get(f"/dispatch/requests/{rid}").status_code == 404, rid
        assert post(dispatcher, f"/dispatch/requests/{rid}/approve", {}).status_code == 404, rid
    assert table_rows(app) == before


def test_request_of_a_shredded_household_is_404_not_an_error(app, dispatcher):
    """Mid emergency purge the key is gone before the rows: nothing to read, nothing to do."""
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    with app.app_context():
        db.session.execute(HouseholdKey.__table__.delete())
        db.session.commit()
    before = table_rows(app)
    assert dispatcher.get(f"/dispatch/requests/{rid}").status_code == 404
    assert act(dispatcher, rid, "approve").status_code == 404
    assert table_rows(app) == before


# ---------------------------------------------------------------- approve, decline, merge


def test_approve_moves_a_new_request_to_approved(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    r = act(dispatcher, rid, "approve")
    assert r.status_code == 302 and r.headers["Location"] == "/dispatch/"
    assert requests_by_id(app)[rid]["status"] == "approved"
    # Approving reads the request's schedule to make its tasks: that opening is audited too.
    assert [(a["action"], a["request_id"], a["actor_id"]) for a in audit_rows(app)] == [
        ("approve", rid, dispatcher.member.id), ("schedule", rid, dispatcher.member.id)]


def test_second_approve_is_refused_with_409_and_changes_nothing(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    assert act(dispatcher, rid, "approve").status_code == 302
    before = requests_by_id(app)
    actions_before = [a["action"] for a in audit_rows(app)]
    r = act(dispatcher, rid, "approve")
    assert r.status_code == 409
    page = r.get_data(as_text=True)
    assert 'role="alert"' in page and 'href="/dispatch/"' in page  # says so, offers a way on
    assert requests_by_id(app) == before
    # The refusal page shows no household details, so it reveals (and audits) nothing.
    assert "Test Household" not in page
    assert [a["action"] for a in audit_rows(app)] == actions_before


def test_decline_with_a_reason_closes_the_request(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    assert act(dispatcher, rid, "decline", reason="out_of_area").status_code == 302
    row = requests_by_id(app)[rid]
    assert (row["status"], row["decline_reason"]) == ("declined", "out_of_area")
    assert row["closed_at"] is not None
    assert [(a["action"], a["detail"]) for a in audit_rows(app)] == [("decline", "out_of_area")]


def test_a_closed_request_shows_no_details_and_writes_no_reveal(app, dispatcher):
    submit_request(app.test_client(), canary_answers())
    rid = request_ids(app)[0]
    act(dispatcher, rid, "decline", reason="cannot_help")
    page = dispatcher.get(f"/dispatch/requests/{rid}").get_data(as_text=True)
    assert "This request is closed, so its details are no longer shown." in page
    for needle in CANARY_FORMS:
        assert needle not in page, needle
    assert [a["action"] for a in audit_rows(app)] == ["decline"]


def test_decline_with_an_unknown_reason_is_refused(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    before = requests_by_id(app)
    for reason in ("", "because", "OTHER", "other ", "<b>x</b>"):
        assert reason not in DECLINE_REASONS
        r = act(dispatcher, rid, "decline", reason=reason)
        assert r.status_code == 409, reason
    assert requests_by_id(app) == before
    assert "decline" not in [a["action"] for a in audit_rows(app)]


def test_decline_of_an_approved_request_is_refused(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    act(dispatcher, rid, "approve")
    before = requests_by_id(app)
    assert act(dispatcher, rid, "decline", reason="other").status_code == 409
    assert requests_by_id(app) == before


def test_unknown_action_is_404_and_changes_nothing(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    before = table_rows(app)
    assert act(dispatcher, rid, "delete").status_code == 404
    assert table_rows(app) == before


# Two ways of typing one number (Arabic-Indic digits, country code) and a different number.
SAME_PHONE = ("612-555-0142", "+1 (٦١٢) ٥٥٥-٠١٤٢")
OTHER_PHONE = "612-555-0199"


def submit_phones(app) -> tuple[int, int, int]:
    household = app.test_client()
    for n, phone in enumerate(SAME_PHONE + (OTHER_PHONE,)):
        submit_request(household, dict(GOOD_ANSWERS, contact_handle=phone,
                                       street=f"{n + 1}0 Different Street"))
    a, b, c = request_ids(app)
    return a, b, c


def test_duplicate_flag_shows_for_one_phone_typed_two_ways(app, dispatcher):
    a, b, _c = submit_phones(app)
    shown = flags(dispatcher.get("/dispatch/").get_data(as_text=True))
    assert shown[a] and shown[b]


def test_duplicate_flag_does_not_show_for_a_different_phone(app, dispatcher):
    _a, _b, c = submit_phones(app)
    shown = flags(dispatcher.get("/dispatch/").get_data(as_text=True))
    assert len(shown) == 3
    assert shown[c] is False


def test_merge_folds_a_duplicate_into_the_request_it_repeats(app, dispatcher):
    a, b, _c = submit_phones(app)
    page = dispatcher.get(f"/dispatch/requests/{b}").get_data(as_text=True)
    assert f'<option value="{a}">' in page  # offered as a candidate
    assert act(dispatcher, b, "merge", target=str(a)).status_code == 302
    rows = requests_by_id(app)
    assert (rows[b]["status"], rows[b]["merged_into_id"]) == ("merged", a)
    assert rows[a]["status"] == "new"


def test_merge_only_into_a_real_duplicate_candidate(app, dispatcher):
    _a, b, c = submit_phones(app)
    before = table_rows(app)
    # Another household's request, itself, a missing id, not a number.
    for target in (str(c), str(b), "99999", "a"):
        assert act(dispatcher, b, "merge", target=target).status_code == 409, target
    after = table_rows(app)
    assert after["help_request"] == before["help_request"]
    assert all("'merge'" not in row for row in after["audit_event"])


def test_merge_into_a_closed_candidate_is_refused(app, dispatcher):
    a, b, _c = submit_phones(app)
    act(dispatcher, a, "decline", reason="other")
    before = requests_by_id(app)
    assert act(dispatcher, b, "merge", target=str(a)).status_code == 409
    assert requests_by_id(app) == before


# ---------------------------------------------------------------- property 4


def test_household_form_ignores_fields_a_household_may_not_set(app):
    forged = {"role": "admin", "roles": "admin", "claimed_by": "1", "approved": "1",
              "status": "approved", "decline_reason": "other", "merged_into_id": "1",
              "household_id": "1", "id": "77", "status_code_hash": "0" * 64,
              "area": "Elsewhere 00000", "approx_lat": "1.5"}
    submit_request(app.test_client())
    first = request_ids(app)[0]
    submit_request(app.test_client(), **forged)
    rows = requests_by_id(app)
    new = rows[max(rows)]
    assert new["id"] != 77
    assert new["household_id"] != rows[first]["household_id"]
    assert (new["status"], new["decline_reason"], new["merged_into_id"]) == ("new", None, None)
    tables = table_rows(app)
    assert "Elsewhere" not in repr(tables["household"]) and "0" * 64 not in repr(tables)
    assert len(tables["staff_user"]) == 0


def test_triage_actions_ignore_fields_they_do_not_take(app, dispatcher):
    submit_request(app.test_client())
    submit_request(app.test_client(), street="99 Unrelated Road", contact_handle="612-555-0111")
    a, b = request_ids(app)
    r = act(dispatcher, a, "approve", status="done", request_id=str(b), household_id="2",
            merged_into_id=str(b), actor_id="999", decline_reason="other")
    assert r.status_code == 302
    rows = requests_by_id(app)
    assert (rows[a]["status"], rows[a]["merged_into_id"], rows[a]["decline_reason"]) == (
        "approved", None, None)
    assert rows[b]["status"] == "new"
    assert {a_["actor_id"] for a_ in audit_rows(app)} == {dispatcher.member.id}


# ---------------------------------------------------------------- two dispatchers at once


def _at_once(calls) -> list[int]:
    """Run the calls at the same moment, each in its own thread; their statuses."""
    barrier = threading.Barrier(len(calls))
    statuses = [0] * len(calls)

    def run(i):
        barrier.wait()
        statuses[i] = calls[i]().status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def _prepared(client, url, form):
    """A POST ready to go, its CSRF token fetched beforehand."""
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/request").get_data(as_text=True)).group(1)
    return lambda: client.post(url, data=dict(form, csrf_token=token))


@pytest.mark.parametrize("second", ["approve", "decline"])
def test_two_dispatchers_acting_at_once_one_wins_and_the_other_is_refused(app, staff, second):
    a = login_client(app, staff("dispatcher-1", ["dispatcher"]))
    b = login_client(app, staff("dispatcher-2", ["dispatcher"]))
    for _round in range(5):
        submit_request(app.test_client())
        rid = request_ids(app)[-1]
        statuses = _at_once([
            _prepared(a, f"/dispatch/requests/{rid}/approve", {}),
            _prepared(b, f"/dispatch/requests/{rid}/{second}", {"reason": "other"})])
        assert sorted(statuses) == [302, 409]
        row = requests_by_id(app)[rid]
        if row["status"] == "approved":
            assert (row["decline_reason"], row["closed_at"]) == (None, None)
        else:
            assert (row["status"], row["decline_reason"]) == ("declined", "other")
        acted = [e for e in audit_rows(app) if e["request_id"] == rid
                 and e["action"] in ("approve", "decline")]
        assert len(acted) == 1


def test_the_queue_loads_its_households_in_one_query_not_one_per_row(app, dispatcher):
    for n in range(12):
        submit_request(app.test_client(), street=f"{n} Many Street",
                       contact_handle=f"612-555-01{n:02d}")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            page = dispatcher.get("/dispatch/").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    assert page.count('href="/dispatch/requests/') == 12
    # The session, its user, and the queue itself: not one more per row.
    assert len(statements) <= 4, len(statements)


# ---------------------------------------------------------------- closing by hand


@pytest.mark.parametrize("outcome", ["done", "closed"])
def test_a_dispatcher_closes_an_approved_request_and_the_retention_clock_starts(
        app, dispatcher, outcome):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    act(dispatcher, rid, "approve")
    r = act(dispatcher, rid, "close", outcome=outcome)
    assert r.status_code == 302
    row = requests_by_id(app)[rid]
    assert row["status"] == outcome and row["closed_at"] is not None
    with app.app_context():
        from aid.models import Household

        assert db.session.get(Household, row["household_id"]).last_closed_at is not None
    assert [(a["action"], a["detail"]) for a in audit_rows(app)][-1] == ("close", outcome)


def test_closing_needs_a_known_outcome_and_an_open_request(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    act(dispatcher, rid, "approve")
    before = requests_by_id(app)
    for outcome in ("", "cancelled", "declined", "DONE"):
        assert act(dispatcher, rid, "close", outcome=outcome).status_code == 422, outcome
    assert requests_by_id(app) == before
    act(dispatcher, rid, "close", outcome="done")
    assert act(dispatcher, rid, "close", outcome="closed").status_code == 409


def test_every_state_has_its_tab_and_closed_requests_stay_findable(app, dispatcher):
    submit_request(app.test_client())
    rid = request_ids(app)[0]
    act(dispatcher, rid, "approve")
    act(dispatcher, rid, "close", outcome="done")
    page = dispatcher.get("/dispatch/").get_data(as_text=True)
    for status in ("new", "approved", "declined", "merged", "cancelled", "done", "closed"):
        assert f'href="/dispatch/?status={status}"' in page, status
    done = dispatcher.get("/dispatch/?status=done").get_data(as_text=True)
    assert f'href="/dispatch/requests/{rid}"' in done


def test_the_list_is_paginated(app, dispatcher):
    from aid.dispatch.service import PAGE_SIZE

    for n in range(PAGE_SIZE + 3):
        submit_request(app.test_client(), street=f"{n} Page Street",
                       contact_handle=f"612-555-{n:04d}")
    first = dispatcher.get("/dispatch/").get_data(as_text=True)
    assert first.count('href="/dispatch/requests/') == PAGE_SIZE
    assert 'href="/dispatch/?status=new&amp;page=2"' in first
    second = dispatcher.get("/dispatch/?status=new&page=2").get_data(as_text=True)
    assert second.count('href="/dispatch/requests/') == 3
    for bad in ("0", "-1", "x", "99999999", "٢"):
        assert dispatcher.get(f"/dispatch/?page={bad}").status_code == 200, bad


def test_the_detail_page_shows_state_time_and_staff_labels_and_no_default_reason(app,
                                                                                dispatcher):
    submit_request(app.test_client())
    page = dispatcher.get(f"/dispatch/requests/{request_ids(app)[0]}").get_data(as_text=True)
    assert "New" in page and "People in the home" in page
    assert "How many people live in your home?" not in page  # the household's question
    assert re.search(r"\d{1,2}:\d\d", page)  # the time it arrived, not only the date
    reason = re.search(r'<select id="reason" name="reason">(.*?)</select>', page).group(1)
    assert re.match(r'<option value="" selected>', reason)
    # Approve and decline are apart: decline sits behind its own disclosure.
    assert page.index("Approve") < page.index("<details")


@pytest.mark.parametrize("path, current", [
    ("/dispatch/", "Requests"), ("/dispatch/tasks", "Tasks"),
    ("/dispatch/volunteers", "Volunteers"), ("/dispatch/plans/", "Day plans"),
    ("/dispatch/plans/new", "Day plans"), ("/dispatch/plans/holds", "Safety holds"),
])
def test_the_dispatchers_sections_are_one_row_with_the_current_one_marked(signed_in, path,
                                                                           current):
    page = signed_in("dispatcher").get(path)
    assert page.status_code == 200
    nav = re.findall(r'<nav class="tabs section-nav">(.*?)</nav>', page.get_data(as_text=True),
                     re.S)
    assert len(nav) == 1
    tabs = re.findall(r"<a [^>]*>([^<]*)</a>", nav[0])
    assert tabs == ["Requests", "Tasks", "Volunteers", "Day plans", "Safety holds"]
    assert re.findall(r'aria-current="page">([^<]*)<', nav[0]) == [current]
    assert page.get_data(as_text=True).count(">Day plans</a>") == 1
