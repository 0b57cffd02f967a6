"""Data that ends: the retention purge and the emergency purge (crypto-shredding).

The household key goes first: once it is gone, every copy of the household's ciphertext
(WAL, backups) is unreadable, whatever happens to the rows.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import exists, select

from aid import households
from aid.extensions import db
from aid.models import HelpRequest, Household
from aid.models._types import utcnow
from aid.vocabulary import OPEN_STATUSES
from aid.workflow import after_commit, workflow


def expired_households(retention_days: int) -> list[int]:
    """Households whose last request closed more than retention_days ago, none still open."""
    cutoff = utcnow() - timedelta(days=retention_days)
    still_open = exists().where(HelpRequest.household_id == Household.id,
                                HelpRequest.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(select(Household.id).where(
        Household.last_closed_at.is_not(None), Household.last_closed_at < cutoff,
        ~still_open)))


@workflow
def purge_expired(retention_days: int) -> int:
    """The retention purge; running it twice changes nothing the second time."""
    return households.shred(expired_households(retention_days))


def retention_job() -> int:
    """The daily retention purge, as the scheduler, cron or an RQ worker runs it."""
    from flask import current_app

    purged = purge_expired(current_app.config["AID_RETENTION_DAYS"])
    logging.getLogger("aid.privacy").info("retention purge: %d household(s)", purged)
    return purged


@workflow
def _destroy_every_key() -> int:
    return households.destroy_keys()


@workflow
def _clear_unreadable_rows() -> None:
    households.delete_rows()
    after_commit(households.checkpoint)


def emergency_purge() -> int:
    """Destroy every household key in one transaction; then clear the unreadable rows.

    The first commit is the one that matters: from then on no household can be read. The
    app keeps running and takes new requests under new keys.
    """
    destroyed = _destroy_every_key()
    _clear_unreadable_rows()
    return destroyed
