"""WhatsApp Business (Meta's Cloud API): messages to an office's number become initial information.

Meta calls the webhook with a JSON body signed by the app's secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
of the raw body>`. A call without a valid signature changes nothing (admin/whatsapp.py answers 403). A valid one
is answered 200 at once — Meta retries otherwise — after each message is received as one item (the message id makes
a retry a no-op). Its media (image, document, audio, video) are only named in the request: `fetch_media`, run by
Airflow's reconcile (and `netra inbox fetch-media`), downloads them later through the Graph API with the access
token, checks them like any evidence file and keeps them with the item.

Which office a message reached: the number it was sent to (`metadata.phone_number_id`), named per office in
NETRA_WHATSAPP_LINES. A number no office is named for is routed to nobody and waits for Bawaslu RI.

Each message gets a code to follow it on /status. With NETRA_WHATSAPP_OUTBOUND=1 the sender is told so by WhatsApp,
through the outbox like an email (casework.mail.notifiers): once per message, never twice.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.inbox.items import file_entry, receive
from casework.mail import outbox
from casework.models import InformationItem, Office, utcnow
from casework.settings import Settings

log = logging.getLogger(__name__)
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
# Meta keeps a received message's media for about 30 days: older ones cannot be fetched, and are not looked at again
MEDIA_KEPT = timedelta(days=30)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf", "video/mp4": "mp4"}


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the app secret's HMAC-SHA256 of exactly these bytes (no secret set: nothing is)."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


@dataclass
class Message:
    id: str
    phone_number_id: str
    sender: str  # the sender's WhatsApp number, as +62...
    name: str
    at: datetime
    text: str
    media: list[dict] = field(default_factory=list)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def messages(payload: Any) -> list[Message]:
    """The messages in a webhook body (status updates and anything else are not messages: none). Any shape is
    read without error: what is not where the Cloud API puts it is not there."""
    found: list[Message] = []
    for entry in _list(_dict(payload).get("entry")):
        for change in _list(_dict(entry).get("changes")):
            value = _dict(_dict(change).get("value"))
            line = str(_dict(value.get("metadata")).get("phone_number_id") or "")
            names = {str(c.get("wa_id")): str(_dict(c.get("profile")).get("name") or "")
                     for c in _list(value.get("contacts")) if isinstance(c, dict)}
            for raw in _list(value.get("messages")):
                if isinstance(raw, dict) and raw.get("id"):
                    found.append(_message(raw, line, names))
    return found


def _message(raw: dict, line: str, names: dict) -> Message:
    kind = str(raw.get("type") or "")
    body = str(_dict(raw.get("text")).get("body") or "") if kind == "text" else ""
    media = []
    if kind in MEDIA_TYPES and isinstance(raw.get(kind), dict):
        part = raw[kind]
        body = str(part.get("caption") or "")
        media.append({"id": str(part.get("id") or ""), "mime": str(part.get("mime_type") or ""),
                      "name": str(part.get("filename") or "")})
    elif kind == "location" and isinstance(raw.get("location"), dict):
        loc = raw["location"]
        body = f"Lokasi: {loc.get('name') or ''} {loc.get('address') or ''} ({loc.get('latitude')}, " \
               f"{loc.get('longitude')})".strip()
    try:
        at = datetime.fromtimestamp(int(raw.get("timestamp")), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        at = datetime.now(UTC)
    sender = str(raw.get("from") or "")
    return Message(id=str(raw["id"])[:200], phone_number_id=line, sender=f"+{sender}" if sender else "",
                   name=str(names.get(sender) or ""), at=at, text=str(body), media=media)


def record(session: Session, payload: Any, *, settings: Settings) -> list[InformationItem]:
    """Receive every message of a verified webhook body as an item (a message seen before: the same item)."""
    lines = dict(settings.whatsapp_lines)
    offices = {code: session.scalar(select(Office).where(Office.code == code)) for code in set(lines.values())}
    items = []
    for message in messages(payload):
        office = offices.get(lines.get(message.phone_number_id, ""))
        item = receive(session, channel="whatsapp", external_id=message.id, office=office,
                       sender_name=message.name, sender_contact=message.sender, body=message.text,
                       media=message.media, at=message.at, with_code=True)
        items.append(item)
        if settings.whatsapp_outbound and settings.whatsapp_token and message.sender:
            _acknowledge(session, item, message.phone_number_id, settings)
    return items


def _acknowledge(session: Session, item: InformationItem, line: str, settings: Settings) -> None:
    """A reply to the sender, within WhatsApp's 24-hour window their message opened: received, and the code to
    follow it. Once per item (a retried webhook queues nothing more)."""
    from casework.reports.reporter_status import display

    office = item.office.name if item.office else "Bawaslu"
    outbox.queue(session, dedup_key=f"whatsapp-ack:{item.id}", purpose="whatsapp_ack", channel="whatsapp",
                 sender=line, recipients=[item.sender_contact], subject=f"Pesan Anda diterima {office}.",
                 body=f"Pesan Anda dicatat sebagai informasi awal dan akan ditelaah. Kode untuk mengikuti: "
                      f"{display(item.receipt_code)} di {settings.base_url.rstrip('/')}/status")


# --- media, later ----------------------------------------------------------------------------------------------------
def _get(url: str, token: str, timeout: float = 20) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the configured Graph API)
        return response.read()


def fetch_media(factory: sessionmaker[Session], *, settings: Settings, limit: int = 50) -> dict[str, int]:
    """Download the media of WhatsApp items not fetched yet, each in its own transaction: fetched, refused (not a
    kind of file Netra keeps: the item says so), failed (tried again next time)."""
    counts = {"fetched": 0, "refused": 0, "failed": 0}
    if not settings.whatsapp_token:
        return counts
    with factory() as session:  # reconcile asks every minute: only the items whose media Meta may still hold
        since = utcnow() - MEDIA_KEPT
        ids = [i.id for i in session.scalars(select(InformationItem).where(InformationItem.channel == "whatsapp",
                                                                           InformationItem.received_at >= since)
                                             .order_by(InformationItem.id))
               if any(m.get("id") and not m.get("stored") and not m.get("refused") for m in i.media)][:limit]
    for item_id in ids:
        with transaction(factory) as session:
            item = session.get(InformationItem, item_id)
            media = [dict(m) for m in item.media]
            for entry in media:
                if not entry.get("id") or entry.get("stored") or entry.get("refused"):
                    continue
                try:
                    meta = json.loads(_get(f"{settings.whatsapp_api_url}/{entry['id']}", settings.whatsapp_token))
                    content = _get(meta["url"], settings.whatsapp_token)
                    mime = meta.get("mime_type") or entry.get("mime") or ""
                    name = entry.get("name") or f"whatsapp-{entry['id']}.{EXTENSIONS.get(mime.split(';')[0], 'bin')}"
                    entry.update(file_entry(name, content, settings))
                    counts["fetched"] += 1
                except CaseworkError as exc:
                    entry["refused"] = exc.code
                    counts["refused"] += 1
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("WhatsApp media %s of item %s: %s", entry.get("id"), item_id, exc)
                    counts["failed"] += 1
            item.media = media
    return counts
