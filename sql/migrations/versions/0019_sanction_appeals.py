"""sanction_appeals: objection and appeal against a PPK's decree, and a decree's status after them

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 06:30:00.000000

Issue 18 item 3: PP 79/2021's keberatan and banding administratif change whether and how a penalty stands; Netra
had no state for them.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sanction_decrees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='in_force'))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sanction_decrees_replaced_by_id_sanction_decrees'),
                                    'sanction_decrees', ['replaced_by_id'], ['id'])
    op.create_table(
        'sanction_appeals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reported_asn_id', sa.Integer(), nullable=False),
        sa.Column('decree_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('late', sa.Boolean(), nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision_number', sa.String(length=100), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.Column('revised_decree_id', sa.Integer(), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                                name=op.f('fk_sanction_appeals_reported_asn_id_reported_asn')),
        sa.ForeignKeyConstraint(['decree_id'], ['sanction_decrees.id'],
                                name=op.f('fk_sanction_appeals_decree_id_sanction_decrees')),
        sa.ForeignKeyConstraint(['revised_decree_id'], ['sanction_decrees.id'],
                                name=op.f('fk_sanction_appeals_revised_decree_id_sanction_decrees')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sanction_appeals')),
    )
    with op.batch_alter_table('sanction_appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanction_appeals_reported_asn_id'), ['reported_asn_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sanction_appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanction_appeals_reported_asn_id'))
    op.drop_table('sanction_appeals')
    with op.batch_alter_table('sanction_decrees', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sanction_decrees_replaced_by_id_sanction_decrees'), type_='foreignkey')
        batch_op.drop_column('replaced_by_id')
        batch_op.drop_column('status')
