"""Day plans as tests need them: deliveries on a day in Minneapolis ZIPs, drivers who offer
that day, a depot, a plan run to the end. Every name and street is synthetic."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from aid.extensions import db
from aid.models import DayPlan, Depot, PlanStop, Task
from tests.support.staff import Staff
from tests.support.volunteers import volunteer

ZIPS = ("55404", "55406", "55407", "55408", "55411", "55412", "55413", "55414", "55417",
        "55418", "55405", "55403", "55409", "55410", "55419")
SLOTS = (("morning", 9 * 60, 12 * 60), ("afternoon", 12 * 60, 17 * 60))


def plan_day(days: int = 2) -> date:
    return date.today() + timedelta(days=days)


def depot(app, zip5: str = "55404", opens: str = "08:00", closes: str = "18:00",
          name: str = "Test pantry") -> int:
    from aid.households import zip_area

    with app.app_context():
        _area, lat, lon = zip_area(zip5)
        row = Depot(name=name, zip=zip5, lat=lat, lon=lon, opens=opens, closes=closes)
        db.session.add(row)
        db.session.commit()
        depot_id = row.id
        db.session.remove()
    return depot_id


def deliveries(app, day: date, n: int, seed: int = 1, zips=ZIPS, boxes: int | None = None,
               slot: str | None = None) -> list[int]:
    """`n` approved households with one delivery each on `day`; the tasks' ids."""
    from aid import households
    from aid.households import NewHousehold
    from aid.tasks.making import weekslot

    rng = random.Random(seed)
    ids = []
    with app.app_context():
        made = []
        for i in range(n):
            zip5 = rng.choice(zips)
            household, _code = households.create(NewHousehold(
                name=f"Plan household {seed}-{i}", contact_method="sms",
                contact_handle=f"555-01{i % 100:02d}", language="en",
                street=f"{100 + i} Example Street", city="Minneapolis", zip=zip5,
                code_word=f"word {seed}-{i}",
                requests={"groceries": {"household_size": "3", "delivery_days": ["mon"],
                                        "delivery_times": ["morning"], "dropoff": "door"}}))
            req = household.requests[0]
            req.status = "approved"
            name, start, end = next(s for s in SLOTS if s[0] == slot) if slot else rng.choice(
                SLOTS)
            task = Task(kind="delivery", status="open", household_id=household.id,
                        request_id=req.id, day=day, slot=name, weekslot=weekslot(day, name),
                        window_start=start, window_end=end, zip=household.zip,
                        area=household.area, lat=household.approx_lat,
                        lon=household.approx_lon, language="en",
                        boxes=boxes or rng.choice((1, 1, 2)), priority=rng.choice((0, 1, 1, 2)),
                        min_tier=1)
            db.session.add(task)
            made.append(task)
        db.session.commit()
        ids = [t.id for t in made]
        db.session.remove()
    return ids


def drivers(app, n: int, prefix: str = "driver", boxes: int = 12, zips=ZIPS,
            availability: list[str] | None = None) -> list[Staff]:
    """`n` approved tier-1 drivers with a car, free every day, homes spread over the ZIPs."""
    every = [f"{d}:{s}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
             for s in ("morning", "afternoon")]
    return [volunteer(app, f"{prefix}-{i + 1}", tier=1, boxes=boxes, deliver=True,
                      vehicle="car", home_zip=zips[i % len(zips)],
                      availability=availability or every) for i in range(n)]


def plan_now(app, day: date, actor_id: int | None = None, **settings) -> int:
    """Plan a day in this process (as `flask aid plan` does); the plan's id."""
    from aid.dayplan import run
    from aid.dayplan.settings import PlanSettings

    settings.setdefault("time_limit", 2)
    with app.app_context():
        plan_id = run.run_now(actor_id, day, PlanSettings(**settings))
        db.session.remove()
    return plan_id


def plan_row(app, plan_id: int) -> dict:
    with app.app_context():
        plan = db.session.get(DayPlan, plan_id)
        row = {c.name: getattr(plan, c.name) for c in DayPlan.__table__.columns}
        db.session.remove()
        return row


def stops_of(app, plan_id: int) -> list[dict]:
    with app.app_context():
        rows = [{c.name: getattr(s, c.name) for c in PlanStop.__table__.columns}
                for s in db.session.scalars(select(PlanStop).where(
                    PlanStop.plan_id == plan_id).order_by(PlanStop.route_id, PlanStop.seq,
                                                          PlanStop.id))]
        db.session.remove()
        return rows


def stored_plan(app, day: date, state: str = "ready", replan_of: int | None = None,
                routes: dict[int, list[int]] | None = None, pinned: bool = False) -> int:
    """A plan written straight to the database (no job): `routes` maps a driver to the
    tasks of their route, in order."""
    from aid.models import PlanRoute

    with app.app_context():
        plan = DayPlan(day=day, state=state, replan_of=replan_of, problems="", excluded="")
        db.session.add(plan)
        db.session.flush()
        for position, (driver_id, task_ids) in enumerate((routes or {}).items()):
            route = PlanRoute(plan_id=plan.id, driver_id=driver_id, position=position)
            db.session.add(route)
            db.session.flush()
            for seq, task_id in enumerate(task_ids):
                task = db.session.get(Task, task_id)
                db.session.add(PlanStop(
                    plan_id=plan.id, route_id=route.id, task_id=task_id, kind="stop",
                    seq=seq, code=f"T{plan.id % 10}{position % 10}{seq % 10}", pinned=pinned,
                    arrival=task.window_start * 60, zip=task.zip, area=task.area,
                    lat=task.lat, lon=task.lon, window_start=task.window_start,
                    window_end=task.window_end, boxes=task.boxes))
        db.session.commit()
        plan_id = plan.id
        db.session.remove()
    return plan_id


def live_hold(app, zips: str = "55404", hours: int = 2) -> int:
    from aid.tasks import safety

    with app.app_context():
        hold, _count = safety.create(None, [z for z in zips.split(",") if z], None, None, hours)
        hold_id = hold.id
        db.session.remove()
    return hold_id
