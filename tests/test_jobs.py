"""Background work and the daily jobs: the retention purge runs by itself at least daily, in
this process by default or on an RQ worker with Redis, and only one process runs each day's."""
from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from aid import jobs
from aid.extensions import db
from aid.models import AppSetting, Household
from aid.models._types import utcnow
from tests.support.app import ON_PG, PG_URL, make_app
from tests.support.households import submit_request


def expired_household(app) -> None:
    """A household whose last request closed 60 days ago."""
    submit_request(app.test_client())
    with app.app_context():
        for household in db.session.scalars(select(Household)):
            household.last_closed_at = utcnow() - timedelta(days=60)
            for req in household.requests:
                req.status, req.closed_at = "done", household.last_closed_at
        db.session.commit()


def households(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count(Household.id)))
        db.session.remove()
        return n


def wait_for(condition, seconds: float = 15.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_day_is_claimed_once_and_again_the_next_day(app):
    with app.app_context():
        assert jobs.claim_run("test-job", timedelta(days=1)) is True
        assert jobs.claim_run("test-job", timedelta(days=1)) is False
        yesterday = (utcnow() - timedelta(hours=25)).isoformat(timespec="seconds")
        db.session.execute(update(AppSetting).where(AppSetting.key == "job:test-job")
                           .values(value=yesterday))
        db.session.commit()
        assert jobs.claim_run("test-job", timedelta(days=1)) is True


def test_of_many_processes_claiming_at_once_exactly_one_wins(app):
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def claim():
        with app.app_context():
            barrier.wait()
            results.append(jobs.claim_run("race", timedelta(days=1)))
            db.session.remove()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_the_app_runs_the_retention_purge_by_itself(tmp_path, template_db):
    expired_household(make_app(tmp_path, template_db))
    app = make_app(tmp_path, template_db, AID_SCHEDULER=True)  # the same database, later
    assert households(app) == 1
    app.test_client().get("/healthz")  # the first request of the process starts the scheduler
    assert wait_for(lambda: households(app) == 0)
    scheduler = app.extensions["aid_scheduler"]
    assert scheduler.name == "aid-scheduler" and scheduler.is_alive()
    scheduler.stop.set()
    with app.app_context():
        assert jobs.run_due(app) == []  # today's run is taken


def test_without_the_scheduler_nothing_runs_by_itself(app):
    expired_household(app)
    app.test_client().get("/healthz")
    time.sleep(0.5)
    assert households(app) == 1 and "aid_scheduler" not in app.extensions


def test_with_redis_the_purge_goes_to_an_rq_worker(tmp_path, template_db, redis_url,
                                                   monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    queue_name = f"aid-test-{uuid.uuid4().hex[:8]}"
    app = make_app(tmp_path, template_db, REDIS_URL=redis_url, AID_QUEUE=queue_name)
    expired_household(app)
    assert jobs.run_due(app) == ["retention-purge", "weekly-deliveries", "overdue-claims",
                                 "safety-holds", "database-statistics"]
    assert households(app) == 1  # queued, not run here
    # The worker builds its own app from the environment, as `flask aid worker` does.
    monkeypatch.setenv("AID_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", PG_URL if ON_PG else app.config[
        "SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("AID_AUTO_MIGRATE", "0")
    monkeypatch.setenv("AID_SCHEDULER", "0")
    monkeypatch.setattr(jobs, "_worker_app", None)
    connection = Redis.from_url(redis_url)
    queue = Queue(queue_name, connection=connection)
    try:
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert households(app) == 0
        assert queue.finished_job_registry.count == 5
    finally:
        queue.delete(delete_jobs=True)


def test_sqlite_gets_fresh_planner_statistics_daily_and_they_copy_no_data(app):
    """SQLite learns how big its indexes are (a year's monthly report then reads that year by
    date instead of every posting ever made); the statistics are counts, never values."""
    from sqlalchemy import text

    from aid import maintenance
    from tests.support.ledger import books as open_books
    from tests.support.ledger import give

    assert jobs.PERIODIC["database-statistics"] == ("aid.maintenance:statistics_job",
                                                    timedelta(days=1))
    with open_books(app):
        for _ in range(3):
            give(1250, counterparty_kind="donor", counterparty="donor-zq-7731")
    with app.app_context():
        done = maintenance.statistics_job()
        if ON_PG:
            assert done is False  # autovacuum keeps PostgreSQL's own
            return
        assert done is True
        stats = db.session.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1")).all()
        assert {"ledger_posting", "ledger_txn"} <= {tbl for tbl, _, _ in stats}
        assert all(str(stat).replace(" ", "").isdigit() or "=" in str(stat)
                   for _, _, stat in stats)
        dump = "\n".join(db.session.connection().connection.driver_connection.iterdump())
        stat_lines = [line for line in dump.splitlines() if "sqlite_stat" in line]
        assert stat_lines and not any("donor-zq-7731" in line for line in stat_lines)
