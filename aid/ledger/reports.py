"""The treasurer's reports: balances per fund and account on a date, income and spending by
month and category, receivables, a campaign's figures; each also as CSV."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select

from aid.extensions import db
from aid.ledger import bail, books
from aid.ledger.amounts import plain
from aid.models import Account, Posting
from aid.models import Transaction as Txn

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class FundRow:
    fund: object
    held: int  # in money accounts
    out: int  # owed back (bail and bonds)


def fund_rows(on: date | None = None) -> list[FundRow]:
    by_fund = books.balances_by_fund(on)
    return [FundRow(f, by_fund.get(f.id, {}).get("asset", 0),
                    by_fund.get(f.id, {}).get("receivable", 0))
            for f in books.funds(open_only=False)]


def account_rows(on: date | None = None) -> list[tuple[Account, int]]:
    """Every account and its balance: money held and owed as positive, income as positive."""
    by_account = books.balances_by_account(on)
    out = []
    for account in books.accounts(open_only=False):
        total = by_account.get(account.id, 0)
        out.append((account, -total if account.type == "income" else total))
    return out


@dataclass
class Monthly:
    year: int
    months: list[int]
    income: dict[int, dict[int, int]]  # account id -> month -> cents
    spending: dict[int, dict[int, int]]
    accounts: dict[int, Account]

    @property
    def first_days(self) -> list[date]:
        """Each month shown, as its first day (for the month's name in the viewer's language)."""
        return [date(self.year, m, 1) for m in self.months]


def monthly(year: int) -> Monthly:
    """Income and spending per month and category for one calendar year."""
    month = extract("month", Txn.occurred_on)
    stmt = (select(Posting.account_id, month, func.sum(Posting.amount))
            .join(Txn, Txn.id == Posting.txn_id)
            .join(Account, Account.id == Posting.account_id)
            .where(Account.type.in_(("income", "expense")),
                   Txn.occurred_on >= date(year, 1, 1), Txn.occurred_on <= date(year, 12, 31))
            .group_by(Posting.account_id, month))
    income: dict[int, dict[int, int]] = defaultdict(dict)
    spending: dict[int, dict[int, int]] = defaultdict(dict)
    accounts = {a.id: a for a in books.accounts(open_only=False)}
    months = set()
    for account_id, m, total in db.session.execute(stmt):
        m = int(m)
        months.add(m)
        if accounts[account_id].type == "income":
            income[account_id][m] = -int(total)
        else:
            spending[account_id][m] = int(total)
    return Monthly(year, sorted(months), income, spending, accounts)


def safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA) else text


def to_csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell if isinstance(cell, (int, float)) else safe(cell)
                         for cell in row])
    return buf.getvalue()


def balances_csv(on: date | None) -> str:
    rows = [["fund", books.fund_label(r.fund), plain(r.held), plain(r.out)]
            for r in fund_rows(on)]
    rows += [["account", books.account_label(a), plain(total), ""]
             for a, total in account_rows(on)]
    return to_csv(["kind", "name", "balance", "owed_back"], rows)


def monthly_csv(report: Monthly) -> str:
    rows = []
    for kind, table in (("income", report.income), ("spending", report.spending)):
        for account_id, by_month in table.items():
            for m, cents in sorted(by_month.items()):
                rows.append([f"{report.year}-{m:02d}", kind,
                             books.account_label(report.accounts[account_id]), plain(cents)])
    return to_csv(["month", "kind", "category", "amount"], sorted(rows))


def receivables_csv(on: date | None) -> str:
    rows = [[s.case.pseudonym, s.case.kind, s.case.posted_by, s.case.receipt_holder,
             str(s.paid_on), s.days_out(on), plain(s.outstanding)]
            for s in bail.receivables(on)]
    return to_csv(["case", "kind", "posted_by", "receipt_holder", "paid_on", "days_out",
                   "outstanding"], rows)


def campaign_csv(progress) -> str:
    c = progress.campaign
    rows = [["goal", "", "", plain(c.goal)], ["raised", "", progress.donations,
                                               plain(progress.raised)]]
    rows += [["spent", books.account_label(cat.account), cat.payments, plain(cat.amount)]
             for cat in progress.categories]
    return to_csv(["line", "category", "count", "amount"], rows)
