"""A neutrality case, its parties, evidence and stage history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.elections import Election
from casework.models.organisations import Agency, Office, OversightBody
from casework.models.regions import District, Regency

SOURCES = ("laporan", "temuan")
ASN_KINDS = ("PNS", "PPPK")


class Reporter(Base):
    """The pelapor. Whistle-blower: only the handling Bawaslu may see these fields."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # asked on the online form: the reporter wants their identity kept from everyone outside the handling office
    # (Netra already does that for every reporter; the request is recorded and shown to the handler)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


CHANNELS = ("desk", "online")  # how a case came in: recorded at the desk (or by import/API), or the public form


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_stage_regency", "stage", "regency_code"),
        # "Tugas saya": a regency's cases nearest deadline first, read in index order
        Index("ix_cases_regency_next_due_at", "regency_code", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # A stable reference from outside (demo key, imported register row) so loading twice creates nothing new.
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(String(10))  # laporan / temuan
    channel: Mapped[str] = mapped_column(String(10), default="desk", server_default="desk")  # CHANNELS
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    place: Mapped[str] = mapped_column(String(300))
    occurred_on: Mapped[date] = mapped_column(Date)
    known_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date, index=True)  # the desk's list is sorted by it
    summary: Mapped[str] = mapped_column(String(300))
    chronology: Mapped[str] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"))
    found_by: Mapped[str] = mapped_column(String(200), default="")  # temuan: the supervisor who found it
    register_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A laporan's receipt code (casework/reporter_status.py): the reporter's key to the public status page. Kept in
    # clear (the receipt letter prints it) and unique; it opens nothing but the case's status without personal data.
    receipt_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    stage: Mapped[str] = mapped_column(String(32))
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime)
    # The plenary's decision (casework.road.plenary): a summary of the per-person outcomes (violation when anyone was
    # found in violation, else other_law when anyone was referred, else not_violation), the day it was held (the
    # act date), the head who recorded it, and its reasoning. Each person's own outcome is on ReportedASN.
    plenary_outcome: Mapped[str | None] = mapped_column(String(20))  # violation / not_violation / other_law
    forwarded_to: Mapped[str | None] = mapped_column(String(200))  # other_law: Gakkumdu, TNI, Polri, ...
    plenary_decided_on: Mapped[date | None] = mapped_column(Date)
    plenary_decided_by: Mapped[str | None] = mapped_column(String(100))
    plenary_reasoning: Mapped[str | None] = mapped_column(Text)
    study_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # when its personal data was pseudonymised, its retention past (casework.privacy.retention; docs/privacy.md)
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The earliest due moment among the case's open deadlines (None: no open deadline). Derived, kept by
    # casework.deadlines.records in the transaction that starts or stops a deadline, never set by hand.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Optimistic locking: every UPDATE checks and bumps `version`.
    __mapper_args__ = {"version_id_col": version}

    election: Mapped[Election] = relationship()
    office: Mapped[Office] = relationship()
    regency: Mapped[Regency] = relationship()
    district: Mapped[District | None] = relationship()
    reporter: Mapped[Reporter | None] = relationship()
    reported: Mapped[list[ReportedASN]] = relationship(
        back_populates="case", order_by="ReportedASN.id", cascade="all, delete-orphan")
    witnesses: Mapped[list[Witness]] = relationship(cascade="all, delete-orphan", order_by="Witness.id")
    violations: Mapped[list[CaseViolation]] = relationship(
        cascade="all, delete-orphan", order_by="CaseViolation.code")
    evidence: Mapped[list[EvidenceFile]] = relationship(cascade="all, delete-orphan", order_by="EvidenceFile.id")
    history: Mapped[list[StageChange]] = relationship(
        cascade="all, delete-orphan", order_by="(StageChange.at, StageChange.id)")


