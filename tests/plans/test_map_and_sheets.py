"""The map the app draws itself (SVG, approximate points only, one line per route, depots as
squares, a legend) and the printed sheets (one page per driver, codes and areas only)."""
from __future__ import annotations

import re

from sqlalchemy import select

from aid.dayplan import svgmap
from aid.extensions import db
from aid.models import AuditEvent, PlanRoute, Task
from tests.support.app import table_rows
from tests.support.http import post
from tests.support.plans import deliveries, depot, drivers, plan_day, plan_now, stops_of
from tests.test_security import OFF_ORIGIN, urls_in


def test_the_svg_has_a_line_per_route_squares_for_depots_and_rings_for_drops():
    lines = [svgmap.Line(0, [(44.95, -93.26), (44.96, -93.25), (44.95, -93.26)],
                         [(44.96, -93.25)]),
             svgmap.Line(1, [(44.97, -93.28), (44.98, -93.29)], [(44.98, -93.29)])]
    svg = str(svgmap.draw(lines, [(44.95, -93.26)], [(44.99, -93.2)], "A <title>"))
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 3
    assert svg.count('width="10" height="10"') == 1  # the depot's square
    assert "A &lt;title&gt;" in svg and "<title>" not in svg.replace("<title>A", "")
    assert 'stroke="#1d70b8"' in svg and 'stroke="#d4351c"' in svg
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    width, height = int(view.group(1)), int(view.group(2))
    for x, y in re.findall(r"([\d.]+),([\d.]+)", " ".join(re.findall(r'points="([^"]+)"', svg))):
        assert 0 <= float(x) <= width and 0 <= float(y) <= height
    assert [u for u in urls_in(svg) if OFF_ORIGIN.search(u)] == [] and "http" not in svg
    assert len({svgmap.style(i) for i in range(48)}) == 48


def test_an_empty_map_still_draws():
    svg = str(svgmap.draw([], [], [], "Nothing"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def world(app, n=16, n_drivers=3):
    day = plan_day()
    depot(app)
    depot(app, "55407", name="Second pantry")
    tasks = deliveries(app, day, n)
    crew = drivers(app, n_drivers, boxes=6)
    return day, tasks, crew


def test_the_plan_page_maps_every_route_and_a_route_page_its_own(app, signed_in):
    day, tasks, crew = world(app)
    plan_id = plan_now(app, day, max_trips=1)
    dispatcher = signed_in("dispatcher")
    page = dispatcher.get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    with app.app_context():
        routes = list(db.session.scalars(select(PlanRoute).where(PlanRoute.plan_id == plan_id)))
        db.session.remove()
    assert len(routes) >= 2
    assert page.count("<polyline") == len(routes)
    assert page.count('class="swatch"') >= 2 * len(routes)  # legend and route list
    one = dispatcher.get(f"/dispatch/plans/{plan_id}/routes/{routes[0].id}")
    assert one.status_code == 200 and one.get_data(as_text=True).count("<polyline") == 1
    assert dispatcher.get(f"/dispatch/plans/{plan_id}/routes/999999").status_code == 404
    assert dispatcher.get("/dispatch/plans/999999").status_code == 404


def test_an_exact_point_is_used_for_the_solver_only_never_stored_or_drawn(app):
    """A household's exact point (sealed) is opened, audited, for the solver; the plan keeps
    and draws the ZIP's centroid."""
    from aid import households

    day, tasks, crew = world(app, n=3, n_drivers=1)
    exact = {"lat": 44.987654, "lon": -93.234567}
    with app.app_context():
        task = db.session.get(Task, tasks[0])
        cipher = households._cipher(task.household)
        task.household.coords_enc = cipher.seal_json(households.COORDS, exact)
        centroid = (task.lat, task.lon)
        db.session.commit()
    plan_id = plan_now(app, day)
    row = next(s for s in stops_of(app, plan_id) if s["task_id"] == tasks[0])
    assert row["kind"] == "stop" and (row["lat"], row["lon"]) == centroid
    dump = repr(table_rows(app))
    assert "44.987654" not in dump and "93.234567" not in dump
    with app.app_context():
        opened = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "plan_point")).all()
        assert [e.task_id for e in opened] == [tasks[0]]


def test_the_sheets_print_one_page_per_driver_with_codes_and_areas_only(app, signed_in):
    day, tasks, crew = world(app)
    plan_id = plan_now(app, day, max_trips=1)
    dispatcher = signed_in("dispatcher")
    r = dispatcher.get(f"/dispatch/plans/{plan_id}/sheets")
    page = r.get_data(as_text=True)
    sections = page.split('<section class="sheet">')[1:]
    stops = stops_of(app, plan_id)
    with app.app_context():
        handles = {r.id: r.driver_id for r in db.session.scalars(
            select(PlanRoute).where(PlanRoute.plan_id == plan_id))}
        db.session.remove()
    assert len(sections) == len(handles)
    for section, route_id in zip(sections, sorted(handles, key=lambda i: i)):
        own = [s["code"] for s in stops if s["route_id"] == route_id and s["code"]]
        others = [s["code"] for s in stops if s["route_id"] not in (route_id, None)]
        assert all(code in section for code in own)
        assert not any(code in section for code in others)
    assert 'media="print"' in page and "print.css" in page
    for secret in ("Plan household", "Example Street", "word 1-", "555-01"):
        assert secret not in page
    css = dispatcher.get("/static/print.css").get_data(as_text=True)
    assert ".sheet{break-after:page" in css and "display:none" in css
    assert not re.search(r"@import|@font-face|https?:|//", css.replace("/*", "").replace(
        "*/", ""))


def test_the_progress_page_refreshes_itself_without_javascript(app, signed_in):
    from aid.dayplan import run
    from aid.dayplan.settings import PlanSettings

    day = plan_day()
    deliveries(app, day, 1)
    with app.app_context():
        plan_id = run.create(None, day, PlanSettings(time_limit=1)).id
        db.session.remove()
    page = signed_in("dispatcher").get(f"/dispatch/plans/{plan_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "<script" not in page and "Waiting to start" in page


def test_publishing_twice_is_refused_and_changes_nothing(app, signed_in):
    day, tasks, crew = world(app, n=4, n_drivers=1)
    plan_id = plan_now(app, day)
    dispatcher = signed_in("dispatcher")
    assert post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {}).status_code == 200
    before = table_rows(app)
    again = post(dispatcher, f"/dispatch/plans/{plan_id}/publish", {})
    assert again.status_code == 409 and "Only a plan that is ready" in again.get_data(
        as_text=True)
    assert table_rows(app) == before
