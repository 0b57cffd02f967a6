"""The fundraiser ledger: funds, accounts, transactions and their postings, and what hangs off
them (disbursement requests and decisions, bail cases, campaigns, receipts, thank-yous).

Money is integer cents with a currency. The books are append-only: the migration installs
triggers that refuse UPDATE and DELETE on every table below except the configuration ones
(funds, accounts, campaigns), and that refuse a transaction whose postings do not sum to zero
per currency. A transaction is sealed by inserting its row *after* its postings: postings
point at the id the transaction will take (a deferred foreign key), the row's insert trigger
checks their sum, and a posting for an already sealed transaction is refused. Payees, donors
and bail cases are pseudonyms or handles only, never names; nothing links to a household row.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import db
from aid.models._types import utcnow

HANDLE = 32  # pseudonyms and handles: HH-4F2A, CASE-7Q3M, donor-17


class Fund(db.Model):
    """A restricted pot of money (General, Groceries, Rent, Bail, or one the group adds)."""

    __tablename__ = "ledger_fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(60))  # None: the vocabulary's label
    allow_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(db.Model):
    """Where money is (assets, receivables) or what it came from or went to (income, expense)."""

    __tablename__ = "ledger_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    type: Mapped[str] = mapped_column(String(16), index=True)  # asset, receivable, income...
    name: Mapped[str | None] = mapped_column(String(60))  # None: the vocabulary's label
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Campaign(db.Model):
    """A fundraising drive with a goal, dates and a fund; its public page is optional."""

    __tablename__ = "ledger_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(80))
    goal: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    fund_id: Mapped[int] = mapped_column(ForeignKey("ledger_fund.id"))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    fund: Mapped[Fund] = relationship()


class BailCase(db.Model):
    """Bail or an immigration bond paid for someone in detention, by case pseudonym only.

    What is still out, refunded or forfeited follows from the case's transactions.
    """

    __tablename__ = "ledger_bail_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(HANDLE), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # bail, bond
    posted_by: Mapped[str] = mapped_column(String(HANDLE))  # a handle: a bond goes back to them
    receipt_holder: Mapped[str] = mapped_column(String(HANDLE))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Receipt(db.Model):
    """An uploaded receipt: re-encoded without metadata, sealed under the receipts key."""

    __tablename__ = "ledger_receipt"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, opaque
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Disbursement(db.Model):
    """A payment out as asked for; above the group's threshold it waits for a second treasurer."""

    __tablename__ = "ledger_disbursement"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_disbursement_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payee_kind: Mapped[str] = mapped_column(String(16))  # household, vendor, volunteer
    payee: Mapped[str] = mapped_column(String(HANDLE))
    category_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    from_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"))
    fund_id: Mapped[int] = mapped_column(ForeignKey("ledger_fund.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    occurred_on: Mapped[date] = mapped_column(Date)
    receipt_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_receipt.id"))
    needs_approval: Mapped[bool] = mapped_column(Boolean)
    requested_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[Decision | None] = relationship(back_populates="disbursement",
                                                     uselist=False)
    category: Mapped[Account] = relationship(foreign_keys=[category_id])
    from_account: Mapped[Account] = relationship(foreign_keys=[from_account_id])
    fund: Mapped[Fund] = relationship()


class Decision(db.Model):
    """A second treasurer's approval or a rejection; nobody approves their own request."""

    __tablename__ = "ledger_decision"

    disbursement_id: Mapped[int] = mapped_column(ForeignKey("ledger_disbursement.id"),
                                                 primary_key=True)
    approved: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    disbursement: Mapped[Disbursement] = relationship(back_populates="decision")


class Transaction(db.Model):
    """One sealed, balanced movement of money. Its id is its place in the hash chain."""

    __tablename__ = "ledger_txn"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    counterparty_kind: Mapped[str | None] = mapped_column(String(16))
    counterparty: Mapped[str | None] = mapped_column(String(HANDLE))  # None: anonymous
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_campaign.id"),
                                                    index=True)
    bail_case_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_bail_case.id"),
                                                     index=True)
    disbursement_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_disbursement.id"), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_txn.id"), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_by: Mapped[int | None] = mapped_column(Integer)  # no FK: staff may be removed
    created_at: Mapped[datetime] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    postings: Mapped[list[Posting]] = relationship(
        primaryjoin="Transaction.id == foreign(Posting.txn_id)", order_by="Posting.id",
        viewonly=True)


class Posting(db.Model):
    """One leg of a transaction: an amount on an account, for a fund. Written before its
    transaction; the deferred foreign key refuses one left without it at commit."""

    __tablename__ = "ledger_posting"
    __table_args__ = (CheckConstraint("amount <> 0", name="ck_posting_nonzero"),
                      CheckConstraint("length(currency) = 3", name="ck_posting_currency"),
                      # Balances read only this index (fund, account, sealed?, amount).
                      Index("ix_ledger_posting_balance", "fund_id", "account_id", "txn_id",
                            "amount"))

    id: Mapped[int] = mapped_column(primary_key=True)
    txn_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_txn.id", deferrable=True, initially="DEFERRED"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("ledger_fund.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class Thanks(db.Model):
    """A donor was thanked: one row, never changed (the status is whether it exists)."""

    __tablename__ = "ledger_thanks"

    txn_id: Mapped[int] = mapped_column(ForeignKey("ledger_txn.id"), primary_key=True)
    thanked_by: Mapped[int | None] = mapped_column(Integer)
    thanked_at: Mapped[datetime] = mapped_column(default=utcnow)


# Tables whose rows the database never lets change or go (see the migration's triggers).
APPEND_ONLY = ("ledger_txn", "ledger_posting", "ledger_disbursement", "ledger_decision",
               "ledger_bail_case", "ledger_receipt", "ledger_thanks")
