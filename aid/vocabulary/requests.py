"""Households' words: kinds of help, states of a request, reasons, the form's choices.

What a household chooses and reads, and what staff read of it; see aid.vocabulary.
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
    Status("closed", _l("Closed by an organizer"), _l("Closed"), False),
)}
OPEN_STATUSES = tuple(code for code, s in STATUSES.items() if s.open)

# How a dispatcher closes a request the task board has not closed by itself.
CLOSE_OUTCOMES: dict[str, object] = {
    "done": _l("Done: the help was given"),
    "closed": _l("Closed: no longer needed"),
}

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
    "household_size": _l("People in the home"),
    "dietary": _l("Food needs"),
    "dietary_notes": _l("Allergies and other food needs"),
    "supplies": _l("Other supplies"),
    "delivery_days": _l("Delivery days"),
    "delivery_times": _l("Delivery times"),
    "dropoff": _l("Drop-off"),
    "translation_languages": _l("Languages"),
    "translation_format": _l("What to translate"),
    "translation_mode": _l("In person or by phone"),
    "translation_by": _l("Needed by"),
    "court_date": _l("Hearing date"),
    "court_time": _l("Hearing time"),
    "court_name": _l("Court"),
    "court_address": _l("Court address"),
    "court_language": _l("Language at court"),
    "court_support": _l("Support wanted"),
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
