"""Staff accounts (volunteers, dispatchers, treasurers, admins) and their server-side sessions."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from aid.extensions import db
from aid.models._types import utcnow

ROLES = ("volunteer", "dispatcher", "treasurer", "admin")
TOTP_ROLES = frozenset({"dispatcher", "treasurer", "admin"})


class User(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    roles: Mapped[str] = mapped_column(String(64), default="volunteer")
    # The TOTP secret is sealed under a key derived from the master key.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_last_step: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)  # paused or removed: False
    # Volunteers join pending and see tasks once a dispatcher approves them; the tier says
    # which tasks they may hold (see aid.vocabulary.TIERS). Staff made by an organizer
    # start approved.
    vetting: Mapped[str] = mapped_column(String(16), default="approved")
    tier: Mapped[int] = mapped_column(default=0)
    removed_at: Mapped[datetime | None] = mapped_column()
    failed_logins: Mapped[int] = mapped_column(default=0)  # wrong sign-ins in a row
    backoff_until: Mapped[datetime | None] = mapped_column()  # the next try waits till then
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set & set(roles))

    @property
    def needs_totp(self) -> bool:
        return bool(self.role_set & TOTP_ROLES)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def approved(self) -> bool:
        return self.vetting == "approved" and self.active


class StaffSession(db.Model):
    """A login: only the hash of its token is stored, so a session ends on the server."""

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
