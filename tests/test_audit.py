"""The audit trail is a hash chain: any edit of a stored event is found."""
from sqlalchemy import select, update

from casework import audit
from casework.db import transaction
from casework.models import AuditEvent


def test_chain_is_intact_and_an_edit_breaks_it(demo_engine, demo_sessions):
    with demo_sessions() as session:
        assert audit.verify_chain(session) is None
        victim = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id).offset(5).limit(1)).one()
    with demo_engine.begin() as conn:  # someone edits the table directly
        conn.execute(update(AuditEvent).where(AuditEvent.id == victim).values(actor="intruder"))
    with demo_sessions() as session:
        assert audit.verify_chain(session) == victim


def test_new_events_continue_the_chain(sessions):
    with transaction(sessions) as session:
        first = audit.record(session, actor="a", action="x", entity="thing", entity_id=1, after={"n": 1})
        second = audit.record(session, actor="a", action="y", entity="thing", entity_id=1, before={"n": 1})
    assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash
    with sessions() as session:
        assert audit.verify_chain(session) is None
