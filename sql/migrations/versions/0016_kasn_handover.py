"""reported ASN tracks: where a KASN-era track went under SE Menpan-RB 4/2024

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 04:00:00.000000

Issue 18 item 4: KASN's open tracks never moved after KASN's tasks passed to Kemenpan-RB and BKN. `netra pengalihan
kasn` records per track what happened (casework/road/handover.py): `bkn` (waiting for a recommendation: passed to
BKN) or `menpanrb` (KASN had recommended: the PPK reports to the Menteri PANRB). NULL: never a KASN track, or not
handed over yet.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oversight_handover', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('oversight_handover')
