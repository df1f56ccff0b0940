"""letter_signatures: the certified signatures on an issued letter; signing_officials.signs_as (ttd | paraf)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 10:00:00.000000

Issue 22: letters signed with PAdES signatures (casework.signing), a paraf before the signer where the letter
takes one. The keys stay in files (NETRA_SIGNING_DIR); the database records who signed with which certificate.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import casework.models.base

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'letter_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=8), nullable=False),
        sa.Column('official_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('cert_subject', sa.String(length=300), nullable=False),
        sa.Column('cert_issuer', sa.String(length=300), nullable=False),
        sa.Column('cert_serial', sa.String(length=80), nullable=False),
        sa.Column('cert_sha256', sa.String(length=64), nullable=False),
        sa.Column('signed_at', casework.models.base.UTCDateTime(), nullable=False),
        sa.Column('timestamped', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_signatures_letter_id_letters')),
        sa.ForeignKeyConstraint(['official_id'], ['signing_officials.id'],
                                name=op.f('fk_letter_signatures_official_id_signing_officials')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_signatures')),
        sa.UniqueConstraint('letter_id', 'position', name=op.f('uq_letter_signatures_letter_id_position'))
    )
    with op.batch_alter_table('letter_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_signatures_letter_id'), ['letter_id'], unique=False)
    with op.batch_alter_table('signing_officials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signs_as', sa.String(length=8), server_default='ttd', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('signing_officials', schema=None) as batch_op:
        batch_op.drop_column('signs_as')
    with op.batch_alter_table('letter_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_signatures_letter_id'))
    op.drop_table('letter_signatures')
