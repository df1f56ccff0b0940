"""API tokens (issue 19, item 3): a bearer secret for one account — a person's, or an integration's (an account
that never signs in at the desk, casework.accounts.users) — that acts as that account under the access module's
rules and, unless made for writing, only reads. The secret is shown once, when it is made; only its sha256 is
kept (it is 256 random bits: a fast hash is enough, unlike a password), with its first characters to name it.
A token expires when its account is deactivated, on its expiry date, or when revoked; every creation and
revocation is an audit event."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework import audit
from casework.access.principal import Principal, principal_for
from casework.errors import CaseworkError, NotFound
from casework.models import ApiToken, User, utcnow
from casework.textcheck import has_control_chars

PREFIX = "netra_"
MAX_DAYS = 730  # Netra's policy: no token lives longer than two years; a shorter life is the maker's choice


@dataclass(frozen=True)
class Made:
    token: ApiToken
    secret: str  # shown once; never stored


@dataclass(frozen=True)
class Bearer:
    """Who a request's token speaks for."""

    token_id: int
    can_write: bool
    principal: Principal


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make_token(session: Session, *, username: str, label: str, write: bool, actor: str, days: int | None = None,
               now: datetime | None = None) -> Made:
    now = now or utcnow()
    label = (label or "").strip()
    if not label or len(label) > 100 or has_control_chars(label):
        raise CaseworkError("api.bad_token_label")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise CaseworkError("api.bad_token_days", max=MAX_DAYS)
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.is_active:
        raise NotFound("access.unknown_user", username=username)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, label=label, prefix=secret[:12], token_sha256=_sha(secret), can_write=write,
                     created_by=actor, created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="api.token_created", entity="api_token", entity_id=token.id, at=now,
                 after={"user": user.username, "label": label, "prefix": token.prefix, "write": write,
                        "expires_at": token.expires_at})
    return Made(token, secret)


def revoke_token(session: Session, token_id: int, *, actor: str, now: datetime | None = None) -> ApiToken:
    now = now or utcnow()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("api.unknown_token", id=token_id)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = now, actor
        audit.record(session, actor=actor, action="api.token_revoked", entity="api_token", entity_id=token.id,
                     at=now, after={"prefix": token.prefix})
    return token


def list_tokens(session: Session, username: str | None = None, *, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or utcnow()
    stmt = select(ApiToken, User.username).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
    if username:
        stmt = stmt.where(User.username == username)
    return [{"id": t.id, "user": name, "label": t.label, "prefix": t.prefix, "write": t.can_write,
             "created_by": t.created_by, "created_at": t.created_at.isoformat(),
             "expires_at": t.expires_at.isoformat() if t.expires_at else None,
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
             "state": state(t, now)} for t, name in session.execute(stmt)]


def state(token: ApiToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def bearer(session: Session, secret: str, *, now: datetime | None = None) -> Bearer | None:
    """The token's account as a principal, or None: unknown, revoked, expired, or its account inactive. The use is
    noted (`last_used_at`, at most once a minute: a read should not write on every request)."""
    now = now or utcnow()
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _sha(secret)))
    if token is None or state(token, now) != "active":
        return None
    user = session.scalar(select(User).where(User.id == token.user_id)
                          .options(selectinload(User.roles), selectinload(User.office)))
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return Bearer(token.id, token.can_write, principal_for(user))
