"""Volunteers' and tasks' words: kinds of task, states, outcomes, reasons, tiers, notices,
why matching suggests someone."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from aid.vocabulary.requests import DAYS, TIMES


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
    "route_new": _l("You have a delivery route: see My tasks."),
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
