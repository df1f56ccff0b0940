"""cases.next_due_at: each case's nearest open deadline, indexed (with the regency) for "Tugas saya"; an index on
reported_asn.track_stage for the tracks waiting on someone

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 01:06:05.654049

From here on casework.deadlines.records keeps it in the transaction that starts or stops a deadline; the upgrade
fills it for the cases that exist (the earliest due_at of their open deadlines, NULL without one).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_at', sa.DateTime(), nullable=True))

    cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('next_due_at', sa.DateTime()))
    deadlines = sa.table('deadlines', sa.column('case_id', sa.Integer()), sa.column('status', sa.String()),
                         sa.column('due_at', sa.DateTime()))
    earliest = (sa.select(sa.func.min(deadlines.c.due_at))
                .where(deadlines.c.case_id == cases.c.id, deadlines.c.status == 'open').scalar_subquery())
    op.execute(cases.update().values(next_due_at=earliest))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_next_due_at'), ['next_due_at'], unique=False)
        batch_op.create_index('ix_cases_regency_next_due_at', ['regency_code', 'next_due_at'], unique=False)

    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reported_asn_track_stage'), ['track_stage'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_asn_track_stage'))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_regency_next_due_at')
        batch_op.drop_index(batch_op.f('ix_cases_next_due_at'))
        batch_op.drop_column('next_due_at')
