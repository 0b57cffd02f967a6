"""The group's own clock: task days and windows are in its time zone (AID_TIMEZONE)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from aid.models._types import utcnow


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def local_now() -> datetime:
    """Now on the group's wall clock, naive."""
    return utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(zone()).replace(tzinfo=None)


def today() -> date:
    return local_now().date()


def to_utc(day: date, minutes: int) -> datetime:
    """A wall-clock moment of the group (a day and minutes after midnight) in naive UTC."""
    local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
    return local.replace(tzinfo=zone()).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def hhmm(minutes: int) -> str:
    """Minutes after midnight on the 24-hour clock: 570 -> '09:30' ("9am" is misread by
    people who count hours from sunrise, as the Ethiopian clock does)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def at(seconds: int | None) -> str:
    """Seconds after midnight (the route engine's times) on the 24-hour clock."""
    return "—" if seconds is None else hhmm(int(seconds) // 60)
