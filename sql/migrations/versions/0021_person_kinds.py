"""reported_asn.person_kind and village: reported people who are not ASN

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 07:30:00.000000

Issue 18 item 2: village heads and officials (identified by NIK), TNI soldiers and Polri officers (NRP) and others
are reported too; each is forwarded to their own institution. Every existing row is an ASN.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_kind', sa.String(length=20), nullable=False, server_default='asn'))
        batch_op.add_column(sa.Column('village', sa.String(length=200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('village')
        batch_op.drop_column('person_kind')
