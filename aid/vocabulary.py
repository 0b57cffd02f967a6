"""The app's words, defined once: kinds of help, states of a request, reasons, choices.

Every screen, form and template takes its labels from here (templates get `vocab`), so a new
kind of help or of task is one entry, and a code with no label cannot slip into one page only.
Codes are stored; labels are translated when shown. Nothing here touches the database.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A kind of help a household asks for, and of the work a volunteer takes on for it."""

    code: str
    label: object  # what a household chooses on the form
    short: object  # lists and staff screens
    reveals_address: bool  # holding its task shows the household's exact address
    skill: str  # what a volunteer must offer to take it on
    min_tier: int  # the lowest vetting tier that may hold it


@dataclass(frozen=True)
class Status:
    """A state of a request: what the household reads and what staff read."""

    code: str
    household: object
    staff: object
    open: bool


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("groceries", _l("Groceries delivered"), _l("Groceries"), True, "deliver", 1),
    Kind("translation", _l("A translator"), _l("Translation"), True, "translate", 1),
    Kind("court", _l("Someone to go with me to court"), _l("Court"), True, "court", 1),
)}

STATUSES: dict[str, Status] = {s.code: s for s in (
    Status("new", _l("Received: waiting for review"), _l("New"), True),
    Status("approved", _l("Approved: we are finding a volunteer"), _l("Approved"), True),
    Status("declined", _l("Sorry, we cannot help with this one"), _l("Declined"), False),
    Status("merged", _l("Joined with your other request"), _l("Merged"), False),
    Status("cancelled", _l("Cancelled"), _l("Cancelled"), False),
    Status("done", _l("Done"), _l("Done"), False),
)}
OPEN_STATUSES = tuple(code for code, s in STATUSES.items() if s.open)

DECLINE_REASONS: dict[str, object] = {
    "out_of_area": _l("Outside our area"),
    "duplicate": _l("Duplicate"),
    "cannot_help": _l("We cannot help with this"),
    "other": _l("Other reason"),
}

# Choices a household makes on the form; staff screens show the same labels.
CONTACT_METHODS = {
    "signal": _l("Signal"),
    "whatsapp": _l("WhatsApp"),
    "sms": _l("Text message (SMS)"),
    "call": _l("Phone call"),
    "trusted": _l("Through a trusted person or organization"),
}
PHONE_METHODS = frozenset({"signal", "whatsapp", "sms", "call"})
DIETS = {
    "halal": _l("Halal"),
    "kosher": _l("Kosher"),
    "vegetarian": _l("Vegetarian"),
    "no_pork": _l("No pork"),
    "diabetic": _l("Low sugar (diabetes)"),
    "allergies": _l("Allergies (tell us below)"),
}
SUPPLIES = {
    "baby": _l("Baby supplies (diapers, formula)"),
    "medical": _l("Medical supplies"),
}
DAYS = {
    "mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"),
    "thu": _l("Thursday"), "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday"),
}
TIMES = {
    "morning": _l("Morning (9:00 to 12:00)"),
    "afternoon": _l("Afternoon (12:00 to 17:00)"),
    "evening": _l("Evening (17:00 to 20:00)"),
}
DROPOFFS = {
    "door": _l("Leave it at the door, no contact"),
    "text": _l("Text me when you arrive"),
}
TRANSLATION_FORMATS = {"document": _l("A document"), "live": _l("Live, while we talk")}
TRANSLATION_MODES = {"in_person": _l("In person"), "phone": _l("By phone")}

# A request's details as staff read them, by the form field that holds each.
DETAIL_LABELS: dict[str, object] = {
    "household_size": _l("How many people live in your home?"),
    "dietary": _l("Food needs (optional)"),
    "dietary_notes": _l("Allergies or other food needs (optional)"),
    "supplies": _l("Other supplies (optional)"),
    "delivery_days": _l("Days a delivery can come"),
    "delivery_times": _l("Times a delivery can come"),
    "dropoff": _l("How should we drop it off?"),
    "translation_languages": _l("Which languages?"),
    "translation_format": _l("What needs translating?"),
    "translation_mode": _l("In person or by phone?"),
    "translation_by": _l("Needed by (optional)"),
    "court_date": _l("Date of the court hearing"),
    "court_time": _l("Time of the hearing (optional)"),
    "court_name": _l("Name of the court"),
    "court_address": _l("Address of the court (optional)"),
    "court_language": _l("Language at court (optional)"),
    "court_support": _l("What support would help you? (optional)"),
}

# Every coded choice by its code, for showing a stored value of any of them.
CHOICE_LABELS: dict[str, object] = {
    code: label
    for group in (CONTACT_METHODS, DIETS, SUPPLIES, DAYS, TIMES, DROPOFFS,
                  TRANSLATION_FORMATS, TRANSLATION_MODES)
    for code, label in group.items()
}


def choices(group: dict[str, object]) -> list[tuple[str, object]]:
    """A vocabulary group as WTForms choices, in its defined order."""
    return list(group.items())


def every_label() -> list[object]:
    """Every label defined here: the vocabulary test checks each is translated everywhere."""
    out: list[object] = []
    for kind in KINDS.values():
        out += [kind.label, kind.short]
    for status in STATUSES.values():
        out += [status.household, status.staff]
    out += list(DECLINE_REASONS.values()) + list(CHOICE_LABELS.values())
    out += list(DETAIL_LABELS.values())
    out += ledger_labels()
    return out


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
