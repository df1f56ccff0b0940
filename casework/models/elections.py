from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base

ELECTION_KINDS = ("pemilu", "pilkada")
# Named stages of an election's schedule (labels: casework.reference.elections.STAGE_LABELS).
ELECTION_STAGES = ("campaign", "quiet", "counting")


class Election(Base):
    """Pemilu (national, working-day rules) or a Pilkada of one province/regency (calendar-day rules).

    Its period (`starts_on` … `ends_on`, both inclusive) is the span of its stages (tahapan) as the KPU regulation
    sets them: an incident in that period, in its area, falls under it (casework/rules/elections.toml says what
    the period is for each real election, with its citation). A re-vote (PSU) is an election of the same kind with
    `parent` set: it keeps the parent's deadline regime and may overlap it."""

    __tablename__ = "elections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    voting_day: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(300), default="")  # the regulation that sets the schedule
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id"))
    # Area of a Pilkada: a province (governor) or a regency/city (regent/mayor); none for a national Pemilu.
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))

    parent: Mapped[Election | None] = relationship(remote_side=[id])
    stages: Mapped[list[ElectionStage]] = relationship(cascade="all, delete-orphan",
                                                       order_by="ElectionStage.starts_on")

    def covers(self, regency_code: str) -> bool:
        if self.regency_code:
            return regency_code == self.regency_code
        if self.province_code:
            return regency_code[:2] == self.province_code
        return True

    def in_period(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def stage(self, code: str) -> ElectionStage | None:
        return next((s for s in self.stages if s.code == code), None)


class ElectionStage(Base):
    """A named stage of an election's schedule (campaign, quiet period, counting), dates inclusive."""

    __tablename__ = "election_stages"
    __table_args__ = (UniqueConstraint("election_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
