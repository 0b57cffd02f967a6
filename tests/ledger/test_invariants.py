"""Property tests (hypothesis): whatever valid operations a treasurer does, in any order,
every sealed transaction balances, every balance equals the sum of its postings, no fund
that forbids it goes below zero, and the hash chain verifies."""
from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from aid.extensions import db
from aid.ledger import books, chain, money
from aid.models import Posting, Transaction
from aid.workflow import DomainError
from tests.support.ledger import books as open_books

FUNDS = ("general", "groceries", "rent", "bail")
CENTS = st.integers(min_value=1, max_value=500_000)
OPS = st.one_of(
    st.tuples(st.just("give"), CENTS, st.sampled_from(FUNDS), st.sampled_from(("bank", "cash",
                                                                                 "venmo"))),
    st.tuples(st.just("pay"), CENTS, st.sampled_from(FUNDS), st.sampled_from(("groceries",
                                                                               "rent", "fees"))),
    st.tuples(st.just("move"), CENTS, st.sampled_from(FUNDS), st.sampled_from(FUNDS)),
    st.tuples(st.just("reverse"), st.integers(min_value=1, max_value=40), st.just(""),
              st.just("")),
)


def _apply(op, today, me):
    kind, amount, fund, other = op
    f = books.fund_by_code(fund)
    if kind == "give":
        money.record_donation(me, amount, today, books.account_by_code(other), f)
    elif kind == "pay":
        money.request_disbursement(me, "vendor", "STORE-7", books.account_by_code(other),
                                   books.account_by_code("bank"), f,
                                   min(amount, money.approval_threshold()), today)
    elif kind == "move":
        money.transfer(me, amount, today, books.account_by_code("bank"), f,
                       books.account_by_code("cash"), books.fund_by_code(other))
    else:
        txn = db.session.get(Transaction, amount)
        if txn is not None:
            money.reverse(me, txn, today)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_any_sequence_of_operations_keeps_the_books_balanced(app, treasurer, ops):
    from datetime import date

    with open_books(app):
        start = db.session.scalar(select(db.func.count(Transaction.id)))
        for op in ops:
            try:
                _apply(op, date.today(), treasurer.id)
            except DomainError:
                pass  # refused (a fund would go below zero, a second reversal): nothing written
        by_txn = defaultdict(int)
        by_account = defaultdict(int)
        for p in db.session.scalars(select(Posting)):
            by_txn[(p.txn_id, p.currency)] += p.amount
            by_account[p.account_id] += p.amount
        assert all(total == 0 for total in by_txn.values())
        assert books.balances_by_account() == {k: v for k, v in by_account.items()}
        for fund in books.funds():
            held = books.balances_by_fund().get(fund.id, {}).get("asset", 0)
            assert held >= 0 or fund.allow_negative
        verdict = chain.verify()
        assert verdict.ok, verdict
        assert verdict.count >= start
