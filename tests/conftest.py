"""Fixtures: the app on a real database, clients, CLI, staff, signed-in browsers.

Helpers that tests call directly are in tests/support/.
"""
from __future__ import annotations

import os

import pytest

from aid.extensions import db
from tests.support.app import (
    ON_PG,
    empty_postgres,
    finish_background_jobs,
    make_app,
    migrate_template,
)
from tests.support.staff import Staff, login_client


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrate once: a SQLite file to copy, or the PostgreSQL schema."""
    return migrate_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(autouse=True)
def _empty_postgres(request):
    """On PostgreSQL every test starts from empty tables, whatever the last one left."""
    if ON_PG:
        request.getfixturevalue("template_db")
        empty_postgres()
    yield


@pytest.fixture
def app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    yield app
    finish_background_jobs()  # a job the test started (a day's plan) ends with it
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def staff(app):
    """Make a staff account: staff(handle, roles)."""
    def make(handle: str = "dispatcher-1", roles=("dispatcher",)) -> Staff:
        return Staff(app, handle, list(roles))

    return make


@pytest.fixture
def signed_in(app):
    """A browser signed in with a new account: signed_in("dispatcher") or
    signed_in("admin", "dispatcher"); `client.member` is the Staff behind it."""
    made: dict[str, int] = {}

    def sign(*roles: str):
        name = "-".join(roles)
        made[name] = made.get(name, 0) + 1
        return login_client(app, Staff(app, f"{name}-{made[name]}", list(roles)))

    return sign


@pytest.fixture
def redis_url():
    """The machine's Redis, for RQ: skipped with a reason where none answers, a failure
    under AID_REQUIRE_REDIS=1 (CI starts one)."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("AID_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        reason = f"no Redis answers at {url} (.ci/run starts one)"
        if os.environ.get("AID_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " and AID_REQUIRE_REDIS=1", pytrace=False)
        pytest.skip(reason)
    return url
