"""criminal part: a reported person's criminal stage and its events (Sentra Gakkumdu, police, prosecutor, court)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 06:00:00.000000

Issue 18 item 1: a suspected election crime is forwarded to the police within 1 x 24 hours of Bawaslu declaring
it (UU 7/2017 Ps. 476), beside the neutrality road; Netra's "other law" outcome closed the case instead.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criminal_stage', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_reported_asn_criminal_stage'), ['criminal_stage'], unique=False)
    op.create_table(
        'criminal_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reported_asn_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=16), nullable=False),
        sa.Column('stage', sa.String(length=32), nullable=False),
        sa.Column('acted_on', sa.Date(), nullable=False),
        sa.Column('acted_at', sa.DateTime(), nullable=True),
        sa.Column('answer', sa.String(length=20), nullable=True),
        sa.Column('article', sa.String(length=200), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                                name=op.f('fk_criminal_events_reported_asn_id_reported_asn')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_criminal_events')),
    )
    with op.batch_alter_table('criminal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criminal_events_reported_asn_id'), ['reported_asn_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('criminal_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criminal_events_reported_asn_id'))
    op.drop_table('criminal_events')
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_asn_criminal_stage'))
        batch_op.drop_column('criminal_stage')
