"""The audit trail: every change to a case writes an event in the same transaction.

Events form one hash chain: hash = sha256(previous hash + canonical JSON of this event), so an edit to any
stored row is detectable by recomputing the chain.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import AuditEvent, utcnow

GENESIS = "0" * 64


def event_digest(prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "at": event.at.isoformat(), "actor": event.actor, "action": event.action, "case_id": event.case_id,
        "entity": event.entity, "entity_id": event.entity_id, "before": event.before, "after": event.after,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: Any,
           case_id: int | None = None, before: dict | None = None, after: dict | None = None,
           at: datetime | None = None) -> AuditEvent:
    session.flush()  # so entity ids and case ids exist
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    event = AuditEvent(
        at=(at or utcnow()).replace(microsecond=0), actor=actor, action=action, case_id=case_id,
        entity=entity, entity_id=str(entity_id), before=_jsonable(before), after=_jsonable(after),
        prev_hash=prev,
    )
    event.hash = event_digest(prev, event)
    session.add(event)
    session.flush()
    return event


def _jsonable(data: dict | None) -> dict | None:
    return None if data is None else json.loads(json.dumps(data, default=str))


def verify_chain(session: Session) -> int | None:
    """Recompute the chain; return the id of the first event whose hash does not match, or None if intact."""
    prev = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000):
        if event.prev_hash != prev or event_digest(prev, event) != event.hash:
            return event.id
        prev = event.hash
    return None
