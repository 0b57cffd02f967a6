"""Claims that cannot collide: 50 volunteers press "I will do this" on one task at the same
moment, over HTTP against a threaded server, on SQLite and (with DATABASE_URL) PostgreSQL.
Exactly one wins, the others are told kindly (409 for JSON), and there is one claim row."""
from __future__ import annotations

import http.client
import json
import threading

from sqlalchemy import func, select
from werkzeug.serving import make_server

from aid.extensions import db
from aid.models import Claim, Task
from tests.support.households import submit_request
from tests.support.http import TOKEN
from tests.support.staff import COOKIE, HOST, login_client
from tests.support.volunteers import approve_all, volunteer

CLAIMERS = 50


def _session(app, n: int) -> tuple[str, str]:
    """A volunteer signed in through the app: (session cookie, CSRF token)."""
    client = login_client(app, volunteer(app, f"racer-{n}"))
    token = TOKEN.search(client.get("/tasks").get_data(as_text=True)).group(1)
    return client.get_cookie(COOKIE, domain=HOST).value, token


def test_fifty_simultaneous_claims_make_one_holder_and_one_claim_row(app, monkeypatch):
    from aid import accounts as service
    from tests.support.staff import PASSWORD

    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    once = service.hash_password(PASSWORD)  # one slow hash for the fifty accounts
    monkeypatch.setattr(service, "hash_password", lambda _password: once)
    sessions = [_session(app, n) for n in range(CLAIMERS)]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    barrier = threading.Barrier(CLAIMERS)
    answers: list[tuple[int, dict]] = [None] * CLAIMERS

    def press(i: int) -> None:
        cookie, token = sessions[i]
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        body = f"csrf_token={token}"
        headers = {"Host": HOST, "Cookie": f"{COOKIE}={cookie}", "Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded"}
        barrier.wait()
        conn.request("POST", f"/tasks/{task_id}/claim", body=body, headers=headers)
        response = conn.getresponse()
        answers[i] = (response.status, json.loads(response.read() or b"{}"))

    try:
        threads = [threading.Thread(target=press, args=(i,)) for i in range(CLAIMERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.shutdown()
        server.server_close()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (CLAIMERS - 1), statuses
    refused = [body for status, body in answers if status == 409]
    assert all(body["error"] == "taken" and "faster" in body["message"] for body in refused)
    with app.app_context():
        assert db.session.scalar(select(func.count(Claim.id))) == 1
        task = db.session.get(Task, task_id)
        winner = next(i for i, (status, _) in enumerate(answers) if status == 200)
        assert task.status == "claimed" and task.holder_id is not None
        assert db.session.scalar(select(Claim.volunteer_id)) == task.holder_id
        assert answers[winner][1] == {"task": task_id, "status": "claimed"}


def test_the_database_refuses_a_second_open_claim_row_behind_the_apps_back(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    submit_request(app.test_client())
    task_id = approve_all(app)[0]
    a, b = volunteer(app, "first"), volunteer(app, "second")
    with app.app_context():
        db.session.add(Claim(task_id=task_id, volunteer_id=a.id))
        db.session.commit()
        db.session.add(Claim(task_id=task_id, volunteer_id=b.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
