"""Initial information (informasi awal): what reaches an office that is not yet a case — a message from the public
form's "just tell us" mode, a WhatsApp message, an email — until a handler triages it (casework.inbox)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.cases import Case
from casework.models.organisations import Office

INFORMATION_CHANNELS = ("web", "whatsapp", "email")
INFORMATION_STATUSES = ("new", "taken_up", "linked", "dismissed")


class InformationItem(Base):
    __tablename__ = "information_items"
    # a channel's own message id: the same WhatsApp message delivered twice (Meta retries) is one item
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    external_id: Mapped[str | None] = mapped_column(String(200))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)  # None: not routed
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    sender_contact: Mapped[str] = mapped_column(String(200), default="")  # phone or email, as it came
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # what the public form's laporan mode carried but could not become a case with (casework.public.online)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"id": the channel's media id, "mime": ..., "stored": evidence file name once fetched, "sha256": ...}]
    media: Mapped[list] = mapped_column(JSON, default=list)
    receipt_code: Mapped[str | None] = mapped_column(String(12), unique=True)  # to follow it on /status
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)  # INFORMATION_STATUSES
    reason: Mapped[str] = mapped_column(Text, default="")  # a dismissal's reason
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))  # taken up as, or linked to
    triaged_by: Mapped[str | None] = mapped_column(String(100))
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    office: Mapped[Office | None] = relationship()
    case: Mapped[Case | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
