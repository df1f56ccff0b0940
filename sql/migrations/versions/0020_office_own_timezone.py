"""offices.own_timezone: an office abroad (Panwaslu LN) works in its own time zone

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 07:00:00.000000

Issue 18 item 5: offices abroad have no Indonesian province whose zone their deadlines could end in.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_timezone', sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('own_timezone')
