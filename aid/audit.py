"""The audit writer: who revealed or changed which record, when; never the value itself."""
from __future__ import annotations

from aid.extensions import db
from aid.models import AuditEvent


def record(actor_id: int | None, action: str, household_id: int | None = None,
           request_id: int | None = None, detail: str | None = None,
           task_id: int | None = None, subject_id: int | None = None) -> AuditEvent:
    """Add one audit row to the current transaction; the workflow commits it with the rest.

    `detail` is a code (a reason, a target id), never personal data; `subject_id` is the
    volunteer an action was about.
    """
    event = AuditEvent(actor_id=actor_id, action=action, household_id=household_id,
                       request_id=request_id, detail=detail, task_id=task_id,
                       subject_id=subject_id)
    db.session.add(event)
    return event
