"""/webhook/whatsapp: Meta's WhatsApp Business Cloud API calls Netra here (casework.inbox.whatsapp).

GET is Meta's subscription check: `hub.mode=subscribe`, `hub.verify_token` equal to NETRA_WHATSAPP_VERIFY_TOKEN,
answered with `hub.challenge`. POST carries messages, signed with the app secret (X-Hub-Signature-256): a call
without a valid signature is 403 and changes nothing; a valid one is received and answered 200 at once (media are
fetched later, by Airflow's reconcile). No cookie, no CSRF token: the signature is the proof. Off (404) while
NETRA_WHATSAPP_APP_SECRET is not set.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, abort, current_app, jsonify, request

from casework.adapters.db import transaction
from casework.inbox.whatsapp import record, signature_valid

bp = Blueprint("whatsapp", __name__)


def _settings():
    settings = current_app.config["NETRA_SETTINGS"]
    if not settings.whatsapp_app_secret:
        abort(404)
    return settings


@bp.get("/webhook/whatsapp")
def subscribe():
    settings = _settings()
    token = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not settings.whatsapp_verify_token \
            or not hmac.compare_digest(token.encode(), settings.whatsapp_verify_token.encode()):
        abort(403)
    return request.args.get("hub.challenge", "")[:200], 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.post("/webhook/whatsapp")
def receive():
    settings = _settings()
    body = request.get_data(cache=False)
    if not signature_valid(settings.whatsapp_app_secret, body, request.headers.get("X-Hub-Signature-256")):
        abort(403)
    try:
        payload = json.loads(body)
    except ValueError:
        abort(400)
    with transaction(current_app.extensions["netra_sessions"]) as session:
        items = record(session, payload, settings=settings)
    return jsonify({"received": len(items)})
