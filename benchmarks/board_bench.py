"""The task board and matching at city scale (issue 8), through the app, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/board_bench.py [--tasks 10000] [--volunteers 30000]
        [--pg-url postgresql://postgres@127.0.0.1:5432/aid_bench_board] [--skip-pg]

Fills a fresh database with synthetic open tasks over the coming week and approved
volunteers around Minneapolis (made-up handles, ZIP centroids only), then measures:
GET /tasks as signed-in volunteers (p50, p95 over 200 requests with filters and pages), the
suggestions for one task as the dispatcher's page computes them (p50, p95 over 100 tasks),
and "Assign all" for 2,000 tasks and 5,000 volunteers (aid.tasks.candidates.proposal).
Suggestions are reported for a dispatcher going through tasks (the day's volunteers already
read) and, apart, for the first task of a day (the median of those reads).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ZIPS = ("55401", "55403", "55404", "55405", "55406", "55407", "55408", "55409", "55410",
        "55411", "55412", "55413", "55414", "55416", "55417", "55418", "55419", "55454")
LANGS = ("en", "es", "so", "ar", "hmn", "vi", "am", "om", "fa_AF", "ru")
KINDS = ("delivery",) * 6 + ("translation_visit", "translation_remote", "court", "packing")
SLOTS = ("morning", "afternoon", "evening")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def fill(app, n_tasks: int, n_volunteers: int, rng: random.Random) -> None:
    from sqlalchemy import insert

    from aid.accounts import hash_password
    from aid.extensions import db
    from aid.households import zip_area
    from aid.models import Task, User, VolunteerProfile
    from aid.tasks.making import weekslot, window
    from aid.vocabulary import TASK_KINDS

    places = {z: zip_area(z) for z in ZIPS}
    one_hash = hash_password("benchmark password")
    with app.app_context():
        users, profiles = [], []
        for i in range(n_volunteers):
            users.append({"id": i + 1, "handle": f"bench-{i}", "password_hash": one_hash,
                          "roles": "volunteer", "vetting": "approved", "active": True,
                          "tier": rng.choice((0, 1, 1, 1, 2)), "failed_logins": 0,
                          "totp_last_step": 0})
            zip5 = rng.choice(ZIPS)
            slots = rng.sample([f"{d}:{s}" for d in DAYS for s in SLOTS], k=rng.randint(3, 12))
            profiles.append({
                "user_id": i + 1, "languages": ",".join(rng.sample(LANGS, k=2)),
                "deliver": rng.random() < 0.6, "vehicle": "car", "boxes": rng.randint(0, 8),
                "pack": rng.random() < 0.3, "translate_in_person": rng.random() < 0.2,
                "translate_remote": rng.random() < 0.2, "court": rng.random() < 0.1,
                "enter_courts": rng.random() < 0.1, "availability": ",".join(sorted(slots)),
                "home_zip": zip5, "home_lat": places[zip5][1], "home_lon": places[zip5][2],
                "max_km": rng.choice((3, 5, 8, 12, 20)), "weekly_limit": rng.randint(1, 6)})
        for start in range(0, n_volunteers, 5000):
            db.session.execute(insert(User), users[start:start + 5000])
            db.session.execute(insert(VolunteerProfile), profiles[start:start + 5000])
        tasks = []
        today = date.today()
        for _ in range(n_tasks):
            kind = rng.choice(KINDS)
            day = today + timedelta(days=rng.randint(1, 7))
            slot = None if kind == "translation_remote" else rng.choice(SLOTS)
            zip5 = rng.choice(ZIPS)
            start_min, end_min = window(slot)
            tasks.append({"kind": kind, "status": "open", "day": day, "slot": slot,
                          "weekslot": weekslot(day, slot), "window_start": start_min,
                          "window_end": end_min, "zip": zip5, "area": places[zip5][0],
                          "lat": places[zip5][1], "lon": places[zip5][2],
                          "language": rng.choice(LANGS), "boxes": rng.randint(1, 4)
                          if kind == "delivery" else 0, "priority": rng.randint(0, 3),
                          "min_tier": TASK_KINDS[kind].min_tier})
        for start in range(0, n_tasks, 5000):
            db.session.execute(insert(Task), tasks[start:start + 5000])
        db.session.commit()
        db.session.remove()


def measure(database_url: str | None, n_tasks: int, n_volunteers: int) -> dict:
    from sqlalchemy import select, text, update

    from aid import create_app
    from aid.extensions import db
    from aid.models import Task
    from aid.tasks import candidates
    from tests.support.http import post

    inst = Path(tempfile.mkdtemp(prefix="aid-board-bench-"))
    url = database_url or f"sqlite:///{inst / 'aid.db'}"
    if database_url:
        from sqlalchemy import create_engine

        from aid.config import normalize_database_url

        engine = create_engine(normalize_database_url(database_url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"AID_INSTANCE_PATH": inst, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False, "AID_SCHEDULER": False})
    rng = random.Random(11)
    t0 = time.perf_counter()
    fill(app, n_tasks, n_volunteers, rng)
    filled = time.perf_counter() - t0

    clients = []
    for i in rng.sample(range(n_volunteers), 20):
        client = app.test_client()
        r = post(client, "/login", {"handle": f"bench-{i}", "password": "benchmark password",
                                    "code": ""}, url_csrf="/login")
        assert r.status_code == 302, r.status_code
        clients.append(client)
    board = []
    for n in range(200):
        client = clients[n % len(clients)]
        in_two_days = date.today() + timedelta(days=2)
        query = rng.choice(["", "?page=2", "?kind=delivery", f"?day={in_two_days}", "?km=5"])
        t = time.perf_counter()
        r = client.get("/tasks" + query)
        board.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    with app.app_context():
        ids = list(db.session.scalars(select(Task.id).where(Task.status == "open")))
        suggest, cold = [], []
        for task_id in rng.sample(ids, 100):
            task = db.session.get(Task, task_id)
            fresh = task.day not in app.extensions.get("aid_rosters", {})
            t = time.perf_counter()
            candidates.suggestions(task)
            (cold if fresh else suggest).append((time.perf_counter() - t) * 1000)
        db.session.remove()
    assign = {}
    with app.app_context():
        day = date.today() + timedelta(days=3)
        keep = sorted(rng.sample(ids, k=min(2000, len(ids))))
        # A day of 2,000 tasks and 5,000 volunteers: move 2,000 tasks to one day and leave
        # 5,000 volunteers approved (the others paused) for the measurement.
        chosen = Task.id.in_(keep)
        db.session.execute(update(Task).where(chosen).values(day=day))
        db.session.execute(update(Task).where(Task.day == day, ~chosen)
                           .values(status="cancelled"))
        db.session.execute(text("UPDATE staff_user SET active = false WHERE id > 5000"))
        db.session.commit()
        t = time.perf_counter()
        assignment, day_tasks = candidates.proposal(day)
        assign = {"seconds": time.perf_counter() - t, "tasks": len(day_tasks),
                  "covered": len(assignment.pairs), "exact": assignment.exact}
        db.session.remove()
    return {"fill_s": filled, "board_p50": statistics.median(board),
            "board_p95": percentile(board, 95), "suggest_p50": statistics.median(suggest),
            "suggest_p95": percentile(suggest, 95), "cold": statistics.median(cold),
            "assign": assign}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--volunteers", type=int, default=30_000)
    ap.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/aid_bench_board")
    ap.add_argument("--skip-pg", action="store_true")
    args = ap.parse_args(argv)
    runs = [("SQLite", None)]
    if not args.skip_pg:
        import psycopg

        admin = args.pg_url.rsplit("/", 1)[0] + "/postgres"
        name = args.pg_url.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        runs.append(("PostgreSQL", args.pg_url))
    print(f"{args.tasks:,} open tasks, {args.volunteers:,} volunteers; times in ms (in-process "
          f"requests through Flask's test client)")
    for name, url in runs:
        r = measure(url, args.tasks, args.volunteers)
        a = r["assign"]
        print(f"{name:10} fill {r['fill_s']:.1f} s | GET /tasks p50 {r['board_p50']:.1f} "
              f"p95 {r['board_p95']:.1f} | suggestions p50 {r['suggest_p50']:.1f} "
              f"p95 {r['suggest_p95']:.1f} (first of a day, reading its volunteers: "
              f"{r['cold']:.0f}) | assign all {a['tasks']} tasks x 5000 "
              f"volunteers: {a['seconds']:.2f} s, {a['covered']} covered"
              f"{'' if a['exact'] else ' (pruned)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
