"""Background work: in-process threads by default, RQ on Redis when REDIS_URL is set.

A job is named by its target, "module:function", and runs inside an app context: in a thread
of this process, or in an RQ worker (`flask aid worker`) that builds the app once. A few jobs
run by themselves (the daily retention purge and weekly deliveries, overdue claims every half
hour); whichever process claims a run in the database does it, so several gunicorn workers or
a cron job never double up.
"""
from __future__ import annotations

import importlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from aid.extensions import db
from aid.models import AppSetting
from aid.models._types import utcnow
from aid.workflow import workflow

log = logging.getLogger("aid.jobs")
QUEUE = "aid"
# name -> (target, how often); each run is claimed in the database by exactly one process.
PERIODIC = {
    "retention-purge": ("aid.privacy:retention_job", timedelta(days=1)),
    "weekly-deliveries": ("aid.tasks.making:extend_all_job", timedelta(days=1)),
    "overdue-claims": ("aid.tasks.claims:release_overdue_job", timedelta(minutes=30)),
    # Ended safety holds let their visits go; live ones catch visits made since.
    "safety-holds": ("aid.tasks.safety:sweep_job", timedelta(minutes=10)),
    # SQLite's query planner statistics (PostgreSQL keeps its own).
    "database-statistics": ("aid.maintenance:statistics_job", timedelta(days=1)),
}
CHECK_EVERY = 600  # seconds between looks at what is due

_executor: ThreadPoolExecutor | None = None
_worker_app: Flask | None = None


def _call(target: str, args: tuple):
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)(*args)


def _in_app(app: Flask, target: str, args: tuple):
    with app.app_context():
        try:
            return _call(target, args)
        except Exception:
            log.exception("job %s failed", target)  # the target, never its arguments
            raise
        finally:
            db.session.remove()


def enqueue(app: Flask, target: str, *args, timeout: int = 600) -> str | Future:
    """Run `target(*args)` in the background: an RQ job id, or a Future in this process."""
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        queue = Queue(app.config.get("AID_QUEUE", QUEUE),
                      connection=Redis.from_url(app.config["REDIS_URL"]))
        return queue.enqueue("aid.jobs.run", target, *args, job_timeout=timeout).id
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="aid-job")
    return _executor.submit(_in_app, app, target, args)


def run(target: str, *args):
    """What an RQ worker calls: the app is built once per worker process."""
    global _worker_app
    if _worker_app is None:
        from aid import create_app

        _worker_app = create_app()
    return _in_app(_worker_app, target, args)


def claim_run(name: str, period: timedelta) -> bool:
    """Claim this period's run of a periodic job; of any number of processes one wins."""
    try:
        return _claim(f"job:{name}", period)
    except IntegrityError:  # another process wrote the very first run at the same moment
        return False


@workflow
def _claim(key: str, period: timedelta) -> bool:
    now = utcnow()
    stamp, cutoff = now.isoformat(timespec="seconds"), (now - period).isoformat(
        timespec="seconds")
    if db.session.scalar(select(AppSetting.value).where(AppSetting.key == key)) is None:
        db.session.execute(insert(AppSetting).values(key=key, value=stamp))
        return True
    moved = db.session.execute(
        update(AppSetting).where(AppSetting.key == key, AppSetting.value <= cutoff)
        .values(value=stamp).execution_options(synchronize_session=False))
    return moved.rowcount == 1


def run_due(app: Flask) -> list[str]:
    """Start every periodic job whose time has come; return their names."""
    started = []
    with app.app_context():
        for name, (target, period) in PERIODIC.items():
            if claim_run(name, period):
                enqueue(app, target)
                started.append(name)
        db.session.remove()
    return started


def start_scheduler(app: Flask) -> threading.Thread:
    """A daemon thread that looks hourly for due jobs (started in each serving process)."""
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                run_due(app)
            except Exception:  # noqa: BLE001 - a bad hour must not end the scheduler
                log.exception("scheduler could not check its jobs")
            stop.wait(CHECK_EVERY)

    thread = threading.Thread(target=loop, name="aid-scheduler", daemon=True)
    thread.stop = stop
    thread.start()
    return thread


def install(app: Flask) -> None:
    """Start the scheduler with the first request of each process (after gunicorn forks)."""
    if not app.config.get("AID_SCHEDULER"):
        return
    lock = threading.Lock()

    @app.before_request
    def _start_once():
        if "aid_scheduler" not in app.extensions:
            with lock:
                if "aid_scheduler" not in app.extensions:
                    app.extensions["aid_scheduler"] = start_scheduler(app)
