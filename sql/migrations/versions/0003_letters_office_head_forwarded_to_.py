"""letters: office head, forwarded_to, recipient

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:34:21.411812
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.


def upgrade() -> None:

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forwarded_to', sa.String(length=200), nullable=True))

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=300), nullable=False, server_default=''))

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_name', sa.String(length=200), nullable=False, server_default=''))




def downgrade() -> None:

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('head_name')

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('recipient')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('forwarded_to')


