"""Small shared column helpers."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now: one convention for SQLite and PostgreSQL alike."""
    return datetime.now(UTC).replace(tzinfo=None)
