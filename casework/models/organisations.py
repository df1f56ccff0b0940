"""Institutions on the road: Bawaslu offices, the oversight body (KASN, then BKN), the employing agencies."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base
from casework.models.regions import Province, Regency

if TYPE_CHECKING:
    from casework.models.users import User

OFFICE_KINDS = ("bawaslu_ri", "bawaslu_provinsi", "bawaslu_kabkota", "panwaslu_kecamatan", "panwaslu_ln")


class Office(Base):
    """A Bawaslu office (RI, provinsi, kab/kota) or a Panwaslu kecamatan. `parent` is the level above."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    city: Mapped[str] = mapped_column(String(100))  # place on letters: "Tenggarong, 1 Oktober 2024"
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    letter_unit_code: Mapped[str] = mapped_column(String(32), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")  # signs the office's letters
    # An office abroad (Panwaslu LN) keeps its own time zone (a label of rules/timezones.toml, e.g. MYT); every
    # other office the zone of its province. Deadlines end, hearings and letters are dated in `timezone`.
    own_timezone: Mapped[str | None] = mapped_column(String(4))

    province: Mapped[Province] = relationship()
    regency: Mapped[Regency | None] = relationship()
    parent: Mapped[Office | None] = relationship(remote_side=[id])

    @property
    def timezone(self) -> str:
        """The zone the office works in: its own (abroad), else its province's (WIB / WITA / WIT)."""
        return self.own_timezone or self.province.timezone

    @property
    def short_name(self) -> str:
        """"Bawaslu Kabupaten Kutai Kartanegara", "Panwaslih Aceh", "Panwaslu LN Kuala Lumpur": the form used in
        titles and signatures (rules/office_names.toml)."""
        name = self.name
        for long, short in office_abbreviations():
            name = name.replace(long, short)
        return name

    @property
    def head_title(self) -> str:
        return f"Ketua {self.short_name}"

    def __str__(self) -> str:  # in lists and choice fields: "Bawaslu Kabupaten Kutai Kartanegara"
        return self.short_name


def office_abbreviations() -> list[tuple[str, str]]:
    from casework.rules import load  # the models import no rules at import time

    return [(a["long"], a["short"]) for a in load("office_names")["abbreviations"]]


class SigningOfficial(Base):
    """Who may sign an office's letters, and when: its head (Ketua) and whoever acts for them (Plh./Plt.). The
    signer of a letter is chosen from those on duty on its date (casework.letters.signers) and frozen on it."""

    __tablename__ = "signing_officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))  # as printed: "Ketua ...", "Plh. Ketua ..."
    nip: Mapped[str | None] = mapped_column(String(18))  # printed when the signer is ASN
    acting: Mapped[bool] = mapped_column(Boolean, default=False)  # Plh./Plt.: not the default while a head is on duty
    valid_from: Mapped[date | None] = mapped_column(Date)  # None: since always
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: until further notice
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # their desk login, if any
    # "ttd": signs letters (the head, or acting for them); "paraf": initials a letter before the signer does (a
    # drafter such as the division coordinator; never chosen as the signer) — casework.letters.signatures
    signs_as: Mapped[str] = mapped_column(String(8), default="ttd", server_default="ttd")

    office: Mapped[Office] = relationship()
    user: Mapped[User | None] = relationship("User")  # by name: casework.models.users imports this module

    def on_duty(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_until is None
                                                                        or on <= self.valid_until)

    def __str__(self) -> str:
        return f"{self.name} — {self.title}"


class OversightBody(Base):
    """The civil-service oversight body, valid for a period: KASN until 3 Sept 2024, BKN from 4 Sept 2024."""

    __tablename__ = "oversight_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="Jakarta")
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Agency(Base):
    """An employing agency (instansi) with its PPK and personnel unit (BKPSDM/BKD), and their email addresses: the
    organisations directory that notices and letters are sent by (casework.mail.notifications)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # pusat / provinsi / kabkota
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))
    ppk_title: Mapped[str] = mapped_column(String(200))  # e.g. "Bupati Kutai Kartanegara"
    ppk_supervisor: Mapped[str] = mapped_column(String(200), default="")  # escalation: e.g. "Menteri Dalam Negeri"
    personnel_unit_name: Mapped[str] = mapped_column(String(200))  # BKPSDM / BKD / Biro SDM
    personnel_unit_email: Mapped[str] = mapped_column(String(200), default="")
    ppk_email: Mapped[str] = mapped_column(String(200), default="")  # the PPK's office (letters to the PPK)
    city: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")

    def __str__(self) -> str:
        return self.name
