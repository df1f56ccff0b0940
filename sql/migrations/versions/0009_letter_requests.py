"""letter requests: the letters a case is owed are rows, claimed once by whoever issues them; superseded letters

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 14:05:00.000000

Until now what a case was owed was worked out by scanning the audit trail, and the desk, the CLI and Airflow
issued independently — one report got four receipts. From here on casework.letters.requests writes a
`letter_requests` row per addressee in the decision's own transaction, and casework.letters.issue claims it with a
conditional UPDATE; a partial unique index allows at most one `issued` letter per request. A correction supersedes
the earlier letter (`superseded_by_id`, `superseded_reason`).

The upgrade fills the table for the letters and decisions that exist:
- one `issued` request per issued letter (linked both ways);
- one `open` request per (kind, addressee) that the old audit scan still finds owed: the kinds the case's `case.*`
  events asked for (a step on one reported ASN's track only for that person), without an issued letter of that
  kind about that person to that addressee — the old scan, copied here (as it stood) so this migration never
  depends on code that has since been removed.
The downgrade turns superseded letters into void ones (the old code knows no other way to say "no longer valid").
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Netra: autogenerate writes model TypeDecorators (casework.models.base.UTCDateTime); replace them with the plain
# sa.DateTime() they wrap, so a migration never depends on model code.

# casework/rules/letters.toml as it stood: kind -> (recipient, per_track)
KINDS = {
    "receipt": ("reporter", False), "completion_notice": ("reporter", False),
    "non_registration_notice": ("reporter", False), "clarification_invitation": ("reported", False),
    "clarification_minutes": ("none", False), "status_announcement": ("reporter", False),
    "recommendation_to_oversight": ("oversight", False), "forward_other_institution": ("institution", False),
    "ppk_reminder": ("ppk", True), "ppk_warning": ("ppk", True), "personnel_block_request": ("oversight", True),
    "ppk_supervisor_report": ("ppk_supervisor", True),
}
# casework/rules/oversight_bodies.toml's head titles (the label a letter to the oversight body is addressed to)
OVERSIGHT_HEADS = {"KASN": "Ketua Komisi Aparatur Sipil Negara", "BKN": "Kepala Badan Kepegawaian Negara"}

letters = sa.table('letters', sa.column('id', sa.Integer()), sa.column('case_id', sa.Integer()),
                   sa.column('reported_asn_id', sa.Integer()), sa.column('kind', sa.String()),
                   sa.column('recipient', sa.String()), sa.column('status', sa.String()),
                   sa.column('issued_by', sa.String()), sa.column('created_at', sa.DateTime()),
                   sa.column('request_id', sa.Integer()), sa.column('void_reason', sa.Text()),
                   sa.column('superseded_reason', sa.Text()), sa.column('superseded_by_id', sa.Integer()),
                   sa.column('number', sa.String()))
requests = sa.Table('letter_requests', sa.MetaData(),  # a Table: inserts report the new id
                    sa.Column('id', sa.Integer(), primary_key=True), sa.Column('case_id', sa.Integer()),
                    sa.Column('kind', sa.String()), sa.Column('reported_asn_id', sa.Integer()),
                    sa.Column('addressee_key', sa.String()), sa.Column('addressee_label', sa.String()),
                    sa.Column('cause', sa.String()), sa.Column('audit_event_id', sa.Integer()),
                    sa.Column('requested_at', sa.DateTime()), sa.Column('requested_by', sa.String()),
                    sa.Column('status', sa.String()), sa.Column('claims', sa.Integer()),
                    sa.Column('letter_id', sa.Integer()))
audit_events = sa.table('audit_events', sa.column('id', sa.Integer()), sa.column('case_id', sa.Integer()),
                        sa.column('action', sa.String()), sa.column('actor', sa.String()),
                        sa.column('at', sa.DateTime()), sa.column('after', sa.JSON()))
cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('reporter_id', sa.Integer()),
                 sa.column('forwarded_to', sa.String()))
reporters = sa.table('reporters', sa.column('id', sa.Integer()), sa.column('name', sa.String()))
reported = sa.table('reported_asn', sa.column('id', sa.Integer()), sa.column('case_id', sa.Integer()),
                    sa.column('nip', sa.String()), sa.column('name', sa.String()),
                    sa.column('track_stage', sa.String()), sa.column('agency_id', sa.Integer()),
                    sa.column('oversight_body_id', sa.Integer()))
agencies = sa.table('agencies', sa.column('id', sa.Integer()), sa.column('ppk_title', sa.String()),
                    sa.column('ppk_supervisor', sa.String()))
bodies = sa.table('oversight_bodies', sa.column('id', sa.Integer()), sa.column('code', sa.String()),
                  sa.column('name', sa.String()), sa.column('valid_from', sa.Date()), sa.column('valid_to', sa.Date()))


def upgrade() -> None:
    op.create_table('letter_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('addressee_key', sa.String(length=100), nullable=False),
    sa.Column('addressee_label', sa.String(length=300), nullable=False),
    sa.Column('cause', sa.String(length=64), nullable=False),
    sa.Column('audit_event_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('claims', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_events.id'],
                            name=op.f('fk_letter_requests_audit_event_id_audit_events')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_letter_requests_case_id_cases')),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_requests_letter_id_letters')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'],
                            name=op.f('fk_letter_requests_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_requests')),
    sa.UniqueConstraint('audit_event_id', 'kind', 'addressee_key',
                        name=op.f('uq_letter_requests_audit_event_id_kind_addressee_key'))
    )
    with op.batch_alter_table('letter_requests', schema=None) as batch_op:
        batch_op.create_index('ix_letter_requests_case_id_status', ['case_id', 'status'], unique=False)

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superseded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superseded_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_letters_superseded_by_id_letters'), 'letters',
                                    ['superseded_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_letters_request_id_letter_requests'), 'letter_requests',
                                    ['request_id'], ['id'])

    _backfill(op.get_bind())

    # after the backfill: it links each issued letter to its own request, so the index holds from the start
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index('ix_letters_request_id_issued', ['request_id'], unique=True,
                              sqlite_where=sa.text("status = 'issued'"), postgresql_where=sa.text("status = 'issued'"))


def _backfill(conn) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    # 1. every issued letter answered a request: record it, issued
    for letter in conn.execute(sa.select(letters).where(letters.c.status == 'issued').order_by(letters.c.id)):
        recipient = KINDS.get(letter.kind, ("none", False))[0]
        request_id = conn.execute(requests.insert().values(
            case_id=letter.case_id, kind=letter.kind, reported_asn_id=letter.reported_asn_id,
            addressee_key=_key(recipient, letter.reported_asn_id), addressee_label=letter.recipient or '-',
            cause='migration.0009', audit_event_id=None, requested_at=letter.created_at or now,
            requested_by=letter.issued_by, status='issued', claims=1, letter_id=letter.id)).inserted_primary_key[0]
        conn.execute(letters.update().where(letters.c.id == letter.id).values(request_id=request_id))

    # 2. what the old audit scan says is still owed: open
    today = now.date()
    case_ids = conn.execute(sa.select(audit_events.c.case_id).distinct()
                            .where(audit_events.c.case_id.is_not(None), audit_events.c.action.like('case.%'))
                            ).scalars().all()
    for case_id in sorted(case_ids):
        asked: dict[str, dict] = {}  # kind -> {track or None: the last event that asked}
        for event in conn.execute(sa.select(audit_events.c.id, audit_events.c.action, audit_events.c.actor,
                                            audit_events.c.at, audit_events.c.after)
                                  .where(audit_events.c.case_id == case_id, audit_events.c.action.like('case.%'))
                                  .order_by(audit_events.c.id)):
            after = event.after or {}
            for kind in after.get('letters', []) or []:
                if kind in KINDS:
                    asked.setdefault(kind, {})[after.get('track')] = event
        if not asked:
            continue
        issued = {tuple(row) for row in conn.execute(
            sa.select(letters.c.kind, letters.c.reported_asn_id, letters.c.recipient)
            .where(letters.c.case_id == case_id, letters.c.status == 'issued'))}
        case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).one()
        people = conn.execute(
            sa.select(reported.c.id, reported.c.nip, reported.c.name, reported.c.track_stage,
                      reported.c.oversight_body_id, agencies.c.ppk_title, agencies.c.ppk_supervisor)
            .join(agencies, agencies.c.id == reported.c.agency_id)
            .where(reported.c.case_id == case_id).order_by(reported.c.id)).all()
        for kind, events in asked.items():
            recipient, per_track = KINDS[kind]
            for person, label in _addressees(conn, case, people, recipient, per_track, today):
                tracks = set(events)
                # a step on one reported ASN's track (an escalation) asked for letters about that person only
                if None not in tracks and person is not None and person.nip not in tracks:
                    continue
                person_id = person.id if person is not None else None
                if (kind, person_id, label) in issued:
                    continue
                event = events.get(None) or events.get(person.nip if person is not None else None) \
                    or max(events.values(), key=lambda e: e.id)
                conn.execute(requests.insert().values(
                    case_id=case_id, kind=kind, reported_asn_id=person_id,
                    addressee_key=_key(recipient, person_id), addressee_label=label, cause=event.action[:64],
                    audit_event_id=event.id, requested_at=event.at, requested_by=event.actor, status='open',
                    claims=0, letter_id=None))


def _key(recipient: str, person_id: int | None) -> str:
    """casework.letters.addressees' stable key of an addressee."""
    if recipient in ('reported', 'ppk', 'ppk_supervisor') or (recipient == 'oversight' and person_id):
        return f"{recipient}:{person_id}"
    return recipient


