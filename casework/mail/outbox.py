"""The outbox: every email Netra sends is first a row, queued in the transaction of the change that caused it.

Exactly once, by construction:
- queueing is idempotent: `dedup_key` names (case, purpose, due moment) and is unique, so queueing the same
  email again — a retried task, a re-run DAG, two sweeps at once — adds nothing;
- sending claims a row first (`pending`/`failed` -> `sending`, a conditional UPDATE only one sender can win),
  then talks to SMTP, then marks it `sent`. A refused or unreachable SMTP server leaves it `failed` with the error,
  to be retried by the next send. A sender that dies after claiming leaves the row in `sending`: it is listed by
  `netra mail list --stuck` for a person to check, and never resent automatically, because the server may
  already have accepted it; the person answers with `netra mail resolve ID --sent | --resend` (audited).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound
from casework.mail.notifiers import SEND_ERRORS, notifier_for
from casework.models import Letter, OutboxMessage, utcnow
from casework.settings import Settings

RETRYABLE = ("pending", "failed")
MAX_ATTEMPTS = 20  # a row failing this often needs a person (wrong address, relay refusing it)


def queue(session: Session, *, dedup_key: str, purpose: str, recipients: list[str], subject: str, body: str,
          case_id: int | None = None, letter_id: int | None = None, channel: str = "email",
          sender: str = "") -> OutboxMessage | None:
    """Queue an email once per `dedup_key`; returns None (and changes nothing) if it was queued before."""
    recipients = list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    if not recipients:
        return None
    if already_queued(session, dedup_key):
        return None
    message = OutboxMessage(dedup_key=dedup_key, purpose=purpose, recipients=recipients, subject=subject[:300],
                            body=body, case_id=case_id, letter_id=letter_id, status="pending", attempts=0,
                            channel=channel, sender=sender)
    try:
        with session.begin_nested():  # a concurrent writer queued the same key first: keep ours out, not the rest
            session.add(message)
    except IntegrityError:
        return None
    return message


def already_queued(session: Session, dedup_key: str) -> bool:
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)) is not None


def message_id(dedup_key: str, mail_from: str) -> str:
    """Stable per queued email, so even a copy delivered twice by a relay is recognisably the same message."""
    domain = mail_from.rpartition("@")[2] or "netra.local"
    return f"<{hashlib.sha256(dedup_key.encode()).hexdigest()[:32]}@{domain}>"


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int
    skipped: int  # claimed by another sender meanwhile

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "skipped": self.skipped}


def send_pending(factory: sessionmaker[Session], *, settings: Settings, case_id: int | None = None,
                 limit: int = 500, now: datetime | None = None) -> SendResult:
    """Send what is pending (optionally only one case's mail), oldest first, to the settings' SMTP server."""
    with factory() as session:
        stmt = (select(OutboxMessage.id).where(OutboxMessage.status.in_(RETRYABLE),
                                               OutboxMessage.attempts < MAX_ATTEMPTS)
                .order_by(OutboxMessage.id).limit(limit))
        if case_id is not None:
            stmt = stmt.where(OutboxMessage.case_id == case_id)
        ids = list(session.scalars(stmt))
    sent = failed = skipped = 0
    for message_id_ in ids:
        outcome = send_one(factory, message_id_, settings=settings, now=now)
        sent += outcome == "sent"
        failed += outcome == "failed"
        skipped += outcome == "skipped"
    return SendResult(sent, failed, skipped)


# Emails that carry a single-use link (casework/accounts/links.py): once sent, the body kept in the outbox is
# replaced, so whoever reads the database later cannot use a link still live (an activation link lasts 72 hours).
SECRET_BODIES = frozenset({"account.signin_link", "account.activation", "letter.link", "letter.link_reminder"})
SENT_SECRET = "[isi surel berisi tautan sekali pakai; dihapus setelah terkirim / single-use link removed once sent]"


def send_one(factory: sessionmaker[Session], outbox_id: int, *, settings: Settings,
             now: datetime | None = None) -> str:
    with transaction(factory) as session:  # 1. claim: only one sender can move the row out of pending/failed
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status.in_(RETRYABLE))
            .values(status="sending", claimed_at=now or utcnow(), attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            return "skipped"
        row = session.get(OutboxMessage, outbox_id)
        try:
            deliver = notifier_for(row, settings).prepare(session, row)
        except SEND_ERRORS as exc:
            deliver, problem = None, exc
    try:  # 2. hand it to SMTP (or the WhatsApp API: casework.mail.notifiers) outside any transaction
        if deliver is None:
            raise problem
        deliver()
    except SEND_ERRORS as exc:
        with transaction(factory) as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id)
                            .values(status="failed", last_error=f"{type(exc).__name__}: {exc}"[:2000]))
        return "failed"
    with transaction(factory) as session:  # 3. done
        session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(**_done(row)))
    return "sent"


def _done(row: OutboxMessage) -> dict:
    done = {"status": "sent", "sent_at": utcnow(), "last_error": ""}
    if row.purpose in SECRET_BODIES:  # a live link must not outlive its email in the database
        done["body"] = SENT_SECRET
    return done


def build_email(session: Session, row: OutboxMessage, settings: Settings) -> EmailMessage:
    from casework.letters.issue import stored_pdf  # letters pulls in the renderer's dependencies lazily

    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = ", ".join(row.recipients)
    email["Subject"] = row.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(row.dedup_key, settings.mail_from)
    email["X-Netra-Key"] = row.dedup_key
    email.set_content(row.body)
    if row.letter_id is not None:
        letter = session.get(Letter, row.letter_id)
        email.add_attachment(stored_pdf(session, letter, settings), maintype="application", subtype="pdf",
                             filename=f"{letter.number.replace('/', '-')}.pdf")
    return email


def stuck(session: Session) -> list[OutboxMessage]:
    """Rows a sender claimed and never finished: a person checks whether they went out."""
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending")
                                .order_by(OutboxMessage.id)))


def resolve_stuck(session: Session, outbox_id: int, *, went: bool, actor: str) -> OutboxMessage:
    """A person's answer for a row a sender left in `sending` (look for its Message-ID, `message_id`, in the mail
    server's log): it went (`sent`), or it did not (`pending` again: the next send delivers it). Audited; a row in
    any other state is refused, so two people answering at once change it once."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("mail.unknown", id=outbox_id)
    values = _done(row) if went else {"status": "pending", "last_error": ""}  # who and why: the audit event
    if not session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.status == "sending")
                           .values(**values).execution_options(synchronize_session=False)).rowcount:
        raise CaseworkError("mail.not_stuck", id=outbox_id, status=row.status)
    audit.record(session, actor=actor, action="mail.resolved", entity="outbox", entity_id=outbox_id,
                 case_id=row.case_id, before={"status": "sending"},
                 after={"status": values["status"], "key": row.dedup_key})
    session.refresh(row)
    return row
