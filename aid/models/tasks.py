"""Tasks a volunteer can claim, their claims, recurring deliveries, and notices to holders.

A task carries only what the board and matching need to be readable: kind, day and window,
ZIP, coarse area and approximate point, language, boxes. Who the household is, where exactly
and how to reach it stay sealed in its household row; the holder opens them (audited).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import db
from aid.models._types import utcnow


class Recurrence(db.Model):
    """Weekly groceries: a delivery on each chosen day until a date or until cancelled."""

    __tablename__ = "recurrence"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True)
    weekdays: Mapped[str] = mapped_column(String(40))  # "mon,thu"
    slot: Mapped[str] = mapped_column(String(12))
    until: Mapped[date | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    made_until: Mapped[date | None] = mapped_column()  # deliveries exist up to this day


class Task(db.Model):
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True)
    recurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurrence.id", ondelete="SET NULL"))
    day: Mapped[date] = mapped_column(index=True)
    slot: Mapped[str | None] = mapped_column(String(12))  # morning, afternoon, evening
    weekslot: Mapped[int] = mapped_column(index=True)  # weekday * 3 + slot: availability
    window_start: Mapped[int] = mapped_column()  # minutes after midnight, the group's time
    window_end: Mapped[int] = mapped_column()
    zip: Mapped[str | None] = mapped_column(String(5))
    area: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None] = mapped_column()  # the ZIP's centroid: approximate
    lon: Mapped[float | None] = mapped_column()
    language: Mapped[str | None] = mapped_column(String(16))
    boxes: Mapped[int] = mapped_column(default=0)
    priority: Mapped[int] = mapped_column(default=1)  # 0 low .. 3 urgent
    min_tier: Mapped[int] = mapped_column(default=1)
    holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(String(16))
    hold_reason: Mapped[str | None] = mapped_column(String(16))
    attention: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    request = relationship("HelpRequest")
    household = relationship("Household")

    __table_args__ = (Index("ix_task_board", "status", "min_tier", "day"),)


class Claim(db.Model):
    """One volunteer's hold on one task, from the claim to its end; never two open at once."""

    __tablename__ = "claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    ending: Mapped[str | None] = mapped_column(String(16))  # completed, released, overdue ...
    reason: Mapped[str | None] = mapped_column(String(16))

    # The database itself refuses a second open claim on a task, on SQLite and PostgreSQL.
    __table_args__ = (Index("uq_claim_open_task", "task_id", unique=True,
                            sqlite_where=text("ended_at IS NULL"),
                            postgresql_where=text("ended_at IS NULL")),)


class Notice(db.Model):
    """Something a volunteer must be told (a household said not today, a hold, a new route);
    shown on their pages until they have seen it. Codes only, never personal data."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column()
