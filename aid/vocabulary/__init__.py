"""The app's words, defined once: kinds of help and of task, states, reasons, choices, and
the ledger's and the day plans' labels.

Every screen, form and template takes its labels from here (templates get `vocab`), so a new
kind of help or of task is one entry, and a code with no label cannot slip into one page only.
Codes are stored; labels are translated when shown. Nothing here touches the database.
"""
from aid.vocabulary.ledger import *  # noqa: F403
from aid.vocabulary.ledger import ledger_labels
from aid.vocabulary.plans import *  # noqa: F403
from aid.vocabulary.plans import (
    DROP_REASONS,
    HOLD_KINDS,
    PLAN_ENDS,
    PLAN_PROBLEMS,
    PLAN_STARTS,
    PLAN_STATES,
    PLAN_STOP_KINDS,
)
from aid.vocabulary.requests import *  # noqa: F403
from aid.vocabulary.requests import (
    CHOICE_LABELS,
    CLOSE_OUTCOMES,
    DECLINE_REASONS,
    DETAIL_LABELS,
    KINDS,
    STATUSES,
)
from aid.vocabulary.tasks import *  # noqa: F403
from aid.vocabulary.tasks import (
    ATTENTION,
    HOLD_REASONS,
    MATCH_REASONS,
    NOTICE_TEXTS,
    OUTCOMES,
    RELEASE_REASONS,
    TASK_KINDS,
    TASK_STATUSES,
    TIERS,
    VEHICLES,
    VOLUNTEER_STATES,
    match_reason,  # noqa: F401
)


def every_label() -> list[object]:
    """Every label defined here: the vocabulary test checks each is translated everywhere."""
    out: list[object] = []
    for kind in KINDS.values():
        out += [kind.label, kind.short]
    for status in STATUSES.values():
        out += [status.household, status.staff]
    for group in (DECLINE_REASONS, CHOICE_LABELS, CLOSE_OUTCOMES, DETAIL_LABELS,
                  TASK_STATUSES, OUTCOMES, RELEASE_REASONS, HOLD_REASONS, ATTENTION, TIERS,
                  VEHICLES, VOLUNTEER_STATES, NOTICE_TEXTS, MATCH_REASONS, PLAN_STATES,
                  DROP_REASONS, PLAN_PROBLEMS, HOLD_KINDS, PLAN_STARTS, PLAN_ENDS,
                  PLAN_STOP_KINDS):
        out += list(group.values())
    out += [kind.label for kind in TASK_KINDS.values()]
    return out + ledger_labels()
