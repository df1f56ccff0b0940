"""Idempotency keys of the API's writes (IETF draft "The Idempotency-Key HTTP Header Field"): the answer to a write
is kept with the write, in its transaction, under the token and the key; the same key and request again get that
answer and change nothing, the same key with another request is refused. Kept for a day (KEEP), Netra's policy:
long enough for a client's retries, short enough that keys can be reused."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.models import IdempotentWrite, utcnow

KEEP = timedelta(hours=24)
KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces: a UUID, a ULID, a client's own scheme


def check_key(key: str | None) -> str:
    if not key:
        raise CaseworkError("api.idempotency_missing")
    if not KEY.match(key):
        raise CaseworkError("api.idempotency_bad_key")
    return key


def digest(method: str, path: str, body: Any) -> str:
    """The request as far as its meaning goes: method, path and the JSON body in a canonical form."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def earlier(session: Session, token_id: int, key: str, request: str,
            now: datetime | None = None) -> tuple[int, dict] | None:
    """The kept answer to this key (status, body), None if it is new (or older than KEEP); CaseworkError when the
    key was used for another request."""
    row = session.scalar(select(IdempotentWrite).where(IdempotentWrite.token_id == token_id,
                                                       IdempotentWrite.key == key,
                                                       IdempotentWrite.created_at >= (now or utcnow()) - KEEP))
    if row is None:
        return None
    if row.request_sha256 != request:
        raise CaseworkError("api.idempotency_reused")
    return row.status, json.loads(row.body)


def remember(session: Session, token_id: int, key: str, request: str, status: int, body: dict,
             now: datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(delete(IdempotentWrite).where(IdempotentWrite.created_at < now - KEEP))
    session.add(IdempotentWrite(token_id=token_id, key=key, request_sha256=request, status=status,
                                body=json.dumps(body, ensure_ascii=False), created_at=now))
