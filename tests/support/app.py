"""The app on a real database: a SQLite file per test copied from one migrated template, or
the PostgreSQL named by DATABASE_URL (emptied before each test)."""
from __future__ import annotations

import functools
import os
import shutil

from sqlalchemy import create_engine, select, text

from aid import create_app
from aid.config import normalize_database_url
from aid.extensions import db

PG_URL = os.environ.get("DATABASE_URL", "")
ON_PG = PG_URL.startswith("postgres")


def reset_postgres() -> None:
    engine = create_engine(normalize_database_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_postgres() -> None:
    """Empty the tables the last test wrote to and start every id sequence at 1 again.

    A probe finds the tables that hold rows (one round trip); TRUNCATE costs a few
    milliseconds per table, so emptying all of them before each of 900 tests took minutes."""
    names = [t.name for t in db.metadata.sorted_tables]
    probe = " UNION ALL ".join(f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM {n})" for n in names)
    with _pg_engine().begin() as conn:
        full = list(conn.execute(text(probe)).scalars())
        if full:
            # The ledger's tables refuse TRUNCATE by trigger; a test database may skip them.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {', '.join(full)} RESTART IDENTITY CASCADE"))
        sequences = list(conn.execute(text(
            "SELECT oid::regclass::text FROM pg_class WHERE relkind = 'S'")).scalars())
        if sequences:  # an insert rolled back still used up its id
            conn.execute(text("SELECT " + ", ".join(f"setval('{name}', 1, false)"
                                                    for name in sequences)))


@functools.cache
def _pg_engine():
    return create_engine(normalize_database_url(PG_URL), pool_pre_ping=True)


def migrate_template(inst) -> str | None:
    """Migrate once: a SQLite file to copy (its path), or the PostgreSQL schema (None)."""
    if ON_PG:
        reset_postgres()
        url = PG_URL
    else:
        url = f"sqlite:///{inst / 'aid.db'}"
    app = create_app({"AID_INSTANCE_PATH": inst, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(text("DELETE FROM app_setting"))
        db.session.commit()
        if not ON_PG:
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    return None if ON_PG else inst / "aid.db"


def make_app(tmp_path, template_db, **overrides):
    """A fresh app on its own database (a copy of the template), rate limits off."""
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
        "AID_SCHEDULER": False,
        "SERVER_NAME": "aid.test",
        "TRUSTED_HOSTS": ["aid.test", "localhost", "127.0.0.1"],
    }
    config.update(overrides)
    return create_app(config)


def finish_background_jobs() -> None:
    """Wait for the jobs this process runs in its threads (a day's plan), then start afresh."""
    from aid import jobs

    if jobs._executor is not None:
        jobs._executor.shutdown(wait=True)
        jobs._executor = None


def table_rows(app) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: a snapshot to compare before and after."""
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table)).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
        db.session.remove()
        return out


def row_counts(app) -> dict[str, int]:
    return {name: len(rows) for name, rows in table_rows(app).items()}


def rows_of(app, model, order_by=None) -> list[dict]:
    """Every row of one model as plain dicts (column name -> value)."""
    with app.app_context():
        stmt = select(model).order_by(order_by if order_by is not None else model.id)
        out = [{c.name: getattr(r, c.name) for c in model.__table__.columns}
               for r in db.session.scalars(stmt)]
        db.session.remove()
        return out
