"""One commit per workflow, and one kind of domain error.

Service steps add, flush and raise; they never commit. A view calls one function decorated
with `@workflow`: it commits once when the function returns and rolls everything back when it
raises, so a claim, a task's completion or a ledger posting is exactly one transaction.
Workflows may call each other: only the outermost one commits.

A `DomainError` means "this does not fit the state of things"; `aid.errors` turns it into a
translated 409 (conflict) or 422 (invalid input) page in one place, after the rollback.
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from flask_babel import lazy_gettext as _l

from aid.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("aid_workflow_depth", default=0)
_after: ContextVar[list | None] = ContextVar("aid_workflow_after", default=None)


class DomainError(Exception):
    """The action does not fit the state of things; nothing was written.

    `reason` is a short code for tests and logs (never personal data); `message` is what the
    person is told, translated; `back` is (url, label) for the error page's way onward.
    """

    status = 409
    default_message = _l("That action does not fit this request any more. Check its state "
                         "and try again.")

    def __init__(self, reason: str = "conflict", message=None,
                 back: tuple[str, object] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.message = message or self.default_message
        self.back = back


class Conflict(DomainError):
    """Someone or something got there first: the record moved on (HTTP 409)."""

    status = 409


class Invalid(DomainError):
    """The input cannot be accepted as it is (HTTP 422)."""

    status = 422
    default_message = _l("Please go back and try again.")


def workflow(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` as one transaction: commit when it returns, roll back when it raises."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = _depth.get() == 0
        token = _depth.set(_depth.get() + 1)
        hooks = _after.set([]) if outermost else None
        try:
            result = fn(*args, **kwargs)
            if outermost:
                db.session.commit()
                for hook in _after.get():
                    hook()
            return result
        except BaseException:
            if outermost:
                db.session.rollback()
            raise
        finally:
            _depth.reset(token)
            if hooks is not None:
                _after.reset(hooks)

    return run


def after_commit(hook: Callable[[], None]) -> None:
    """Run `hook` once the current workflow has committed (now, outside any workflow)."""
    pending = _after.get()
    if pending is None:
        hook()
    elif hook not in pending:
        pending.append(hook)
