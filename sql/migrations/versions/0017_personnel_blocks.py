"""personnel_blocks: BKN's blocking of a reported ASN's personnel data, and its lifting

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 05:00:00.000000

Issue 18 item 3: Netra could ask BKN to block the personnel data of an ASN whose PPK did not act (Peraturan BKN
1/2023, a rung of the escalation ladder) but could not record that BKN did, nor when it lifted the block.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'personnel_blocks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reported_asn_id', sa.Integer(), nullable=False),
        sa.Column('blocked_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('unblocked_on', sa.Date(), nullable=True),
        sa.Column('unblock_reference', sa.String(length=100), nullable=True),
        sa.Column('unblock_reason', sa.Text(), nullable=True),
        sa.Column('unblocked_by', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                                name=op.f('fk_personnel_blocks_reported_asn_id_reported_asn')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personnel_blocks')),
    )
    with op.batch_alter_table('personnel_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personnel_blocks_reported_asn_id'), ['reported_asn_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('personnel_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personnel_blocks_reported_asn_id'))
    op.drop_table('personnel_blocks')
