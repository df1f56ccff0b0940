"""The API's webhook subscriptions (docs/webhooks.md): the token's own account lists, adds and removes its
subscriptions, by the same rules as `netra webhook` (casework.webhooks.subscriptions). A subscription hears only
of what that account may see; its signing secret is in the answer to the POST that made it, and nowhere else."""
from __future__ import annotations

from flask import current_app, g, request

from admin.api import bp
from admin.api.once import key, once
from admin.api.respond import ok, query_problems
from admin.api.steps import BodyError, json_body, unknown_members
from casework.errors import NotFound, Problem
from casework.models import WebhookSubscription
from casework.webhooks.subscriptions import listing, secret_of, subscribe, unsubscribe

MEMBERS = {"url", "events"}


@bp.get("/webhooks")
def webhooks():
    query_problems([], set(request.args))
    mine = listing(current_app.extensions["netra_db"], user_id=g.api.principal.user_id)
    return ok({"items": mine})


@bp.post("/webhooks")
def add_webhook():
    idempotency_key = key()
    body = json_body()
    problems = unknown_members(body, MEMBERS)
    url, events = body.get("url"), body.get("events")
    if not isinstance(url, str):
        problems.append(Problem("url", "input.not_text"))
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        problems.append(Problem("events", "api.not_list"))
    if problems:
        raise BodyError(problems, [])

    settings = current_app.config["NETRA_SETTINGS"]

    def write(session):
        subscription, _secret = subscribe(session, username=g.api.principal.username, url=url, events=events,
                                          actor=f"api:{g.api.principal.username}", settings=settings)
        return 201, listing(session, subscription_id=subscription.id)[0]

    def reveal(session, answer: dict) -> dict:  # derived again each time: the kept answer holds no secret
        return answer | {"secret": secret_of(session.get(WebhookSubscription, answer["id"]), settings)}
    return once(idempotency_key, body, write, reveal)


@bp.delete("/webhooks/<int(max=2147483647):subscription_id>")
def remove_webhook(subscription_id: int):
    idempotency_key = key()

    def write(session):
        subscription = session.get(WebhookSubscription, subscription_id)
        if subscription is None or subscription.user_id != g.api.principal.user_id:
            raise NotFound("webhook.unknown", id=subscription_id)  # another account's: as if it did not exist
        cancelled = unsubscribe(session, subscription_id, actor=f"api:{g.api.principal.username}")
        return 200, {"id": subscription_id, "active": False, "cancelled": cancelled}
    return once(idempotency_key, {}, write)
