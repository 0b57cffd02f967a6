"""Household workflows: submit a request, cancel one, delete everything. One transaction each.

Personal fields are sealed by aid.households, under the household's own key, before anything
reaches the database.
"""
from __future__ import annotations

from aid import households
from aid.households import NewHousehold
from aid.models import Household
from aid.vocabulary import OPEN_STATUSES
from aid.workflow import workflow


@workflow
def submit(new: NewHousehold) -> str:
    """Store a household and one request per kind of help; return its status code, once."""
    _household, code = households.create(new)
    return code


@workflow
def cancel(household: Household, request_id: int) -> bool:
    """The household cancels one of its open requests."""
    for req in household.requests:
        if req.id == request_id and req.status in OPEN_STATUSES:
            households.close_request(req, "cancelled")
            return True
    return False


@workflow
def delete(household: Household) -> None:
    """Delete now: the key goes first, so any copy of the ciphertext is unreadable."""
    households.shred([household.id])
