"""The audit trail: every change to a case writes an event in the same transaction.

Events form one hash chain: hash = sha256(previous hash + canonical JSON of this event), so an edit to any
stored row is detectable by recomputing the chain (`netra audit verify`).

The chain stays one line under concurrent writers: SQLite lets one writer at a time in (BEGIN IMMEDIATE, see
casework.adapters.db); on PostgreSQL `record` takes a transaction-level advisory lock before it reads the last hash, so a
second writer waits until the first commits and then chains onto its event. A unique index on prev_hash (0007)
refuses a fork even from a writer that skips the lock. The table is append-only: triggers refuse UPDATE, DELETE
and TRUNCATE (migration 0007).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from casework.models import AuditEvent, utcnow

GENESIS = "0" * 64
CHAIN_LOCK = 0x4E45_5452_4155_4449  # "NETRAUDI": PostgreSQL advisory lock key of the audit chain


def lock_chain(session: Session) -> None:
    """Wait for, then hold until commit or rollback, the right to append to the chain (PostgreSQL; SQLite's
    writers already queue at BEGIN IMMEDIATE). `record` calls it; a transaction that records several events and
    takes other locks between them (an import) calls it first, so every writer takes the locks in the same order."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


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
    lock_chain(session)
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


@dataclass(frozen=True)
class ChainCheck:
    """What `check_chain` found: how many events it checked up to the first broken link (if any) and why."""

    checked: int
    head: str  # the hash of the last intact event (GENESIS for an empty trail): note it elsewhere to detect truncation
    broken: AuditEvent | None = None
    reason: str = ""  # "prev_hash": the link to the previous event; "hash": the event's own content

    @property
    def ok(self) -> bool:
        return self.broken is None


def check_chain(session: Session) -> ChainCheck:
    """Recompute the chain in id order and stop at the first event that does not follow from its predecessor: an
    edited event fails its own hash, a deleted or inserted one breaks the next prev_hash."""
    prev, count = GENESIS, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(1000):
        if event.prev_hash != prev:
            return ChainCheck(count, prev, event, "prev_hash")
        if event_digest(prev, event) != event.hash:
            return ChainCheck(count, prev, event, "hash")
        prev, count = event.hash, count + 1
    return ChainCheck(count, prev)


def verify_chain(session: Session) -> int | None:
    """Recompute the chain; return the id of the first event whose hash does not match, or None if intact."""
    result = check_chain(session)
    return None if result.ok else result.broken.id
