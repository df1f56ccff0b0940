"""notices, outbox claims, lifecycle runs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 23:56:21.628467
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.


def upgrade() -> None:
    op.create_table('lifecycle_runs',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_lifecycle_runs_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_lifecycle_runs')),
    sa.UniqueConstraint('run_id', name=op.f('uq_lifecycle_runs_run_id'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_notice_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_deadlines_status_next_notice_at', ['status', 'next_notice_at'], unique=False)
    # Open deadlines made before notices existed: the next sweep looks at each once and works out which notice,
    # if any, is owed now (only the latest one; never a backlog).
    deadlines = sa.table('deadlines', sa.column('status', sa.String), sa.column('created_at', sa.DateTime),
                         sa.column('next_notice_at', sa.DateTime))
    op.execute(deadlines.update().where(deadlines.c.status == 'open').values(next_notice_at=deadlines.c.created_at))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_status_next_notice_at')
        batch_op.drop_column('next_notice_at')

    op.drop_table('lifecycle_runs')