def _addressees(conn, case, people, recipient: str, per_track: bool, today) -> list[tuple]:
    """(person or None, label) for each addressee, as casework.letters.addressees resolved them then."""
    tracks = [p for p in people if p.track_stage] if per_track else list(people)
    if recipient == 'reporter':
        if case.reporter_id is None:
            return []
        name = conn.execute(sa.select(reporters.c.name).where(reporters.c.id == case.reporter_id)).scalar_one()
        return [(None, f"Sdr. {name}")]
    if recipient == 'reported':
        return [(p, f"Sdr. {p.name}") for p in people]
    if recipient == 'oversight':
        def head(p):
            body_id = p.oversight_body_id if p is not None else next(
                (x.oversight_body_id for x in people if x.oversight_body_id), None)
            stmt = sa.select(bodies.c.code, bodies.c.name)
            stmt = stmt.where(bodies.c.id == body_id) if body_id else stmt.where(
                bodies.c.valid_from <= today, sa.or_(bodies.c.valid_to.is_(None), bodies.c.valid_to >= today)
            ).order_by(bodies.c.valid_from.desc()).limit(1)
            body = conn.execute(stmt).first()
            return OVERSIGHT_HEADS.get(body.code, body.name) if body else '-'
        return [(p, head(p)) for p in tracks] if per_track else [(None, head(None))]
    if recipient == 'ppk':
        return [(p, p.ppk_title) for p in tracks]
    if recipient == 'ppk_supervisor':
        return [(p, p.ppk_supervisor or 'Menteri Dalam Negeri') for p in tracks]
    if recipient == 'institution':
        return [(None, f"Pimpinan {case.forwarded_to}")] if case.forwarded_to else []
    return [(None, 'Berita acara')]


def downgrade() -> None:
    # the old code knows issued and void only: a superseded letter is no longer valid, so it becomes void
    conn = op.get_bind()
    replaced = sa.alias(letters, 'replaced_by')
    for row in conn.execute(sa.select(letters.c.id, letters.c.superseded_reason, replaced.c.number)
                            .outerjoin(replaced, replaced.c.id == letters.c.superseded_by_id)
                            .where(letters.c.status == 'superseded')):
        conn.execute(letters.update().where(letters.c.id == row.id).values(
            status='void', void_reason=f"Diganti oleh {row.number or '-'}: {row.superseded_reason}"))

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_request_id_issued', sqlite_where=sa.text("status = 'issued'"),
                            postgresql_where=sa.text("status = 'issued'"))
        batch_op.drop_constraint(batch_op.f('fk_letters_request_id_letter_requests'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_letters_superseded_by_id_letters'), type_='foreignkey')
        batch_op.drop_column('superseded_reason')
        batch_op.drop_column('superseded_by_id')
        batch_op.drop_column('request_id')

    with op.batch_alter_table('letter_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_requests_case_id_status')

    op.drop_table('letter_requests')
