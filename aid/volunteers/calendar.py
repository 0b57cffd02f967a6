"""An .ics entry for a court accompaniment (RFC 5545): when and where, nothing about who."""
from __future__ import annotations

from aid import clock
from aid.models import Task
from aid.models._types import utcnow


def _escape(text: str) -> str:
    text = "".join(ch for ch in text if ch >= " ")  # no line breaks or controls inside
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def court_event(task: Task, details: dict, host: str) -> str:
    """One VEVENT: the hearing's window in UTC, the court's name and its public address."""
    start = clock.to_utc(task.day, task.window_start)
    end = clock.to_utc(task.day, task.window_end)
    where = ", ".join(p for p in (details.get("court_name"), details.get("court_address")) if p)
    stamp = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//aid//court accompaniment//EN",
             "BEGIN:VEVENT", f"UID:task-{task.id}@{_escape(host)}",
             f"DTSTAMP:{utcnow().strftime(stamp)}", f"DTSTART:{start.strftime(stamp)}",
             f"DTEND:{end.strftime(stamp)}", "SUMMARY:Court accompaniment",
             f"LOCATION:{_escape(where)}", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"
