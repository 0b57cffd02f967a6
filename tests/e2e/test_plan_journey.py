"""A dispatcher plans a day, follows the job, publishes and prints, in real Chromium at 360 px
with JavaScript off; then a driver opens their route. Screenshots (and the printed PDF) are
kept in test-artifacts/. Every name and street is synthetic."""
from __future__ import annotations

import re

import pytest

from aid.extensions import db
from tests.e2e.test_dispatcher_pages import _sign_in
from tests.support.plans import deliveries, depot, drivers, plan_day

pytestmark = pytest.mark.e2e


def _fits(page) -> None:
    width = page.viewport_size["width"]
    for element in ("main", "nav.tabs", "svg.map", "table"):
        if not page.locator(element).count():
            continue
        box = page.locator(element).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, element


def test_a_dispatcher_plans_publishes_and_prints_a_day(visit, live_server, artifacts):
    from tests.support.staff import Staff

    page, requested = visit
    app = live_server.app
    day = plan_day()
    depot(app)
    depot(app, "55407", name="Second pantry")
    deliveries(app, day, 24)
    crew = drivers(app, 3, boxes=8)
    _sign_in(page, live_server, Staff(app, "dispatcher-plans", ["dispatcher"]))

    page.goto(f"{live_server}/dispatch/plans/")
    page.locator("#day").fill(day.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Choose drivers and settings").click()
    assert all(page.locator(f"#driver-{d.id}").is_checked() for d in crew)
    page.locator("#time_limit").fill("3")
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-plans-1-form.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Plan this day").click()
    if page.locator('meta[http-equiv="refresh"]').count():
        assert "Planning" in page.locator("main").inner_text() or "Waiting" in page.locator(
            "main").inner_text()
        page.screenshot(path=str(artifacts / "e2e-plans-2-progress.png"), full_page=True)
    # The progress page reloads itself (meta refresh, no script) until the plan is ready.
    page.get_by_role("button", name="Publish to the drivers").wait_for(timeout=90_000)
    text = page.locator("main").inner_text()
    assert "Ready to publish" in text and "Example Street" not in text
    assert page.locator("svg.map polyline").count() >= 1
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-plans-3-plan.png"), full_page=True)

    page.get_by_role("button", name="Publish to the drivers").click()
    page.wait_for_load_state()
    assert "Published." in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "e2e-plans-4-published.png"), full_page=False)

    with page.expect_navigation():
        page.get_by_role("link", name="Print the route sheets").click()
    sheets = page.locator("section.sheet").count()
    assert sheets >= 1
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    page.screenshot(path=str(artifacts / "e2e-plans-5-print.png"), full_page=True)
    pdf = page.pdf(path=str(artifacts / "e2e-plans-5-sheets.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == sheets  # one page per driver
    page.emulate_media(media="screen")
    assert all(url.startswith(live_server) for url in requested), requested

    with app.app_context():
        from aid.models import Task

        holder = db.session.scalar(db.select(Task.holder_id).where(
            Task.holder_id.is_not(None)))
    driver = next(d for d in crew if d.id == holder)
    page.context.clear_cookies()
    _sign_in(page, live_server, driver)
    page.goto(f"{live_server}/tasks/mine")
    assert "Stop 1" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("My route for")).click()
    text = page.locator("main").inner_text()
    assert "Example Street" in text and "Open in my map app" in text
    _fits(page)
    page.screenshot(path=str(artifacts / "e2e-plans-6-driver-route.png"), full_page=True)
