"""Planning a day in the background: start a plan, run its job, store its routes.

The job writes only its own plan's rows, and only while its plan is still "running": a job
that fails, is killed or runs out of time leaves every other plan, the published one first
of all, as it was. A plan still running after its time limit and a margin (or still queued
long after it was asked for) is shown as failed, and marked so when its day is planned again.
"""
from __future__ import annotations

import logging
from datetime import date

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from aid import audit, clock, jobs
from aid.dayplan import store
from aid.dayplan.gather import Gathered, gather
from aid.dayplan.settings import PlanSettings
from aid.dayplan.states import MARGIN_SECONDS, shown_state
from aid.extensions import db
from aid.models import DayPlan, Task
from aid.models._types import utcnow
from aid.tasks import safety
from aid.workflow import Invalid, workflow

log = logging.getLogger("aid.dayplan")
TARGET = "aid.dayplan.run:run_job"
PAST_DAY = _l("That day is over: choose today or a day to come.")
NOTHING = _l("There is nothing to deliver on this day: no delivery task is planned for it.")


def mark_stale(day: date) -> int:
    """Plans of a day past their deadline are marked failed (a step)."""
    marked = 0
    for plan in db.session.scalars(select(DayPlan).where(
            DayPlan.day == day, DayPlan.state.in_(("queued", "running")))).all():
        state, error = shown_state(plan)
        if state == "failed":
            plan.state, plan.error, plan.finished_at = "failed", error, utcnow()
            marked += 1
    return marked


@workflow
def create(actor_id: int | None, day: date, s: PlanSettings,
           replan_of: int | None = None) -> DayPlan:
    """A plan waiting for its job; refused for a past day or a day with nothing to deliver."""
    if day < clock.today():
        raise Invalid("day", PAST_DAY)
    if db.session.scalar(select(Task.id).where(
            Task.day == day, Task.kind == "delivery",
            Task.status.in_(("open", "claimed", "held", "done"))).limit(1)) is None:
        raise Invalid("nothing", NOTHING)
    mark_stale(day)
    safety.sweep()  # holds that ended let go, visits made inside live ones are held
    plan = DayPlan(day=day, state="queued", created_by=actor_id, time_limit=s.time_limit,
                   start_at=s.start_at, end_at=s.end_at, max_trips=s.max_trips,
                   reload_depot_id=s.reload_depot_id, break_from=s.break_from,
                   break_until=s.break_until, break_minutes=s.break_minutes,
                   excluded=",".join(str(i) for i in sorted(s.excluded)), replan_of=replan_of,
                   created_at=utcnow(), problems="")
    db.session.add(plan)
    db.session.flush()
    audit.record(actor_id, "plan_day", detail=f"plan {plan.id}")
    return plan


def start(app: Flask, actor_id: int | None, day: date, s: PlanSettings,
          replan_of: int | None = None) -> int:
    """Create a plan and hand it to the background worker; its id."""
    plan_id = create(actor_id, day, s, replan_of).id
    try:
        job = jobs.enqueue(app, TARGET, plan_id, timeout=s.time_limit + MARGIN_SECONDS)
    except Exception:  # noqa: BLE001 - Redis down: the plan fails, nothing else moves
        log.exception("plan %s could not be queued", plan_id)
        _finish(plan_id, "queued", "failed", "no_worker")
        return plan_id
    if isinstance(job, str):
        _set_job(plan_id, job)
    return plan_id


@workflow
def _set_job(plan_id: int, job_id: str) -> None:
    db.session.execute(update(DayPlan).where(DayPlan.id == plan_id)
                       .values(job_id=job_id).execution_options(synchronize_session=False))


@workflow
def _claim(plan_id: int) -> bool:
    now = utcnow()
    moved = db.session.execute(
        update(DayPlan).where(DayPlan.id == plan_id, DayPlan.state == "queued")
        .values(state="running", started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False))
    return moved.rowcount == 1


@workflow
def _finish(plan_id: int, from_state: str, state: str, error: str | None) -> bool:
    moved = db.session.execute(
        update(DayPlan).where(DayPlan.id == plan_id, DayPlan.state == from_state)
        .values(state=state, error=error, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    return moved.rowcount == 1


@workflow
def _beat(plan_id: int) -> None:
    db.session.execute(update(DayPlan).where(DayPlan.id == plan_id, DayPlan.state == "running")
                       .values(heartbeat_at=utcnow())
                       .execution_options(synchronize_session=False))


@workflow
def _gather(plan_id: int) -> tuple[Gathered, PlanSettings]:
    from aid.dayplan.settings import of_plan

    plan = db.session.get(DayPlan, plan_id)
    s = of_plan(plan)
    return gather(plan.day, s, plan.created_by), s


def solve(gathered: Gathered, time_limit: int):
    """The engine, on plain data (no database, no transaction open)."""
    from aid.routing import SearchSettings, plan_day

    return plan_day(gathered.problem, SearchSettings(time_limit=float(time_limit)))


def run_job(plan_id: int) -> str:
    """The background job: gather, solve, store. Returns the plan's final state."""
    if not _claim(plan_id):
        return "skipped"  # already run, or no longer wanted
    try:
        gathered, s = _gather(plan_id)
        _beat(plan_id)
        result = solve(gathered, s.time_limit)
        _beat(plan_id)
        return "ready" if store.save(plan_id, gathered, result) else "failed"
    except Exception:
        _finish(plan_id, "running", "failed", "engine")
        raise


def run_now(actor_id: int | None, day: date, s: PlanSettings) -> int:
    """Plan a day in this process, at once (the command line): the plan's id."""
    plan_id = create(actor_id, day, s).id
    run_job(plan_id)
    return plan_id
