"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 22:00:05.584916
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('number_sequences',
    sa.Column('series', sa.String(length=160), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', name=op.f('pk_number_sequences'))
    )
    op.create_table('oversight_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_bodies')),
    sa.UniqueConstraint('code', name=op.f('uq_oversight_bodies_code'))
    )
    op.create_table('provinces',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=4), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_provinces'))
    )
    op.create_table('reporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporters'))
    )
    op.create_table('roles',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_id', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_roles'))
    )
    op.create_table('regencies',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('dotted_code', sa.String(length=5), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_regencies_province_code_provinces')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regencies'))
    )
    with op.batch_alter_table('regencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regencies_province_code'), ['province_code'], unique=False)

    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.Column('ppk_title', sa.String(length=200), nullable=False),
    sa.Column('ppk_supervisor', sa.String(length=200), nullable=False),
    sa.Column('personnel_unit_name', sa.String(length=200), nullable=False),
    sa.Column('personnel_unit_email', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_agencies_province_code_provinces')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_agencies_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('code', name=op.f('uq_agencies_code'))
    )
    op.create_table('districts',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('dotted_code', sa.String(length=8), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_districts_regency_code_regencies')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_districts'))
    )
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_districts_regency_code'), ['regency_code'], unique=False)

    op.create_table('elections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('voting_day', sa.Date(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_elections_province_code_provinces')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_elections_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elections')),
    sa.UniqueConstraint('code', name=op.f('uq_elections_code'))
    )
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=True),
    sa.Column('district_code', sa.String(length=6), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('letter_unit_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_offices_district_code_districts')),
    sa.ForeignKeyConstraint(['parent_id'], ['offices.id'], name=op.f('fk_offices_parent_id_offices')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_offices_province_code_provinces')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_offices_regency_code_regencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
    sa.UniqueConstraint('code', name=op.f('uq_offices_code'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('district_code', sa.String(length=6), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('known_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('chronology', sa.Text(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('found_by', sa.String(length=200), nullable=False),
    sa.Column('register_number', sa.String(length=64), nullable=True),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('stage_since', sa.DateTime(), nullable=False),
    sa.Column('linked_case_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_cases_district_code_districts')),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_cases_election_id_elections')),
    sa.ForeignKeyConstraint(['linked_case_id'], ['cases.id'], name=op.f('fk_cases_linked_case_id_cases')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['cases.id'], name=op.f('fk_cases_merged_into_id_cases')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_cases_office_id_offices')),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], name=op.f('fk_cases_regency_code_regencies')),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], name=op.f('fk_cases_reporter_id_reporters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('external_ref', name=op.f('uq_cases_external_ref')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number')),
    sa.UniqueConstraint('register_number', name=op.f('uq_cases_register_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_election_id'), ['election_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_regency_code'), ['regency_code'], unique=False)
        batch_op.create_index('ix_cases_stage_regency', ['stage', 'regency_code'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('oversight_body_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_users_agency_id_agencies')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_users_office_id_offices')),
    sa.ForeignKeyConstraint(['oversight_body_id'], ['oversight_bodies.id'], name=op.f('fk_users_oversight_body_id_oversight_bodies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_audit_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_violations',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_violations_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'code', name=op.f('pk_case_violations'))
    )
    with op.batch_alter_table('case_violations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_violations_code'), ['code'], unique=False)

    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_evidence_files_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_files_stored_name'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_case_id'), ['case_id'], unique=False)

    op.create_table('reported_asn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.String(length=40), nullable=False),
    sa.Column('asn_kind', sa.String(length=4), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('work_unit', sa.String(length=200), nullable=False),
    sa.Column('track_stage', sa.String(length=32), nullable=True),
    sa.Column('track_since', sa.DateTime(), nullable=True),
    sa.Column('oversight_body_id', sa.Integer(), nullable=True),
    sa.Column('referred_to_agency_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_reported_asn_agency_id_agencies')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reported_asn_case_id_cases')),
    sa.ForeignKeyConstraint(['oversight_body_id'], ['oversight_bodies.id'], name=op.f('fk_reported_asn_oversight_body_id_oversight_bodies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_asn')),
    sa.UniqueConstraint('case_id', 'nip', name=op.f('uq_reported_asn_case_id_nip'))
    )
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reported_asn_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reported_asn_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reported_asn_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_reported_asn_nip'), ['nip'], unique=False)

    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['role_code'], ['roles.code'], name=op.f('fk_user_roles_role_code_roles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'role_code', name=op.f('pk_user_roles'))
    )
    op.create_table('witnesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_witnesses_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_witnesses'))
    )
    with op.batch_alter_table('witnesses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_witnesses_case_id'), ['case_id'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=4), nullable=False),
    sa.Column('basis', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_deadlines_case_id_cases')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'], name=op.f('fk_deadlines_reported_asn_id_reported_asn')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['deadlines.id'], name=op.f('fk_deadlines_superseded_by_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_deadlines_status_due_at', ['status', 'due_at'], unique=False)

    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('office_code', sa.String(length=64), nullable=False),
    sa.Column('classification', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('hal', sa.String(length=300), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('pdf_path', sa.String(length=300), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('verify_token', sa.String(length=64), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_letters_case_id_cases')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'], name=op.f('fk_letters_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('number', name=op.f('uq_letters_number')),
    sa.UniqueConstraint('office_code', 'classification', 'year', 'seq', name=op.f('uq_letters_office_code_classification_year_seq')),
    sa.UniqueConstraint('verify_token', name=op.f('uq_letters_verify_token'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_case_id'), ['case_id'], unique=False)

    op.create_table('stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reported_asn_id', sa.Integer(), nullable=True),
    sa.Column('from_stage', sa.String(length=32), nullable=True),
    sa.Column('to_stage', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_stage_changes_case_id_cases')),
    sa.ForeignKeyConstraint(['reported_asn_id'], ['reported_asn.id'], name=op.f('fk_stage_changes_reported_asn_id_reported_asn')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_changes'))
    )
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_changes_case_id'), ['case_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=255), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outbox_case_id_cases')),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_outbox_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_dedup_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_status_created_at', ['status', 'created_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_status_created_at')
        batch_op.drop_index(batch_op.f('ix_outbox_case_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_changes_case_id'))

    op.drop_table('stage_changes')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_case_id'))

    op.drop_table('letters')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_status_due_at')
        batch_op.drop_index(batch_op.f('ix_deadlines_case_id'))

    op.drop_table('deadlines')
    with op.batch_alter_table('witnesses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_witnesses_case_id'))

    op.drop_table('witnesses')
    op.drop_table('user_roles')
    with op.batch_alter_table('reported_asn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_asn_nip'))
        batch_op.drop_index(batch_op.f('ix_reported_asn_name'))
        batch_op.drop_index(batch_op.f('ix_reported_asn_case_id'))
        batch_op.drop_index(batch_op.f('ix_reported_asn_agency_id'))

    op.drop_table('reported_asn')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_case_id'))

    op.drop_table('evidence_files')
    with op.batch_alter_table('case_violations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_violations_code'))

    op.drop_table('case_violations')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_case_id'))

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_stage_regency')
        batch_op.drop_index(batch_op.f('ix_cases_regency_code'))
        batch_op.drop_index(batch_op.f('ix_cases_office_id'))
        batch_op.drop_index(batch_op.f('ix_cases_election_id'))

    op.drop_table('cases')
    op.drop_table('offices')
    op.drop_table('elections')
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_districts_regency_code'))

    op.drop_table('districts')
    op.drop_table('agencies')
    with op.batch_alter_table('regencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regencies_province_code'))

    op.drop_table('regencies')
    op.drop_table('roles')
    op.drop_table('reporters')
    op.drop_table('provinces')
    op.drop_table('oversight_bodies')
    op.drop_table('number_sequences')

