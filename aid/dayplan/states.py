"""When a plan that has not finished counts as failed: shown so at once, written so later.

A worker killed mid-plan cannot say so; its plan simply stays "running". Past its time limit
and a margin it is shown as failed (a GET writes nothing) and marked failed when its day is
planned again; a job that finishes that late does not store its routes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from aid.models import DayPlan
from aid.models._types import utcnow

MARGIN_SECONDS = 120  # gathering and storing, on top of the search's time limit
QUEUE_WAIT_SECONDS = 15 * 60  # a plan nobody started by then: no worker is running


def deadline(plan: DayPlan) -> datetime | None:
    """When a plan that has not finished counts as failed."""
    if plan.state == "running" and plan.started_at is not None:
        return plan.started_at + timedelta(seconds=plan.time_limit + MARGIN_SECONDS)
    if plan.state == "queued":
        return plan.created_at + timedelta(seconds=plan.time_limit + QUEUE_WAIT_SECONDS)
    return None


def shown_state(plan: DayPlan, now: datetime | None = None) -> tuple[str, str | None]:
    """The state and error to show: a plan past its deadline has failed (nothing written)."""
    limit = deadline(plan)
    if limit is not None and (now or utcnow()) > limit:
        return "failed", "timeout" if plan.state == "running" else "no_worker"
    return plan.state, plan.error


