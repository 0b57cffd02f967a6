"""A month of a fictional group's books for `flask aid demo`: donations in, groceries and
rent out, a bail case, a campaign with a public page. Every name is a handle or pseudonym."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from aid.ledger import bail, books, campaigns, money
from aid.models import User


def _pseudonym(rng: random.Random, prefix: str) -> str:
    return prefix + "-" + "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(4))


def add_demo_books(rng: random.Random) -> str | None:
    """Fill the books with a month of activity; return the public campaign's slug."""
    treasurer = select(User.id).where(User.handle == "demo-treasurer")
    admin = select(User.id).where(User.handle == "demo-admin")
    from aid.extensions import db

    me, other = db.session.scalar(treasurer), db.session.scalar(admin)
    books.set_up_chart(me)
    acct, fund = books.account_by_code, books.fund_by_code
    start = date.today() - timedelta(days=30)
    drive = campaigns.create(me, "Winter groceries for our block", 600_000, start,
                             date.today() + timedelta(days=30), fund("groceries"), True)
    for code, grant in (("rent", 150_000), ("groceries", 80_000), ("general", 30_000)):
        money.record_donation(me, grant, start, acct("bank"), fund(code), donor="donor-1")
    for day in range(30):
        when = start + timedelta(days=day)
        for _ in range(rng.randint(1, 3)):
            code = rng.choice(("groceries", "groceries", "rent", "bail", "general"))
            donor = rng.choice((None, None, f"donor-{rng.randint(1, 60)}"))
            money.record_donation(me, rng.choice((1000, 2000, 2500, 5000, 10000, 25000)), when,
                                  acct(rng.choice(("venmo", "cash", "bank", "zelle"))),
                                  fund(code), drive if code == "groceries" else None, donor)
        if day % 3 == 2:
            money.request_disbursement(me, "household", _pseudonym(rng, "HH"),
                                       acct("groceries"), acct("bank"), fund("groceries"),
                                       rng.choice((4500, 6000, 8000)), when)
    for n in range(2):
        money.request_disbursement(me, "vendor", f"LANDLORD-{n + 1}", acct("rent"),
                                   acct("bank"), fund("rent"), 20_000, start + timedelta(days=20))
    big = money.request_disbursement(me, "vendor", "LANDLORD-3", acct("rent"), acct("bank"),
                                     fund("rent"), 40_000, start + timedelta(days=25))
    money.approve(other, big)
    money.request_disbursement(me, "vendor", "POWER-CO", acct("utilities"), acct("bank"),
                               fund("general"), 9_000, start + timedelta(days=12))
    money.record_donation(me, 300_000, start + timedelta(days=5), acct("bank"), fund("bail"),
                          donor="donor-7")
    bail.pay(me, "bond", 150_000, start + timedelta(days=6), acct("bank"), fund("bail"),
             "obligor-1", "vol-court-2", pseudonym=_pseudonym(rng, "CASE"))
    # One still waiting for a second treasurer, so the approvals screen has something.
    money.request_disbursement(me, "vendor", "LANDLORD-4", acct("rent"), acct("bank"),
                               fund("rent"), 30_000, date.today())
    return drive.slug
