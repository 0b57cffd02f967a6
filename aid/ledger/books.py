"""The books themselves: the chart of funds and accounts, sealing a balanced transaction into
the hash chain, balances, and `verify`.

A transaction is written as its postings first and its row last; the row's insert trigger
(see the migration) checks that the postings sum to zero per currency and that the row
continues the chain. Each row stores sha256(canonical content + previous hash): an edit made
behind the app's back (with the triggers dropped) is found by `verify`.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from flask_babel import gettext
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from aid import audit
from aid.extensions import db
from aid.ledger.amounts import currency, money
from aid.models import Account, Fund, Posting, Transaction
from aid.models._types import utcnow
from aid.vocabulary import DEFAULT_ACCOUNTS, DEFAULT_FUNDS
from aid.workflow import Conflict, Invalid, workflow

GENESIS = "0" * 64
CHAIN_LOCK = 0x61696421  # PostgreSQL advisory lock: one writer extends the chain at a time
HOLDING = ("asset",)  # account types whose balance is money a fund can spend


@dataclass(frozen=True)
class Leg:
    """One posting to be written: an amount (cents, signed) on an account, for a fund."""

    account: Account
    fund: Fund
    amount: int


# --------------------------------------------------------------------------- chart


def has_chart() -> bool:
    return db.session.scalar(select(func.count(Account.id))) > 0


@workflow
def set_up_chart(actor_id: int | None = None) -> None:
    """Add the usual funds and accounts that are missing (running it twice adds nothing)."""
    have_funds = set(db.session.scalars(select(Fund.code)))
    have_accounts = set(db.session.scalars(select(Account.code)))
    for code in DEFAULT_FUNDS:
        if code not in have_funds:
            db.session.add(Fund(code=code))
    for code, (kind, _label) in DEFAULT_ACCOUNTS.items():
        if code not in have_accounts:
            db.session.add(Account(code=code, type=kind))
    db.session.flush()
    if actor_id is not None:
        audit.record(actor_id, "ledger_setup")


def accounts(kind: str | None = None, open_only: bool = True) -> list[Account]:
    stmt = select(Account).order_by(Account.id)
    if kind:
        stmt = stmt.where(Account.type == kind)
    if open_only:
        stmt = stmt.where(Account.closed_at.is_(None))
    return list(db.session.scalars(stmt))


def funds(open_only: bool = True) -> list[Fund]:
    stmt = select(Fund).order_by(Fund.id)
    if open_only:
        stmt = stmt.where(Fund.closed_at.is_(None))
    return list(db.session.scalars(stmt))


def account_by_code(code: str) -> Account:
    found = db.session.scalar(select(Account).where(Account.code == code))
    if found is None:
        raise Invalid("account", gettext("That account does not exist in the books."))
    return found


def fund_by_code(code: str) -> Fund:
    found = db.session.scalar(select(Fund).where(Fund.code == code))
    if found is None:
        raise Invalid("fund", gettext("That fund does not exist in the books."))
    return found


# --------------------------------------------------------------------------- the chain


# The columns a transaction's hash covers, in this order (every one but the hash itself).
CHAINED = ("id", "kind", "occurred_on", "counterparty_kind", "counterparty", "campaign_id",
           "bail_case_id", "disbursement_id", "reverses_id", "idempotency_key", "created_by",
           "created_at", "prev_hash")
_DAY, _SECOND = CHAINED.index("occurred_on"), CHAINED.index("created_at")


def chained(row: dict) -> tuple:
    """A transaction's chained columns, dates as text the same way on every database."""
    values = [row[name] for name in CHAINED]
    values[_DAY] = str(values[_DAY])[:10]
    values[_SECOND] = str(values[_SECOND])[:19]  # sealed rows have whole seconds
    return tuple(values)


def canonical(values: tuple, legs: tuple) -> bytes:
    """The bytes a transaction's hash covers: its chained columns and its postings
    (account, fund, amount, currency) in the order they were written."""
    return repr((values, legs)).encode()


def digest(row: dict, legs: Iterable[tuple]) -> str:
    return hashlib.sha256(canonical(chained(row), tuple(map(tuple, legs)))).hexdigest()


