"""What the road leaves behind: deadlines, letters and their number series, outbox messages, audit events."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime, utcnow


class Deadline(Base):
    """A computed deadline: rule, due moment (UTC, shown in the office's zone) and its explanation."""

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due_at", "status", "due_at"),
                      Index("ix_deadlines_status_next_notice_at", "status", "next_notice_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"))
    rule_id: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(4))
    basis: Mapped[str] = mapped_column(String(10))  # statute / policy
    status: Mapped[str] = mapped_column(String(12), default="open")  # open/met/missed/superseded/cancelled
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    # the letter a deadline waits on (its addressee's confirmation of receipt, rules "ack.*"); None for the rest
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The next reminder or overdue notice this deadline owes (None: none). The notice sweep finds every due notice
    # with one indexed range query on (status, next_notice_at), however many cases are open.
    next_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NumberSequence(Base):
    """A counter per series (e.g. case numbers per regency and year, letter numbers per office/code/year)."""

    __tablename__ = "number_sequences"

    series: Mapped[str] = mapped_column(String(160), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Letter(Base):
    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("office_code", "classification", "year", "seq"),
        # at most one live letter per request, whoever issues it and however they interleave (partial: a request
        # also keeps its void and superseded letters)
        Index("ix_letters_request_id_issued", "request_id", unique=True,
              sqlite_where=text("status = 'issued'"), postgresql_where=text("status = 'issued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"))
    kind: Mapped[str] = mapped_column(String(64))
    office_code: Mapped[str] = mapped_column(String(64))
    classification: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    # reserved (number taken, PDF being made) -> issued; a reserved or issued letter can become void, never free
    status: Mapped[str] = mapped_column(String(12), default="reserved")
    hal: Mapped[str] = mapped_column(String(300))
    recipient: Mapped[str] = mapped_column(String(300), default="")  # internal register only; never shown publicly
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(100))
    pdf_path: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    verify_token: Mapped[str] = mapped_column(String(64), unique=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the request it answers (None only for a letter voided before requests existed, migration 0009)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("letter_requests.id", use_alter=True))
    # issued -> superseded when a correction is issued: the new letter and the reason (shown when verified)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    superseded_reason: Mapped[str] = mapped_column(Text, default="")
    # who signed, frozen at issue (casework.letters.signers); None on letters issued before signers were recorded
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("signing_officials.id"))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))


class LetterSignature(Base):
    """One certified electronic signature on an issued letter (casework.signing), in the order made: a paraf
    first where the letter takes one, then the signing official's. The certificate is recorded as it signed; the
    signature itself is in the stored PDF, whose hash the letter keeps."""

    __tablename__ = "letter_signatures"
    __table_args__ = (UniqueConstraint("letter_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ... in signing order
    role: Mapped[str] = mapped_column(String(8))  # paraf | ttd
    official_id: Mapped[int | None] = mapped_column(ForeignKey("signing_officials.id"))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    cert_subject: Mapped[str] = mapped_column(String(300))
    cert_issuer: Mapped[str] = mapped_column(String(300))
    cert_serial: Mapped[str] = mapped_column(String(80))
    cert_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timestamped: Mapped[bool] = mapped_column(default=False)  # the signature carries a TSA's timestamp


class LetterRequest(Base):
    """A letter a case is owed: written with the decision that asks for it (casework.letters.requests), one per
    addressee, and claimed once by whoever issues it — the desk, Airflow or the CLI (casework.letters.issue).

    open -> claimed (one issuer won the conditional UPDATE and holds a reserved number) -> issued (`letter_id` is
    the live letter). A failed render puts it back; a correction takes an issued request back to claimed."""

    __tablename__ = "letter_requests"
    __table_args__ = (UniqueConstraint("audit_event_id", "kind", "addressee_key"),
                      Index("ix_letter_requests_case_id_status", "case_id", "status"),
                      # an office letter is asked for once (casework.letters.office: the key carries the day and
                      # the content's digest), however two clicks interleave
                      Index("ix_letter_requests_office_letter", "office_id", "kind", "addressee_key", unique=True,
                            sqlite_where=text("case_id IS NULL AND status <> 'cancelled'"),
                            postgresql_where=text("case_id IS NULL AND status <> 'cancelled'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))  # None: an office letter (below)
    kind: Mapped[str] = mapped_column(String(64))
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"))  # the person it concerns
    # An office letter belongs to no case (an appeal to agencies, the list of PPKs that have not followed up):
    # the office that writes it, and what it says, frozen when it was asked for (casework.letters.office)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    payload: Mapped[dict | None] = mapped_column(JSON)
    # who it goes to, as casework.letters.addressees resolved it when asked: a stable key ("reporter",
    # "reported:<id>", "ppk:<id>", ...) and the label printed after "Yth."
    addressee_key: Mapped[str] = mapped_column(String(100))
    addressee_label: Mapped[str] = mapped_column(String(300))
    cause: Mapped[str] = mapped_column(String(64))  # the audit action that asked ("case.forward", "case.opened")
    audit_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open / claimed / issued / cancelled
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claims: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every claim: whose claim is current
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))  # the live letter it produced


class OutboxMessage(Base):
    """An email queued in the same transaction as the change that caused it; `dedup_key` makes it once-only."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    # how it goes (casework.mail.notifiers): "email" (SMTP), or "whatsapp" (the Cloud API, from the office's number
    # `sender`, a phone_number_id; off unless NETRA_WHATSAPP_OUTBOUND=1). Recipients are addresses or numbers.
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
    sender: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # pending -> sending (claimed by one sender) -> sent; failed (SMTP refused, retried later). A row left in
    # `sending` by a crashed sender is never resent automatically: an email must never go twice.
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LifecycleRun(Base):
    """The Airflow run that keeps time for a case (one per case; its run_id derives from the case number)."""

    __tablename__ = "lifecycle_runs"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(250), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RateLimitHit(Base):
    """Requests of one client to a public page in one time window, counted in the database so that every web
    worker (gunicorn runs several processes) shares the same count. Old windows are deleted as new ones start."""

    __tablename__ = "rate_limit_hits"

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)  # purpose + keyed hash of the client address
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Append-only trail: who did what, when, with before/after; each row chains the previous row's hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # unique: two events can never claim the same predecessor, so concurrent writers cannot fork the chain
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
