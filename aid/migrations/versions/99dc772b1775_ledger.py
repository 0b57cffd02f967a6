"""ledger: funds, accounts, append-only transactions and postings, and the triggers that
keep the books balanced and unchangeable on SQLite and PostgreSQL alike

Revision ID: 99dc772b1775
Revises: cd3dc2296aca
Create Date: 2026-12-01 14:58:20.351456

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '99dc772b1775'
down_revision = 'cd3dc2296aca'
branch_labels = None
depends_on = None



# Tables whose rows are never updated or deleted (aid.models.ledger.APPEND_ONLY, frozen here).
APPEND_ONLY = ("ledger_txn", "ledger_posting", "ledger_disbursement", "ledger_decision",
               "ledger_bail_case", "ledger_receipt", "ledger_thanks")
GENESIS = "0" * 64

# SQLite has no commit-time triggers: the transaction row is inserted after its postings, and
# its insert is the statement that checks them. A posting for a sealed transaction is refused,
# and a posting left without its transaction fails the deferred foreign key at commit.
SQLITE = [
    *[f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
        BEGIN SELECT RAISE(ABORT, 'ledger rows are never updated: {t}'); END""" for t in APPEND_ONLY],
    *[f"""CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
        BEGIN SELECT RAISE(ABORT, 'ledger rows are never deleted: {t}'); END""" for t in APPEND_ONLY],
    """CREATE TRIGGER ledger_posting_open BEFORE INSERT ON ledger_posting BEGIN
        SELECT RAISE(ABORT, 'ledger: the transaction is already sealed')
          WHERE EXISTS (SELECT 1 FROM ledger_txn WHERE id = NEW.txn_id);
        SELECT RAISE(ABORT, 'ledger: the account is closed')
          WHERE EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.account_id AND closed_at IS NOT NULL);
        SELECT RAISE(ABORT, 'ledger: the fund is closed')
          WHERE EXISTS (SELECT 1 FROM ledger_fund WHERE id = NEW.fund_id AND closed_at IS NOT NULL);
    END""",
    f"""CREATE TRIGGER ledger_txn_seal BEFORE INSERT ON ledger_txn BEGIN
        SELECT RAISE(ABORT, 'ledger: a transaction needs at least two postings')
          WHERE (SELECT COUNT(*) FROM ledger_posting WHERE txn_id = NEW.id) < 2;
        SELECT RAISE(ABORT, 'ledger: unbalanced transaction')
          WHERE EXISTS (SELECT 1 FROM ledger_posting WHERE txn_id = NEW.id
                        GROUP BY currency HAVING SUM(amount) <> 0);
        SELECT RAISE(ABORT, 'ledger: out of sequence')
          WHERE NEW.id <> COALESCE((SELECT MAX(id) FROM ledger_txn), 0) + 1;
        SELECT RAISE(ABORT, 'ledger: previous hash does not match')
          WHERE NEW.prev_hash IS NOT COALESCE((SELECT hash FROM ledger_txn WHERE id = NEW.id - 1), '{GENESIS}');
    END""",
    """CREATE TRIGGER ledger_decision_not_own BEFORE INSERT ON ledger_decision BEGIN
        SELECT RAISE(ABORT, 'ledger: nobody approves their own disbursement')
          WHERE NEW.approved AND NEW.decided_by =
            (SELECT requested_by FROM ledger_disbursement WHERE id = NEW.disbursement_id);
    END""",
]

POSTGRES = [
    """CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger rows are never updated or deleted: %', TG_TABLE_NAME;
    END $$""",
    *[f"""CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()""" for t in APPEND_ONLY],
    """CREATE FUNCTION ledger_posting_open() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM ledger_txn WHERE id = NEW.txn_id) THEN
            RAISE EXCEPTION 'ledger: the transaction is already sealed';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.account_id AND closed_at IS NOT NULL) THEN
            RAISE EXCEPTION 'ledger: the account is closed';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_fund WHERE id = NEW.fund_id AND closed_at IS NOT NULL) THEN
            RAISE EXCEPTION 'ledger: the fund is closed';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_posting_open BEFORE INSERT ON ledger_posting
        FOR EACH ROW EXECUTE FUNCTION ledger_posting_open()""",
    f"""CREATE FUNCTION ledger_txn_seal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT COUNT(*) FROM ledger_posting WHERE txn_id = NEW.id) < 2 THEN
            RAISE EXCEPTION 'ledger: a transaction needs at least two postings';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_posting WHERE txn_id = NEW.id
                   GROUP BY currency HAVING SUM(amount) <> 0) THEN
            RAISE EXCEPTION 'ledger: unbalanced transaction';
        END IF;
        IF NEW.id <> COALESCE((SELECT MAX(id) FROM ledger_txn), 0) + 1 THEN
            RAISE EXCEPTION 'ledger: out of sequence';
        END IF;
        IF NEW.prev_hash IS DISTINCT FROM
           COALESCE((SELECT hash FROM ledger_txn WHERE id = NEW.id - 1), '{GENESIS}') THEN
            RAISE EXCEPTION 'ledger: previous hash does not match';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_txn_seal BEFORE INSERT ON ledger_txn
        FOR EACH ROW EXECUTE FUNCTION ledger_txn_seal()""",
    """CREATE FUNCTION ledger_decision_not_own() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.approved AND NEW.decided_by =
           (SELECT requested_by FROM ledger_disbursement WHERE id = NEW.disbursement_id) THEN
            RAISE EXCEPTION 'ledger: nobody approves their own disbursement';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_decision_not_own BEFORE INSERT ON ledger_decision
        FOR EACH ROW EXECUTE FUNCTION ledger_decision_not_own()""",
]
POSTGRES_FUNCTIONS = ("ledger_refuse_change", "ledger_posting_open", "ledger_txn_seal",
                      "ledger_decision_not_own")


