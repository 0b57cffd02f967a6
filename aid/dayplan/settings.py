"""What a dispatcher may set for a day's plan, its bounds and defaults, and how typed values
are read: numbers in any script, times as HH:MM. Bad values come back as translated
messages per field, never as an exception, so the form can be shown again as it was."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from aid.crypto import normalize_digits

TIME_LIMITS = (1, 600)  # seconds of search
TRIPS = (1, 6)
BREAK_MINUTES = (0, 120)

MESSAGES = {
    "day": _l("Give the day as a date, such as 2026-05-04."),
    "time_limit": _l("Give the planning time in seconds, from 1 to 600."),
    "max_trips": _l("Give the trips per driver as a whole number from 1 to 6."),
    "break_minutes": _l("Give the break in minutes, from 0 (no break) to 120."),
    "break_from": _l("Give the break's earliest start as a time, such as 12:00."),
    "break_until": _l("Give the break's latest start as a time after its earliest start."),
    "start_at": _l("Choose where drivers start."),
    "end_at": _l("Choose where drivers end."),
    "reload_depot": _l("Choose a depot from the list."),
    "drivers": _l("Choose drivers from the list."),
}


@dataclass(frozen=True)
class PlanSettings:
    """The dispatcher's choices for one plan; the defaults suit a day of car deliveries."""

    time_limit: int = 30
    start_at: str = "depot"  # depot (nearest to their area) or area (their own area)
    end_at: str = "area"  # area or depot (where they started)
    max_trips: int = 2  # trips per driver: back to a depot to load again
    reload_depot_id: int | None = None  # None: the depot they start from, or the nearest
    break_from: int = 12 * 60  # minutes after midnight: the break starts no earlier
    break_until: int = 14 * 60  # and no later than this
    break_minutes: int = 30  # for shifts longer than BREAK_AFTER_HOURS; 0: none
    excluded: frozenset[int] = field(default_factory=frozenset)  # drivers left out


def _int(raw: str | None, low: int, high: int) -> int | None:
    text = normalize_digits(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_minutes(raw: str | None) -> int | None:
    """'12:30' (or '12', digits of any script) -> minutes after midnight; None if not a time."""
    text = normalize_digits(raw or "").strip().replace(".", ":")
    hours, _, minutes = text.partition(":")
    if not (hours.isascii() and hours.isdigit() and len(hours) <= 2):
        return None
    if minutes and not (minutes.isascii() and minutes.isdigit() and len(minutes) == 2):
        return None
    h, m = int(hours), int(minutes or 0)
    return h * 60 + m if h < 24 and m < 60 else None


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def read(form: Mapping[str, str], chosen_drivers: Iterable[str], drivers: Iterable[int],
         depots: Iterable[int], getter: Callable[[str], str | None] | None = None
         ) -> tuple[PlanSettings | None, dict[str, object]]:
    """Settings from a submitted form, or None and a message per bad field.

    `drivers` are those available that day; the ones not in `chosen_drivers` are left out.
    """
    get = getter or form.get
    errors: dict[str, object] = {}
    time_limit = _int(get("time_limit"), *TIME_LIMITS)
    max_trips = _int(get("max_trips"), *TRIPS)
    break_minutes = _int(get("break_minutes"), *BREAK_MINUTES)
    break_from, break_until = parse_minutes(get("break_from")), parse_minutes(get("break_until"))
    for name, value in (("time_limit", time_limit), ("max_trips", max_trips),
                        ("break_minutes", break_minutes), ("break_from", break_from)):
        if value is None:
            errors[name] = MESSAGES[name]
    if break_until is None or (break_from is not None and break_until < break_from):
        errors["break_until"] = MESSAGES["break_until"]
    start_at, end_at = get("start_at") or "", get("end_at") or ""
    if start_at not in ("depot", "area"):
        errors["start_at"] = MESSAGES["start_at"]
    if end_at not in ("depot", "area"):
        errors["end_at"] = MESSAGES["end_at"]
    reload_raw = (get("reload_depot") or "").strip()
    reload_depot = None
    if reload_raw:
        reload_depot = _int(reload_raw, 1, 2**31 - 1)
        if reload_depot is None or reload_depot not in set(depots):
            errors["reload_depot"] = MESSAGES["reload_depot"]
    available = set(drivers)
    chosen = set()
    for raw in chosen_drivers:
        value = _int(raw, 1, 2**31 - 1)
        if value is None or value not in available:
            errors["drivers"] = MESSAGES["drivers"]
        else:
            chosen.add(value)
    if errors:
        return None, errors
    return PlanSettings(time_limit=time_limit, start_at=start_at, end_at=end_at,
                        max_trips=max_trips, reload_depot_id=reload_depot,
                        break_from=break_from, break_until=break_until,
                        break_minutes=break_minutes,
                        excluded=frozenset(available - chosen)), {}


def of_plan(plan) -> PlanSettings:
    """The settings a stored plan was made with (for planning its day again)."""
    return PlanSettings(time_limit=plan.time_limit, start_at=plan.start_at, end_at=plan.end_at,
                        max_trips=plan.max_trips, reload_depot_id=plan.reload_depot_id,
                        break_from=plan.break_from, break_until=plan.break_until,
                        break_minutes=plan.break_minutes, excluded=plan.excluded_ids())