class ReportedASN(Base):
    """A reported person (terlapor): a civil servant (ASN) — the name stays from when only ASN were — or a village
    head or official, a soldier, a police officer, someone else (`person_kind`, rules/person_kinds.toml). From the
    forward on, each has their own track: an ASN's to the oversight body and their PPK, anyone else's to their own
    institution. `nip` holds the identifier of their kind: NIP, NIK or NRP."""

    __tablename__ = "reported_asn"
    __table_args__ = (UniqueConstraint("case_id", "nip"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    nip: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    position: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str] = mapped_column(String(40), default="")  # pangkat/golongan, e.g. "Penata (III/c)"
    asn_kind: Mapped[str] = mapped_column(String(4), default="PNS")  # PNS / PPPK; "" for who is not an ASN
    person_kind: Mapped[str] = mapped_column(String(20), default="asn")  # rules/person_kinds.toml
    village: Mapped[str] = mapped_column(String(200), default="")  # a village head's or official's village
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    work_unit: Mapped[str] = mapped_column(String(200), default="")
    track_stage: Mapped[str | None] = mapped_column(String(32), index=True)  # Tugas saya: tracks waiting on you
    track_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    oversight_body_id: Mapped[int | None] = mapped_column(ForeignKey("oversight_bodies.id"))
    # A KASN-era track after SE Menpan-RB 4/2024 (casework.road.handover): "bkn" (passed to BKN before KASN
    # recommended) or "menpanrb" (KASN had recommended: the PPK reports to the Menteri PANRB); None otherwise
    oversight_handover: Mapped[str | None] = mapped_column(String(16))
    referred_to_agency_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_sanction: Mapped[str | None] = mapped_column(String(64))  # code in rules/sanctions.toml
    # A moral sanction and a discipline penalty can be recommended together (SKB 2022): the second one, if any
    recommended_second_sanction: Mapped[str | None] = mapped_column(String(64))
    # The first decree recorded (every decree, the first included, is a SanctionDecree row: `decrees`)
    sanction: Mapped[str | None] = mapped_column(String(64))  # imposed, code in rules/sanctions.toml
    decree_number: Mapped[str | None] = mapped_column(String(100))
    decree_date: Mapped[date | None] = mapped_column(Date)
    decree_signer_name: Mapped[str | None] = mapped_column(String(200))  # who signed the SK (the PPK or delegate)
    decree_signer_title: Mapped[str | None] = mapped_column(String(200))
    effective_from: Mapped[date | None] = mapped_column(Date)  # when the penalty takes effect (TMT)
    effective_until: Mapped[date | None] = mapped_column(Date)  # last day, for a penalty with a duration
    # The decree PDF, stored like evidence (casework/sanctions.py): outside the web root under a random name
    decree_file: Mapped[str | None] = mapped_column(String(64))
    decree_file_name: Mapped[str | None] = mapped_column(String(255))
    decree_file_size: Mapped[int | None] = mapped_column(Integer)
    decree_file_sha256: Mapped[str | None] = mapped_column(String(64))
    finding_reason: Mapped[str | None] = mapped_column(Text)  # oversight found no violation: why
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)  # steps of rules/escalation.toml taken
    # The plenary's outcome for this person (casework.road.plenary): violation (with the violation codes found),
    # not_violation, or other_law (referred to `plenary_referred_to`). Only people in violation are forwarded.
    plenary_outcome: Mapped[str | None] = mapped_column(String(20))
    plenary_violations: Mapped[list[str] | None] = mapped_column(JSON)
    plenary_referred_to: Mapped[str | None] = mapped_column(String(200))
    # The criminal part beside the neutrality road (casework.road.criminal): its stage (None: none declared)
    criminal_stage: Mapped[str | None] = mapped_column(String(32), index=True)

    case: Mapped[Case] = relationship(back_populates="reported")
    agency: Mapped[Agency] = relationship()
    oversight_body: Mapped[OversightBody | None] = relationship()
    escalations: Mapped[list[TrackEscalation]] = relationship(order_by="TrackEscalation.id")
    blocks: Mapped[list[PersonnelBlock]] = relationship(order_by="PersonnelBlock.id")
    decrees: Mapped[list[SanctionDecree]] = relationship(order_by="SanctionDecree.id", cascade="all, delete-orphan")
    appeals: Mapped[list[SanctionAppeal]] = relationship(order_by="SanctionAppeal.id", cascade="all, delete-orphan")
    criminal_events: Mapped[list[CriminalEvent]] = relationship(order_by="CriminalEvent.id",
                                                                cascade="all, delete-orphan")

    @property
    def recommended_sanctions(self) -> list[str]:
        return [c for c in (self.recommended_sanction, self.recommended_second_sanction) if c]


