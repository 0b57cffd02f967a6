"""Deleted on time: retention purge, emergency purge, no recoverable bytes left behind."""
from datetime import timedelta

from sqlalchemy import func, select

from aid.extensions import db
from aid.models import HelpRequest, Household, HouseholdKey
from aid.models._types import utcnow
from aid.privacy import purge_expired
from tests.conftest import GOOD_ANSWERS, ON_PG, post, submit_request

CANARY_STREET = "4471 Canarywood Lane"


def households(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Household.id)))


def close_all(app, days_ago: int):
    with app.app_context():
        for req in db.session.scalars(select(HelpRequest)):
            req.status = "done"
            req.closed_at = utcnow() - timedelta(days=days_ago)
        for h in db.session.scalars(select(Household)):
            h.last_closed_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()


def test_retention_purge_removes_only_what_is_past_its_time(app, client):
    submit_request(client)
    close_all(app, days_ago=31)
    submit_request(client)  # still open: stays
    with app.app_context():
        assert purge_expired(30) == 1
        assert purge_expired(30) == 0  # running it twice changes nothing
    assert households(app) == 1


def test_recently_closed_households_are_kept(app, client):
    submit_request(client)
    close_all(app, days_ago=5)
    with app.app_context():
        assert purge_expired(30) == 0
    assert households(app) == 1


def test_purge_command(app, client, runner):
    submit_request(client)
    close_all(app, days_ago=60)
    result = runner.invoke(args=["aid", "purge"])
    assert result.exit_code == 0 and "Purged 1" in result.output


def test_emergency_purge_destroys_every_key_and_the_app_keeps_running(app, client, runner):
    codes = [submit_request(client) for _ in range(3)]
    result = runner.invoke(args=["aid", "emergency-purge", "--yes"])
    assert result.exit_code == 0 and "Destroyed 3" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HouseholdKey)) == 0
    assert households(app) == 0
    assert client.get(f"/status/{codes[0]}").status_code == 404
    assert client.get("/healthz").status_code == 200
    submit_request(client)
    assert households(app) == 1


def _file_bytes(app) -> bytes:
    from pathlib import Path

    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    data = b""
    for suffix in ("", "-wal"):
        p = Path(str(path) + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def test_after_delete_no_byte_of_the_ciphertext_remains_in_file_or_wal(app, client):
    if ON_PG:
        return  # file bytes are SQLite's; PostgreSQL relies on the shredded key
    code = submit_request(client, dict(GOOD_ANSWERS, street=CANARY_STREET))
    with app.app_context():
        household = db.session.scalar(select(Household))
        blobs = [bytes(household.address_enc), bytes(household.key.wrapped),
                 bytes(household.name_enc)]
    assert all(b[:24] in _file_bytes(app) for b in blobs)
    post(client, "/status/delete", {"code": code, "confirm": "yes"})
    data = _file_bytes(app)
    for blob in blobs:
        assert blob[:24] not in data
    assert CANARY_STREET.encode() not in data
