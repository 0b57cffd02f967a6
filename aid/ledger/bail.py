"""Bail and immigration bonds: paid out of the Bail fund into money owed back for a case (a
pseudonym), then refunded (a bond only to whoever posted it) or forfeited as a cost."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import func, select

from aid import audit
from aid.extensions import db
from aid.households import CODE_ALPHABET
from aid.ledger import books
from aid.ledger.books import Leg
from aid.ledger.money import valid_handle
from aid.models import Account, BailCase, Fund, Posting
from aid.models import Transaction as Txn
from aid.vocabulary import BAIL_KINDS
from aid.workflow import Invalid, workflow


def new_pseudonym() -> str:
    """CASE-7Q3M: four random characters that are easy to read aloud."""
    while True:
        name = "CASE-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if db.session.scalar(select(BailCase.id).where(BailCase.pseudonym == name)) is None:
            return name


@dataclass
class Standing:
    """Where a case's money is: paid out, back, lost, still out, and since when."""

    case: BailCase
    paid: int
    refunded: int
    forfeited: int
    outstanding: int  # corrections (reversals) included
    paid_on: date | None
    fund_id: int | None

    def days_out(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.paid_on).days if self.paid_on else 0


def standings(cases_: list[BailCase], on: date | None = None) -> list[Standing]:
    """Each case's standing from its receivable postings, in one query for all of them."""
    if not cases_:
        return []
    stmt = (select(Txn.bail_case_id, Txn.kind, func.sum(Posting.amount),
                   func.min(Txn.occurred_on), func.min(Posting.fund_id))
            .join(Posting, Posting.txn_id == Txn.id)
            .join(Account, Account.id == Posting.account_id)
            .where(Txn.bail_case_id.in_([c.id for c in cases_]),
                   Account.type == "receivable")
            .group_by(Txn.bail_case_id, Txn.kind))
    if on is not None:
        stmt = stmt.where(Txn.occurred_on <= on)
    rows: dict[int, dict[str, tuple]] = {c.id: {} for c in cases_}
    for case_id, kind, total, first, fund in db.session.execute(stmt):
        rows[case_id][kind] = (int(total), first, fund)
    out = []
    for case in cases_:
        by_kind = rows[case.id]
        paid, first, fund = by_kind.get("bail_paid", (0, None, None))
        out.append(Standing(case, paid, -by_kind.get("bail_refund", (0,))[0],
                            -by_kind.get("bail_forfeit", (0,))[0],
                            sum(total for total, _first, _fund in by_kind.values()),
                            first, fund))
    return out


def standing(case: BailCase, on: date | None = None) -> Standing:
    return standings([case], on)[0]


def cases() -> list[Standing]:
    return standings(list(db.session.scalars(select(BailCase).order_by(BailCase.id))))


def receivables(on: date | None = None) -> list[Standing]:
    """What is out on a date, longest out first."""
    rows = [s for s in standings(list(db.session.scalars(select(BailCase))), on)
            if s.outstanding > 0]
    return sorted(rows, key=lambda s: (s.paid_on, s.case.id))


@workflow
def pay(actor_id: int, kind: str, amount: int, on: date, from_account: Account | None,
        fund: Fund | None, posted_by: str, receipt_holder: str,
        pseudonym: str | None = None) -> BailCase:
    if kind not in BAIL_KINDS:
        raise Invalid("kind", gettext("Choose bail or an immigration bond."))
    if from_account is None or from_account.type != "asset" or fund is None:
        raise Invalid("account", gettext("That account does not exist in the books."))
    for handle in (posted_by, receipt_holder, pseudonym or "CASE-OK"):
        if not valid_handle(handle):
            raise Invalid("handle", gettext("Use a pseudonym such as HH-4F2A, never a name."))
    if pseudonym and db.session.scalar(select(BailCase.id).where(
            BailCase.pseudonym == pseudonym)) is not None:
        raise Invalid("case", gettext("A case with that pseudonym already exists."))
    case = BailCase(pseudonym=pseudonym or new_pseudonym(), kind=kind, posted_by=posted_by,
                    receipt_holder=receipt_holder, created_by=actor_id)
    db.session.add(case)
    db.session.flush()
    books.seal("bail_paid", [Leg(from_account, fund, -amount),
                             Leg(books.account_by_code("bail_out"), fund, amount)],
               on, actor_id, counterparty_kind="case", counterparty=case.pseudonym,
               bail_case_id=case.id)
    audit.record(actor_id, "ledger_bail_paid", detail=f"case:{case.id}")
    return case


def _settle(kind: str, actor_id: int, case: BailCase, amount: int, on: date,
            other: Account) -> Txn:
    now = standing(case)
    if amount > now.outstanding:
        raise Invalid("too_much", gettext("That is more than is still out for this case."))
    fund = db.session.get(Fund, now.fund_id)
    txn = books.seal(kind, [Leg(other, fund, amount),
                            Leg(books.account_by_code("bail_out"), fund, -amount)],
                     on, actor_id, counterparty_kind="case", counterparty=case.pseudonym,
                     bail_case_id=case.id)
    audit.record(actor_id, f"ledger_{kind}", detail=f"case:{case.id}")
    return txn


@workflow
def refund(actor_id: int, case: BailCase, amount: int, on: date, to_account: Account | None,
           refunded_to: str) -> Txn:
    """The court or ICE gave the money back; a bond only ever to the person who posted it."""
    if to_account is None or to_account.type != "asset":
        raise Invalid("account", gettext("That account does not exist in the books."))
    if case.kind == "bond" and refunded_to != case.posted_by:
        raise Invalid("obligor", gettext(
            "An immigration bond is refunded only to the person who posted it (%(who)s).",
            who=case.posted_by))
    return _settle("bail_refund", actor_id, case, amount, on, to_account)


@workflow
def forfeit(actor_id: int, case: BailCase, amount: int, on: date) -> Txn:
    """A breach or forfeiture: what was out becomes a cost."""
    return _settle("bail_forfeit", actor_id, case, amount, on,
                   books.account_by_code("bail_forfeited"))
