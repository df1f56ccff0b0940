"""Email to an office becomes initial information: `netra inbox mail` reads one message (RFC 5322) on standard input,
as a mail server's delivery pipe hands it over (Postfix `mailbox_command`, a `.forward` or procmail rule:
`| netra inbox mail`). The office is the one whose directory address the message was sent to (To, Cc or
Delivered-To), or the one named with --office; none: it waits for Bawaslu RI. The Message-ID makes a second
delivery of the same message a no-op. Attachments of a kind Netra keeps as evidence (casework.road.evidence) are
kept with the item; others are named in the item's text as not kept.
"""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.inbox.items import receive
from casework.models import InformationItem, Office
from casework.road.evidence import check_file
from casework.settings import Settings

MAX_ATTACHMENTS = 10


def receive_email(session: Session, raw: bytes, *, settings: Settings, office_code: str | None = None
                  ) -> InformationItem:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    office = None
    if office_code:
        office = session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            raise CaseworkError("case.unknown_office", code=office_code)
    else:
        to = [addr.lower() for _, addr in getaddresses(message.get_all("Delivered-To", []) + message.get_all("To", [])
                                                      + message.get_all("Cc", [])) if addr]
        if to:
            office = session.scalar(select(Office).where(func.lower(Office.email).in_(to)).order_by(Office.id))
    name, sender = parseaddr(str(message.get("From", "")))
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = body_part.get_content() if body_part is not None else ""
    files, refused = [], []
    for part in list(message.iter_attachments())[:MAX_ATTACHMENTS]:
        filename = part.get_filename() or "lampiran"
        content = part.get_payload(decode=True) or b""
        try:
            check_file(filename, content)
            files.append((filename, content))
        except CaseworkError as exc:
            refused.append(f"{filename} ({exc.code})")
    if refused:
        body += "\n\n[Lampiran tidak disimpan: " + ", ".join(refused) + "]"
    external_id = str(message.get("Message-ID", "")).strip()[:200] or None
    return receive(session, channel="email", external_id=external_id, office=office, sender_name=name,
                   sender_contact=sender, subject=str(message.get("Subject", "")), body=body, files=files,
                   settings=settings)