def chain_head() -> tuple[int, str]:
    """The last sealed transaction's id and hash (0 and the genesis hash when none)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    row = db.session.execute(select(Transaction.id, Transaction.hash)
                             .order_by(Transaction.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else (0, GENESIS)


def check_legs(legs: list[Leg]) -> None:
    """Refuse what the database would refuse, with a message a treasurer can act on."""
    if len(legs) < 2 or any(not isinstance(leg.amount, int) or leg.amount == 0
                            for leg in legs):
        raise Invalid("unbalanced", gettext("A transaction needs at least two amounts that "
                                            "are not zero."))
    if sum(leg.amount for leg in legs) != 0:
        raise Invalid("unbalanced", gettext("The amounts of a transaction must add up to "
                                            "zero. Nothing was recorded."))
    for leg in legs:
        if leg.account.closed_at is not None:
            raise Invalid("closed", gettext("That account is closed. Choose another one."))
        if leg.fund.closed_at is not None:
            raise Invalid("closed", gettext("That fund is closed. Choose another one."))


def check_funds(legs: list[Leg]) -> None:
    """A fund may not go below zero unless the treasurer allowed it for that fund."""
    change: dict[int, int] = defaultdict(int)
    by_id = {}
    for leg in legs:
        if leg.account.type in HOLDING:
            change[leg.fund.id] += leg.amount
            by_id[leg.fund.id] = leg.fund
    for fund_id, delta in change.items():
        fund = by_id[fund_id]
        if delta >= 0 or fund.allow_negative:
            continue
        held = fund_holding(fund_id)
        if held + delta < 0:
            raise Invalid("fund_short", gettext(
                "The %(fund)s fund holds %(held)s, not enough for this. Nothing was "
                "recorded.", fund=fund_label(fund), held=money(held)))


def seal(kind: str, legs: list[Leg], occurred_on: date, actor_id: int | None,
         **links) -> Transaction:
    """Write the postings, then the transaction row that seals them into the chain.

    A step of a workflow: the caller's workflow commits. `links` are the optional columns
    (counterparty_kind, counterparty, campaign_id, bail_case_id, disbursement_id,
    reverses_id, idempotency_key).
    """
    check_legs(legs)
    check_funds(legs)
    head_id, head_hash = chain_head()
    txn_id = head_id + 1
    code = currency()
    rows = [{"txn_id": txn_id, "account_id": leg.account.id, "fund_id": leg.fund.id,
             "amount": leg.amount, "currency": code} for leg in legs]
    row = {"id": txn_id, "kind": kind, "occurred_on": occurred_on,
           "counterparty_kind": None, "counterparty": None, "campaign_id": None,
           "bail_case_id": None, "disbursement_id": None, "reverses_id": None,
           "idempotency_key": None, "created_by": actor_id,
           "created_at": utcnow().replace(microsecond=0), "prev_hash": head_hash}
    row.update(links)
    row["hash"] = digest(row, [(r["account_id"], r["fund_id"], r["amount"], r["currency"])
                               for r in rows])
    try:
        db.session.execute(insert(Posting), rows)
        db.session.execute(insert(Transaction), [row])
    except (IntegrityError, OperationalError) as exc:
        # Another treasurer sealed the same place in the chain a moment before.
        raise Conflict("chain", gettext("Someone else recorded money at the same moment. "
                                         "Nothing was recorded: please try again.")) from exc
    return db.session.get(Transaction, txn_id)


# --------------------------------------------------------------------------- balances


def fund_label(fund: Fund) -> str:
    return fund.name or str(DEFAULT_FUNDS.get(fund.code, fund.code))


def account_label(account: Account) -> str:
    default = DEFAULT_ACCOUNTS.get(account.code)
    return account.name or (str(default[1]) if default else account.code)


def _sealed_postings(on: date | None):
    """Postings of sealed transactions (to a date): the only ones the books count."""
    stmt = select(Posting).join(Transaction, Transaction.id == Posting.txn_id)
    if on is not None:
        stmt = stmt.where(Transaction.occurred_on <= on)
    return stmt


def fund_holding(fund_id: int) -> int:
    """What a fund holds in money accounts now (its receivables not included)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Posting.amount), 0))
        .join(Transaction, Transaction.id == Posting.txn_id)
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.fund_id == fund_id, Account.type.in_(HOLDING)))


def balances_by_fund(on: date | None = None) -> dict[int, dict[str, int]]:
    """fund id -> {account type: balance in cents}, as of the end of `on` (default: now)."""
    sub = _sealed_postings(on).subquery()
    stmt = (select(sub.c.fund_id, Account.type, func.sum(sub.c.amount))
            .join(Account, Account.id == sub.c.account_id)
            .group_by(sub.c.fund_id, Account.type))
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for fund_id, kind, total in db.session.execute(stmt):
        out[fund_id][kind] = int(total)
    return out


