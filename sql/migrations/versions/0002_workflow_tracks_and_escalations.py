"""workflow tracks and escalations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:14:09.979297
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('track_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'], name=op.f('fk_track_escalations_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_track_escalations'))
    )
    with op.batch_alter_table('track_escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_escalations_reported_asn_id'), ['reported_asn_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plenary_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('study_extended', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommended_sanction', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sanction', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('decree_number', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('decree_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('escalation_step', sa.Integer(), nullable=False, server_default='0'))




def downgrade() -> None:

    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('escalation_step')
        batch_op.drop_column('decree_date')
        batch_op.drop_column('decree_number')
        batch_op.drop_column('sanction')
        batch_op.drop_column('recommended_sanction')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('study_extended')
        batch_op.drop_column('plenary_outcome')

    with op.batch_alter_table('track_escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_escalations_reported_asn_id'))

    op.drop_table('track_escalations')

