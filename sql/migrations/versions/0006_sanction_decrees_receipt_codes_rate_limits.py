"""sanction decrees, receipt codes, rate limits

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 00:18:52.014290
"""
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.

# The receipt code's alphabet (Crockford base32, as casework/reporter_status.py), copied so the migration stays
# what it was when written.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def upgrade() -> None:
    op.create_table('rate_limit_hits',
    sa.Column('bucket', sa.String(length=100), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bucket', 'window_start', name=op.f('pk_rate_limit_hits'))
    )
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_window_start'), ['window_start'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_code', sa.String(length=12), nullable=True))
    # Every report (laporan) already recorded gets its receipt code, so its reporter can follow it too.
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('source', sa.String),
                     sa.column('receipt_code', sa.String))
    conn = op.get_bind()
    ids = conn.execute(sa.select(cases.c.id).where(cases.c.source == 'laporan', cases.c.receipt_code.is_(None))
                       .order_by(cases.c.id)).scalars().all()
    codes: set[str] = set()
    for case_id in ids:
        code = ''.join(secrets.choice(ALPHABET) for _ in range(12))
        while code in codes:
            code = ''.join(secrets.choice(ALPHABET) for _ in range(12))
        codes.add(code)
        conn.execute(cases.update().where(cases.c.id == case_id).values(receipt_code=code))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_cases_receipt_code'), ['receipt_code'])

    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decree_signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('decree_signer_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('effective_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decree_file', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('decree_file_name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('decree_file_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decree_file_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('finding_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('finding_reason')
        batch_op.drop_column('decree_file_sha256')
        batch_op.drop_column('decree_file_size')
        batch_op.drop_column('decree_file_name')
        batch_op.drop_column('decree_file')
        batch_op.drop_column('effective_until')
        batch_op.drop_column('effective_from')
        batch_op.drop_column('decree_signer_title')
        batch_op.drop_column('decree_signer_name')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cases_receipt_code'), type_='unique')
        batch_op.drop_column('receipt_code')

    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_window_start'))

    op.drop_table('rate_limit_hits')
