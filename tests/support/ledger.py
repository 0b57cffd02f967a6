"""The books as tests use them: the usual chart, a few postings, raw SQL behind the app's back.
Every payee and donor is a pseudonym or a handle (HH-4F2A, donor-17)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import create_engine, text

from aid.extensions import db
from aid.workflow import workflow


@contextmanager
def books(app):
    """An app and request context (Babel formats money) with the usual chart set up."""
    from aid.ledger import books as ledger_books

    with app.app_context(), app.test_request_context():
        ledger_books.set_up_chart()
        yield ledger_books
        db.session.remove()


def leg(code: str, fund: str, amount: int):
    from aid.ledger import books as ledger_books

    return ledger_books.Leg(ledger_books.account_by_code(code),
                            ledger_books.fund_by_code(fund), amount)


@workflow
def seal(kind: str, legs, on: date | None = None, actor: int | None = None, **links):
    from aid.ledger import books as ledger_books

    return ledger_books.seal(kind, legs, on or date.today(), actor, **links)


def give(amount: int, fund: str = "general", account: str = "bank", **links):
    """A donation of `amount` cents into `account` for `fund`."""
    return seal("donation", [leg(account, fund, amount), leg("donations", fund, -amount)],
                **links)


@contextmanager
def raw(app):
    """A connection of its own, outside the app: writing behind its back."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:  # aid's connect hook turns SQLite's foreign keys on
            yield conn
    finally:
        engine.dispose()


@contextmanager
def without_guards(conn, table: str):
    """Someone with the database's admin rights switches a table's triggers off."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        try:
            yield
        finally:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            conn.commit()
    else:
        names = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='trigger' "
                                  "AND tbl_name=:t"), {"t": table}).all()
        for name, _sql in names:
            conn.execute(text(f"DROP TRIGGER {name}"))
        try:
            yield
        finally:
            for _name, sql in names:
                conn.execute(text(sql))
            conn.commit()