def balances_by_account(on: date | None = None) -> dict[int, int]:
    """account id -> balance in cents (debits positive), as of the end of `on`."""
    sub = _sealed_postings(on).subquery()
    stmt = select(sub.c.account_id, func.sum(sub.c.amount)).group_by(sub.c.account_id)
    return {account_id: int(total) for account_id, total in db.session.execute(stmt)}


def account_balance(account_id: int) -> int:
    return balances_by_account().get(account_id, 0)


# --------------------------------------------------------------------------- verify


@dataclass
class Verdict:
    count: int
    head: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


CHAIN_SQL = "SELECT {} FROM ledger_txn ORDER BY id".format(", ".join(
    [f"CAST({name} AS VARCHAR(32))" if name in ("occurred_on", "created_at") else name
     for name in CHAINED] + ["hash"]))
POSTINGS_SQL = ("SELECT txn_id, account_id, fund_id, amount, currency FROM ledger_posting "
                "ORDER BY txn_id, id")


def verify() -> Verdict:
    """Recompute the chain from the first transaction: the first row that does not match
    its content, its predecessor, its balance or its place is reported."""
    # Plain DBAPI rows: SQLAlchemy's row objects would double the time on 100,000 rows.
    cursor = db.session.connection().connection.cursor()
    cursor.execute(POSTINGS_SQL)
    legs = cursor.fetchall()
    cursor.execute(CHAIN_SQL)
    txns = cursor.fetchall()
    cursor.close()
    by_txn = groupby(legs, key=itemgetter(0))
    group = next(by_txn, None)
    prev, expected_id, count = GENESIS, 1, 0
    for *values, stored in txns:
        txn_id = values[0]
        if group is not None and group[0] < txn_id:
            return Verdict(count, prev, group[0], "postings without a transaction")
        mine = ()
        if group is not None and group[0] == txn_id:
            mine = tuple(leg[1:] for leg in group[1])
            group = next(by_txn, None)
        if txn_id != expected_id:
            return Verdict(count, prev, txn_id, f"out of sequence (expected {expected_id})")
        if values[-1] != prev:
            return Verdict(count, prev, txn_id, "previous hash does not match")
        sums: dict[str, int] = defaultdict(int)
        for _account, _fund, amount, code in mine:
            sums[code] += amount
        if len(mine) < 2 or any(sums.values()):
            return Verdict(count, prev, txn_id, "postings do not balance")
        values[_DAY], values[_SECOND] = values[_DAY][:10], values[_SECOND][:19]
        if hashlib.sha256(canonical(tuple(values), mine)).hexdigest() != stored:
            return Verdict(count, prev, txn_id, "hash does not match its content")
        prev, expected_id, count = stored, expected_id + 1, count + 1
    if group is not None:
        return Verdict(count, prev, group[0], "postings without a transaction")
    return Verdict(count, prev)


def seal_many(entries: list[tuple[str, list[Leg], date, dict]], actor_id: int | None) -> int:
    """Seal many transactions in two statements (an import): the same rows and checks as
    `seal`, one after the other in the chain. The caller has checked the legs and funds."""
    if not entries:
        return 0
    head_id, prev = chain_head()
    code = currency()
    now = utcnow().replace(microsecond=0)
    postings, txns = [], []
    for n, (kind, legs, occurred_on, links) in enumerate(entries, start=head_id + 1):
        check_legs(legs)
        rows = [(leg.account.id, leg.fund.id, leg.amount, code) for leg in legs]
        row = {"id": n, "kind": kind, "occurred_on": occurred_on, "counterparty_kind": None,
               "counterparty": None, "campaign_id": None, "bail_case_id": None,
               "disbursement_id": None, "reverses_id": None, "idempotency_key": None,
               "created_by": actor_id, "created_at": now, "prev_hash": prev, **links}
        row["hash"] = prev = digest(row, rows)
        txns.append(row)
        postings += [{"txn_id": n, "account_id": a, "fund_id": f, "amount": amount,
                      "currency": cur} for a, f, amount, cur in rows]
    try:
        db.session.execute(insert(Posting), postings)
        db.session.execute(insert(Transaction), txns)
    except (IntegrityError, OperationalError) as exc:
        raise Conflict("chain", gettext("Someone else recorded money at the same moment. "
                                         "Nothing was recorded: please try again.")) from exc
    return len(txns)
