"""information_items, cases.channel, reporters.confidential, outbox.channel/sender: the public side

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 23:06:24.113119

Issue 20: the inbox of initial information (casework.inbox), how a case came in (the public form: "online"), the
reporter's request for confidentiality, and the outbox's channel (email or WhatsApp) and sending number.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import casework.models.base

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('information_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.Column('received_at', casework.models.base.UTCDateTime(), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('sender_contact', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('media', sa.JSON(), nullable=False),
    sa.Column('receipt_code', sa.String(length=12), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('triaged_by', sa.String(length=100), nullable=True),
    sa.Column('triaged_at', casework.models.base.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_information_items_case_id_cases')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_information_items_office_id_offices')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'],
                            name=op.f('fk_information_items_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_information_items')),
    sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_information_items_channel_external_id')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_information_items_receipt_code'))
    )
    with op.batch_alter_table('information_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_information_items_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_information_items_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_information_items_status'), ['status'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='desk', nullable=False))

    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='email', nullable=False))
        batch_op.add_column(sa.Column('sender', sa.String(length=64), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('sender')
        batch_op.drop_column('channel')

    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.drop_column('confidential')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('channel')

    with op.batch_alter_table('information_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_information_items_status'))
        batch_op.drop_index(batch_op.f('ix_information_items_received_at'))
        batch_op.drop_index(batch_op.f('ix_information_items_office_id'))

    op.drop_table('information_items')