def _install_triggers():
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('ledger_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_account_type'), ['type'], unique=False)

    op.create_table('ledger_bail_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('posted_by', sa.String(length=32), nullable=False),
    sa.Column('receipt_holder', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pseudonym')
    )
    op.create_table('ledger_fund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('allow_negative', sa.Boolean(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('ledger_receipt',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('ledger_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('goal', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['fund_id'], ['ledger_fund.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('ledger_disbursement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payee_kind', sa.String(length=16), nullable=False),
    sa.Column('payee', sa.String(length=32), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('from_account_id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('receipt_id', sa.String(length=32), nullable=True),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name='ck_disbursement_positive'),
    sa.ForeignKeyConstraint(['category_id'], ['ledger_account.id'], ),
    sa.ForeignKeyConstraint(['from_account_id'], ['ledger_account.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['ledger_fund.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['ledger_receipt.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('ledger_decision',
    sa.Column('disbursement_id', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['disbursement_id'], ['ledger_disbursement.id'], ),
    sa.PrimaryKeyConstraint('disbursement_id')
    )
    op.create_table('ledger_txn',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('counterparty_kind', sa.String(length=16), nullable=True),
    sa.Column('counterparty', sa.String(length=32), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('bail_case_id', sa.Integer(), nullable=True),
    sa.Column('disbursement_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['bail_case_id'], ['ledger_bail_case.id'], ),
    sa.ForeignKeyConstraint(['campaign_id'], ['ledger_campaign.id'], ),
    sa.ForeignKeyConstraint(['disbursement_id'], ['ledger_disbursement.id'], ),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_txn.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('disbursement_id'),
    sa.UniqueConstraint('hash'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('reverses_id')
    )
    with op.batch_alter_table('ledger_txn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_txn_bail_case_id'), ['bail_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_txn_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_txn_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_txn_occurred_on'), ['occurred_on'], unique=False)

    op.create_table('ledger_posting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('txn_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.CheckConstraint('amount <> 0', name='ck_posting_nonzero'),
    sa.CheckConstraint('length(currency) = 3', name='ck_posting_currency'),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['ledger_fund.id'], ),
    sa.ForeignKeyConstraint(['txn_id'], ['ledger_txn.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledger_posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_posting_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_ledger_posting_balance', ['fund_id', 'account_id', 'txn_id', 'amount'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_posting_txn_id'), ['txn_id'], unique=False)

    op.create_table('ledger_thanks',
    sa.Column('txn_id', sa.Integer(), nullable=False),
    sa.Column('thanked_by', sa.Integer(), nullable=True),
    sa.Column('thanked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['txn_id'], ['ledger_txn.id'], ),
    sa.PrimaryKeyConstraint('txn_id')
    )
    # ### end Alembic commands ###
    _install_triggers()


def downgrade():
    # Dropping a table drops its triggers; PostgreSQL keeps the functions until told.
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table('ledger_thanks')
    with op.batch_alter_table('ledger_posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_posting_txn_id'))
        batch_op.drop_index('ix_ledger_posting_balance')
        batch_op.drop_index(batch_op.f('ix_ledger_posting_account_id'))

    op.drop_table('ledger_posting')
    with op.batch_alter_table('ledger_txn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_txn_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_ledger_txn_kind'))
        batch_op.drop_index(batch_op.f('ix_ledger_txn_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_txn_bail_case_id'))

    op.drop_table('ledger_txn')
    op.drop_table('ledger_decision')
    op.drop_table('ledger_disbursement')
    op.drop_table('ledger_campaign')
    op.drop_table('ledger_receipt')
    op.drop_table('ledger_fund')
    op.drop_table('ledger_bail_case')
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_account_type'))

    op.drop_table('ledger_account')
    # ### end Alembic commands ###
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
