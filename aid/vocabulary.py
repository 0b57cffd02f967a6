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


def every_label() -> list[object]:
    """Every label defined here: the vocabulary test checks each is translated everywhere."""
    out: list[object] = []
    for kind in KINDS.values():
        out += [kind.label, kind.short]
    for status in STATUSES.values():
        out += [status.household, status.staff]
    out += list(DECLINE_REASONS.values()) + list(CHOICE_LABELS.values())
    out += list(CLOSE_OUTCOMES.values())
    out += list(DETAIL_LABELS.values())
    return out


# ---------------------------------------------------------------- volunteers and tasks


@dataclass(frozen=True)
class TaskKind:
    """A kind of work a volunteer can claim: what it shows, who may hold it, what it needs.

    One task model serves every kind (a delivery, a translation, a court accompaniment, and
    later packing, kit assembly, canvassing, post-raid follow-up); adding one is one entry.
    """

    code: str
    label: object
    skill: str  # what the volunteer offers: deliver, translate, court, pack
    reveals_address: bool  # the holder sees the household's exact address
    reveals_contact: bool  # the holder sees how to reach the household
    min_tier: int  # 0 new (nothing that reveals an address), 1 vetted, 2 trusted
    request_kind: str | None  # the kind of household request it serves, if any
    needs_language: bool  # the holder must speak the household's language


TASK_KINDS: dict[str, TaskKind] = {k.code: k for k in (
    TaskKind("delivery", _l("Grocery delivery"), "deliver", True, True, 1, "groceries",
             False),
    TaskKind("translation_visit", _l("Translation in person"), "translate", True, True, 1,
             "translation", True),
    TaskKind("translation_remote", _l("Translation by phone or of a document"), "translate",
             False, True, 0, "translation", True),
    TaskKind("court", _l("Going with someone to court"), "court", False, True, 1, "court",
             False),
    TaskKind("packing", _l("Packing groceries"), "pack", False, False, 0, None, False),
)}

TASK_STATUSES: dict[str, object] = {
    "open": _l("Open"),
    "claimed": _l("Taken"),
    "held": _l("On hold"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
OUTCOMES: dict[str, object] = {
    "delivered": _l("Done: delivered or helped"),
    "nobody_home": _l("Nobody was there"),
    "problem": _l("There was a problem"),
}
RELEASE_REASONS: dict[str, object] = {
    "cannot_make_it": _l("I cannot make it"),
    "too_far": _l("It is too far for me"),
    "wrong_skills": _l("I cannot do this kind of task"),
    "other": _l("Another reason"),
}
HOLD_REASONS: dict[str, object] = {
    "not_today": _l("The household said not today"),
    "safety": _l("Safety hold on the area"),
    "dispatcher": _l("Held by an organizer"),
}
# What a dispatcher should look at: tasks that came back or went wrong.
ATTENTION: dict[str, object] = {
    "overdue": _l("Not done in time: released"),
    "released": _l("Released by the volunteer"),
    "not_received": _l("The household says it did not arrive"),
    "problem": _l("The volunteer reported a problem"),
    "nobody_home": _l("Nobody was there"),
}
TIERS: dict[int, object] = {
    0: _l("New: tasks that show no address"),
    1: _l("Vetted: deliveries and visits"),
    2: _l("Trusted: court and every task"),
}
VEHICLES: dict[str, object] = {"car": _l("Car"), "bike": _l("Bike"), "foot": _l("On foot")}
VOLUNTEER_STATES: dict[str, object] = {
    "pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
}
SLOTS = tuple(TIMES)  # morning, afternoon, evening: the windows tasks and availability use
SLOT_HOURS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 20)}
WEEKDAYS = tuple(DAYS)  # mon .. sun, Monday first as date.weekday() counts
# What a volunteer is told on their pages (aid.models.Notice kinds).
NOTICE_TEXTS: dict[str, object] = {
    "assigned": _l("An organizer gave you a task: see My tasks."),
    "overdue": _l("A task you held was not marked done in time, so it went back to the board."),
    "not_today": _l("A household you are going to said not today: that task is on hold."),
    "hold": _l("A task you hold is on a safety hold: do not go until it is lifted."),
    "hold_lifted": _l("A safety hold on one of your tasks was lifted."),
    "route_changed": _l("Your route changed: see My tasks."),
}
# Why matching suggests a volunteer (aid.matching reason codes, some with a value).
MATCH_REASONS: dict[str, object] = {
    "near": _l("%(value)s km away"),
    "knows_household": _l("Has helped this household before"),
    "speaks_language": _l("Speaks the household's language"),
    "fair": _l("Tasks this week: %(value)s"),
    "experienced": _l("Experienced"),
    "experience": _l("Tasks done so far: %(value)s"),
    "new_volunteer_low_risk": _l("New volunteer: an easy task to learn on"),
}


