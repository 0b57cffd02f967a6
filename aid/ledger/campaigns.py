"""Campaigns: a goal, dates and a fund; what was raised and what the fund spent, for the
treasurer in full and for the public page with small categories held back."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from aid import audit
from aid.extensions import db
from aid.ledger.amounts import currency
from aid.models import Account, Campaign, Fund, Posting
from aid.models import Transaction as Txn
from aid.workflow import Invalid, workflow

MIN_PAYMENTS = 5  # a category with fewer payments than this shows no count or amount of its own
SPENDING = ("disbursement", "bail_forfeit")


@dataclass
class Category:
    account: Account
    payments: int
    amount: int


@dataclass
class Progress:
    """A campaign's figures: raised against the goal and the fund's spending by category."""

    campaign: Campaign
    raised: int
    donations: int
    categories: list[Category] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, self.raised * 100 // self.campaign.goal) if self.campaign.goal else 0

    @property
    def spent(self) -> int:
        return sum(c.amount for c in self.categories)


@dataclass
class PublicSpending:
    """Only what can be shown to anyone: categories with enough payments to hide who was
    paid; the rest pooled, and the pool's figures shown only when it is large enough too."""

    shown: list[Category]
    pooled_payments: int
    pooled_amount: int | None  # None: not shown
    total: int | None  # None: it would give the hidden categories away


def public_spending(progress: Progress) -> PublicSpending:
    shown = [c for c in progress.categories if c.payments >= MIN_PAYMENTS]
    small = [c for c in progress.categories if c.payments < MIN_PAYMENTS]
    pooled = sum(c.payments for c in small)
    visible = not small or pooled >= MIN_PAYMENTS
    return PublicSpending(shown, pooled,
                          sum(c.amount for c in small) if visible and small else None,
                          progress.spent if visible else None)


def by_slug(slug: str) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def all_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(),
                                                             Campaign.id.desc())))


@workflow
def create(actor_id: int, title: str, goal: int, starts_on: date, ends_on: date,
           fund: Fund | None, public: bool) -> Campaign:
    if fund is None:
        raise Invalid("fund", gettext("That fund does not exist in the books."))
    if ends_on < starts_on:
        raise Invalid("dates", gettext("The campaign must end on or after the day it starts."))
    campaign = Campaign(slug=secrets.token_hex(5), title=title, goal=goal, currency=currency(),
                        starts_on=starts_on, ends_on=ends_on, fund_id=fund.id, public=public)
    db.session.add(campaign)
    db.session.flush()
    audit.record(actor_id, "ledger_campaign", detail=f"campaign:{campaign.id}")
    return campaign


@workflow
def set_public(actor_id: int, campaign: Campaign, public: bool) -> None:
    campaign.public = public
    audit.record(actor_id, "ledger_publish" if public else "ledger_unpublish",
                 detail=f"campaign:{campaign.id}")


def progress(campaign: Campaign, today: date | None = None) -> Progress:
    """Raised: donations tagged with the campaign, corrections netted. Spent: payments out of
    its fund from its first day to its last (or today), a corrected payment not counted."""
    raised, donations = db.session.execute(
        select(func.coalesce(-func.sum(Posting.amount), 0), func.count(func.distinct(Txn.id)))
        .join(Txn, Txn.id == Posting.txn_id).join(Account, Account.id == Posting.account_id)
        .where(Txn.campaign_id == campaign.id, Account.type == "income")).one()
    reversal = aliased(Txn)
    end = min(campaign.ends_on, today or date.today())
    rows = db.session.execute(
        select(Posting.account_id, func.count(func.distinct(Txn.id)), func.sum(Posting.amount))
        .join(Txn, Txn.id == Posting.txn_id).join(Account, Account.id == Posting.account_id)
        .outerjoin(reversal, reversal.reverses_id == Txn.id)
        .where(Posting.fund_id == campaign.fund_id, Account.type == "expense",
               Txn.kind.in_(SPENDING), reversal.id.is_(None),
               Txn.occurred_on >= campaign.starts_on, Txn.occurred_on <= end)
        .group_by(Posting.account_id))
    categories = [Category(db.session.get(Account, account_id), int(n), int(total))
                  for account_id, n, total in rows]
    categories.sort(key=lambda c: -c.amount)
    reversed_donations = db.session.scalar(
        select(func.count(Txn.id)).where(Txn.campaign_id == campaign.id,
                                         Txn.kind == "reversal"))
    return Progress(campaign, int(raised), int(donations) - 2 * int(reversed_donations or 0),
                    categories)
