"""The plan's job: in a thread of this process by default, on an RQ worker with Redis. A job
that fails, runs late or is killed leaves the published plan exactly as it was, and a plan
whose worker died is shown as failed after its time limit and a margin."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from aid.dayplan import run
from aid.dayplan.settings import PlanSettings
from aid.dayplan.states import MARGIN_SECONDS
from aid.extensions import db
from aid.models import DayPlan, PlanStop
from aid.models._types import utcnow
from tests.support.app import ON_PG, PG_URL, make_app, table_rows
from tests.support.plans import (
    deliveries,
    depot,
    drivers,
    plan_day,
    plan_now,
    plan_row,
    stops_of,
)
from tests.support.staff import login_client

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def published_day(app, n=6):
    """A day with a published plan: what every failure must leave alone."""
    from aid.dayplan import publish

    day = plan_day()
    depot(app)
    deliveries(app, day, n)
    drivers(app, 2)
    plan_id = plan_now(app, day)
    with app.app_context():
        publish.publish(None, plan_id)
        db.session.remove()
    return day, plan_id


def snapshot(app, plan_id):
    rows = table_rows(app)
    return plan_row(app, plan_id), stops_of(app, plan_id), rows["task"], rows["claim"]


def wait_state(app, plan_id, states, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        row = plan_row(app, plan_id)
        if row["state"] in states:
            return row
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id} stayed {row['state']}")


def test_in_process_the_job_runs_in_a_thread_and_the_plan_becomes_ready(app):
    day = plan_day()
    depot(app)
    deliveries(app, day, 5)
    drivers(app, 1)
    with app.app_context():
        plan_id = run.start(app, None, day, PlanSettings(time_limit=1))
        db.session.remove()
    assert plan_row(app, plan_id)["job_id"] is None  # a thread, not a queue
    row = wait_state(app, plan_id, ("ready", "failed"))
    assert row["state"] == "ready" and row["stops_planned"] == 5


def _worker_env(app) -> dict:
    env = dict(os.environ)
    env.update(AID_INSTANCE_PATH=app.instance_path, AID_AUTO_MIGRATE="0", AID_SCHEDULER="0",
               DATABASE_URL=PG_URL if ON_PG else app.config["SQLALCHEMY_DATABASE_URI"])
    return env


def test_with_redis_the_plan_goes_to_an_rq_worker(tmp_path, template_db, redis_url,
                                                  monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from aid import jobs

    queue_name = f"aid-plans-{uuid.uuid4().hex[:8]}"
    app = make_app(tmp_path, template_db, REDIS_URL=redis_url, AID_QUEUE=queue_name)
    day = plan_day()
    depot(app)
    deliveries(app, day, 5)
    drivers(app, 1)
    with app.app_context():
        plan_id = run.start(app, None, day, PlanSettings(time_limit=1))
        db.session.remove()
    row = plan_row(app, plan_id)
    assert row["state"] == "queued" and row["job_id"]  # queued, not run here
    for name, value in _worker_env(app).items():
        if name.startswith(("AID_", "DATABASE_URL")):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(jobs, "_worker_app", None)
    connection = Redis.from_url(redis_url)
    queue = Queue(queue_name, connection=connection)
    try:
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert plan_row(app, plan_id)["state"] == "ready"
        assert queue.finished_job_registry.count == 1
    finally:
        queue.delete(delete_jobs=True)


def test_a_worker_killed_mid_plan_leaves_the_published_plan_and_the_plan_fails(
        tmp_path, template_db, redis_url, staff):
    from redis import Redis
    from rq import Queue

    queue_name = f"aid-plans-{uuid.uuid4().hex[:8]}"
    app = make_app(tmp_path, template_db, REDIS_URL=redis_url, AID_QUEUE=queue_name)
    day, published = published_day(app, n=40)
    before = snapshot(app, published)
    with app.app_context():
        plan_id = run.start(app, None, day, PlanSettings(time_limit=120))
        db.session.remove()
    code = ("from redis import Redis; from rq import Queue, SimpleWorker; "
            f"c = Redis.from_url({redis_url!r}); "
            f"SimpleWorker([Queue({queue_name!r}, connection=c)], connection=c)"
            ".work(burst=True)")
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=_worker_env(app),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        row = wait_state(app, plan_id, ("running",), seconds=60)
        end = time.monotonic() + 30  # the search is under way once the gathering is stored
        while plan_row(app, plan_id)["heartbeat_at"] == row["started_at"] and \
                time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(1.0)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        Queue(queue_name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)
    assert worker.returncode == -signal.SIGKILL
    assert plan_row(app, plan_id)["state"] == "running"  # nobody could say otherwise
    assert snapshot(app, published) == before  # the published plan did not move
    dispatcher = login_client(app, staff("dispatcher-kill", ["dispatcher"]))
    page = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page  # within its time it still looks under way
    with app.app_context():  # time passes beyond the limit and the margin
        db.session.execute(update(DayPlan).where(DayPlan.id == plan_id).values(
            started_at=utcnow() - timedelta(seconds=120 + MARGIN_SECONDS + 1)))
        db.session.commit()
    page = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "The planning stopped before it finished" in page and "http-equiv" not in page
    assert f"/dispatch/plans/{published}" in page  # the way to the published plan
    assert plan_row(app, plan_id)["state"] == "running"  # a GET wrote nothing
    with app.app_context():
        run.create(None, day, PlanSettings(time_limit=1))  # the day is planned again
        db.session.remove()
    assert plan_row(app, plan_id)["state"] == "failed"
    assert plan_row(app, plan_id)["error"] == "timeout"
    assert snapshot(app, published)[:2] == before[:2]


def test_a_job_that_fails_leaves_the_published_plan(app, monkeypatch):
    day, published = published_day(app)
    before = snapshot(app, published)

    def broken(_gathered, _limit):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(run, "solve", broken)
    with app.app_context(), pytest.raises(RuntimeError):
        run.run_now(None, day, PlanSettings(time_limit=1))
    with app.app_context():
        failed = db.session.scalar(select(DayPlan).where(DayPlan.id != published))
        assert (failed.state, failed.error) == ("failed", "engine")
        assert db.session.scalar(select(PlanStop.id).where(PlanStop.plan_id == failed.id)) \
            is None
        db.session.remove()
    assert snapshot(app, published) == before


def test_a_job_that_finishes_after_its_deadline_stores_nothing(app, monkeypatch):
    day, published = published_day(app)
    before = snapshot(app, published)
    real = run.solve

    def slow(gathered, limit):
        result = real(gathered, limit)
        db.session.execute(update(DayPlan).where(DayPlan.state == "running").values(
            started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()  # the clock moves on, as a test can make it
        return result

    monkeypatch.setattr(run, "solve", slow)
    with app.app_context():
        plan_id = run.run_now(None, day, PlanSettings(time_limit=1))
        db.session.remove()
    assert (plan_row(app, plan_id)["state"], plan_row(app, plan_id)["error"]) == (
        "failed", "timeout")
    assert stops_of(app, plan_id) == []
    assert snapshot(app, published) == before


def test_a_plan_no_worker_took_is_shown_as_failed(app, signed_in):
    day = plan_day()
    deliveries(app, day, 1)
    with app.app_context():
        plan = run.create(None, day, PlanSettings(time_limit=1))
        plan.created_at = utcnow() - timedelta(hours=2)
        db.session.commit()
        plan_id = plan.id
        db.session.remove()
    page = signed_in("dispatcher").get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert "No background worker took the plan" in page


def test_without_redis_the_plan_fails_at_once_and_says_so(tmp_path, template_db):
    app = make_app(tmp_path, template_db, REDIS_URL="redis://127.0.0.1:1/0")
    day = plan_day()
    deliveries(app, day, 1)
    with app.app_context():
        plan_id = run.start(app, None, day, PlanSettings(time_limit=1))
        db.session.remove()
    assert (plan_row(app, plan_id)["state"], plan_row(app, plan_id)["error"]) == (
        "failed", "no_worker")
