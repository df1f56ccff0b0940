"""deadlines.letter_id: a deadline that waits on one letter (its addressee's confirmation of receipt)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 11:10:00.000000

Issue 19 item 1: no confirmation within the rule's time is a reminder to the addressee, then a notice up the line.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_deadlines_letter_id_letters'), 'letters', ['letter_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deadlines_letter_id_letters'), type_='foreignkey')
        batch_op.drop_column('letter_id')
