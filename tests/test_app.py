"""Start-up: schema on first start, health check, the master key's rules, safe defaults."""
import base64
import os

import pytest
from sqlalchemy import inspect

from aid import create_app
from aid.extensions import db
from aid.keystore import MasterKeyError
from tests.support.app import ON_PG, make_app
from tests.support.households import submit_request


def test_healthz_reports_ok_without_personal_data(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["version"]
    assert set(body) == {"status", "database", "version"}


@pytest.mark.skipif(ON_PG, reason="first start on an empty SQLite file")
def test_first_start_on_empty_database_creates_schema_and_keys(tmp_path):
    inst = tmp_path / "fresh"
    app = create_app({"AID_INSTANCE_PATH": inst,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{inst / 'aid.db'}"})
    with app.app_context():
        assert inspect(db.engine).has_table("household")
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(db.text("PRAGMA secure_delete")).scalar() == 1
    for name in ("master.key", "secret_key"):
        assert (inst / name).stat().st_mode & 0o777 == 0o600
    assert app.test_client().get("/healthz").status_code == 200
    # A second start reuses what the first made.
    again = create_app({"AID_INSTANCE_PATH": inst,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{inst / 'aid.db'}"})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_missing_master_key_with_existing_data_stops_the_app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    submit_request(app.test_client())
    (tmp_path / "instance" / "master.key").unlink()
    with pytest.raises(MasterKeyError, match="missing"):
        make_app(tmp_path, template_db)
    assert not (tmp_path / "instance" / "master.key").exists()


def test_wrong_master_key_stops_the_app(tmp_path, template_db):
    app = make_app(tmp_path, template_db)
    submit_request(app.test_client())
    other = base64.urlsafe_b64encode(os.urandom(32)).decode()
    with pytest.raises(MasterKeyError, match="does not match"):
        make_app(tmp_path, template_db, AID_MASTER_KEY=other)


def test_unreadable_master_key_is_a_clear_error(tmp_path, template_db):
    with pytest.raises(MasterKeyError, match="32 bytes|base64"):
        make_app(tmp_path, template_db, AID_MASTER_KEY="dG9vIHNob3J0")


def test_debug_is_off_by_default(app):
    assert app.debug is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is False
