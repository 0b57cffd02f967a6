"""Money in and out: donations, disbursements with a second treasurer's approval above the
group's threshold, transfers, corrections by reversal, thank-yous. One workflow each."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aid import audit
from aid.extensions import db
from aid.ledger import books
from aid.ledger.amounts import currency
from aid.ledger.books import Leg
from aid.models import Account, AppSetting, Campaign, Decision, Disbursement, Fund, Thanks
from aid.models import Transaction as Txn
from aid.workflow import Conflict, Invalid, workflow

HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,31}")  # HH-4F2A, donor-17: never a full name
THRESHOLD_KEY = "ledger.approval_threshold"
DEFAULT_THRESHOLD = 25000  # cents: above $250 a second treasurer approves


def valid_handle(value: str | None) -> bool:
    return bool(value and HANDLE.fullmatch(value))


def approval_threshold() -> int:
    row = db.session.get(AppSetting, THRESHOLD_KEY)
    return int(row.value) if row else DEFAULT_THRESHOLD


@workflow
def set_approval_threshold(actor_id: int, cents: int) -> None:
    row = db.session.get(AppSetting, THRESHOLD_KEY)
    if row is None:
        db.session.add(AppSetting(key=THRESHOLD_KEY, value=str(cents)))
    else:
        row.value = str(cents)
    audit.record(actor_id, "ledger_threshold")


def _by_key(key: str | None) -> Txn | None:
    return db.session.scalar(select(Txn).where(Txn.idempotency_key == key)) if key else None


def _need(kind: str, account: Account | None, fund: Fund | None) -> None:
    if account is None or account.type != kind:
        raise Invalid("account", gettext("That account does not exist in the books."))
    if fund is None:
        raise Invalid("fund", gettext("That fund does not exist in the books."))


def donation_legs(amount: int, account: Account, fund: Fund) -> list[Leg]:
    return [Leg(account, fund, amount), Leg(books.account_by_code("donations"), fund, -amount)]


@workflow
def record_donation(actor_id: int | None, amount: int, on: date, account: Account | None,
                    fund: Fund | None, campaign: Campaign | None = None,
                    donor: str | None = None, key: str | None = None) -> Txn:
    """Money received. With an idempotency key, the same donation sent twice counts once."""
    existing = _by_key(key)
    if existing is not None:
        return existing
    _need("asset", account, fund)
    if campaign is not None and campaign.fund_id != fund.id:
        raise Invalid("campaign_fund", gettext(
            "Money for this campaign goes to its own fund, %(fund)s.",
            fund=books.fund_label(campaign.fund)))
    if donor and not valid_handle(donor):
        raise Invalid("handle", gettext("Use a handle such as donor-17, never a name."))
    return books.seal("donation", donation_legs(amount, account, fund), on, actor_id,
                      counterparty_kind="donor" if donor else None, counterparty=donor or None,
                      campaign_id=campaign.id if campaign else None, idempotency_key=key)


def _pay_legs(d: Disbursement) -> list[Leg]:
    return [Leg(d.from_account, d.fund, -d.amount), Leg(d.category, d.fund, d.amount)]


def _post(actor_id: int, d: Disbursement) -> Txn:
    return books.seal("disbursement", _pay_legs(d), d.occurred_on, actor_id,
                      counterparty_kind=d.payee_kind, counterparty=d.payee,
                      disbursement_id=d.id)


@workflow
def request_disbursement(actor_id: int, payee_kind: str, payee: str, category: Account | None,
                         from_account: Account | None, fund: Fund | None, amount: int,
                         on: date, receipt_id: str | None = None) -> Disbursement:
    """A payment out: paid at once up to the threshold, above it waiting for approval."""
    _need("asset", from_account, fund)
    if category is None or category.type != "expense":
        raise Invalid("account", gettext("That account does not exist in the books."))
    if not valid_handle(payee):
        raise Invalid("handle", gettext("Use a pseudonym such as HH-4F2A, never a name."))
    if payee_kind == "volunteer" and not receipt_id:
        raise Invalid("receipt", gettext("Paying a volunteer back needs a receipt."))
    d = Disbursement(payee_kind=payee_kind, payee=payee, category_id=category.id,
                     from_account_id=from_account.id, fund_id=fund.id, amount=amount,
                     currency=currency(), occurred_on=on, receipt_id=receipt_id,
                     needs_approval=amount > approval_threshold(), requested_by=actor_id)
    db.session.add(d)
    db.session.flush()
    books.check_legs(_pay_legs(d))
    books.check_funds(_pay_legs(d))
    if not d.needs_approval:
        _post(actor_id, d)
    audit.record(actor_id, "ledger_disburse", detail=f"disbursement:{d.id}")
    return d


def status(d: Disbursement) -> str:
    if d.decision is not None and not d.decision.approved:
        return "rejected"
    if d.needs_approval and d.decision is None:
        return "pending"
    return "paid"


def pending() -> list[Disbursement]:
    return list(db.session.scalars(
        select(Disbursement).outerjoin(Decision)
        .where(Disbursement.needs_approval, Decision.disbursement_id.is_(None))
        .order_by(Disbursement.id)))


def _decide(actor_id: int, d: Disbursement, approved: bool) -> None:
    if status(d) != "pending":
        raise Conflict("decided", gettext("Someone has already decided on this payment."))
    if approved and d.requested_by == actor_id:
        raise Invalid("own", gettext("You asked for this payment, so another treasurer must "
                                     "approve it."))
    db.session.add(Decision(disbursement_id=d.id, approved=approved, decided_by=actor_id))
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise Conflict("decided", gettext("Someone has already decided on this payment.")) \
            from exc


@workflow
def approve(actor_id: int, d: Disbursement) -> Txn:
    _decide(actor_id, d, True)
    audit.record(actor_id, "ledger_approve", detail=f"disbursement:{d.id}")
    return _post(actor_id, d)


@workflow
def reject(actor_id: int, d: Disbursement) -> None:
    _decide(actor_id, d, False)
    audit.record(actor_id, "ledger_reject", detail=f"disbursement:{d.id}")


@workflow
def transfer(actor_id: int, amount: int, on: date, from_account: Account | None,
             from_fund: Fund | None, to_account: Account | None, to_fund: Fund | None) -> Txn:
    """Move money between accounts (cash to the bank) or funds (General to Rent)."""
    _need("asset", from_account, from_fund)
    _need("asset", to_account, to_fund)
    if from_account.id == to_account.id and from_fund.id == to_fund.id:
        raise Invalid("same", gettext("Choose a different account or fund to move it to."))
    return books.seal("transfer", [Leg(from_account, from_fund, -amount),
                                   Leg(to_account, to_fund, amount)], on, actor_id)


def reversal_of(txn: Txn) -> Txn | None:
    return db.session.scalar(select(Txn).where(Txn.reverses_id == txn.id))


@workflow
def reverse(actor_id: int, txn: Txn, on: date) -> Txn:
    """Correct a mistake: a new transaction with every posting negated, linked to it."""
    if txn.reverses_id is not None:
        raise Invalid("reversal", gettext("A correction cannot itself be reversed. Record "
                                          "the right transaction again instead."))
    if reversal_of(txn) is not None:
        raise Conflict("reversed", gettext("This transaction has already been reversed."))
    legs = [Leg(db.session.get(Account, p.account_id), db.session.get(Fund, p.fund_id),
                -p.amount) for p in txn.postings]
    try:
        out = books.seal("reversal", legs, on, actor_id, counterparty_kind=txn.counterparty_kind,
                         counterparty=txn.counterparty, campaign_id=txn.campaign_id,
                         bail_case_id=txn.bail_case_id, reverses_id=txn.id)
    except Conflict:
        if reversal_of(txn) is None:
            raise
        raise Conflict("reversed", gettext("This transaction has already been reversed.")) \
            from None
    audit.record(actor_id, "ledger_reverse", detail=f"txn:{txn.id}")
    return out


def thanked(txn: Txn) -> bool:
    return db.session.get(Thanks, txn.id) is not None


@workflow
def thank(actor_id: int, txn: Txn) -> None:
    """Mark a donor thanked; marking twice changes nothing."""
    if txn.kind != "donation" or not txn.counterparty:
        raise Invalid("thanks", gettext("Only a donation from a known donor can be thanked."))
    if not thanked(txn):
        db.session.add(Thanks(txn_id=txn.id, thanked_by=actor_id))
