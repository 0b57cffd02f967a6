"""Volunteers: invitations, the profile each keeps, and the key that seals their contact.

A volunteer is a staff account (aid.models.people.User) with the role volunteer. Their
contact and exact start point are sealed under a key of their own (like a household's), so
removing a volunteer shreds them; the rest of the profile is what matching needs.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import db
from aid.models._types import utcnow


class Invite(db.Model):
    """A single-use, expiring invitation; only the hash of its token is stored."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tier: Mapped[int | None] = mapped_column()  # pre-vetted to this tier, or pending
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


class VolunteerKey(db.Model):
    """The volunteer's data key, wrapped by the master key; deleting it shreds their contact."""

    __tablename__ = "volunteer_key"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class VolunteerProfile(db.Model):
    """What a volunteer will do, where and when. Never immigration status, never a name."""

    __tablename__ = "volunteer_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    contact_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    languages: Mapped[str] = mapped_column(String(200), default="")  # codes, comma-separated
    deliver: Mapped[bool] = mapped_column(default=False)
    vehicle: Mapped[str | None] = mapped_column(String(8))  # car, bike, foot
    boxes: Mapped[int] = mapped_column(default=0)  # how many boxes they can carry at once
    pack: Mapped[bool] = mapped_column(default=False)
    translate_in_person: Mapped[bool] = mapped_column(default=False)
    translate_remote: Mapped[bool] = mapped_column(default=False)
    court: Mapped[bool] = mapped_column(default=False)
    enter_courts: Mapped[bool] = mapped_column(default=False)  # a risk they choose
    availability: Mapped[str] = mapped_column(String(300), default="")  # "mon:morning,..."
    home_zip: Mapped[str | None] = mapped_column(String(5))
    home_lat: Mapped[float | None] = mapped_column()  # the ZIP's centroid, not their home
    home_lon: Mapped[float | None] = mapped_column()
    max_km: Mapped[int] = mapped_column(default=5)
    start_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # an exact start point
    weekly_limit: Mapped[int] = mapped_column(default=3)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def language_set(self) -> frozenset[str]:
        return frozenset(c for c in self.languages.split(",") if c)

    def slots(self) -> frozenset[str]:
        return frozenset(s for s in self.availability.split(",") if s)
