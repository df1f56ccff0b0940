"""The access log (docs/privacy.md §3): every read of a reporter's identity, an evidence file, a decree or a letter
that names a protected person, by whom and when. Append-only: Netra inserts rows and never changes one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime, utcnow


class PersonalDataRead(Base):
    __tablename__ = "personal_data_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # reporter / evidence / decree / letter
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    item: Mapped[str] = mapped_column(String(200), default="")  # the file or letter read
    channel: Mapped[str] = mapped_column(String(8), default="desk")  # desk / api
