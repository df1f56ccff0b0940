"""Links that let an institution without an account answer a letter (casework.letters.links)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime, utcnow


class LetterLink(Base):
    """A single-purpose link for one letter's addressee: open the letter, confirm its receipt. The token is an
    HMAC of this row's id and nonce under the installation's secret key: the table alone (a dump) gives no
    usable link, and only the sha256 of the token is kept to find the row. One link per letter is live; a
    reissue revokes it and makes another."""

    __tablename__ = "letter_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    addressee: Mapped[str] = mapped_column(String(300))  # as the letter names them (its register label)
    nonce: Mapped[str] = mapped_column(String(32))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first opened
    uses: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it was confirmed (the moment)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)  # the day it was received, as the addressee says
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))  # name
    acknowledged_position: Mapped[str | None] = mapped_column(String(200))  # jabatan
