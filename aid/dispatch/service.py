"""Triage workflows: list, reveal (audited), approve, decline, merge."""
from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from aid.extensions import db
from aid.intake.service import cipher_for, close_request, possible_duplicates
from aid.models import AuditEvent, HelpRequest, Household
from aid.models._types import utcnow
from aid.models.requests import DECLINE_REASONS


class TriageError(Exception):
    """The action does not fit the request's state."""


def audit(actor_id: int, action: str, household_id: int | None = None,
          request_id: int | None = None, detail: str | None = None) -> None:
    db.session.add(AuditEvent(actor_id=actor_id, action=action, household_id=household_id,
                              request_id=request_id, detail=detail))


def queue(status: str = "new") -> list[tuple[HelpRequest, bool]]:
    """Requests in a state, oldest first, each with a possible-duplicate flag (no decryption)."""
    other = aliased(Household)
    dup = (select(func.count(other.id)).where(
        other.id != Household.id,
        or_(other.address_index == Household.address_index,
            (other.phone_index == Household.phone_index) & other.phone_index.is_not(None)))
        .correlate(Household).scalar_subquery())
    rows = db.session.execute(
        select(HelpRequest, dup).join(HelpRequest.household)
        .where(HelpRequest.status == status).order_by(HelpRequest.created_at, HelpRequest.id))
    return [(req, bool(n)) for req, n in rows]


def reveal(actor_id: int, req: HelpRequest) -> dict:
    """Decrypt what triage needs; the reveal is written to the audit log first."""
    household = req.household
    audit(actor_id, "reveal", household.id, req.id)
    db.session.commit()
    c = cipher_for(household)
    return {
        "name": c.open("name", household.name_enc),
        "contact": c.open_json("contact", household.contact_enc),
        "address": c.open_json("address", household.address_enc),
        "safety_notes": c.open("safety_notes", household.safety_notes_enc),
        "code_word": c.open("code_word", household.code_word_enc),
        "details": c.open_json(f"request.{req.kind}", req.details_enc),
    }


def _require_new(req: HelpRequest) -> None:
    if req.status != "new":
        raise TriageError(req.status)


def _claim(req: HelpRequest, status: str) -> None:
    """Move a new request on in one conditional UPDATE: of two dispatchers acting at the same
    moment, the database lets exactly one through; the other gets TriageError."""
    _require_new(req)
    moved = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == req.id, HelpRequest.status == "new")
        .values(status=status, updated_at=utcnow()).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise TriageError("taken")


def approve(actor_id: int, req: HelpRequest) -> None:
    _claim(req, "approved")
    req.status, req.updated_at = "approved", utcnow()
    audit(actor_id, "approve", req.household_id, req.id)
    db.session.commit()


def decline(actor_id: int, req: HelpRequest, reason: str) -> None:
    _require_new(req)
    if reason not in DECLINE_REASONS:
        raise TriageError("reason")
    _claim(req, "declined")
    req.decline_reason = reason
    close_request(req, "declined")
    audit(actor_id, "decline", req.household_id, req.id, reason)
    db.session.commit()


def merge_candidates(req: HelpRequest) -> list[HelpRequest]:
    """Open requests of the same kind from households that look like the same one."""
    ids = [h.id for h in possible_duplicates(req.household)]
    if not ids:
        return []
    return list(db.session.scalars(select(HelpRequest).where(
        HelpRequest.household_id.in_(ids), HelpRequest.kind == req.kind,
        HelpRequest.status.in_(("new", "approved"))).order_by(HelpRequest.id)))


def merge(actor_id: int, req: HelpRequest, target_id: int) -> None:
    """Fold a duplicate into the request it repeats; the household sees it as merged."""
    _require_new(req)
    if target_id not in {r.id for r in merge_candidates(req)}:
        raise TriageError("target")
    _claim(req, "merged")
    req.merged_into_id = target_id
    close_request(req, "merged")
    audit(actor_id, "merge", req.household_id, req.id, str(target_id))
    db.session.commit()
