"""letter_links: a letter's addressee outside Netra opens it and confirms receipt through a single-purpose link

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 11:00:00.000000

Issue 19 item 1 (casework/letters/links.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import casework.models.base

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'letter_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('addressee', sa.String(length=300), nullable=False),
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', casework.models.base.UTCDateTime(), nullable=False),
        sa.Column('expires_at', casework.models.base.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', casework.models.base.UTCDateTime(), nullable=True),
        sa.Column('revoked_by', sa.String(length=100), nullable=True),
        sa.Column('opened_at', casework.models.base.UTCDateTime(), nullable=True),
        sa.Column('uses', sa.Integer(), nullable=False),
        sa.Column('acknowledged_at', casework.models.base.UTCDateTime(), nullable=True),
        sa.Column('acknowledged_on', sa.Date(), nullable=True),
        sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
        sa.Column('acknowledged_position', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_links_letter_id_letters')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_links')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_letter_links_token_sha256'))
    )
    with op.batch_alter_table('letter_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_links_letter_id'), ['letter_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('letter_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_links_letter_id'))
    op.drop_table('letter_links')
