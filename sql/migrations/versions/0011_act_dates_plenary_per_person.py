"""Act dates and the plenary's per-person outcome: stage_changes.acted_on (the day the act happened, apart from
when it was recorded); cases.plenary_decided_on/_by/reasoning; reported_asn.plenary_outcome/violations/referred_to

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Existing rows: acted_on stays NULL (read as the local date of `at`, which is what it was until now). A case
decided before this migration gets each reported person's outcome from the case's (then the only one), its
violation codes from the case's, and its decision day from the plenary's history row when there is one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acted_on', sa.Date(), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plenary_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('plenary_decided_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('plenary_reasoning', sa.Text(), nullable=True))
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plenary_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('plenary_violations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('plenary_referred_to', sa.String(length=200), nullable=True))

    bind = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('plenary_outcome', sa.String()),
                     sa.column('forwarded_to', sa.String()))
    people = sa.table('reported_asn', sa.column('id', sa.Integer()), sa.column('case_id', sa.Integer()),
                      sa.column('plenary_outcome', sa.String()), sa.column('plenary_violations', sa.JSON()),
                      sa.column('plenary_referred_to', sa.String()))
    violations = sa.table('case_violations', sa.column('case_id', sa.Integer()), sa.column('code', sa.String()))
    decided = bind.execute(sa.select(cases.c.id, cases.c.plenary_outcome, cases.c.forwarded_to)
                           .where(cases.c.plenary_outcome.is_not(None))).all()
    for case_id, outcome, forwarded_to in decided:
        codes = sorted(bind.execute(sa.select(violations.c.code).where(violations.c.case_id == case_id)).scalars())
        bind.execute(people.update().where(people.c.case_id == case_id).values(
            plenary_outcome=outcome, plenary_violations=codes if outcome == 'violation' else None,
            plenary_referred_to=forwarded_to if outcome == 'other_law' else None))


def downgrade() -> None:
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_column('plenary_referred_to')
        batch_op.drop_column('plenary_violations')
        batch_op.drop_column('plenary_outcome')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('plenary_reasoning')
        batch_op.drop_column('plenary_decided_by')
        batch_op.drop_column('plenary_decided_on')
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.drop_column('acted_on')
