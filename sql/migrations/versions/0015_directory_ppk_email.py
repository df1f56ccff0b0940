"""organisations directory: each PPK's email address beside its agency's personnel unit's

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 09:00:00.000000

Issue 17 item 5: everyone concerned is told. The directory already held each Bawaslu office's, each oversight
body's and each personnel unit's (BKPSDM/BKD) address; the PPK had none, so a letter or notice to the PPK went to
the BKPSDM. Empty until the system administrator fills it in (a missing address is a task on the case page).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ppk_email', sa.String(length=200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('ppk_email')
