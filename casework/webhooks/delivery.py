"""Sending the queued webhook deliveries: claim one (a conditional UPDATE only one sender wins), POST it, mark it.
A 2xx answer is delivered; anything else — another status, a refused connection, a timeout — is retried later,
each time later (BACKOFF doubling from one minute, at most six hours apart), and after MAX_ATTEMPTS the delivery is
dead and listed (`netra webhook deliveries --status dead`). A sender that dies after claiming leaves the row in
`sending`, listed, never resent by itself."""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.adapters.db import transaction
from casework.models import WebhookDelivery, WebhookSubscription, utcnow
from casework.settings import Settings
from casework.webhooks.signature import sign
from casework.webhooks.subscriptions import secret_of

MAX_ATTEMPTS = 12  # about 1.5 days of retries: then a person looks (Netra's policy)
FIRST_WAIT, LONGEST_WAIT = timedelta(minutes=1), timedelta(hours=6)
TIMEOUT = 10.0  # seconds for the receiver to answer


@dataclass
class Sent:
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def backoff(attempts: int) -> timedelta:
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** max(0, attempts - 1))


def due(session: Session, now: datetime, limit: int) -> list[int]:
    return list(session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status.in_(("pending", "failed")),
                                         or_(WebhookDelivery.next_attempt_at.is_(None),
                                             WebhookDelivery.next_attempt_at <= now))
        .order_by(WebhookDelivery.id).limit(limit)))


def send_pending(factory: sessionmaker[Session], *, settings: Settings, now: datetime | None = None,
                 limit: int = 200, client: httpx.Client | None = None) -> Sent:
    now = now or utcnow()
    result = Sent()
    with factory() as session:
        ids = due(session, now, limit)
    if not ids:
        return result
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    try:
        for delivery_id in ids:
            _send_one(factory, delivery_id, settings, now, client, result)
    finally:
        if own:
            client.close()
    return result


def _send_one(factory, delivery_id: int, settings: Settings, now: datetime, client: httpx.Client,
              result: Sent) -> None:
    with transaction(factory) as session:
        won = session.execute(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status.in_(("pending", "failed")))
            .values(status="sending", claimed_at=now, attempts=WebhookDelivery.attempts + 1)
            .execution_options(synchronize_session=False)).rowcount
        if not won:
            return  # another sender has it
        delivery = session.get(WebhookDelivery, delivery_id)
        subscription = session.get(WebhookSubscription, delivery.subscription_id)
        if subscription.revoked_at is not None:
            delivery.status = "cancelled"
            return
        url, body, attempts = subscription.url, delivery.body.encode(), delivery.attempts
        headers = {"Content-Type": "application/json", "User-Agent": "Netra-Webhooks/1",
                   "Netra-Event-Id": delivery.event_id, "Netra-Event-Type": delivery.event_type,
                   "Netra-Delivery": str(delivery.id),
                   "Netra-Signature": sign(secret_of(subscription, settings), body, int(time.time()))}
    status, error = None, ""
    try:
        answer = client.post(url, content=body, headers=headers)
        status = answer.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    with transaction(factory) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        delivery.last_status, delivery.last_error = status, error
        if not error:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = "sent", utcnow(), None
            result.delivered += 1
        elif attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = "dead", None
            result.dead += 1
        else:
            delivery.status, delivery.next_attempt_at = "failed", now + backoff(attempts)
            result.failed += 1
