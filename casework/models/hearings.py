"""Clarification hearings (klarifikasi): when, where and whom Bawaslu invites, and who came.

A case has one hearing per schedule: rescheduling marks the hearing `rescheduled` and adds a new one (with
`replaces_id`), so the first invitation's date stays on record beside the letters that announced it. Minutes are
recorded on the hearing that was held (`held`)."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.cases import Reporter, ReportedASN, Witness

HEARING_STATUSES = ("scheduled", "rescheduled", "held", "cancelled")
INVITEE_KINDS = ("reported", "reporter", "witness", "other")


class Hearing(Base):
    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    scheduled_on: Mapped[date] = mapped_column(Date)
    scheduled_time: Mapped[time] = mapped_column(Time)  # local time in `timezone`
    timezone: Mapped[str] = mapped_column(String(4))  # WIB / WITA / WIT: the handling office's, frozen
    place: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("hearings.id"))  # the schedule it moved
    reschedule_reason: Mapped[str] = mapped_column(Text, default="")  # why the schedule it replaces moved
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_recorded_on: Mapped[date | None] = mapped_column(Date)  # the act date of the minutes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))

    invitees: Mapped[list[HearingInvitee]] = relationship(
        back_populates="hearing", order_by="HearingInvitee.id", cascade="all, delete-orphan")
    replaces: Mapped[Hearing | None] = relationship(remote_side=[id])


class HearingInvitee(Base):
    """One person invited to a hearing, each with their own letter: a party of the case (linked) or another
    person by name and role. `name` and `role` are frozen when invited (what the letter printed)."""

    __tablename__ = "hearing_invitees"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # reported / reporter / witness / other
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"))
    witness_id: Mapped[int | None] = mapped_column(ForeignKey("witnesses.id"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")  # an "other" invitee's capacity (e.g. ahli)
    position: Mapped[int] = mapped_column(Integer, default=1)  # n-th witness / other: the token's number
    attended: Mapped[bool | None] = mapped_column(Boolean)  # None until the minutes say

    hearing: Mapped[Hearing] = relationship(back_populates="invitees")
    reported_asn: Mapped[ReportedASN | None] = relationship()
    reporter: Mapped[Reporter | None] = relationship()
    witness: Mapped[Witness | None] = relationship()
