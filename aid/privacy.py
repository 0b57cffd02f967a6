"""Data that ends: the retention purge and the emergency purge (crypto-shredding).

The household key goes first in each transaction: once it is gone, every copy of the
household's ciphertext (WAL, backups) is unreadable, whatever happens to the rows.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, exists, select

from aid.extensions import db
from aid.intake.service import checkpoint
from aid.models import HelpRequest, Household, HouseholdKey
from aid.models._types import utcnow
from aid.models.requests import OPEN_STATUSES


def expired_households(retention_days: int) -> list[int]:
    """Households whose last request closed more than retention_days ago, none still open."""
    cutoff = utcnow() - timedelta(days=retention_days)
    still_open = exists().where(HelpRequest.household_id == Household.id,
                                HelpRequest.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(select(Household.id).where(
        Household.last_closed_at.is_not(None), Household.last_closed_at < cutoff,
        ~still_open)))


def purge_households(ids: list[int]) -> int:
    if not ids:
        return 0
    db.session.execute(delete(HouseholdKey).where(HouseholdKey.household_id.in_(ids)))
    db.session.execute(delete(HelpRequest).where(HelpRequest.household_id.in_(ids)))
    db.session.execute(delete(Household).where(Household.id.in_(ids)))
    db.session.commit()
    checkpoint()
    return len(ids)


def purge_expired(retention_days: int) -> int:
    """The retention purge; running it twice changes nothing the second time."""
    return purge_households(expired_households(retention_days))


def emergency_purge() -> int:
    """Destroy every household key in one statement; then clear the unreadable rows.

    The first commit is the one that matters: from then on no household can be read. The
    app keeps running and takes new requests under new keys.
    """
    result = db.session.execute(delete(HouseholdKey))
    db.session.commit()
    db.session.execute(delete(HelpRequest))
    db.session.execute(delete(Household))
    db.session.commit()
    checkpoint()
    return result.rowcount or 0
