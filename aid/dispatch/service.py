"""Triage workflows: list, reveal (audited), approve, decline, merge. One transaction each."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased, contains_eager

from aid import audit, households
from aid.extensions import db
from aid.households import Revealed
from aid.models import HelpRequest, Household
from aid.models._types import utcnow
from aid.tasks import holds, making
from aid.vocabulary import CLOSE_OUTCOMES, DECLINE_REASONS, OPEN_STATUSES
from aid.workflow import Conflict, Invalid, workflow

PAGE_SIZE = 50


def queue(status: str = "new", page: int = 1) -> tuple[list[tuple[HelpRequest, bool]], bool]:
    """One page of the requests in a state, oldest first, each with a possible-duplicate
    flag (nothing decrypted), and whether another page follows.

    Each row's household comes in the same query, not one query per row.
    """
    other = aliased(Household)
    dup = (select(func.count(other.id)).where(
        other.id != Household.id,
        or_(other.address_index == Household.address_index,
            (other.phone_index == Household.phone_index) & other.phone_index.is_not(None)))
        .correlate(Household).scalar_subquery())
    newest_first = status not in OPEN_STATUSES  # closed ones: the latest matter most
    order = (HelpRequest.updated_at.desc(), HelpRequest.id.desc()) if newest_first else (
        HelpRequest.created_at, HelpRequest.id)
    rows = db.session.execute(
        select(HelpRequest, dup).join(HelpRequest.household)
        .options(contains_eager(HelpRequest.household))
        .where(HelpRequest.status == status).order_by(*order)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return [(req, bool(n)) for req, n in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE


def reveal(actor_id: int, req: HelpRequest) -> Revealed | None:
    """What triage needs of an open request, audited; a closed one shows nothing."""
    if req.status not in OPEN_STATUSES:
        return None
    return households.open_for(actor_id, req.household, req)


def _take(req: HelpRequest, status: str, from_statuses: tuple[str, ...] = ("new",)) -> None:
    """Move a request on in one conditional UPDATE: of two dispatchers acting at the same
    moment, the database lets exactly one through; the other gets a Conflict."""
    if req.status not in from_statuses:
        raise Conflict(req.status)
    moved = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == req.id,
                                  HelpRequest.status.in_(from_statuses))
        .values(status=status, updated_at=utcnow()).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise Conflict("taken")
    db.session.refresh(req)


@workflow
def approve(actor_id: int, req: HelpRequest, weekly: bool = False,
            until: date | None = None) -> None:
    """Approve a new request: it becomes tasks on the board (weekly deliveries if asked)."""
    _take(req, "approved")
    audit.record(actor_id, "approve", req.household_id, req.id)
    making.make_for_request(actor_id, req, weekly=weekly, until=until)


@workflow
def decline(actor_id: int, req: HelpRequest, reason: str) -> None:
    if reason not in DECLINE_REASONS:
        raise Conflict("reason")
    _take(req, "declined")
    req.decline_reason = reason
    households.close_request(req, "declined")
    audit.record(actor_id, "decline", req.household_id, req.id, reason)


def merge_candidates(req: HelpRequest) -> list[HelpRequest]:
    """Open requests of the same kind from households that look like the same one."""
    ids = [h.id for h in households.possible_duplicates(req.household)]
    if not ids:
        return []
    return list(db.session.scalars(select(HelpRequest).where(
        HelpRequest.household_id.in_(ids), HelpRequest.kind == req.kind,
        HelpRequest.status.in_(OPEN_STATUSES)).order_by(HelpRequest.id)))


@workflow
def merge(actor_id: int, req: HelpRequest, target_id: int) -> None:
    """Fold a duplicate into the request it repeats; the household sees it as merged."""
    if req.status != "new":
        raise Conflict(req.status)
    if target_id not in {r.id for r in merge_candidates(req)}:
        raise Conflict("target")
    _take(req, "merged")
    req.merged_into_id = target_id
    households.close_request(req, "merged")
    audit.record(actor_id, "merge", req.household_id, req.id, str(target_id))


@workflow
def close(actor_id: int, req: HelpRequest, outcome: str) -> None:
    """Mark a request done or closed by hand (until the task board closes it by itself);
    the household's retention clock starts when its last request closes."""
    if outcome not in CLOSE_OUTCOMES:
        raise Invalid("outcome")
    _take(req, outcome, OPEN_STATUSES)
    households.close_request(req, outcome)
    holds.cancel_for_request(req)
    audit.record(actor_id, "close", req.household_id, req.id, outcome)
