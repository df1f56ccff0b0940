"""How a queued message leaves (casework.mail.outbox): one notifier per channel, the same claim-send-mark path.

- email: SMTP, as every email always went (the outbox's `build_email`);
- whatsapp: a text message through Meta's WhatsApp Business Cloud API, `POST <api>/<sender>/messages`, from the
  office's own number (`sender`, its phone_number_id). Off by default: nothing is queued for WhatsApp unless
  NETRA_WHATSAPP_OUTBOUND=1 and a token are set (casework.inbox.whatsapp queues the acknowledgement of a message;
  a free-form text is allowed only within 24 hours of the person's own message, which an acknowledgement is).

`prepare` runs inside the claim's transaction and returns the network part, which the outbox runs outside any
transaction; whatever it raises of `SEND_ERRORS` leaves the row `failed`, to be retried.
"""
from __future__ import annotations

import json
import smtplib
import urllib.request
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.orm import Session

from casework.models import OutboxMessage
from casework.settings import Settings

SEND_ERRORS = (OSError, smtplib.SMTPException, ValueError)


class Notifier(Protocol):
    def prepare(self, session: Session, row: OutboxMessage) -> Callable[[], None]: ...


class EmailNotifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def prepare(self, session: Session, row: OutboxMessage) -> Callable[[], None]:
        from casework.mail.outbox import build_email

        email = build_email(session, row, self.settings)

        def send() -> None:
            with smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port, timeout=30) as smtp:
                smtp.send_message(email)
        return send


class WhatsAppNotifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def prepare(self, session: Session, row: OutboxMessage) -> Callable[[], None]:
        if not (self.settings.whatsapp_token and row.sender):
            raise ValueError("WhatsApp keluar belum dikonfigurasi / outbound WhatsApp is not configured")
        if len(row.recipients) != 1:  # one call per row: a retry after a partial send would repeat a message
            raise ValueError("satu penerima per pesan WhatsApp / one recipient per WhatsApp message")
        text = f"{row.subject}\n\n{row.body}".strip()[:4096]  # the Cloud API's limit for a text body
        request = urllib.request.Request(
            f"{self.settings.whatsapp_api_url}/{row.sender}/messages", method="POST",
            data=json.dumps({"messaging_product": "whatsapp", "recipient_type": "individual",
                             "to": "".join(ch for ch in row.recipients[0] if ch.isdigit()), "type": "text",
                             "text": {"preview_url": False, "body": text}}).encode(),
            headers={"Authorization": f"Bearer {self.settings.whatsapp_token}", "Content-Type": "application/json"})

        def send() -> None:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the configured API)
                if response.status >= 300:
                    raise OSError(f"WhatsApp API answered {response.status}")
        return send


def notifier_for(row: OutboxMessage, settings: Settings) -> Notifier:
    return WhatsAppNotifier(settings) if row.channel == "whatsapp" else EmailNotifier(settings)
