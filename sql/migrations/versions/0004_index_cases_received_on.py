"""index cases received_on

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:30:55.272711
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.


def upgrade() -> None:

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_received_on'), ['received_on'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_received_on'))


