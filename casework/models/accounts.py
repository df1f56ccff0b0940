"""What the desk keeps about sign-ins beyond the user: emailed links and server-side desk sessions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime, utcnow

LINK_PURPOSES = ("signin", "activate")


class AccountLink(Base):
    """A single-use link emailed to a user: `signin` (sign in with the password even while the account is locked)
    or `activate` (set one's own password). Only the sha256 of the random token is kept, so reading this table
    gives no usable link."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))  # the user (sign-in) or the administrator (activation)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # too many wrong tries, or superseded
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)


class DeskSession(Base):
    """One signed-in desk session. The cookie carries a random id; this row (keyed by its sha256) must exist and be
    open for the cookie to mean anything, so logging out ends the session for every copy of the cookie."""

    __tablename__ = "desk_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the id in the cookie
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))  # password / totp / link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(16))  # logout / expired / password / account
