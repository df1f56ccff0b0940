"""dual sanctions: a second recommended sanction per reported ASN, and one row per sanction decree

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 10:00:00.000000

Issue 16 item 6: one reported ASN can carry a moral sanction and a discipline penalty together (SKB 2022). The
track keeps its first recommendation and first decree where they were (reported_asn.recommended_sanction,
sanction, decree_*); the second recommendation gets a column, and every decree a row in sanction_decrees —
backfilled here with each decree already recorded.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommended_second_sanction', sa.String(length=64), nullable=True))

    op.create_table('sanction_decrees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=False),
    sa.Column('sanction', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_title', sa.String(length=200), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_until', sa.Date(), nullable=True),
    sa.Column('file', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                            name=op.f('fk_sanction_decrees_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanction_decrees'))
    )
    with op.batch_alter_table('sanction_decrees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanction_decrees_reported_asn_id'), ['reported_asn_id'], unique=False)

    # Backfill: each decree already recorded becomes its row (recorded when its track reached `sanctioned`).
    op.execute("""
        INSERT INTO sanction_decrees (reported_asn_id, sanction, number, signed_on, signer_name, signer_title,
                                      effective_from, effective_until, file, file_name, file_size, file_sha256,
                                      recorded_at)
        SELECT id, sanction, decree_number, decree_date, COALESCE(decree_signer_name, ''),
               COALESCE(decree_signer_title, ''), effective_from, effective_until, decree_file, decree_file_name,
               decree_file_size, decree_file_sha256, track_since
        FROM reported_asn
        WHERE sanction IS NOT NULL AND decree_number IS NOT NULL AND decree_date IS NOT NULL
        ORDER BY id
    """)


def downgrade() -> None:
    # A second decree exists only in sanction_decrees: going down loses it (the first stays on reported_asn).
    with op.batch_alter_table('sanction_decrees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanction_decrees_reported_asn_id'))
    op.drop_table('sanction_decrees')
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('recommended_second_sanction')
