"""Households and their requests for help. Personal fields are ciphertext (see aid.crypto).

Readable columns are only what triage, the board and matching need: ZIP, coarse area and
approximate (ZIP-centroid) coordinates, language, kinds, statuses and dates. A test pins the
allowlist of columns so that no immigration status, birth date or legal name can creep in.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aid.extensions import db
from aid.models._types import utcnow


class Household(db.Model):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # random, binds ciphertexts
    status_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(16))
    zip: Mapped[str] = mapped_column(String(5), index=True)
    area: Mapped[str] = mapped_column(String(64))
    approx_lat: Mapped[float | None] = mapped_column()
    approx_lon: Mapped[float | None] = mapped_column()
    name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    contact_enc: Mapped[bytes] = mapped_column(LargeBinary)
    address_enc: Mapped[bytes] = mapped_column(LargeBinary)
    coords_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    safety_notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    code_word_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(32), index=True)
    address_index: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_closed_at: Mapped[datetime | None] = mapped_column()

    requests: Mapped[list[HelpRequest]] = relationship(
        back_populates="household", cascade="all, delete-orphan", passive_deletes=True,
        order_by="HelpRequest.id")
    key: Mapped[HouseholdKey | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False)


class HouseholdKey(db.Model):
    """The household's data key, wrapped by the master key. Deleting it shreds the data."""

    __tablename__ = "household_key"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class HelpRequest(db.Model):
    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    details_enc: Mapped[bytes] = mapped_column(LargeBinary)
    decline_reason: Mapped[str | None] = mapped_column(String(24))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    household: Mapped[Household] = relationship(back_populates="requests")
