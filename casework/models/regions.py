"""Kemendagri regions: province -> regency/city -> district. Codes are the undotted Kemendagri codes."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base


class Province(Base):
    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(4))  # WIB / WITA / WIT, from data/timezones.toml

    regencies: Mapped[list[Regency]] = relationship(back_populates="province")


class Regency(Base):
    __tablename__ = "regencies"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    dotted_code: Mapped[str] = mapped_column(String(5))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    province: Mapped[Province] = relationship(back_populates="regencies")

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")


class District(Base):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    dotted_code: Mapped[str] = mapped_column(String(8))
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    regency: Mapped[Regency] = relationship()
