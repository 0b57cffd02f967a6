"""ledger: PostgreSQL refuses TRUNCATE of the append-only tables too

Row triggers do not fire on TRUNCATE, so until now a TRUNCATE written behind the app's back
emptied the books that refuse DELETE. SQLite has no TRUNCATE (its DELETE without WHERE still
fires the row triggers).

Revision ID: d2a7c41e9b53
Revises: cb1061a71ad8
Create Date: 2026-12-07 17:00:00

"""
from alembic import op

revision = 'd2a7c41e9b53'
down_revision = 'cb1061a71ad8'
branch_labels = None
depends_on = None

# aid.models.ledger.APPEND_ONLY, frozen here as in 99dc772b1775.
APPEND_ONLY = ("ledger_txn", "ledger_posting", "ledger_disbursement", "ledger_decision",
               "ledger_bail_case", "ledger_receipt", "ledger_thanks")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
