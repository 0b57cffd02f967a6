"""Publishing a plan: each driver gets their stops, in order, by the claim rules.

A stop the driver already holds stays theirs. An open one is given to them by the same
conditional UPDATE as a claim (one winner, a claim row, audited). One the last published plan
gave to another driver moves: that claim ends ("replanned") first. One that changed since
planning (someone else took it, it was done or held) is left as it is and counted, so the
dispatcher can plan again. Done stops stay done. Every driver whose route is new or changed
is told once; the plan replaces the day's published one.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aid import audit
from aid.dayplan.day import published_plan
from aid.dayplan.states import shown_state
from aid.extensions import db
from aid.models import DayPlan, Notice, PlanRoute, PlanStop, Task, User
from aid.models._types import utcnow
from aid.tasks import claims
from aid.vocabulary import PLAN_PROBLEMS
from aid.workflow import Conflict, workflow

CHANGE_MINUTES = 15  # an arrival that moves this much changes the route
NOT_READY = _l("Only a plan that is ready can be published. Look at its state and plan "
               "again if it failed.")


@dataclass
class Published:
    """What publishing did, for the dispatcher's message."""

    given: int = 0  # open tasks put on a driver
    moved: int = 0  # from one driver to another
    kept: int = 0  # the driver held it already
    skipped: int = 0  # changed since planning: left as it is
    released: int = 0  # left out by the new plan: back on the board
    told: int = 0  # drivers told their route is new or changed


def _routes(plan: DayPlan | None) -> dict[int, list[tuple[int, int, bool]]]:
    """driver -> [(task, arrival, pinned)] of a plan's deliveries still to do, in order."""
    if plan is None:
        return {}
    out: dict[int, list[tuple[int, int, bool]]] = {}
    for stop, driver in db.session.execute(
            select(PlanStop, PlanRoute.driver_id).join(PlanRoute, PlanRoute.id == PlanStop.route_id)
            .where(PlanStop.plan_id == plan.id).order_by(PlanRoute.position, PlanStop.seq)):
        if driver is None:
            continue
        stops = out.setdefault(driver, [])
        if stop.kind == "stop":
            stops.append((stop.task_id, stop.arrival or 0, stop.pinned))
    return out


def _changed(old: list[tuple[int, int, bool]] | None, new: list[tuple[int, int, bool]] | None
             ) -> bool:
    old, new = old or [], new or []
    if [t for t, _a, _p in old] != [t for t, _a, _p in new]:
        return True
    return any(abs(a - b) >= CHANGE_MINUTES * 60 for (_t, a, _p), (_u, b, _q) in zip(old, new))


@workflow
def publish(actor_id: int | None, plan_id: int) -> Published:
    """Publish a ready plan of a day (see the module's docstring)."""
    plan = db.session.get(DayPlan, plan_id)
    if plan is None or shown_state(plan)[0] != "ready":
        raise Conflict("state", NOT_READY)
    current = published_plan(plan.day)
    if (current.id if current else None) != plan.replan_of:
        raise Conflict("outdated", PLAN_PROBLEMS["outdated"])
    old, new = _routes(current), _routes(plan)
    old_given = {t: d for d, stops in old.items() for t, _a, pinned in stops if not pinned}
    new_driver = {t: d for d, stops in new.items() for t, _a, _p in stops}
    tasks = {t.id: t for t in db.session.scalars(select(Task).where(
        Task.id.in_(set(old_given) | set(new_driver))))}
    drivers = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(set(new))))}
    done = Published()
    told: set[int] = set()
    taken_back: set[int] = set()
    for task_id, driver in old_given.items():
        task = tasks.get(task_id)
        if task is None or new_driver.get(task_id) == driver:
            continue
        if task.status == "claimed" and task.holder_id == driver and claims.take_back(
                actor_id, task, "replanned"):
            db.session.expire(task)
            taken_back.add(task_id)
            told.add(driver)
    for driver_id, stops in new.items():
        for task_id, _arrival, _pinned in stops:
            task = tasks[task_id]
            if task.status == "claimed" and task.holder_id == driver_id:
                done.kept += 1
            elif task.status == "open" and claims.give(actor_id, task, drivers[driver_id]):
                db.session.expire(task)
                if task_id in taken_back:
                    done.moved += 1
                    taken_back.discard(task_id)
                else:
                    done.given += 1
            else:
                done.skipped += 1
    done.released = len(taken_back)
    route_rows = {r.driver_id: r for r in plan.routes}
    for driver_id in sorted((set(old) | set(new)) - {None}):
        if not (_changed(old.get(driver_id), new.get(driver_id)) or driver_id in told):
            continue
        if driver_id in route_rows:
            route_rows[driver_id].changed = True
        kind = "route_changed" if driver_id in old else "route_new"
        db.session.add(Notice(user_id=driver_id, kind=kind))
        done.told += 1
    if current is not None:
        current.state = "replaced"
    plan.state, plan.published_at, plan.published_by = "published", utcnow(), actor_id
    audit.record(actor_id, "publish_plan", detail=f"plan {plan.id}")
    return done
