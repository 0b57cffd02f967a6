"""The hash chain: what a transaction's hash covers, and `verify`, which recomputes it.

Each transaction stores sha256 of its chained columns (the previous transaction's hash among
them) and of its postings. An edit made behind the app's back, with the triggers switched off
by someone holding the database's admin rights, is found here: the first transaction whose
content, predecessor, balance or place does not match is named.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from aid.extensions import db

GENESIS = "0" * 64  # the "previous hash" of the first transaction

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