class SanctionDecree(Base):
    """A PPK's decree (SK) imposing one sanction on one reported ASN. A track with a moral sanction and a
    discipline penalty recommended has two; the first is also kept on the ReportedASN row, as before."""

    __tablename__ = "sanction_decrees"

    id: Mapped[int] = mapped_column(primary_key=True)
    reported_asn_id: Mapped[int] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    sanction: Mapped[str] = mapped_column(String(64))  # code in rules/sanctions.toml
    number: Mapped[str] = mapped_column(String(100))
    signed_on: Mapped[date] = mapped_column(Date)
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    file: Mapped[str | None] = mapped_column(String(64))  # stored like evidence, casework/road/sanctions.py
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # after an objection or appeal (casework.road.appeals): in_force, revised (replaced by `replaced_by_id`, the
    # decision's revised penalty) or annulled
    status: Mapped[str] = mapped_column(String(16), default="in_force")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("sanction_decrees.id"))


class SanctionAppeal(Base):
    """The reported ASN's objection (keberatan) or appeal (banding administratif) against one decree, and its
    decision (PP 79/2021; rules/appeals.toml). `outcome` None: still open."""

    __tablename__ = "sanction_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reported_asn_id: Mapped[int] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("sanction_decrees.id"))
    kind: Mapped[str] = mapped_column(String(16))  # keberatan / banding
    filed_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # filed after its window (the body decides)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_note: Mapped[str | None] = mapped_column(Text)
    revised_decree_id: Mapped[int | None] = mapped_column(ForeignKey("sanction_decrees.id"))
    decided_by: Mapped[str | None] = mapped_column(String(100))

    decree: Mapped[SanctionDecree] = relationship(foreign_keys=[decree_id])


class TrackEscalation(Base):
    """A step of the escalation ladder taken for a late PPK, on one reported ASN's track."""

    __tablename__ = "track_escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    reported_asn_id: Mapped[int] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")


class PersonnelBlock(Base):
    """BKN's blocking of a reported ASN's personnel data in SIASN (Peraturan BKN 1/2023), and its lifting, as
    Bawaslu learns them: Netra asks for it on the escalation ladder; BKN blocks; BKN unblocks once the PPK acts.
    `unblocked_on` None: still blocked (at most one such row per person, casework.road.blocking)."""

    __tablename__ = "personnel_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    reported_asn_id: Mapped[int] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    blocked_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100))  # BKN's letter or SIASN notice that says so
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unblocked_on: Mapped[date | None] = mapped_column(Date)
    unblock_reference: Mapped[str | None] = mapped_column(String(100))
    unblock_reason: Mapped[str | None] = mapped_column(Text)
    unblocked_by: Mapped[str | None] = mapped_column(String(100))


class CriminalEvent(Base):
    """One act on a reported person's criminal part (casework.road.criminal): Bawaslu's declaration after the
    Sentra Gakkumdu discussion, the forward to the police, each answer of the police, prosecutor or court. The
    declaration and the forward keep the hour (`acted_at`): the forward is owed within 1 x 24 hours."""

    __tablename__ = "criminal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    reported_asn_id: Mapped[int] = mapped_column(ForeignKey("reported_asn.id"), index=True)
    event: Mapped[str] = mapped_column(String(16))  # declared / forwarded / answer
    stage: Mapped[str] = mapped_column(String(32))  # the criminal stage after it
    acted_on: Mapped[date] = mapped_column(Date)  # in the handling office's zone
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the moment, where the hour counts
    answer: Mapped[str | None] = mapped_column(String(20))  # rules/criminal.toml answers
    article: Mapped[str] = mapped_column(String(200), default="")  # the offence, e.g. "UU 7/2017 Ps. 494"
    reference: Mapped[str] = mapped_column(String(100), default="")  # a letter's or a decision's number
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it was recorded


class Witness(Base):
    __tablename__ = "witnesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class CaseViolation(Base):
    """A violation type of the case, by its code in casework/rules/violations.toml (SKB catalogue)."""

    __tablename__ = "case_violations"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class EvidenceFile(Base):
    """Evidence is stored outside the database under a random name; the row keeps its sha256."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300), default="")
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageChange(Base):
    """One step on the road: the case's (or one ASN track's) stage changed, by whom, when, why."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("reported_asn.id"))
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it was recorded
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    # The day the act happened, in the handling office's zone (a plenary held on Tuesday and typed in on Thursday
    # is Tuesday's). None on rows recorded before act dates existed (migration 0011): their act date is the local
    # date of `at` (casework.road.acts.act_date).
    acted_on: Mapped[date | None] = mapped_column(Date)
