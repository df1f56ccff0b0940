"""personal_data_reads, cases.pseudonymised_at: the access log of personal data, and a case's pseudonymisation

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 15:31:00.622932

Issue 24 item 3 (casework/privacy, docs/privacy.md).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import casework.models.base

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('personal_data_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', casework.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_personal_data_reads_case_id_cases')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'], name=op.f('fk_personal_data_reads_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_reads'))
    )
    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_reads_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_reported_asn_id'), ['reported_asn_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonymised_at', casework.models.base.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('pseudonymised_at')

    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_reported_asn_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_case_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_at'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_actor'))

    op.drop_table('personal_data_reads')
