"""One commit per workflow: all of it or none of it; a domain error becomes one translated
409 or 422 page, in one place, with nothing written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aid.extensions import db
from aid.models import AppSetting
from aid.workflow import Conflict, Invalid, after_commit, workflow


def settings_count(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(AppSetting))
        db.session.remove()
        return n


@workflow
def _write_then(fail: type[Exception] | None, key: str = "test-key"):
    db.session.add(AppSetting(key=key, value="x"))
    db.session.flush()  # written to the database, not yet committed
    if fail:
        raise fail("test")


def test_a_workflow_commits_what_it_wrote(app):
    before = settings_count(app)
    with app.app_context():
        _write_then(None)
        db.session.remove()
    assert settings_count(app) == before + 1


@pytest.mark.parametrize("error", [Conflict, Invalid, RuntimeError])
def test_a_workflow_that_raises_leaves_nothing_behind(app, error):
    before = settings_count(app)
    with app.app_context():
        with pytest.raises(error):
            _write_then(error)
        db.session.remove()
    assert settings_count(app) == before


def test_only_the_outermost_workflow_commits(app):
    before = settings_count(app)

    @workflow
    def outer():
        _write_then(None, "inner-key")  # a nested workflow: no commit of its own
        raise Conflict("later")

    with app.app_context():
        with pytest.raises(Conflict):
            outer()
        db.session.remove()
    assert settings_count(app) == before


def test_after_commit_hooks_run_only_after_a_commit(app):
    ran: list[str] = []

    @workflow
    def work(fail: bool):
        after_commit(lambda: ran.append("hook"))
        if fail:
            raise Conflict("no")

    with app.app_context():
        with pytest.raises(Conflict):
            work(True)
        assert ran == []
        work(False)
        assert ran == ["hook"]


@pytest.mark.parametrize("error, status", [(Conflict, 409), (Invalid, 422)])
def test_a_domain_error_becomes_a_translated_page(app, error, status):
    @workflow
    def refuse():
        db.session.add(AppSetting(key="never", value="x"))
        raise error("reason-code-xyz")

    app.add_url_rule("/test-only-refuse", "test_only_refuse", refuse)
    before = settings_count(app)
    r = app.test_client().get("/test-only-refuse?lang=es")
    page = r.get_data(as_text=True)
    assert r.status_code == status
    assert '<html lang="es"' in page and 'role="alert"' in page
    assert "Hay un problema" in page  # "There is a problem", from the Spanish catalog
    assert "reason-code-xyz" not in page  # the reason code is for logs and tests, not for people
    assert settings_count(app) == before
