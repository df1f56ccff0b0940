"""vulnerability_scores, asn_counts, prevention_activities; letter_requests of an office: prevention and office letters

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 02:06:37.072837

Issue 21: IKP scores and ASN headcounts per region, the register of prevention work, and letters that belong to an
office rather than a case (an appeal to agencies, the list of PPKs that have not followed up): a letter request
may name an office and carry its content instead of a case.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import casework.models.base


revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None



def upgrade() -> None:
    op.create_table('asn_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('entered_by', sa.String(length=100), nullable=False),
    sa.Column('entered_at', casework.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asn_counts')),
    sa.UniqueConstraint('region_code', 'year', name=op.f('uq_asn_counts_region_code_year'))
    )
    with op.batch_alter_table('asn_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asn_counts_region_code'), ['region_code'], unique=False)

    op.create_table('vulnerability_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('election_code', sa.String(length=64), server_default='', nullable=False),
    sa.Column('theme', sa.String(length=32), nullable=False),
    sa.Column('dimension', sa.String(length=100), server_default='', nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('band', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('entered_by', sa.String(length=100), nullable=False),
    sa.Column('entered_at', casework.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vulnerability_scores')),
    sa.UniqueConstraint('region_code', 'year', 'election_code', 'theme', 'dimension', name=op.f('uq_vulnerability_scores_figure'))
    )
    with op.batch_alter_table('vulnerability_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vulnerability_scores_region_code'), ['region_code'], unique=False)

    op.create_table('prevention_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=4), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=200), server_default='', nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('signatories', sa.Integer(), nullable=True),
    sa.Column('unit_asn', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=200), server_default='', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('document_file', sa.String(length=64), nullable=True),
    sa.Column('document_name', sa.String(length=255), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', casework.models.base.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_prevention_activities_agency_id_agencies')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_prevention_activities_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prevention_activities')),
    sa.UniqueConstraint('document_file', name=op.f('uq_prevention_activities_document_file'))
    )
    with op.batch_alter_table('prevention_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prevention_activities_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_activities_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_activities_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_activities_region_code'), ['region_code'], unique=False)

    with op.batch_alter_table('letter_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_letter_requests_office_id_offices'), 'offices', ['office_id'], ['id'])
        batch_op.create_index('ix_letter_requests_office_letter', ['office_id', 'kind', 'addressee_key'], unique=True,
                              sqlite_where=sa.text("case_id IS NULL AND status <> 'cancelled'"),
                              postgresql_where=sa.text("case_id IS NULL AND status <> 'cancelled'"))



def downgrade() -> None:
    # office letters cannot exist without the columns: their requests go (their letters stay, answering none)
    op.execute("UPDATE letters SET request_id = NULL WHERE request_id IN "
               "(SELECT id FROM letter_requests WHERE case_id IS NULL)")
    op.execute("DELETE FROM letter_requests WHERE case_id IS NULL")
    with op.batch_alter_table('letter_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_requests_office_letter')
        batch_op.drop_constraint(batch_op.f('fk_letter_requests_office_id_offices'), type_='foreignkey')
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('payload')
        batch_op.drop_column('office_id')

    with op.batch_alter_table('prevention_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prevention_activities_region_code'))
        batch_op.drop_index(batch_op.f('ix_prevention_activities_office_id'))
        batch_op.drop_index(batch_op.f('ix_prevention_activities_held_on'))
        batch_op.drop_index(batch_op.f('ix_prevention_activities_agency_id'))

    op.drop_table('prevention_activities')
    with op.batch_alter_table('vulnerability_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vulnerability_scores_region_code'))

    op.drop_table('vulnerability_scores')
    with op.batch_alter_table('asn_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asn_counts_region_code'))

    op.drop_table('asn_counts')
