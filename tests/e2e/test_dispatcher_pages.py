"""A dispatcher's triage pages on a 360 px phone in real Chromium, JavaScript off: nothing
wider than the screen, the list paginated, the detail page with its state and time."""
from __future__ import annotations

import re

import pytest

from aid.extensions import db
from tests.support.households import GOOD_ANSWERS

pytestmark = pytest.mark.e2e


def _households(app, n: int) -> None:
    from aid import households
    from aid.households import NewHousehold

    with app.app_context():
        for i in range(n):
            households.workflow(households.create)(NewHousehold(
                name=f"Demo household {i}", contact_method="sms",
                contact_handle=f"555-01{i:02d}", language=("ar", "so", "es")[i % 3],
                street=f"{i} Example Street", city="Minneapolis", zip="55404",
                requests={"groceries": {"household_size": "3", "delivery_days": ["mon"],
                                        "delivery_times": ["morning"], "dropoff": "door"}}))
        db.session.remove()


def _sign_in(page, live_server, member) -> None:
    page.goto(f"{live_server}/login")
    page.locator("#handle").fill(member.handle)
    page.locator("#password").fill("correct horse battery staple")
    page.locator("#code").fill(member.code())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_triage_fits_a_phone_and_pages_through_requests(visit, live_server, artifacts):
    from tests.support.staff import Staff

    page, _requested = visit
    app = live_server.app
    _households(app, 55)
    _sign_in(page, live_server, Staff(app, "dispatcher-e2e", ["dispatcher"]))
    assert page.url.endswith("/dispatch/")
    assert "dispatcher-e2e" in page.locator(".who").inner_text()
    width = page.viewport_size["width"]
    for element in ("main", "table", "nav.tabs", "nav.langs"):
        box = page.locator(element).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, element
    assert page.locator("tbody tr").count() == 50
    page.screenshot(path=str(artifacts / "e2e-dispatch-1-list.png"), full_page=False)
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    assert page.locator("tbody tr").count() == 5

    with page.expect_navigation():
        page.locator("tbody tr a").first.click()
    text = page.locator("main").inner_text()
    assert "New" in text and re.search(r"\d{1,2}:\d\d", text)
    assert "People in the home" in text
    box = page.locator("main").bounding_box()
    assert box["x"] + box["width"] <= width + 1
    page.screenshot(path=str(artifacts / "e2e-dispatch-2-detail.png"), full_page=True)


def test_the_form_shows_each_kinds_questions_only_once_chosen(visit, live_server, artifacts):
    page, _requested = visit
    page.goto(f"{live_server}/request")
    short = page.locator("main").bounding_box()["height"]
    assert not page.locator("#household_size").is_visible()
    assert not page.locator("#court_name").is_visible()
    page.locator('input[name="kinds"][value="groceries"]').check()
    assert page.locator("#household_size").is_visible()
    assert not page.locator("#court_name").is_visible()
    assert GOOD_ANSWERS["kinds"] == ["groceries"]
    longer = page.locator("main").bounding_box()["height"]
    assert longer > short
    page.screenshot(path=str(artifacts / "e2e-form-360.png"), full_page=True)
