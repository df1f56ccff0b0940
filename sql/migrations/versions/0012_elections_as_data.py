"""elections as data: each election's period (starts_on … ends_on), the regulation that sets it, a parent for a
re-vote (PSU), and its named stages (election_stages)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:30:00.000000

Backfill: the rows of the two real 2024 elections get the dates of their KPU regulations — Pemilu 2024 (kind
pemilu, voting 14 Feb 2024: PKPU 3/2022) and every Pilkada 2024 (kind pilkada, voting 27 Nov 2024: PKPU 2/2024).
The dates are copied here from casework/rules/elections.toml as it stood, so the migration never depends on a
rules file that may change later. Any other row (none is known) gets a provisional period: its voting day ±1 year,
widened to every incident date of its cases, so no case recorded under it falls outside.
"""
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

D = date.fromisoformat
KNOWN = {
    ("pemilu", D("2024-02-14")): (D("2022-06-14"), D("2024-10-20"), "PKPU 3/2022 (tahapan dan jadwal Pemilu 2024), Lampiran",
                                  [("campaign", "2023-11-28", "2024-02-10"), ("quiet", "2024-02-11", "2024-02-13"),
                                   ("counting", "2024-02-14", "2024-03-20")]),
    ("pilkada", D("2024-11-27")): (D("2024-01-26"), D("2025-02-20"),
                                   "PKPU 2/2024 (tahapan dan jadwal Pemilihan 2024), Lampiran",
                                   [("campaign", "2024-09-25", "2024-11-23"), ("quiet", "2024-11-24", "2024-11-26"),
                                    ("counting", "2024-11-27", "2024-12-16")]),
}


def upgrade() -> None:
    op.create_table('election_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_election_stages_election_id_elections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election_stages')),
    sa.UniqueConstraint('election_id', 'code', name=op.f('uq_election_stages_election_id_code'))
    )
    with op.batch_alter_table('election_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_election_stages_election_id'), ['election_id'], unique=False)

    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_elections_parent_id_elections'), 'elections', ['parent_id'], ['id'])

    _backfill(op.get_bind())

    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.alter_column('starts_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('ends_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('basis', existing_type=sa.String(length=300), server_default=None)


def _backfill(conn) -> None:
    elections = sa.table('elections', sa.column('id', sa.Integer()), sa.column('kind', sa.String()),
                         sa.column('voting_day', sa.Date()), sa.column('starts_on', sa.Date()),
                         sa.column('ends_on', sa.Date()), sa.column('basis', sa.String()))
    stages = sa.table('election_stages', sa.column('election_id', sa.Integer()), sa.column('code', sa.String()),
                      sa.column('starts_on', sa.Date()), sa.column('ends_on', sa.Date()))
    cases = sa.table('cases', sa.column('election_id', sa.Integer()), sa.column('occurred_on', sa.Date()))
    for id_, kind, voting_day in conn.execute(sa.select(elections.c.id, elections.c.kind, elections.c.voting_day)).all():
        if isinstance(voting_day, str):  # SQLite through a plain table() may hand back text
            voting_day = D(voting_day)
        known = KNOWN.get((kind, voting_day))
        if known:
            starts, ends, basis, named = known
            conn.execute(stages.insert(), [{"election_id": id_, "code": code, "starts_on": D(a), "ends_on": D(b)}
                                           for code, a, b in named])
        else:
            first, last = conn.execute(sa.select(sa.func.min(cases.c.occurred_on), sa.func.max(cases.c.occurred_on))
                                       .where(cases.c.election_id == id_)).one()
            first, last = (D(v) if isinstance(v, str) else v for v in (first, last))
            starts = min(filter(None, [voting_day - timedelta(days=365), first]))
            ends = max(filter(None, [voting_day + timedelta(days=365), last]))
            basis = ""
        conn.execute(elections.update().where(elections.c.id == id_)
                     .values(starts_on=starts, ends_on=ends, basis=basis))


def downgrade() -> None:
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_elections_parent_id_elections'), type_='foreignkey')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('basis')
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')

    with op.batch_alter_table('election_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_election_stages_election_id'))

    op.drop_table('election_stages')
