"""A planned, published city day from the database: 1,000 deliveries, 60 drivers, 3 depots.

    .venv/bin/python benchmarks/plan_day_bench.py [--stops 1000] [--drivers 60]
        [--time-limit 45] [--database postgresql://postgres@127.0.0.1:5432/plans_bench]
        [--seed 1] [--json]

Fills a fresh database with synthetic households in Minneapolis ZIPs (sealed like real ones),
approved deliveries with morning or afternoon windows, drivers with cars of 18-30 boxes and
shifts, then times, in one process as the app runs it:

- from "plan" (the plan row and its in-process job) to the published routes: gathering,
  the search (its time limit), storing, publishing (every stop given by the claim rules);
- peak memory of the process (the maximum resident set, OR-Tools' C++ included);
- GET of the plan page, of the all-drivers route sheet, of one route, and a driver's own
  sheet (its addresses opened one by one, audited), median of 5, with their sizes.

Without --database it uses a new SQLite file in a temporary folder. A PostgreSQL database is
emptied first (DROP SCHEMA public CASCADE): name one made for the benchmark.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ZIPS = tuple(f"554{n:02d}" for n in range(1, 20))  # Minneapolis, 55401-55419
PASSWORD = "benchmark password, synthetic"


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from aid.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fill(app, day: date, stops: int, drivers: int, seed: int) -> int:
    """Households, deliveries, drivers and depots; the dispatcher's id."""
    from aid import households, members
    from aid.accounts import create_user
    from aid.extensions import db
    from aid.households import NewHousehold, zip_area
    from aid.models import Depot, Task, User
    from aid.tasks.making import weekslot

    rng = random.Random(seed)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    with app.app_context():
        for name, zip5 in (("Pantry north", "55411"), ("Pantry south", "55407"),
                           ("Pantry east", "55414")):
            _a, lat, lon = zip_area(zip5)
            db.session.add(Depot(name=name, zip=zip5, lat=lat, lon=lon, opens="08:00",
                                 closes="19:00"))
        for i in range(stops):
            household, _code = households.create(NewHousehold(
                name=f"Bench household {i}", contact_method="sms",
                contact_handle=f"555-01{i % 100:02d}", language="en",
                street=f"{100 + i} Example Street", city="Minneapolis", zip=rng.choice(ZIPS),
                code_word=f"bench word {i}",
                requests={"groceries": {"household_size": "3", "delivery_days": [weekday],
                                        "delivery_times": ["morning"], "dropoff": "door"}}))
            req = household.requests[0]
            req.status = "approved"
            slot, start, end = rng.choice((("morning", 540, 720), ("afternoon", 720, 1020)))
            db.session.add(Task(kind="delivery", status="open", household_id=household.id,
                                request_id=req.id, day=day, slot=slot,
                                weekslot=weekslot(day, slot), window_start=start,
                                window_end=end, zip=household.zip, area=household.area,
                                lat=household.approx_lat, lon=household.approx_lon,
                                language="en", boxes=1 if rng.random() < 0.8 else 2,
                                priority=rng.choices((0, 1, 2, 3), weights=(2, 6, 2, 1))[0],
                                min_tier=1))
            if i % 200 == 199:
                db.session.commit()
        db.session.commit()
        for j in range(drivers):
            user, _secret = create_user(f"bench-driver-{j + 1:02d}", PASSWORD, ["volunteer"])
            user.vetting, user.tier = "approved", 1
            db.session.commit()
            slots = rng.choice((["morning", "afternoon"], ["morning"], ["afternoon"],
                                ["morning", "afternoon", "evening"]))
            members.update_profile(db.session.get(User, user.id), members.ProfileAnswers(
                contact="signal: bench", languages=["en"], deliver=True, vehicle="car",
                boxes=rng.randint(18, 30), availability=[f"{weekday}:{s}" for s in slots],
                home_zip=rng.choice(ZIPS), max_km=15, weekly_limit=10))
        dispatcher, secret = create_user("bench-dispatcher", PASSWORD, ["dispatcher"])
        db.session.commit()
        dispatcher_id = dispatcher.id
        db.session.remove()
    app.config["BENCH_TOTP"] = secret
    return dispatcher_id


def sign_in(app, handle: str, secret: str | None):
    import pyotp

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    code = pyotp.TOTP(secret).now() if secret else ""
    r = client.post("/login", data={"handle": handle, "password": PASSWORD, "code": code,
                                    "csrf_token": token})
    assert r.status_code == 302, r.status_code
    return client


