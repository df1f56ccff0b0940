"""audit trail append-only: no UPDATE, DELETE or TRUNCATE of audit_events; one successor per event

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 00:57:05.237130

- A trigger refuses every UPDATE and DELETE of an audit event (PostgreSQL: also TRUNCATE), for every role that
  does not switch triggers off — the application's role included. On PostgreSQL only the table's owner or a
  superuser can switch them off (ALTER TABLE ... DISABLE TRIGGER, session_replication_role), which is why the
  desk should run as a role that is neither (docs/security.md). UPDATE, DELETE and TRUNCATE are also revoked from
  PUBLIC.
- A unique index on prev_hash: two events can never name the same predecessor, so two concurrent writers cannot
  fork the hash chain, whatever the locking (casework.audit also takes a lock so they queue instead of failing).
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_events is append-only: audit events cannot be changed or deleted"

PG_UP = [
    f"""CREATE FUNCTION netra_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION netra_audit_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION netra_audit_append_only()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "DROP FUNCTION IF EXISTS netra_audit_append_only()",
]
SQLITE_UP = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE)'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE)'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    "DROP TRIGGER IF EXISTS audit_events_no_update",
]


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_prev_hash'), ['prev_hash'], unique=True)
    for statement in PG_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in PG_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_prev_hash'))
