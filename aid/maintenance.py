"""Keeping the embedded database quick as the books and the board grow.

SQLite plans a query by what it knows of each index; without statistics it guesses, and on a
year of books it chose to read every income and expense posting ever made for one year's
monthly report. A daily ANALYZE (bounded: about a thousand index rows sampled per index, a
few milliseconds) gives it the numbers. sqlite_stat1 holds only counts; where SQLite is
built with STAT4, its sample of indexed values would copy data past a purge, so it is
emptied. PostgreSQL's autovacuum keeps its own statistics: nothing to do there.
"""
from __future__ import annotations

from aid.extensions import db

ANALYSIS_LIMIT = 1000  # index rows SQLite samples per index (0 would read them all)


def statistics_job() -> bool:
    """Refresh SQLite's planner statistics; False where the database keeps its own."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
        stat4 = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'").first()
        if stat4 is not None:
            conn.exec_driver_sql("DELETE FROM sqlite_stat4")
    return True
