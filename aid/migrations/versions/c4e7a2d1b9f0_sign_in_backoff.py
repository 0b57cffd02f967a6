"""sign-in backoff instead of a lock

Revision ID: c4e7a2d1b9f0
Revises: b1b5d2f4f9a1
Create Date: 2026-12-01 16:00:00

"""
from alembic import op

revision = "c4e7a2d1b9f0"
down_revision = "b1b5d2f4f9a1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.alter_column("locked_until", new_column_name="backoff_until")


def downgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.alter_column("backoff_until", new_column_name="locked_until")