def timed_get(client, url: str, repeats: int = 5) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        began = time.perf_counter()
        r = client.get(url)
        times.append(time.perf_counter() - began)
        assert r.status_code == 200, (url, r.status_code)
        size = len(r.get_data())
    return round(statistics.median(times) * 1000, 1), round(size / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stops", type=int, default=1000)
    parser.add_argument("--drivers", type=int, default=60)
    parser.add_argument("--time-limit", type=int, default=45)
    parser.add_argument("--database", default="")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from sqlalchemy import func, select

    from aid import create_app
    from aid.dayplan import publish, run
    from aid.dayplan.settings import PlanSettings
    from aid.extensions import db
    from aid.models import DayPlan, PlanRoute, Task

    inst = Path(tempfile.mkdtemp(prefix="aid-plan-bench-"))
    url = args.database or f"sqlite:///{inst / 'aid.db'}"
    if url.startswith("postgres"):
        reset_postgres(url)
    app = create_app({"AID_INSTANCE_PATH": inst, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "AID_SCHEDULER": False,
                      "AID_SESSION_IDLE_MINUTES": 600})
    day = date.today() + timedelta(days=2)
    began = time.perf_counter()
    dispatcher_id = fill(app, day, args.stops, args.drivers, args.seed)
    fill_seconds = time.perf_counter() - began
    rss_before = rss_mb()

    with app.app_context():
        began = time.perf_counter()
        plan_id = run.start(app, dispatcher_id, day, PlanSettings(time_limit=args.time_limit))
        db.session.remove()
    while True:
        with app.app_context():
            plan = db.session.get(DayPlan, plan_id)
            state = plan.state
            db.session.remove()
        if state not in ("queued", "running"):
            break
        time.sleep(0.05)
    ready = time.perf_counter()
    with app.app_context():
        done = publish.publish(dispatcher_id, plan_id)
        plan = db.session.get(DayPlan, plan_id)
        published = time.perf_counter()
        routes = db.session.scalar(select(func.count(PlanRoute.id)).where(
            PlanRoute.plan_id == plan_id))
        route_id = db.session.scalar(select(PlanRoute.id).where(PlanRoute.plan_id == plan_id)
                                     .order_by(PlanRoute.position).limit(1))
        driver_id = db.session.get(PlanRoute, route_id).driver_id
        from aid.models import User

        driver_handle = db.session.get(User, driver_id).handle
        claimed = db.session.scalar(select(func.count(Task.id)).where(Task.status == "claimed"))
        from collections import Counter

        from aid.models import PlanStop

        reasons = Counter(r for s in db.session.scalars(select(PlanStop).where(
            PlanStop.plan_id == plan_id, PlanStop.kind == "dropped"))
            for r in s.reason_codes())
        figures = {
            "database": "postgresql" if url.startswith("postgres") else "sqlite",
            "stops": args.stops, "drivers": args.drivers, "time_limit": args.time_limit,
            "fill_seconds": round(fill_seconds, 1),
            "state": plan.state,
            "plan_to_ready_seconds": round(ready - began, 2),
            "solve_seconds": plan.solve_seconds,
            "publish_seconds": round(published - ready, 2),
            "plan_to_published_seconds": round(published - began, 2),
            "stops_planned": plan.stops_planned, "stops_dropped": plan.stops_dropped,
            "dropped_by_reason": dict(sorted(reasons.items())),
            "routes": routes, "tasks_claimed": claimed, "given": done.given,
            "km": round(plan.distance_m / 1000, 1),
            "peak_rss_mb_before_plan": rss_before, "peak_rss_mb": rss_mb(),
        }
        db.session.remove()
    dispatcher = sign_in(app, "bench-dispatcher", app.config["BENCH_TOTP"])
    for name, page in (("plan_page", f"/dispatch/plans/{plan_id}"),
                       ("sheets_page", f"/dispatch/plans/{plan_id}/sheets"),
                       ("route_page", f"/dispatch/plans/{plan_id}/routes/{route_id}")):
        ms, kb = timed_get(dispatcher, page)
        figures[f"get_{name}_ms"], figures[f"{name}_kb"] = ms, kb
    driver = sign_in(app, driver_handle, None)
    ms, kb = timed_get(driver, f"/tasks/route/{day.isoformat()}")
    figures["get_driver_sheet_ms"], figures["driver_sheet_kb"] = ms, kb
    ms, kb = timed_get(driver, "/tasks/mine")
    figures["get_my_tasks_ms"], figures["my_tasks_kb"] = ms, kb
    figures["peak_rss_mb"] = rss_mb()
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>28}: {value}")
    return 0 if figures["state"] == "published" else 1


if __name__ == "__main__":
    sys.exit(main())
