"""The schema the migrations build is the schema the models describe (on SQLite and, with
DATABASE_URL, on PostgreSQL): a model changed without its migration fails here."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from aid.extensions import db


def test_migrated_schema_equals_the_models(app):
    """The test database was built by running every migration from empty (tests/support)."""
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": False,
                "render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_the_comparison_sees_a_difference(app):
    """The control: a column the migrations never made is reported."""
    from sqlalchemy import Column, Integer, MetaData, Table

    with app.app_context():
        extra = MetaData()
        for table in db.metadata.sorted_tables:
            table.to_metadata(extra)
        Table("household", extra, Column("unmigrated", Integer), extend_existing=True)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, extra)
    assert [d[0] for d in diff] == ["add_column"]
