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


ENTRY = st.tuples(
    st.integers(min_value=0, max_value=60),  # days before today it happened: entered in any order
    st.sampled_from(("give", "pay", "move")),
    st.integers(min_value=1, max_value=90_000),
    st.sampled_from(FUNDS),
)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=st.lists(ENTRY, min_size=1, max_size=30),
       asked=st.lists(st.integers(min_value=-1, max_value=61), min_size=1, max_size=4))
def test_balances_on_a_date_count_exactly_what_happened_by_then(app, entries, asked):
    """Backdated entries (a receipt found a week late, an import of last month) interleave
    with current ones: a balance on a date counts every posting of a transaction that
    happened on or before it, and nothing else."""
    from datetime import date, timedelta

    from tests.support.ledger import leg, seal

    today = date.today()
    with open_books(app):
        for ago, kind, cents, fund in entries:
            when = today - timedelta(days=ago)
            legs = {"give": [leg("bank", fund, cents), leg("donations", fund, -cents)],
                    "pay": [leg("groceries", fund, cents), leg("bank", fund, -cents)],
                    "move": [leg("cash", fund, cents), leg("bank", fund, -cents)]}[kind]
            try:
                seal({"give": "donation", "pay": "disbursement", "move": "transfer"}[kind],
                     legs, when)
            except DomainError:
                pass  # the fund would go below zero: refused, nothing written
        rows = db.session.execute(select(Posting.fund_id, Posting.account_id, Posting.amount,
                                         Transaction.occurred_on)
                                  .join(Transaction, Transaction.id == Posting.txn_id)).all()
        types = {a.id: a.type for a in books.accounts(open_only=False)}
        for ago in asked:
            on = today - timedelta(days=ago)
            by_account, by_fund = defaultdict(int), defaultdict(lambda: defaultdict(int))
            for fund_id, account_id, amount, occurred_on in rows:
                if occurred_on <= on:
                    by_account[account_id] += amount
                    by_fund[fund_id][types[account_id]] += amount
            got_fund = {f: {t: v for t, v in kinds.items() if v}
                        for f, kinds in books.balances_by_fund(on).items()}
            assert {a: v for a, v in books.balances_by_account(on).items() if v} == \
                {a: v for a, v in by_account.items() if v}, on
            assert {f: kinds for f, kinds in got_fund.items() if kinds} == \
                {f: {t: v for t, v in kinds.items() if v} for f, kinds in by_fund.items()
                 if any(kinds.values())}, on
