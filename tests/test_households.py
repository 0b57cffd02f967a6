"""The household domain's promises: the status code's source, reading only through an audited
opening, the retention clock starting when the last request closes, and keys shredded first."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from aid import households
from aid.extensions import db
from aid.households import NewHousehold
from aid.models import AuditEvent, HelpRequest, Household, HouseholdKey
from aid.models._types import utcnow
from tests.support.app import rows_of

NEW = NewHousehold(name="Test Household", contact_method="sms", contact_handle="555-0100",
                   language="en", street="12 Example Street", city="Minneapolis",
                   zip="55404", code_word="Plumquartzite",
                   requests={"groceries": {"household_size": "3"},
                             "translation": {"translation_languages": "Somali"}})


@households.workflow
def _create() -> tuple[int, str]:
    household, code = households.create(NEW)
    return household.id, code


def test_status_code_comes_from_the_os_secure_source(monkeypatch):
    """Fixed bytes from `secrets` give exactly their Crockford encoding: nothing else is mixed
    in, and seeding Python's `random` changes nothing."""
    monkeypatch.setattr(households.secrets, "token_bytes", lambda n: bytes(range(n)))
    assert households.new_status_code() == "000G-40R4-0M30-E209"
    monkeypatch.undo()
    random.seed(1)
    first = households.new_status_code()
    random.seed(1)
    assert households.new_status_code() != first


def test_open_for_writes_its_audit_row_in_the_same_transaction(app, staff):
    member = staff()
    with app.app_context():
        hid, _code = _create()
        household = db.session.get(Household, hid)
        rid = household.requests[0].id
        shown = households.open_for(member.id, household, household.requests[0])
        assert shown.code_word == "Plumquartzite" and shown.details == {"household_size": "3"}
        db.session.remove()  # what was not committed is gone now
    rows = rows_of(app, AuditEvent)
    assert [(r["actor_id"], r["action"], r["household_id"], r["request_id"]) for r in rows] == [
        (member.id, "reveal", hid, rid)]


def test_open_for_can_open_only_some_fields(app):
    with app.app_context():
        hid, _code = _create()
        shown = households.open_for(None, db.session.get(Household, hid),
                                    fields=(households.ADDRESS,))
        assert shown.address["street"] == "12 Example Street"
        assert shown.name is None and shown.code_word is None and shown.contact == {}


def _close(app, hid: int, statuses: list[str]) -> object:
    @households.workflow
    def run():
        household = db.session.get(Household, hid)
        for req, status in zip(household.requests, statuses):
            households.close_request(req, status)
        return household.last_closed_at

    with app.app_context():
        return run()


@pytest.mark.parametrize("status", ["cancelled", "declined", "merged", "done"])
def test_closing_the_last_open_request_starts_the_retention_clock(app, status):
    with app.app_context():
        hid, _code = _create()
    assert _close(app, hid, [status]) is None  # one of two closed: the household still waits
    assert _close(app, hid, [status, status]) is not None


def test_shred_deletes_the_keys_before_any_row(app):
    with app.app_context():
        hid, _code = _create()
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args):
            statements.append(statement.split()[0:3])

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            households.workflow(households.shred)([hid])
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        deletes = [" ".join(s[2:3]) for s in statements if s[0] == "DELETE"]
        assert deletes[0] == "household_key" and set(deletes) == {
            "household_key", "help_request", "household"}
        assert db.session.scalar(select(HouseholdKey)) is None
        assert db.session.scalar(select(HelpRequest)) is None


def test_a_shredded_household_is_not_found_by_its_code(app):
    with app.app_context():
        hid, code = _create()
        assert households.find_by_code(code).id == hid
        households.workflow(households.destroy_keys)([hid])
        assert households.find_by_code(code) is None


def test_retention_cutoff_uses_the_last_close(app):
    with app.app_context():
        hid, _code = _create()
    closed = _close(app, hid, ["done", "done"])
    assert utcnow() - closed < timedelta(minutes=1)
