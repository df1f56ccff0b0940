"""The events a subscriber hears of, queued once per subscriber in the transaction of the change that caused them
— so an event is queued if and only if its change is committed. A subscriber hears only of what its account may
see (casework.access.policy): the case, the person a track event is about, the letter. The body is thin — what
happened, to which case, and where the API has the rest — so that no personal data travels in a webhook: the
receiver reads the details with its API token, under the same rules.

The event id is stable (`stage:<history row>`, `letter:<id>` …): the same event is the same id however often it is
emitted, which keeps it once per subscriber here and lets a receiver recognise a redelivery."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from casework.access.policy import Action, permits
from casework.access.principal import principal_for
from casework.models import Case, Letter, ReportedASN, User, WebhookDelivery, WebhookSubscription, utcnow

EVENTS = ("case.opened", "stage.changed", "deadline.missed", "letter.issued", "acknowledgement.received")


def emit(session: Session, event_type: str, case: Case, *, event_id: str, data: dict[str, Any],
         person: ReportedASN | None = None, letter: Letter | None = None, criminal: bool = False,
         at: datetime | None = None) -> int:
    """Queue `event_type` on `case` for every subscriber to it that may see it; how many were queued. `criminal`:
    the event is about a person's criminal part, which only Bawaslu sees (Action.SEE_CRIMINAL)."""
    subscriptions = session.scalars(select(WebhookSubscription).where(WebhookSubscription.revoked_at.is_(None))
                                    .order_by(WebhookSubscription.id)).all()
    wanted = [s for s in subscriptions if event_type in s.events]
    if not wanted:  # the usual case: one query, nothing else
        return 0
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({s.user_id for s in wanted}))
                                              .options(selectinload(User.roles), selectinload(User.office)))}
    at = at or utcnow()
    body = {"id": event_id, "type": event_type, "occurred_at": at.isoformat(),
            "case": {"number": case.number, "stage": str(case.stage), "url": f"/api/v1/cases/{case.number}"},
            "data": data}
    queued = 0
    for subscription in wanted:
        user = users.get(subscription.user_id)
        if user is None or not user.is_active:
            continue
        principal = principal_for(user)
        if not permits(principal, Action.SEE_CASE, case) \
                or person is not None and not permits(principal, Action.SEE_PERSON, case, person) \
                or letter is not None and not permits(principal, Action.READ_LETTER, case, letter=letter) \
                or criminal and not permits(principal, Action.SEE_CRIMINAL, case, person):
            continue
        queued += _queue(session, subscription, event_id, event_type, case.id, body)
    return queued


def _queue(session: Session, subscription: WebhookSubscription, event_id: str, event_type: str, case_id: int,
           body: dict[str, Any]) -> int:
    key = f"{subscription.id}:{event_id}"
    if session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.dedup_key == key)) is not None:
        return 0
    try:
        with session.begin_nested():  # a concurrent writer queued the same event first: keep ours out
            session.add(WebhookDelivery(dedup_key=key, subscription_id=subscription.id, event_id=event_id,
                                        event_type=event_type, case_id=case_id, status="pending", attempts=0,
                                        body=json.dumps(body, ensure_ascii=False, sort_keys=True)))
    except IntegrityError:
        return 0
    return 1
