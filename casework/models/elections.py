from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

ELECTION_KINDS = ("pemilu", "pilkada")


class Election(Base):
    """Pemilu (national, working-day rules) or a Pilkada of one province/regency (calendar-day rules)."""

    __tablename__ = "elections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    voting_day: Mapped[date] = mapped_column(Date)
    # Area of a Pilkada: a province (governor) or a regency/city (regent/mayor); none for a national Pemilu.
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))

    def covers(self, regency_code: str) -> bool:
        if self.regency_code:
            return regency_code == self.regency_code
        if self.province_code:
            return regency_code[:2] == self.province_code
        return True
