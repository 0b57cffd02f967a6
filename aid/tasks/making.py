"""Tasks from approved requests: a delivery per date for groceries (weekly if the dispatcher
says so), a translation, a court accompaniment at its fixed time and place."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from aid import clock, households
from aid.extensions import db
from aid.models import HelpRequest, Recurrence, Task
from aid.vocabulary import SLOT_HOURS, SLOTS, TASK_KINDS, WEEKDAYS
from aid.workflow import Invalid, workflow

HORIZON_DAYS = 7  # weekly deliveries exist this far ahead
FULL_DAY = (9 * 60, 20 * 60)


def weekslot(day: date, slot: str | None) -> int:
    """The availability cell a task falls in (weekday * 3 + slot), or -1 for any time."""
    return day.weekday() * 3 + SLOTS.index(slot) if slot in SLOTS else -1


def window(slot: str | None) -> tuple[int, int]:
    start, end = SLOT_HOURS.get(slot, (FULL_DAY[0] // 60, FULL_DAY[1] // 60))
    return start * 60, end * 60


def boxes_for(household_size: str | int | None) -> int:
    """One box feeds about two people for a few days; at most four boxes a delivery."""
    try:
        size = int(household_size or 1)
    except ValueError:
        size = 1
    return max(1, min(4, (size + 1) // 2))


def _task(req: HelpRequest, kind: str, day: date, slot: str | None,
          span: tuple[int, int] | None = None, boxes: int = 0, priority: int = 1,
          recurrence: Recurrence | None = None) -> Task:
    household = req.household
    start, end = span or window(slot)
    task = Task(kind=kind, status="open", household_id=household.id, request_id=req.id,
                recurrence_id=recurrence.id if recurrence else None, day=day, slot=slot,
                weekslot=weekslot(day, slot), window_start=start, window_end=end,
                zip=household.zip, area=household.area, lat=household.approx_lat,
                lon=household.approx_lon, language=household.language, boxes=boxes,
                priority=priority, min_tier=TASK_KINDS[kind].min_tier)
    db.session.add(task)
    return task


def _next_days(weekdays: list[str], start: date, end: date) -> list[date]:
    wanted = {WEEKDAYS.index(d) for d in weekdays if d in WEEKDAYS}
    return [start + timedelta(days=i) for i in range((end - start).days + 1)
            if (start + timedelta(days=i)).weekday() in wanted]


def make_for_request(actor_id: int, req: HelpRequest, weekly: bool = False,
                     until: date | None = None) -> list[Task]:
    """The tasks an approved request becomes (a step of the approval's workflow).

    Reading the request's schedule (days, times, size, hearing date) is audited like any
    other opening of a household's sealed data.
    """
    details = households.open_for(actor_id, req.household, req, fields=(),
                                  action="schedule").details
    today = clock.today()
    if req.kind == "groceries":
        slots = [s for s in SLOTS if s in (details.get("delivery_times") or [])] or ["morning"]
        days = details.get("delivery_days") or list(WEEKDAYS[:5])
        boxes = boxes_for(details.get("household_size"))
        if weekly:
            if until is not None and until <= today:
                raise Invalid("until")
            recurrence = Recurrence(request_id=req.id, weekdays=",".join(days),
                                    slot=slots[0], until=until)
            db.session.add(recurrence)
            db.session.flush()
            return extend(recurrence, req, boxes)
        first = _next_days(days, today + timedelta(days=1), today + timedelta(days=7))
        return [_task(req, "delivery", first[0], slots[0], boxes=boxes)] if first else []
    if req.kind == "translation":
        kind = "translation_visit" if details.get("translation_mode") == "in_person" else (
            "translation_remote")
        by = details.get("translation_by")
        day = max(date.fromisoformat(by), today) if by else today + timedelta(days=3)
        return [_task(req, kind, day, None)]
    if req.kind == "court":
        day = date.fromisoformat(details["court_date"])
        at = details.get("court_time")
        if at:  # meet an hour before; a hearing and its waiting can take hours
            minutes = int(at[:2]) * 60 + int(at[3:5])
            span = (max(0, minutes - 60), min(24 * 60 - 1, minutes + 240))
            slot = "morning" if minutes < 12 * 60 else "afternoon" if minutes < 17 * 60 else (
                "evening")
        else:
            span, slot = (8 * 60, 17 * 60), None
        return [_task(req, "court", day, slot, span=span, priority=3)]
    return []


def extend(recurrence: Recurrence, req: HelpRequest | None = None,
           boxes: int | None = None) -> list[Task]:
    """Make the weekly deliveries up to the horizon that do not exist yet (a step)."""
    req = req or db.session.get(HelpRequest, recurrence.request_id)
    if req is None or not recurrence.active or req.status != "approved":
        return []
    today = clock.today()
    start = max(today + timedelta(days=1), (recurrence.made_until or today) + timedelta(days=1))
    end = today + timedelta(days=HORIZON_DAYS)
    if recurrence.until is not None:
        end = min(end, recurrence.until)
    if boxes is None:
        last = db.session.scalar(select(Task.boxes).where(
            Task.recurrence_id == recurrence.id).order_by(Task.id.desc()).limit(1))
        boxes = last or 1
    made = [_task(req, "delivery", day, recurrence.slot, boxes=boxes, recurrence=recurrence)
            for day in _next_days(recurrence.weekdays.split(","), start, end)]
    if end >= start:
        recurrence.made_until = end
    return made


@workflow
def extend_all() -> int:
    """Every active weekly delivery made up to the horizon (the daily job)."""
    made = 0
    for recurrence in db.session.scalars(select(Recurrence).where(Recurrence.active)):
        made += len(extend(recurrence))
    return made


def extend_all_job() -> int:
    return extend_all()


@workflow
def stop_recurrence(request_id: int) -> None:
    """No more weekly deliveries for this request (the household or a dispatcher stops it)."""
    for recurrence in db.session.scalars(select(Recurrence).where(
            Recurrence.request_id == request_id)):
        recurrence.active = False

