"""Day plans (a dispatcher's delivery routes for one day) and safety holds on an area.

A plan is a snapshot: its routes and stops copy what the map and the sheets need (ZIP, coarse
area, the ZIP centroid, the window), never a name, an address or an exact point. Stops carry
short random codes that the paper sheets print instead of names. A safety hold is an area
(ZIP codes, or a circle around a point of the map) where nobody should go for a time.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import db
from aid.models._types import utcnow


class DayPlan(db.Model):
    """One planning run for a day: its settings, its job's progress, its totals, its state.

    States: queued, running, ready (solved, not yet published), failed, published (the one
    drivers see), replaced (published once, then a newer plan of the day was published).
    """

    __tablename__ = "day_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()  # the job's last sign of life
    finished_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    replan_of: Mapped[int | None] = mapped_column(
        ForeignKey("day_plan.id", ondelete="SET NULL"))  # the published plan it replaces
    job_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(24))  # a code, never a message
    # Settings the dispatcher chose (or their defaults).
    time_limit: Mapped[int] = mapped_column(default=30)  # seconds of search
    start_at: Mapped[str] = mapped_column(String(8), default="depot")  # depot or area
    end_at: Mapped[str] = mapped_column(String(8), default="area")  # area or depot
    max_trips: Mapped[int] = mapped_column(default=2)
    reload_depot_id: Mapped[int | None] = mapped_column(
        ForeignKey("depot.id", ondelete="SET NULL"))  # None: where the driver starts
    break_from: Mapped[int] = mapped_column(default=12 * 60)  # minutes after midnight
    break_until: Mapped[int] = mapped_column(default=14 * 60)  # latest start of the break
    break_minutes: Mapped[int] = mapped_column(default=30)  # 0: no break
    excluded: Mapped[str] = mapped_column(Text, default="")  # driver ids left out, "3,17"
    # What came out.
    problems: Mapped[str] = mapped_column(Text, default="")  # codes, "depot_closed:2;..."
    stops_total: Mapped[int] = mapped_column(default=0)
    stops_planned: Mapped[int] = mapped_column(default=0)
    stops_dropped: Mapped[int] = mapped_column(default=0)
    drivers_used: Mapped[int] = mapped_column(default=0)
    distance_m: Mapped[int] = mapped_column(default=0)
    duration_s: Mapped[int] = mapped_column(default=0)
    solve_seconds: Mapped[float] = mapped_column(default=0.0)

    routes: Mapped[list[PlanRoute]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanRoute.position")

    def excluded_ids(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.excluded.split(",") if x.isdigit())

    def problem_codes(self) -> list[tuple[str, str]]:
        """(code, subject) pairs; the subject is a driver or depot id, or ''."""
        out = []
        for item in filter(None, self.problems.split(";")):
            code, _, subject = item.partition(":")
            out.append((code, subject))
        return out


class PlanRoute(db.Model):
    """One driver's route in a plan: where it starts and ends, totals, break and trips."""

    __tablename__ = "plan_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plan.id", ondelete="CASCADE"),
                                         index=True)
    driver_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int] = mapped_column(default=0)
    shift_start: Mapped[int] = mapped_column(default=0)  # seconds after midnight
    shift_end: Mapped[int] = mapped_column(default=0)
    start_depot_id: Mapped[int | None] = mapped_column(
        ForeignKey("depot.id", ondelete="SET NULL"))  # None: the driver's own area
    end_depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id", ondelete="SET NULL"))
    start_zip: Mapped[str | None] = mapped_column(String(5))  # own area: its ZIP
    end_zip: Mapped[str | None] = mapped_column(String(5))
    start_lat: Mapped[float | None] = mapped_column()  # a depot or a ZIP centroid
    start_lon: Mapped[float | None] = mapped_column()
    end_lat: Mapped[float | None] = mapped_column()
    end_lon: Mapped[float | None] = mapped_column()
    max_trips: Mapped[int] = mapped_column(default=1)
    trips: Mapped[int] = mapped_column(default=1)
    break_start: Mapped[int | None] = mapped_column()  # the planned break, seconds
    break_end: Mapped[int | None] = mapped_column()
    start_time: Mapped[int] = mapped_column(default=0)
    end_time: Mapped[int] = mapped_column(default=0)
    boxes: Mapped[int] = mapped_column(default=0)
    distance_m: Mapped[int] = mapped_column(default=0)
    duration_s: Mapped[int] = mapped_column(default=0)
    changed: Mapped[bool] = mapped_column(default=False)  # told at publishing: it changed

    plan: Mapped[DayPlan] = relationship(back_populates="routes")
    stops: Mapped[list[PlanStop]] = relationship(
        back_populates="route", order_by="PlanStop.seq", passive_deletes=True)


class PlanStop(db.Model):
    """A stop of a plan: a delivery on a route (or done earlier), a reload at a depot, or a
    delivery left out with its reasons. Codes and areas only; the address stays sealed."""

    __tablename__ = "plan_stop"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plan.id", ondelete="CASCADE"),
                                         index=True)
    route_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_route.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"),
                                                index=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(8), default="stop")  # stop reload done dropped
    seq: Mapped[int | None] = mapped_column()
    code: Mapped[str | None] = mapped_column(String(8))
    arrival: Mapped[int | None] = mapped_column()  # seconds after midnight
    departure: Mapped[int | None] = mapped_column()
    boxes: Mapped[int] = mapped_column(default=0)
    load_after: Mapped[int | None] = mapped_column()
    leg_m: Mapped[int | None] = mapped_column()
    reasons: Mapped[str | None] = mapped_column(String(120))  # dropped: codes, comma-separated
    pinned: Mapped[bool] = mapped_column(default=False)  # the driver held it before planning
    zip: Mapped[str | None] = mapped_column(String(5))
    area: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None] = mapped_column()  # the ZIP centroid (or the depot): approximate
    lon: Mapped[float | None] = mapped_column()
    window_start: Mapped[int | None] = mapped_column()  # minutes, the group's time
    window_end: Mapped[int | None] = mapped_column()
    priority: Mapped[int] = mapped_column(default=1)

    route: Mapped[PlanRoute | None] = relationship(back_populates="stops")

    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_plan_stop_code"),)

    def reason_codes(self) -> list[str]:
        return [r for r in (self.reasons or "").split(",") if r]


class SafetyHold(db.Model):
    """An area nobody should visit for a time: ZIP codes, or a circle around a point.

    The circle's centre is a point of the map a dispatcher picked (an area, not a household),
    so it is stored readable. Visits inside are held and left out of plans until it ends.
    """

    __tablename__ = "safety_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    zips: Mapped[str | None] = mapped_column(String(400))  # "55404,55406"
    center_lat: Mapped[float | None] = mapped_column()
    center_lon: Mapped[float | None] = mapped_column()
    radius_km: Mapped[float | None] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)  # naive UTC
    ends_at: Mapped[datetime] = mapped_column(index=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(index=True)
    lifted_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))

    def zip_list(self) -> list[str]:
        return [z for z in (self.zips or "").split(",") if z]

    @property
    def kind(self) -> str:
        return "circle" if self.radius_km is not None else "zips"
