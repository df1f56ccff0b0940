"""Prevention and vulnerability (issue 21): IKP scores per region, the ASN headcount per region, and the register of
prevention work (socialisation, neutrality pledges, integrity pacts, task forces).

A region is a Kemendagri code without dots: two digits for a province ("64"), four for a regency or city ("6402")
— the codes of the `provinces` and `regencies` tables, which these rows check in the domain (a plain string here,
since one column holds either level)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.organisations import Agency, Office

IKP_THEMES = ("overall", "asn_neutrality")  # the IKP itself, and Bawaslu's thematic IKP on ASN neutrality
IKP_BANDS = ("low", "medium", "high")
PREVENTION_KINDS = ("socialisation", "pledge", "integrity_pact", "task_force")


class VulnerabilityScore(Base):
    """One IKP figure (Indeks Kerawanan Pemilu, 0–100) of a region: the index of a theme, or one of its dimensions
    (`dimension` = "" for the index itself), for an election (its code; "" when the source names only a year),
    always with its source."""

    __tablename__ = "vulnerability_scores"
    __table_args__ = (UniqueConstraint("region_code", "year", "election_code", "theme", "dimension",
                                       name="uq_vulnerability_scores_figure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(4), index=True)
    year: Mapped[int] = mapped_column(Integer)
    election_code: Mapped[str] = mapped_column(String(64), default="", server_default="")
    theme: Mapped[str] = mapped_column(String(32), default="overall")  # IKP_THEMES
    dimension: Mapped[str] = mapped_column(String(100), default="", server_default="")
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(8))  # IKP_BANDS: as the source gives it, else from rules/ikp.toml
    source: Mapped[str] = mapped_column(String(300))  # e.g. "Bawaslu RI, IKP Pemilihan Serentak 2024"
    source_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AsnCount(Base):
    """How many ASN work in a region (a province or regency), in a year, with its source (e.g. BKN's statistics):
    the denominator of "cases per 10,000 ASN" and of a pledge's coverage. Unknown is no row, never zero."""

    __tablename__ = "asn_counts"
    __table_args__ = (UniqueConstraint("region_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(4), index=True)
    year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PreventionActivity(Base):
    """One piece of prevention work, recorded by a Bawaslu office: a socialisation event, a neutrality pledge
    (ikrar), an integrity pact (pakta integritas), or a neutrality task force of an agency. A pledge or pact counts
    its signatories, and — when the unit's ASN are counted — their share; its signed document is kept as a PDF
    (stored like evidence: outside the database under a random name, with its sha256)."""

    __tablename__ = "prevention_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # PREVENTION_KINDS
    title: Mapped[str] = mapped_column(String(300))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)  # the office that recorded it
    region_code: Mapped[str] = mapped_column(String(4), index=True)  # where it took place (province or regency)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)  # None: region-wide
    unit: Mapped[str] = mapped_column(String(200), default="", server_default="")  # work unit; "": whole agency
    held_on: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[int | None] = mapped_column(Integer)  # a socialisation's attendance
    signatories: Mapped[int | None] = mapped_column(Integer)  # a pledge's or pact's signatories
    unit_asn: Mapped[int | None] = mapped_column(Integer)  # the unit's ASN when signed (the share's denominator)
    reference: Mapped[str] = mapped_column(String(200), default="", server_default="")  # e.g. a task force's SK
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    document_file: Mapped[str | None] = mapped_column(String(64), unique=True)  # stored name
    document_name: Mapped[str | None] = mapped_column(String(255))
    document_size: Mapped[int | None] = mapped_column(Integer)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    office: Mapped[Office] = relationship()
    agency: Mapped[Agency | None] = relationship()

    @property
    def share(self) -> float | None:
        """Signatories as a share (0–1) of the unit's ASN, where both are known."""
        if self.signatories is None or not self.unit_asn:
            return None
        return self.signatories / self.unit_asn
