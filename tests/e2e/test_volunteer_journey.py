"""A volunteer's journey in real Chromium, JavaScript off, on a 360 px screen: a dispatcher
invites, the volunteer signs up and waits, the dispatcher approves, the volunteer claims a
delivery, sees the address only then, and marks it done; the address is gone afterwards for
anyone else. Screenshots are kept in test-artifacts/."""
from __future__ import annotations

import re

import pytest

from tests.support.households import GOOD_ANSWERS, submit_request
from tests.support.staff import PASSWORD, Staff
from tests.support.volunteers import approve_all

pytestmark = pytest.mark.e2e

STREET = "31 Lanternfield Court"  # synthetic


def sign_in(page, base, handle, code=""):
    page.goto(f"{base}/login")
    page.locator("#handle").fill(handle)
    page.locator("#password").fill(PASSWORD)
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def second_browser(browser):
    """Another person's phone: its own context, JavaScript off, 360 px."""
    context = browser.new_context(java_script_enabled=False, locale="en-US",
                                  viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


def test_invite_sign_up_approve_claim_reveal_complete(visit, second_browser, live_server,
                                                      artifacts):
    office, requested = visit  # the dispatcher's
    page = second_browser  # the volunteer's
    app = live_server.app
    dispatcher = Staff(app, "dispatcher-e2e", ["dispatcher"])
    submit_request(app.test_client(), dict(GOOD_ANSWERS, street=STREET, zip="55404"))
    task_id = approve_all(app, dispatcher.id)[0]

    # The dispatcher makes an invitation link.
    sign_in(office, live_server, dispatcher.handle, dispatcher.code())
    office.goto(f"{live_server}/dispatch/volunteers")
    with office.expect_navigation():
        office.get_by_role("button", name="Make an invitation link").click()
    link = office.locator(".code-link code").inner_text().strip()
    token = re.search(r"/join/([A-Za-z0-9_-]+)$", link).group(1)
    office.screenshot(path=str(artifacts / "e2e-volunteer-1-invite.png"), full_page=True)

    # The volunteer signs up with it and waits for approval.
    page.goto(f"{live_server}/join/{token}")
    page.locator("#handle").fill("bike-helper")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_again").fill(PASSWORD)
    page.locator("#contact").fill("signal: bike-helper.01")
    page.locator('input[name="languages"][value="en"]').check()
    page.locator("#deliver").check()
    page.locator('input[name="vehicle"][value="bike"]').check()
    page.locator("#boxes").fill("3")
    for cell in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        page.locator(f'input[name="availability"][value="{cell}:morning"]').check()
    page.locator("#home_zip").fill("55404")
    page.locator("#max_km").fill("8")
    page.screenshot(path=str(artifacts / "e2e-volunteer-2-join.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Join").click()
    assert page.url.endswith("/me")
    page.goto(f"{live_server}/tasks")
    assert page.locator("h1").inner_text() == "Waiting for approval"

    # The dispatcher approves them as vetted (tier 1).
    office.goto(f"{live_server}/dispatch/volunteers")
    row = office.locator("tr", has_text="bike-helper")
    row.locator('select[name="tier"]').select_option("1")
    with office.expect_navigation():
        row.get_by_role("button", name="Approve").click()
    office.screenshot(path=str(artifacts / "e2e-volunteer-3-approved.png"), full_page=True)

    # The volunteer finds the delivery on the board: an area, never the address.
    page.goto(f"{live_server}/tasks")
    board = page.locator("main").inner_text()
    assert "Grocery delivery" in board and STREET not in board
    page.screenshot(path=str(artifacts / "e2e-volunteer-4-board.png"), full_page=True)
    with page.expect_navigation():
        page.locator(f'form[action="/tasks/{task_id}/claim"] button').click()

    # Now theirs: the address, the code word reminder, the way to finish.
    assert page.url.endswith(f"/tasks/{task_id}")
    text = page.locator("main").inner_text()
    assert STREET in text and "Never ask for a status code" in text
    page.screenshot(path=str(artifacts / "e2e-volunteer-5-task.png"), full_page=True)
    page.locator('input[name="outcome"][value="delivered"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as done").click()
    assert page.url.endswith("/tasks/mine")
    page.screenshot(path=str(artifacts / "e2e-volunteer-6-mine.png"), full_page=True)

    # The dispatcher sees the task done; no page shows them the address.
    office.goto(f"{live_server}/dispatch/tasks/{task_id}")
    assert "Done" in office.locator("main").inner_text()
    assert STREET not in office.content()
    assert all(STREET.replace(" ", "+") not in url and STREET not in url for url in requested)
