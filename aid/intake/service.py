"""Household workflows: submit a request, cancel one, delete everything. One transaction each.

Personal fields are sealed by aid.households, under the household's own key, before anything
reaches the database.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aid import households
from aid.extensions import db
from aid.households import NewHousehold
from aid.models import Household, Task
from aid.tasks import holds
from aid.vocabulary import OPEN_STATUSES
from aid.workflow import workflow


def submit(new: NewHousehold, submission: str | None = None) -> str:
    """Store a household and one request per kind of help; return its status code.

    `submission` is the review page's one-time nonce: confirming the same page twice (a
    double tap, Back and send again, two taps at once) stores one household and shows the
    same code both times.
    """
    code = households.submission_code(submission)
    if households.find_by_code(code) is not None:
        return code
    try:
        _create(new, code)
    except IntegrityError:  # the same page confirmed at the same moment: one insert won
        if households.find_by_code(code) is None:
            raise
    return code


@workflow
def _create(new: NewHousehold, code: str) -> None:
    households.create(new, code)


@workflow
def cancel(household: Household, request_id: int) -> bool:
    """The household cancels one of its open requests."""
    for req in household.requests:
        if req.id == request_id and req.status in OPEN_STATUSES:
            households.close_request(req, "cancelled")
            holds.cancel_for_request(req)
            return True
    return False


@workflow
def delete(household: Household) -> None:
    """Delete now: the key goes first, so any copy of the ciphertext is unreadable."""
    households.shred([household.id])


def tasks_of(household: Household) -> dict[int, list[Task]]:
    """Each request's tasks as the household may see them: kind, day, window, state."""
    out: dict[int, list[Task]] = {}
    for task in db.session.scalars(select(Task).where(Task.household_id == household.id)
                                   .order_by(Task.day, Task.window_start)):
        out.setdefault(task.request_id, []).append(task)
    return out