def match_reason(code: str) -> str:
    """A matching reason in words: 'near:1.2' -> '1.2 km away', 'fair:load 2 of 5' -> 2/5."""
    name, _, value = code.partition(":")
    label = MATCH_REASONS.get(name)
    if label is None:
        return code
    numbers = [w for w in value.replace("/", " ").split() if w.replace(".", "").isdigit()]
    shown = "/".join(numbers) if len(numbers) > 1 else (numbers[0] if numbers else value)
    return str(label) % {"value": shown}


# ---------------------------------------------------------------- plans (day plans, holds)
# The dispatcher's day plans and safety holds (aid.dayplan, aid.tasks.safety, aid.plans).

PLAN_STATES: dict[str, object] = {
    "queued": _l("Waiting to start"),
    "running": _l("Planning"),
    "ready": _l("Ready to publish"),
    "failed": _l("Failed"),
    "published": _l("Published"),
    "replaced": _l("Replaced by a newer plan"),
}
# Why a delivery is not on any route, as the dispatcher reads it. The engine's codes
# (aid.routing.problem.REASONS) and the app's own (holds, claims) in one list.
DROP_REASONS: dict[str, object] = {
    "capacity": _l("No room left: every car that could take it is full"),
    "window": _l("No driver can get there within its time window"),
    "no_driver": _l("No driver is available"),
    "safety_hold": _l("Safety hold on the area"),
    "no_location": _l("No location: the ZIP code is unknown"),
    "time": _l("It did not fit into any driver's time"),
    "too_many_boxes": _l("More boxes than any car can carry"),
    "driver_away": _l("Held by a volunteer who is not driving that day"),
    "bad_input": _l("The task's data cannot be planned"),
    "not_today": _l("The household said not today"),
    "held": _l("On hold"),
}
# An engine code -> the dispatcher's code above.
ENGINE_REASONS = {"no_vehicles": "no_driver", "skill": "driver_away"}
# Why a plan as a whole failed, or what it had to leave out (with a driver or depot named).
PLAN_PROBLEMS: dict[str, object] = {
    "engine": _l("The planner stopped with an error. The published plan is unchanged."),
    "timeout": _l("The planning stopped before it finished (the worker may have been "
                  "stopped). The published plan is unchanged."),
    "no_worker": _l("No background worker took the plan. Is the worker running? The "
                    "published plan is unchanged."),
    "outdated": _l("A newer plan of this day was published meanwhile: plan again."),
    "nothing": _l("There is nothing to deliver on this day."),
    "no_drivers": _l("No driver is available on this day: nobody was given a route."),
    "no_depots": _l("There is no depot: drivers start and load in their own area."),
    "depot_closed": _l("The depot %(depot)s is closed all day."),
    "driver_depot_closed": _l("%(driver)s: the depot is closed during the whole shift."),
    "driver_no_start": _l("%(driver)s: no place to start from (no depot and no home area)."),
    "driver_shift": _l("%(driver)s: no time left in the shift on this day."),
    "driver_break": _l("%(driver)s: the break does not fit into the shift."),
    "driver_reload": _l("%(driver)s: cannot load again at the depot; one trip only."),
    "driver_bad": _l("%(driver)s: the car's settings cannot be planned."),
    "solver_none": _l("The planner found no routes in the time given: try a longer time."),
    "other": _l("The planner reported a problem it could not explain."),
}
HOLD_KINDS: dict[str, object] = {
    "zips": _l("ZIP codes"),
    "circle": _l("A circle around a point"),
}
PLAN_STARTS: dict[str, object] = {
    "depot": _l("At the depot nearest to their area"),
    "area": _l("In their own area"),
}
PLAN_ENDS: dict[str, object] = {
    "area": _l("Back in their own area"),
    "depot": _l("Back at the depot"),
}
PLAN_STOP_KINDS: dict[str, object] = {
    "stop": _l("Delivery"),
    "reload": _l("Load again at the depot"),
    "done": _l("Done"),
}
NOTICE_TEXTS["route_new"] = _l("You have a delivery route: see My tasks.")

_labels_before_plans = every_label


def every_label() -> list[object]:  # noqa: F811 - the plans section extends the list
    out = _labels_before_plans()
    for group in (PLAN_STATES, DROP_REASONS, PLAN_PROBLEMS, HOLD_KINDS, PLAN_STARTS,
                  PLAN_ENDS, PLAN_STOP_KINDS):
        out += list(group.values())
    return out
