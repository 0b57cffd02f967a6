"""Fixtures: a real SQLite file per test (copied from one migrated template), or the real
PostgreSQL named by DATABASE_URL (emptied after each test); clients, staff, submissions.

Every name, address and phone here is synthetic: 555-01xx numbers and made-up streets.
"""
from __future__ import annotations

import os
import re
import shutil
import time

import pyotp
import pytest
from sqlalchemy import create_engine, text

from aid import create_app
from aid.config import normalize_database_url
from aid.extensions import db

PG_URL = os.environ.get("DATABASE_URL", "")
ON_PG = PG_URL.startswith("postgres")
PASSWORD = "correct horse battery staple"

GOOD_ANSWERS = {
    "kinds": ["groceries"],
    "name": "Test Household",
    "contact_method": "sms",
    "contact_handle": "555-0100",
    "language": "en",
    "street": "12 Example Street",
    "unit": "",
    "city": "Minneapolis",
    "zip": "55404",
    "household_size": "3",
    "delivery_days": ["mon", "thu"],
    "delivery_times": ["morning"],
    "dropoff": "door",
}


def _reset_postgres() -> None:
    engine = create_engine(normalize_database_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrate once: a SQLite file to copy, or the PostgreSQL schema."""
    inst = tmp_path_factory.mktemp("template")
    if ON_PG:
        _reset_postgres()
        app = create_app({"AID_INSTANCE_PATH": inst, "SQLALCHEMY_DATABASE_URI": PG_URL})
        with app.app_context():
            db.session.execute(text("DELETE FROM app_setting"))
            db.session.commit()
            db.engine.dispose()
        return None
    app = create_app({"AID_INSTANCE_PATH": inst,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{inst / 'aid.db'}"})
    with app.app_context():
        db.session.execute(text("DELETE FROM app_setting"))
        db.session.commit()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    return inst / "aid.db"


def make_app(tmp_path, template_db, **overrides):
    inst = tmp_path / "instance"
    inst.mkdir(exist_ok=True)
    if ON_PG:
        url = PG_URL
    else:
        target = inst / "aid.db"
        if not target.exists():
            shutil.copy(template_db, target)
        url = f"sqlite:///{target}"
    config = {
        "AID_INSTANCE_PATH": inst,
        "SQLALCHEMY_DATABASE_URI": url,
        "AID_AUTO_MIGRATE": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "aid.test",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(autouse=True)
def _empty_postgres(request):
    """On PostgreSQL every test starts from empty tables, whatever the last one left."""
    if not ON_PG:
        yield
        return
    request.getfixturevalue("template_db")
    engine = create_engine(normalize_database_url(PG_URL))
    names = ", ".join(t.name for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield


@pytest.fixture
def app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, url: str = "/request") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post(client, url: str, data: dict, url_csrf: str = "/request", **kw):
    """POST a form the way a browser would: with the page's CSRF token."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, url_csrf))
    return client.post(url, data=data, **kw)


def submit_request(client, answers: dict | None = None, **extra) -> str:
    """Send a complete request through review and confirmation; return the status code."""
    data = dict(GOOD_ANSWERS if answers is None else answers)
    data.update(extra)
    data["action"] = "confirm"
    page = post(client, "/request", data).get_data(as_text=True)
    return re.search(r'class="code" dir="ltr"><strong>([0-9A-Z-]{19})</strong>', page).group(1)


class Staff:
    """A staff account for tests, with a TOTP that never reuses a time step."""

    def __init__(self, app, handle: str, roles: list[str]):
        from aid.auth.service import create_user

        with app.app_context():
            user, self.secret = create_user(handle, PASSWORD, roles)
            self.id = user.id
        self.handle = handle
        self._step = 0

    def code(self) -> str:
        if not self.secret:
            return ""
        totp = pyotp.TOTP(self.secret)
        now = totp.timecode(time.time())
        # Each sign-in needs a step not used before. Never the previous step: a 30-second
        # boundary passing during the (slow, scrypt) request would make it stale.
        step = max(self._step + 1, now)
        if step > now + 1:
            raise RuntimeError("too many logins in one test window")
        self._step = step
        return totp.generate_otp(step)


@pytest.fixture
def staff(app):
    def make(handle: str = "dispatcher-1", roles=("dispatcher",)) -> Staff:
        return Staff(app, handle, list(roles))

    return make
