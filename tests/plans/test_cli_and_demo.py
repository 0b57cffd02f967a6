"""`flask aid plan` plans a day from the shell and prints the routes; `flask aid demo` leaves
a newcomer a network whose coming days can be planned at once."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from aid.extensions import db
from aid.models import DayPlan, Depot, Task
from tests.support.plans import deliveries, depot, drivers, plan_day, stops_of


def test_plan_prints_each_route_in_order_with_codes_and_no_address(app, runner):
    day = plan_day()
    depot(app)
    deliveries(app, day, 8)
    drivers(app, 2)
    result = runner.invoke(args=["aid", "plan", "--date", day.isoformat(), "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        plan = db.session.scalar(select(DayPlan))
        assert plan.state == "ready"
    codes = [s["code"] for s in stops_of(app, plan.id) if s["kind"] == "stop"]
    assert len(codes) == 8 and all(code in result.output for code in codes)
    assert "8 of 8 stops" in result.output and "driver-" in result.output
    assert "Example Street" not in result.output and "Plan household" not in result.output


def test_plan_publish_gives_the_drivers_their_stops(app, runner):
    day = plan_day()
    depot(app)
    tasks = deliveries(app, day, 4)
    drivers(app, 1)
    result = runner.invoke(args=["aid", "plan", "--date", day.isoformat(), "--time-limit", "1",
                                 "--publish"])
    assert result.exit_code == 0, result.output
    assert "Published: 4 stops given" in result.output
    with app.app_context():
        assert {t.status for t in db.session.scalars(select(Task).where(
            Task.id.in_(tasks)))} == {"claimed"}


def test_plan_refuses_a_bad_date_a_past_day_and_an_empty_day_plainly(app, runner):
    bad = runner.invoke(args=["aid", "plan", "--date", "tomorrow"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    past = runner.invoke(args=["aid", "plan", "--date", "2020-01-01"])
    assert past.exit_code != 0 and "That day is over" in past.output
    empty = runner.invoke(args=["aid", "plan", "--date", plan_day(5).isoformat()])
    assert empty.exit_code != 0 and "nothing to deliver" in empty.output
    with app.app_context():
        assert db.session.scalar(select(func.count(DayPlan.id))) == 0


def test_the_demo_can_plan_a_day_of_the_coming_week_at_once(app, runner):
    assert runner.invoke(args=["aid", "demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Depot.id))) == 2
        days = db.session.execute(select(Task.day, func.count(Task.id)).where(
            Task.kind == "delivery", Task.status == "open").group_by(Task.day)).all()
    busiest = max(days, key=lambda row: row[1])[0]
    assert date.today() < busiest <= date.today() + timedelta(days=7)
    result = runner.invoke(args=["aid", "plan", "--date", busiest.isoformat(),
                                 "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    assert "demo-driver" in result.output and " 0 of " not in result.output
