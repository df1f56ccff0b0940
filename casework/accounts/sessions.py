"""Desk sessions kept on the server: the signed cookie only names one by a random id, and the session exists only
while its row is open. Logging out, a password change, a change of the account by the administrator or the end of
NETRA_SESSION_HOURS close the row, and with it every copy of the cookie."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.adapters.db import transaction
from casework.models import DeskSession, utcnow

METHODS = ("password", "totp", "link")
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often: not one write per request
KEEP_ENDED = timedelta(days=30)  # a user's rows older than this are pruned at their next sign-in


def digest(session_id: str) -> str:
    """What the table keeps of a session id: a reader of the database cannot present it as a cookie."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(session: Session, user_id: int, method: str, *, now: datetime | None = None) -> str:
    """Open a session for a user who has just signed in; returns the id the cookie will carry."""
    now = now or utcnow()
    session.execute(delete(DeskSession).where(DeskSession.user_id == user_id,
                                              DeskSession.created_at < now - KEEP_ENDED))
    session_id = secrets.token_urlsafe(32)
    session.add(DeskSession(id=digest(session_id), user_id=user_id, method=method, created_at=now,
                            last_seen_at=now))
    return session_id


def current(session: Session, factory: sessionmaker[Session], session_id: str, *, max_age: timedelta,
            now: datetime | None = None) -> int | None:
    """The user of an open session, or None (unknown, ended, or older than `max_age`, which ends it). Reads with
    the caller's session; writes (seen, ended by age) in their own short transaction, and only when needed."""
    now = now or utcnow()
    row = session.get(DeskSession, digest(session_id))
    if row is None or row.ended_at is not None:
        return None
    if now - row.created_at > max_age:
        _end(factory, [row.id], "expired", now)
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        with transaction(factory) as writer:
            writer.execute(update(DeskSession).where(DeskSession.id == row.id).values(last_seen_at=now))
    return row.user_id


def end(factory: sessionmaker[Session], session_id: str, reason: str = "logout", *,
        now: datetime | None = None) -> int | None:
    """End one session (logout); returns its user id, if it was open."""
    with transaction(factory) as session:
        row = session.get(DeskSession, digest(session_id))
        if row is None or row.ended_at is not None:
            return None
        row.ended_at, row.ended_reason = now or utcnow(), reason
        return row.user_id


def end_all(session: Session, user_id: int, reason: str, *, now: datetime | None = None) -> int:
    """End every open session of a user, in the caller's transaction (a password or role change); returns how many."""
    result = session.execute(update(DeskSession)
                             .where(DeskSession.user_id == user_id, DeskSession.ended_at.is_(None))
                             .values(ended_at=now or utcnow(), ended_reason=reason)
                             .execution_options(synchronize_session=False))
    return result.rowcount


def open_sessions(session: Session, user_id: int) -> list[DeskSession]:
    return list(session.scalars(select(DeskSession).where(DeskSession.user_id == user_id,
                                                          DeskSession.ended_at.is_(None))))


def _end(factory: sessionmaker[Session], ids: list[str], reason: str, now: datetime) -> None:
    with transaction(factory) as session:
        session.execute(update(DeskSession).where(DeskSession.id.in_(ids), DeskSession.ended_at.is_(None))
                        .values(ended_at=now, ended_reason=reason).execution_options(synchronize_session=False))
