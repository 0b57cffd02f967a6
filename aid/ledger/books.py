"""The books themselves: the chart of funds and accounts, sealing balanced transactions into
the hash chain (aid.ledger.chain), and balances.

A transaction is written as its postings first and its row last; the row's insert trigger
(see the migration) checks that the postings sum to zero per currency and that the row
continues the chain.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from aid import audit
from aid.extensions import db
from aid.ledger.amounts import currency, money
from aid.ledger.chain import GENESIS, digest
from aid.models import Account, Fund, Posting, Transaction
from aid.models._types import utcnow
from aid.vocabulary import DEFAULT_ACCOUNTS, DEFAULT_FUNDS
from aid.workflow import Conflict, Invalid, workflow

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


def _totals(on: date | None = None, fund_id: int | None = None) -> dict[tuple[int, int], int]:
    """(fund id, account id) -> cents, counting only sealed transactions' postings.

    Transaction ids run 1, 2, 3... without a gap (the seal trigger), and a posting is never
    added to a sealed transaction, so "txn_id <= the last sealed id" is exactly "sealed":
    no join needed for balances now. On a date: every transaction before the first one dated
    after it counts whole (the same index, no join); only the ids from there to the last one
    dated on or before it need their dates read. Books are mostly entered in date order, so
    that stretch is a few backdated entries, not a year of postings.
    """
    stmt = select(Posting.fund_id, Posting.account_id, func.sum(Posting.amount))
    if fund_id is not None:
        stmt = stmt.where(Posting.fund_id == fund_id)
    stmt = stmt.group_by(Posting.fund_id, Posting.account_id)
    if on is None:
        last = select(func.coalesce(func.max(Transaction.id), 0)).scalar_subquery()
        return _summed(stmt.where(Posting.txn_id <= last))
    first_after = db.session.scalar(
        select(func.min(Transaction.id)).where(Transaction.occurred_on > on))
    last_by = db.session.scalar(
        select(func.max(Transaction.id)).where(Transaction.occurred_on <= on))
    if last_by is None:
        return {}
    if first_after is None:  # nothing dated later: every sealed transaction up to last_by
        return _summed(stmt.where(Posting.txn_id <= last_by))
    totals = _summed(stmt.where(Posting.txn_id < first_after))
    if first_after < last_by:  # backdated entries among later ones: read their dates
        mixed = stmt.join(Transaction, Transaction.id == Posting.txn_id).where(
            Posting.txn_id > first_after, Posting.txn_id <= last_by,
            Transaction.occurred_on <= on)
        for key, cents in _summed(mixed).items():
            totals[key] = totals.get(key, 0) + cents
    return totals


def _summed(stmt) -> dict[tuple[int, int], int]:
    return {(f, a): int(total) for f, a, total in db.session.execute(stmt)}


def _types() -> dict[int, str]:
    return {account_id: kind for account_id, kind in db.session.execute(
        select(Account.id, Account.type))}


def fund_holding(fund_id: int) -> int:
    """What a fund holds in money accounts now (its receivables not included)."""
    types = _types()
    return sum(total for (_f, account_id), total in _totals(fund_id=fund_id).items()
               if types[account_id] in HOLDING)


def balances_by_fund(on: date | None = None) -> dict[int, dict[str, int]]:
    """fund id -> {account type: balance in cents}, as of the end of `on` (default: now)."""
    types = _types()
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (fund_id, account_id), total in _totals(on).items():
        out[fund_id][types[account_id]] += total
    return out


def balances_by_account(on: date | None = None) -> dict[int, int]:
    """account id -> balance in cents (debits positive), as of the end of `on`."""
    out: dict[int, int] = defaultdict(int)
    for (_fund_id, account_id), total in _totals(on).items():
        out[account_id] += total
    return dict(out)


def account_balance(account_id: int) -> int:
    return balances_by_account().get(account_id, 0)


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
