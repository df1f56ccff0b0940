"""Writes made once (IETF draft "The Idempotency-Key HTTP Header Field"): every write of the API carries an
Idempotency-Key, and its answer is kept with the write, in its transaction (casework.adapters.idempotency) — the
same key and request again get the same answer and change nothing; the same key with another request is refused."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from admin.api.respond import ok
from casework.adapters.db import transaction
from casework.adapters.idempotency import check_key, digest, earlier, remember
from casework.errors import CaseworkError


def key() -> str:
    """The request's Idempotency-Key, checked (400 when missing or malformed) before anything else is read."""
    return check_key(request.headers.get("Idempotency-Key"))


def once(idempotency_key: str, body: Any, write: Callable[[Session], tuple[int, dict]],
         reveal: Callable[[Session, dict], dict] | None = None):
    """Run `write` (status, answer) in one transaction with the kept answer, or answer as before. `reveal` adds to
    the answer, fresh or replayed, what must not be kept in the database (a webhook's secret)."""
    request_sha = digest(request.method, request.path, body)
    sessions, token_id = current_app.extensions["netra_sessions"], g.api.token_id
    try:
        with transaction(sessions) as session:
            kept = earlier(session, token_id, idempotency_key, request_sha)
            if kept is not None:
                return _replay(session, kept, reveal)
            status, answer = write(session)
            remember(session, token_id, idempotency_key, request_sha, status, answer)
            shown = reveal(session, answer) if reveal else answer
    except IntegrityError:  # the same key, sent twice at once: the first one's answer, once it is kept
        with sessions() as session:
            kept = earlier(session, token_id, idempotency_key, request_sha)
            if kept is None:
                raise CaseworkError("api.idempotency_in_flight") from None
            return _replay(session, kept, reveal)
    return ok(shown, status)


def _replay(session: Session, kept: tuple[int, dict], reveal):
    status, answer = kept
    return ok(reveal(session, answer) if reveal else answer, status, headers={"Idempotent-Replayed": "true"})
