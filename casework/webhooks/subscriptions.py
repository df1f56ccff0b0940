"""Webhook subscriptions: an account's URL for chosen events (casework.webhooks.events.EVENTS). The URL is https —
plain http only to this machine, outside production (a receiver under test) — and carries no credentials; the
secret that signs its deliveries is shown when it is made (and to the operator on the server, `netra webhook show
--secret`), derived from the installation's secret key and kept nowhere. Making and removing one is audited."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework import audit
from casework.errors import CaseworkError, NotFound
from casework.models import User, WebhookDelivery, WebhookSubscription, utcnow
from casework.settings import Settings
from casework.textcheck import has_control_chars
from casework.webhooks.events import EVENTS

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def secret_of(subscription: WebhookSubscription, settings: Settings) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"webhook:{subscription.nonce}".encode(), hashlib.sha256)
    return "whsec_" + mac.hexdigest()


def check_url(url: str, settings: Settings) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or len(url) > 500 or has_control_chars(url) or not parts.hostname \
            or parts.username or parts.password:
        raise CaseworkError("webhook.bad_url", url=url[:100])
    if parts.scheme == "https" or parts.scheme == "http" and parts.hostname in LOOPBACK and not settings.production:
        return url
    raise CaseworkError("webhook.not_https", url=url[:100])


def subscribe(session: Session, *, username: str, url: str, events: list[str], actor: str, settings: Settings,
              now: datetime | None = None) -> tuple[WebhookSubscription, str]:
    """The subscription and its secret (shown once)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.is_active:
        raise NotFound("access.unknown_user", username=username)
    chosen = list(dict.fromkeys(e.strip() for e in events if e.strip()))
    unknown = [e for e in chosen if e not in EVENTS]
    if not chosen or unknown:
        raise CaseworkError("webhook.bad_events", events=", ".join(unknown) or "-", choices=", ".join(EVENTS))
    subscription = WebhookSubscription(user_id=user.id, url=check_url(url, settings), events=chosen,
                                       nonce=secrets.token_hex(16), created_by=actor, created_at=now or utcnow())
    session.add(subscription)
    session.flush()
    audit.record(session, actor=actor, action="webhook.subscribed", entity="webhook_subscription",
                 entity_id=subscription.id, at=now,
                 after={"user": user.username, "url": subscription.url, "events": chosen})
    return subscription, secret_of(subscription, settings)


def unsubscribe(session: Session, subscription_id: int, *, actor: str, now: datetime | None = None) -> int:
    """Remove it; its deliveries not yet made are cancelled. How many were."""
    now = now or utcnow()
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("webhook.unknown", id=subscription_id)
    cancelled = 0
    if subscription.revoked_at is None:
        subscription.revoked_at, subscription.revoked_by = now, actor
        cancelled = session.execute(update(WebhookDelivery).where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.status.in_(("pending", "failed"))).values(status="cancelled")
            .execution_options(synchronize_session=False)).rowcount
        audit.record(session, actor=actor, action="webhook.unsubscribed", entity="webhook_subscription",
                     entity_id=subscription.id, at=now, after={"cancelled": cancelled})
    return cancelled


def listing(session: Session, *, user_id: int | None = None, subscription_id: int | None = None
            ) -> list[dict[str, Any]]:
    """The subscriptions (of one account, or one), never their secrets."""
    stmt = select(WebhookSubscription, User.username).join(User, User.id == WebhookSubscription.user_id)
    if user_id is not None:
        stmt = stmt.where(WebhookSubscription.user_id == user_id)
    if subscription_id is not None:
        stmt = stmt.where(WebhookSubscription.id == subscription_id)
    rows = session.execute(stmt.order_by(WebhookSubscription.id))
    return [{"id": s.id, "user": name, "url": s.url, "events": s.events, "created_at": s.created_at.isoformat(),
             "active": s.revoked_at is None} for s, name in rows]
