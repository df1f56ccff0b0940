"""The audit trail is a hash chain: any edit of a stored event is found, by `netra audit verify` too; the table is
append-only for the application's connection (triggers, migration 0007); concurrent writers never fork it."""
import threading
import uuid
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from casework import audit
from casework.cli import cli
from casework.adapters.db import transaction
from casework.models import AuditEvent
from tests.helpers import fingerprint

SQLITE_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


@contextmanager
def tampering(engine):
    """A connection that edits the table behind Netra's back: someone holding the database superuser (PostgreSQL:
    triggers off for this transaction) or the SQLite file (drops the triggers, puts them back afterwards)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            yield conn
            return
        ddl = {name: conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name})
               for name in SQLITE_TRIGGERS}
        for name in ddl:
            conn.execute(text(f"DROP TRIGGER {name}"))
        yield conn
        for sql in ddl.values():
            conn.execute(text(sql))


def verify_cli(engine, monkeypatch, *args, lang="id"):
    monkeypatch.setenv("NETRA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return CliRunner().invoke(cli, ["--lang", lang, "audit", "verify", *args])


def test_chain_is_intact_and_an_edit_breaks_it(demo_engine, demo_sessions, monkeypatch):
    with demo_sessions() as session:
        assert audit.verify_chain(session) is None
        total = session.scalar(select(func.count()).select_from(AuditEvent))
        victim = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id).offset(5).limit(1)).one()
    ok = verify_cli(demo_engine, monkeypatch)
    assert ok.exit_code == 0 and f"Jejak audit utuh: {total} peristiwa diperiksa" in ok.output
    with tampering(demo_engine) as conn:  # someone edits the table directly
        conn.execute(update(AuditEvent).where(AuditEvent.id == victim).values(actor="intruder"))
    with demo_sessions() as session:
        assert audit.verify_chain(session) == victim
        check = audit.check_chain(session)
        assert (check.broken.id, check.reason, check.checked) == (victim, "hash", 5)
    broken = verify_cli(demo_engine, monkeypatch)
    assert broken.exit_code == 1
    assert f"Jejak audit RUSAK pada peristiwa #{victim}" in broken.output and "intruder" in broken.output
    assert "diubah setelah dicatat" in broken.output
    as_json = verify_cli(demo_engine, monkeypatch, "--json")
    assert as_json.exit_code == 1 and f'"id": {victim}' in as_json.output and '"reason": "hash"' in as_json.output


def test_a_deleted_event_breaks_the_link_of_the_next_one(demo_engine, demo_sessions, monkeypatch):
    with demo_sessions() as session:
        victim, successor = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id).offset(10).limit(2))
    with tampering(demo_engine) as conn:
        conn.execute(delete(AuditEvent).where(AuditEvent.id == victim))
    result = verify_cli(demo_engine, monkeypatch, lang="en")
    assert result.exit_code == 1
    assert f"Audit trail BROKEN at event #{successor}" in result.output and "deleted" in result.output


def test_new_events_continue_the_chain(sessions):
    with transaction(sessions) as session:
        first = audit.record(session, actor="a", action="x", entity="thing", entity_id=1, after={"n": 1})
        second = audit.record(session, actor="a", action="y", entity="thing", entity_id=1, before={"n": 1})
    assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash
    with sessions() as session:
        assert audit.verify_chain(session) is None


def test_the_application_cannot_update_delete_or_truncate_audit_events(demo_engine, demo_sessions):
    """The desk's own connection (the role it runs as) is refused by the database, not by Netra's code."""
    before = fingerprint(demo_engine)
    attempts = [update(AuditEvent).values(actor="intruder"), delete(AuditEvent),
                update(AuditEvent).where(AuditEvent.id == 1).values(after={"x": 1})]
    if demo_engine.dialect.name == "postgresql":
        attempts.append(text("TRUNCATE audit_events CASCADE"))
    for statement in attempts:
        with pytest.raises(DBAPIError, match="append-only"):
            with demo_engine.begin() as conn:
                conn.execute(statement)
    with pytest.raises(DBAPIError, match="append-only"):  # through the ORM as well
        with transaction(demo_sessions) as session:
            session.delete(session.scalars(select(AuditEvent).limit(1)).one())
    assert fingerprint(demo_engine) == before
    with demo_sessions() as session:
        assert audit.verify_chain(session) is None


@pytest.mark.parametrize("backend", ["postgresql"])  # database roles are PostgreSQL's
def test_a_role_that_does_not_own_the_table_cannot_switch_the_protection_off(demo_engine):
    """PostgreSQL: even granted UPDATE and DELETE, a login role that is neither the owner nor a superuser — what
    the desk should run as in production — can neither change audit rows nor turn the triggers off."""
    role = f"netra_app_{uuid.uuid4().hex[:8]}"
    with demo_engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    app = create_engine(demo_engine.url.set(username=role))
    try:
        for statement, error in [("UPDATE audit_events SET actor = 'intruder'", "append-only"),
                                 ("DELETE FROM audit_events", "append-only"),
                                 ("TRUNCATE audit_events", "permission denied"),
                                 ("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only", "must be owner"),
                                 ("SET session_replication_role = replica", "permission denied"),
                                 ("DROP TRIGGER audit_events_append_only ON audit_events", "must be owner")]:
            with pytest.raises(DBAPIError, match=error):
                with app.begin() as conn:
                    conn.execute(text(statement))
        with app.begin() as conn:  # it can still append
            assert conn.scalar(text("SELECT count(*) FROM audit_events")) > 0
    finally:
        app.dispose()
        with demo_engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))


WRITERS = 12  # within the default pool (5 + 10 overflow): every writer holds a connection at once


def _concurrent_records(sessions, *, before_record=None) -> list[BaseException]:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        start.wait()
        try:
            with transaction(sessions) as session:
                if before_record:
                    before_record(session)
                audit.record(session, actor=f"user{n}", action="test.concurrent", entity="thing", entity_id=n)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_writers_keep_one_chain(demo_sessions):
    """12 transactions appending at the same moment (PostgreSQL: they queue on the chain's advisory lock; SQLite:
    on BEGIN IMMEDIATE): every event is kept, each names a different predecessor, and the chain verifies."""
    with demo_sessions() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    assert _concurrent_records(demo_sessions) == []
    with demo_sessions() as session:
        rows = session.execute(select(AuditEvent.prev_hash).where(AuditEvent.action == "test.concurrent")).all()
        assert len(rows) == WRITERS and len({r.prev_hash for r in rows}) == WRITERS
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + WRITERS
        assert audit.verify_chain(session) is None


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite serialises writers (BEGIN IMMEDIATE) before any read
def test_without_the_lock_the_database_still_refuses_a_fork(demo_sessions, monkeypatch):
    """PostgreSQL, the lock taken away and every writer reading the last hash at the same moment: they all pick
    the same predecessor, and the unique index on prev_hash lets only one of them in. The chain stays one line."""
    together = threading.Barrier(WRITERS)
    monkeypatch.setattr(audit, "lock_chain", lambda session: together.wait(timeout=60))
    errors = _concurrent_records(demo_sessions)
    assert errors and all(isinstance(e, IntegrityError) and "prev_hash" in str(e) for e in errors)
    with demo_sessions() as session:
        kept = session.scalar(select(func.count()).where(AuditEvent.action == "test.concurrent"))
        assert kept == WRITERS - len(errors) >= 1
        assert audit.verify_chain(session) is None
