"""The books' configuration: funds and accounts the group adds, closes or lets go negative.
These rows change (a fund is closed); the books' own rows never do."""
from __future__ import annotations

import secrets

from flask_babel import gettext
from sqlalchemy import select

from aid import audit
from aid.extensions import db
from aid.models import Account, Campaign, Fund
from aid.models._types import utcnow
from aid.workflow import Invalid, workflow


def campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc())))


@workflow
def add_fund(actor_id: int, name: str) -> Fund:
    fund = Fund(code="fund-" + secrets.token_hex(4), name=name)
    db.session.add(fund)
    db.session.flush()
    audit.record(actor_id, "ledger_fund_add", detail=f"fund:{fund.id}")
    return fund


@workflow
def change_fund(actor_id: int, fund: Fund, change: str) -> None:
    """close, reopen, allow_negative or forbid_negative."""
    if change == "close":
        fund.closed_at = fund.closed_at or utcnow()
    elif change == "reopen":
        fund.closed_at = None
    elif change in ("allow_negative", "forbid_negative"):
        fund.allow_negative = change == "allow_negative"
    else:
        raise Invalid("change", gettext("Choose one of the options shown."))
    audit.record(actor_id, f"ledger_fund_{change}"[:40], detail=f"fund:{fund.id}")


@workflow
def add_account(actor_id: int, name: str, kind: str) -> Account:
    if kind not in ("asset", "expense"):
        raise Invalid("kind", gettext("Choose one of the options shown."))
    account = Account(code="acct-" + secrets.token_hex(4), type=kind, name=name)
    db.session.add(account)
    db.session.flush()
    audit.record(actor_id, "ledger_account_add", detail=f"account:{account.id}")
    return account


@workflow
def close_account(actor_id: int, account: Account) -> None:
    account.closed_at = account.closed_at or utcnow()
    audit.record(actor_id, "ledger_account_close", detail=f"account:{account.id}")
