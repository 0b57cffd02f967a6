"""Import a bank or payment-app CSV export: every row checked first, errors by row and
column, nothing written unless every row is good, duplicates skipped by idempotency key, and
the statement's closing balance must match the books afterwards.

Only money received becomes a donation (anonymous: the export's names are never read). Money
paid out is skipped: it belongs in the books as a disbursement with its approval, and the
closing balance check shows whether it is there.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select

from aid import audit
from aid.extensions import db
from aid.forms import parse_date
from aid.ledger import books, money
from aid.ledger.amounts import AmountError, amount_message, currency, parse_cents
from aid.ledger.amounts import money as format_money
from aid.models import Account, Campaign, Fund
from aid.models import Transaction as Txn
from aid.workflow import Invalid, workflow

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Layout:
    """Which columns of an export hold what."""

    date: str
    amount: str
    id: str | None = None
    status: str | None = None
    done: tuple[str, ...] = ()
    currency: str | None = None


LAYOUTS = {
    "venmo": Layout("Datetime", "Amount (total)", "ID", "Status", ("complete",)),
    "paypal": Layout("Date", "Gross", "Transaction ID", "Status", ("completed",), "Currency"),
    "cashapp": Layout("Date", "Amount", "Transaction ID", "Status", ("complete", "completed"),
                      "Currency"),
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Outcome:
    """What an import did, or would have done, and why it was refused."""

    imported: int = 0
    amount: int = 0
    duplicates: int = 0
    paid_out: int = 0
    not_done: int = 0
    errors: list[RowError] = field(default_factory=list)


def _when(text: str) -> date | None:
    text = (text or "").strip()
    found = parse_date(text[:10]) or parse_date(text.split(" ")[0])
    if found is None:
        try:
            found = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return found


def _rows(data: bytes, layout: Layout) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows with their line numbers; a preamble (Venmo's) skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("csv", gettext("That file is not a CSV export in UTF-8.")) from exc
    lines = list(csv.reader(io.StringIO(text)))
    wanted = {c for c in (layout.date, layout.amount, layout.id) if c}
    for n, header in enumerate(lines):
        names = [h.strip() for h in header]
        if wanted <= set(names):
            return names, [(i + 1, r) for i, r in enumerate(lines[n + 1:], start=n + 1)
                           if any(cell.strip() for cell in r)]
    raise Invalid("columns", gettext("The file has no columns named %(columns)s.",
                                     columns=", ".join(sorted(wanted))))


def _key(source: str, layout: Layout, cells: dict, seen: dict) -> str:
    if layout.id:
        return f"{source}:{cells[layout.id].strip()}"[:80]
    # No id column: the same date and amount the n-th time in this file.
    base = f"{cells[layout.date].strip()}|{cells[layout.amount].strip()}"
    seen[base] = seen.get(base, 0) + 1
    return f"{source}:" + hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()[:40]


def read(data: bytes, source: str, layout: Layout) -> tuple[list[tuple[str, date, int]],
                                                            Outcome]:
    """Check every row; return the donations found (key, date, cents) and the outcome."""
    header, rows = _rows(data, layout)
    out, found, seen = Outcome(), [], {}
    if len(rows) > MAX_ROWS:
        raise Invalid("rows", gettext("Import at most %(num)d rows at a time.", num=MAX_ROWS))
    for line, raw in rows:
        cells = dict(zip(header, raw + [""] * (len(header) - len(raw))))
        if layout.id and not cells[layout.id].strip():
            continue  # a statement's summary line, not a transaction
        if layout.status and cells.get(layout.status, "").strip().lower() not in layout.done:
            out.not_done += 1
            continue
        when = _when(cells[layout.date])
        if when is None:
            out.errors.append(RowError(line, layout.date, gettext(
                "Not a date. Use 2026-11-02 or 11/02/2026.")))
        try:
            cents = parse_cents(cells[layout.amount], allow_negative=True, allow_zero=True)
        except AmountError as exc:
            out.errors.append(RowError(line, layout.amount, amount_message(str(exc))))
            continue
        if layout.currency and cells.get(layout.currency, "").strip().upper() not in (
                "", currency()):
            out.errors.append(RowError(line, layout.currency, gettext(
                "Another currency: the books are kept in %(code)s.", code=currency())))
            continue
        if when is None:
            continue
        if cents < 0:
            out.paid_out += 1
            continue
        if cents:
            found.append((_key(source, layout, cells, seen), when, cents))
    return found, out


@workflow
def run(actor_id: int, data: bytes, source: str, layout: Layout, account: Account | None,
        fund: Fund | None, closing: int, campaign: Campaign | None = None) -> Outcome:
    """All or nothing: any bad row, or a closing balance the books would not match, and
    nothing is written. The outcome says what was imported and skipped, or why not."""
    if account is None or account.type != "asset" or fund is None:
        raise Invalid("account", gettext("That account does not exist in the books."))
    if campaign is not None and campaign.fund_id != fund.id:
        raise Invalid("campaign_fund", gettext(
            "Money for this campaign goes to its own fund, %(fund)s.",
            fund=books.fund_label(campaign.fund)))
    found, out = read(data, source, layout)
    if out.errors:
        return out
    keys = [key for key, _when, _cents in found]
    known = set()
    for start in range(0, len(keys), 500):
        known |= set(db.session.scalars(select(Txn.idempotency_key).where(
            Txn.idempotency_key.in_(keys[start:start + 500]))))
    fresh, taken = [], set()
    for key, when, cents in found:
        if key in known or key in taken:
            out.duplicates += 1
            continue
        taken.add(key)
        fresh.append((key, when, cents))
    out.amount = sum(cents for _key, _when, cents in fresh)
    expected = books.account_balance(account.id) + out.amount
    if expected != closing:
        raise Invalid("closing", gettext(
            "After this import the books would show %(books)s in this account, but the "
            "statement closes at %(statement)s. Nothing was imported: record the missing "
            "payments first, or check the file.",
            books=format_money(expected), statement=format_money(closing)))
    links = {"campaign_id": campaign.id} if campaign else {}
    out.imported = books.seal_many(
        [("donation", money.donation_legs(cents, account, fund), when,
          {"idempotency_key": key, **links}) for key, when, cents in fresh], actor_id)
    audit.record(actor_id, "ledger_import", detail=f"rows:{out.imported}")
    return out
