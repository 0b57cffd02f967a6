"""The ledger's words: account types, default funds and accounts, kinds of transaction,
payees, bail, statuses and import layouts. Codes are stored; labels are shown."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# ============================================================================================
# Ledger (the fundraiser books): account types, default funds and accounts, kinds of
# transaction, payees, bail, statuses and import layouts. Codes are stored; labels are shown.
# ============================================================================================

ACCOUNT_TYPES: dict[str, object] = {
    "asset": _l("Money we hold"),
    "receivable": _l("Owed back to us"),
    "income": _l("Income"),
    "expense": _l("Spending"),
}

# Where money is kept: donations arrive in one of these, disbursements leave from one.
PAYMENT_METHODS: dict[str, object] = {
    "cash": _l("Cash box"),
    "bank": _l("Bank account"),
    "venmo": _l("Venmo"),
    "zelle": _l("Zelle"),
    "cashapp": _l("Cash App"),
    "paypal": _l("PayPal"),
}
EXPENSE_CATEGORIES: dict[str, object] = {
    "groceries": _l("Groceries"),
    "rent": _l("Rent"),
    "utilities": _l("Utilities"),
    "transport": _l("Transport"),
    "bail_forfeited": _l("Bail and bonds forfeited"),
    "fees": _l("Fees"),
    "other_costs": _l("Other costs"),
}
# The default chart of accounts, by code: its type and its label.
DEFAULT_ACCOUNTS: dict[str, tuple[str, object]] = {
    **{code: ("asset", label) for code, label in PAYMENT_METHODS.items()},
    "bail_out": ("receivable", _l("Bail and bonds out")),
    "donations": ("income", _l("Donations")),
    **{code: ("expense", label) for code, label in EXPENSE_CATEGORIES.items()},
}
DEFAULT_FUNDS: dict[str, object] = {
    "general": _l("General"),
    "groceries": _l("Groceries"),
    "rent": _l("Rent"),
    "bail": _l("Bail"),
}

TRANSACTION_KINDS: dict[str, object] = {
    "donation": _l("Donation"),
    "disbursement": _l("Payment out"),
    "transfer": _l("Transfer"),
    "bail_paid": _l("Bail or bond paid"),
    "bail_refund": _l("Bail or bond refunded"),
    "bail_forfeit": _l("Bail or bond forfeited"),
    "reversal": _l("Correction (reversal)"),
}
PAYEE_KINDS: dict[str, object] = {
    "household": _l("A household, by its pseudonym"),
    "vendor": _l("A business: store, landlord, bail bond agent"),
    "volunteer": _l("A volunteer, paid back (receipt needed)"),
}
BAIL_KINDS: dict[str, object] = {
    "bail": _l("Bail"),
    "bond": _l("Immigration bond"),
}
DISBURSEMENT_STATUSES: dict[str, object] = {
    "pending": _l("Waiting for a second treasurer"),
    "paid": _l("Paid"),
    "rejected": _l("Not approved"),
}
IMPORT_LAYOUTS: dict[str, object] = {
    "venmo": _l("Venmo"),
    "paypal": _l("PayPal"),
    "cashapp": _l("Cash App"),
    "custom": _l("Another bank or app: name the columns"),
}


def ledger_labels() -> list[object]:
    """Every ledger label, for the check that each one is translated everywhere."""
    out: list[object] = []
    for group in (ACCOUNT_TYPES, PAYMENT_METHODS, EXPENSE_CATEGORIES, DEFAULT_FUNDS,
                  TRANSACTION_KINDS, PAYEE_KINDS, BAIL_KINDS, DISBURSEMENT_STATUSES,
                  IMPORT_LAYOUTS):
        out += list(group.values())
    out += [label for _type, label in DEFAULT_ACCOUNTS.values()]
    return out
