"""clarification hearings (date, time, place, invitees, attendance) and the signing officials of letters

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:00:00.000000

Backfill:
- signing officials: every office with a head_name gets it as its head (title "Ketua <short name>"), on duty
  since always. Letters issued before keep signer NULL: what they printed is in their PDF; Netra did not record it.
- hearings: every case that was invited to clarification gets one hearing as its old letter printed it — the
  first issued invitation's date + 3 days (else the day of the invitation + 3), 09:00 in the office's zone, at the
  office — inviting each reported ASN; `held` if the case went on to study (minutes: that step's text), `scheduled`
  if it is still in clarification, `cancelled` otherwise. Invitation requests move to the new invitees' keys.
"""
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _short_name(name: str) -> str:  # casework.models.Office.short_name, copied: a migration never imports models
    return name.replace("Badan Pengawas Pemilihan Umum", "Bawaslu").replace("Bawaslu Republik Indonesia",
                                                                            "Bawaslu RI")


def upgrade() -> None:
    op.create_table('signing_officials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=True),
    sa.Column('acting', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_signing_officials_office_id_offices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signing_officials_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_officials'))
    )
    with op.batch_alter_table('signing_officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_officials_office_id'), ['office_id'], unique=False)

    op.create_table('hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_on', sa.Date(), nullable=False),
    sa.Column('scheduled_time', sa.Time(), nullable=False),
    sa.Column('timezone', sa.String(length=4), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('reschedule_reason', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_recorded_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_hearings_case_id_cases')),
    sa.ForeignKeyConstraint(['replaces_id'], ['hearings.id'], name=op.f('fk_hearings_replaces_id_hearings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearings'))
    )
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearings_case_id'), ['case_id'], unique=False)

    op.create_table('hearing_invitees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('witness_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearings.id'], name=op.f('fk_hearing_invitees_hearing_id_hearings')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                            name=op.f('fk_hearing_invitees_reported_asn_id_reported_asn')),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], name=op.f('fk_hearing_invitees_reporter_id_reporters')),
    sa.ForeignKeyConstraint(['witness_id'], ['witnesses.id'], name=op.f('fk_hearing_invitees_witness_id_witnesses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_invitees'))
    )
    with op.batch_alter_table('hearing_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_invitees_hearing_id'), ['hearing_id'], unique=False)

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signer_title', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_letters_signer_id_signing_officials'), 'signing_officials',
                                    ['signer_id'], ['id'])
    _backfill(op.get_bind())


def _backfill(conn) -> None:
    offices = conn.execute(sa.text("SELECT o.id, o.name, o.head_name, o.address, p.timezone FROM offices o "
                                   "JOIN provinces p ON p.code = o.province_code")).all()
    for office_id, name, head, _address, _zone in offices:
        if head:
            conn.execute(sa.text("INSERT INTO signing_officials (office_id, name, title, acting) "
                                 "VALUES (:o, :n, :t, :a)"),
                         {"o": office_id, "n": head, "t": f"Ketua {_short_name(name)}", "a": False})
    office = {row[0]: row for row in offices}
    invited = conn.execute(sa.text(
        "SELECT c.id, c.stage, c.office_id, min(s.at) FROM cases c JOIN stage_changes s ON s.case_id = c.id "
        "WHERE s.to_stage = 'clarification' AND s.reported_asn_id IS NULL GROUP BY c.id, c.stage, c.office_id "
        "ORDER BY c.id")).all()
    for case_id, stage, office_id, invited_at in invited:
        invited_at = invited_at if isinstance(invited_at, datetime) else datetime.fromisoformat(str(invited_at))
        first_letter = conn.execute(sa.text(
            "SELECT min(issued_on) FROM letters WHERE case_id = :c AND kind = 'clarification_invitation' "
            "AND status IN ('issued', 'superseded')"), {"c": case_id}).scalar()
        if first_letter is not None and not isinstance(first_letter, date):
            first_letter = date.fromisoformat(str(first_letter))
        on = (first_letter or invited_at.date()) + timedelta(days=3)  # what the old letter printed
        study = conn.execute(sa.text("SELECT at, reason FROM stage_changes WHERE case_id = :c AND to_stage = "
                                     "'study' AND reported_asn_id IS NULL ORDER BY at LIMIT 1"), {"c": case_id}).first()
        status = "scheduled" if stage == "clarification" else "held" if study else "cancelled"
        _, name, _, address, zone = office[office_id]
        conn.execute(sa.text(
            "INSERT INTO hearings (case_id, scheduled_on, scheduled_time, timezone, place, status, "
            "reschedule_reason, minutes, minutes_recorded_on, created_at, created_by) VALUES (:c, :on, :t, :z, :p, "
            ":s, '', :m, :mo, :at, 'migration-0014')").bindparams(
                sa.bindparam("on", type_=sa.Date()), sa.bindparam("t", type_=sa.Time()),
                sa.bindparam("mo", type_=sa.Date()), sa.bindparam("at", type_=sa.DateTime())),
            {"c": case_id, "on": on, "t": time(9, 0), "z": zone, "p": f"Kantor {_short_name(name)}, {address}",
             "s": status, "m": study[1] if study and status == "held" else "",
             "mo": _day(study[0]) if study and status == "held" else None, "at": invited_at})
        hearing_id = conn.execute(sa.text("SELECT max(id) FROM hearings WHERE case_id = :c"), {"c": case_id}).scalar()
        people = conn.execute(sa.text("SELECT id, name FROM reported_asn WHERE case_id = :c ORDER BY id"),
                              {"c": case_id}).all()
        for n, (person_id, person_name) in enumerate(people, start=1):
            conn.execute(sa.text("INSERT INTO hearing_invitees (hearing_id, kind, reported_asn_id, name, role, "
                                 "position) VALUES (:h, 'reported', :p, :n, '', :pos)"),
                         {"h": hearing_id, "p": person_id, "n": person_name, "pos": n})
            invitee_id = conn.execute(sa.text("SELECT max(id) FROM hearing_invitees WHERE hearing_id = :h"),
                                      {"h": hearing_id}).scalar()
            conn.execute(sa.text("UPDATE letter_requests SET addressee_key = :new WHERE case_id = :c AND kind = "
                                 "'clarification_invitation' AND addressee_key = :old"),
                         {"new": f"invitee:{invitee_id}:reported", "c": case_id, "old": f"reported:{person_id}"})


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else datetime.fromisoformat(str(value)).date()


def downgrade() -> None:
    # invitations to a reported ASN get their old key back; those to other invitees were not possible before
    conn = op.get_bind()
    for invitee_id, person_id in conn.execute(sa.text(
            "SELECT id, reported_asn_id FROM hearing_invitees WHERE kind = 'reported'")).all():
        conn.execute(sa.text("UPDATE letter_requests SET addressee_key = :old WHERE kind = "
                             "'clarification_invitation' AND addressee_key = :new"),
                     {"old": f"reported:{person_id}", "new": f"invitee:{invitee_id}:reported"})
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_signer_id_signing_officials'), type_='foreignkey')
        batch_op.drop_column('signer_title')
        batch_op.drop_column('signer_name')
        batch_op.drop_column('signer_id')
    with op.batch_alter_table('hearing_invitees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_invitees_hearing_id'))
    op.drop_table('hearing_invitees')
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_case_id'))
    op.drop_table('hearings')
    with op.batch_alter_table('signing_officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_officials_office_id'))
    op.drop_table('signing_officials')
