"""Small shared column helpers."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC now: one convention for SQLite and PostgreSQL alike."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
