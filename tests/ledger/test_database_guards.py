"""The database itself keeps the books honest (SECURITY.md 28-30, 32), on SQLite and
PostgreSQL alike: written behind the app's back with raw SQL, an unbalanced transaction, an
update, a delete, a posting to a sealed transaction or a closed account, a posting left
without its transaction, or a self-approval are all refused."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from aid.ledger.chain import GENESIS
from aid.models.ledger import APPEND_ONLY
from tests.support.app import ON_PG
from tests.support.ledger import books, give, raw

INSERT_POSTING = ("INSERT INTO ledger_posting (txn_id, account_id, fund_id, amount, currency) "
                  "VALUES (:t, :a, :f, :amount, 'USD')")
INSERT_TXN = ("INSERT INTO ledger_txn (id, kind, occurred_on, created_at, prev_hash, hash) "
              "VALUES (:t, 'donation', '2026-11-02', '2026-11-02 10:00:00', :prev, :hash)")


def _ids(app):
    with books(app):
        first = give(1000)
        return first.id, first.hash


def _write(app, statements):
    with raw(app) as conn:
        with conn.begin():
            for sql, params in statements:
                conn.execute(text(sql), params)


def _seal_raw(app, txn_id, prev, amounts, hash_="f" * 64):
    posts = [(INSERT_POSTING, {"t": txn_id, "a": account, "f": 1, "amount": amount})
             for account, amount in amounts]
    _write(app, posts + [(INSERT_TXN, {"t": txn_id, "prev": prev, "hash": hash_})])


def test_a_balanced_transaction_written_by_hand_is_accepted(app):
    first, head = _ids(app)
    _seal_raw(app, first + 1, head, [(1, 500), (2, -500)])  # the control


@pytest.mark.parametrize("amounts", [[(1, 500), (2, -499)], [(1, 500)], []],
                         ids=["off by a cent", "one posting", "no posting"])
def test_an_unbalanced_transaction_is_refused(app, amounts):
    first, head = _ids(app)
    with pytest.raises(DBAPIError, match="two postings|unbalanced"):
        _seal_raw(app, first + 1, head, amounts)


def test_a_transaction_balanced_in_one_currency_only_is_refused(app):
    first, head = _ids(app)
    posts = [(INSERT_POSTING.replace("'USD'", f"'{cur}'"), {"t": first + 1, "a": a, "f": 1,
                                                            "amount": amt})
             for a, amt, cur in [(1, 500, "USD"), (2, -500, "EUR")]]
    with pytest.raises(DBAPIError, match="unbalanced"):
        _write(app, posts + [(INSERT_TXN, {"t": first + 1, "prev": head, "hash": "e" * 64})])


def test_a_posting_added_to_a_sealed_transaction_is_refused(app):
    first, _head = _ids(app)
    with pytest.raises(DBAPIError, match="already sealed"):
        _write(app, [(INSERT_POSTING, {"t": first, "a": 1, "f": 1, "amount": 5})])


def test_postings_left_without_their_transaction_fail_at_commit(app):
    first, _head = _ids(app)
    with pytest.raises(DBAPIError):
        _write(app, [(INSERT_POSTING, {"t": first + 1, "a": 1, "f": 1, "amount": 5}),
                     (INSERT_POSTING, {"t": first + 1, "a": 2, "f": 1, "amount": -5})])


def test_a_transaction_out_of_the_chain_is_refused(app):
    first, head = _ids(app)
    with pytest.raises(DBAPIError, match="out of sequence"):
        _seal_raw(app, first + 5, head, [(1, 500), (2, -500)])
    with pytest.raises(DBAPIError, match="previous hash"):
        _seal_raw(app, first + 1, GENESIS, [(1, 500), (2, -500)])


@pytest.mark.parametrize("sql", [
    "UPDATE ledger_txn SET occurred_on = '2020-01-01'",
    "UPDATE ledger_posting SET amount = amount * 2",
    "DELETE FROM ledger_posting",
    "DELETE FROM ledger_txn",
])
def test_ledger_rows_are_never_updated_or_deleted(app, sql):
    _ids(app)
    with pytest.raises(DBAPIError, match="never"):
        _write(app, [(sql, {})])


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_postgresql_refuses_to_truncate_the_books(app, table):
    if not ON_PG:
        pytest.skip("SQLite has no TRUNCATE; its DELETE fires the row triggers (above)")
    _ids(app)
    with pytest.raises(DBAPIError, match="never"):
        _write(app, [(f"TRUNCATE {table} CASCADE", {})])


def test_postings_to_a_closed_account_or_fund_are_refused(app):
    first, head = _ids(app)
    _write(app, [("UPDATE ledger_account SET closed_at = '2026-11-01 00:00:00' WHERE id = 2",
                  {})])
    with pytest.raises(DBAPIError, match="account is closed"):
        _seal_raw(app, first + 1, head, [(1, 500), (2, -500)])
    _write(app, [("UPDATE ledger_fund SET closed_at = '2026-11-01 00:00:00' WHERE id = 1", {})])
    with pytest.raises(DBAPIError, match="fund is closed"):
        _seal_raw(app, first + 1, head, [(1, 500), (3, -500)])


def test_postings_to_an_unknown_account_or_fund_are_refused(app):
    first, head = _ids(app)
    with pytest.raises(DBAPIError):
        _seal_raw(app, first + 1, head, [(1, 500), (9999, -500)])


def test_nobody_approves_their_own_disbursement_even_behind_the_app(app):
    _ids(app)
    _write(app, [("INSERT INTO ledger_disbursement (payee_kind, payee, category_id, "
                  "from_account_id, fund_id, amount, currency, occurred_on, needs_approval, "
                  "requested_by, created_at) VALUES ('vendor', 'STORE-1', 9, 2, 1, 90000, "
                  "'USD', '2026-11-02', :yes, 7, '2026-11-02 10:00:00')", {"yes": True})])
    insert = ("INSERT INTO ledger_decision (disbursement_id, approved, decided_by, decided_at) "
              "VALUES (1, :yes, :who, '2026-11-02 11:00:00')")
    with pytest.raises(DBAPIError, match="own"):
        _write(app, [(insert, {"yes": True, "who": 7})])
    _write(app, [(insert, {"yes": True, "who": 8})])  # another treasurer may
