"""The case builder: a test makes the case it needs by walking a new case through the real commands, as the demo's
people (their access rules apply), instead of picking a demo row by its stage.

    case = Builder(demo_sessions, settings).laporan(Person("Budi"), Person("Sari", agency="pemprov-64"))
    case.forward()                      # begin_review … decide_plenary … forward, each as the office's staff
    case.recommend(case.nips[0])        # the oversight body recommends a sanction: referred to the agency
    case.sanction(case.nips[0])         # its BKPSDM records the decree
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.access.principal import OfficeRef, Principal, Role, principal_named
from casework.adapters.db import transaction
from casework.models import Case, Office, utcnow
from casework.reference.timezones import local_today
from casework.road.inputs import Upload
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.road.workflow import execute
from casework.settings import Settings
from tests.helpers import invitation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BKPSDM = {"pemkab-6402": "bkpsdm.kukar", "pemprov-64": "bkpsdm.kaltim"}
STAFF = {"bawaslu-6402": ("penangan.kukar", "ketua.kukar")}
_serials = itertools.count(1)


def as_user(sessions: sessionmaker[Session], username: str) -> Principal:
    """A demo login as the access module sees it."""
    with sessions() as session:
        return principal_named(session, username)


def new_nip() -> str:
    """A valid NIP (born 12 March 1985, CPNS January 2010, male), unique within a test session."""
    return f"198503122010011{next(_serials) % 1000 or 1:03d}"


@dataclass
class Person:
    name: str
    agency: str = "pemkab-6402"
    position: str = "Guru"
    nip: str = field(default_factory=new_nip)
    kind: str = "asn"  # rules/person_kinds.toml: `nip` is then their NIK or NRP
    village: str = ""


@dataclass
class BuiltCase:
    builder: Builder
    number: str
    people: list[Person]

    @property
    def nips(self) -> list[str]:
        return [p.nip for p in self.people]

    def version(self) -> int:
        with self.builder.sessions() as session:
            return session.scalar(select(Case.version).where(Case.number == self.number))

    def step(self, name: str, who: str | Principal, *, track: str | None = None, at: datetime | None = None,
             **fields) -> None:
        """Take a step as `who` (a demo login or a principal), with the version they would have seen."""
        b = self.builder
        with transaction(b.sessions) as session:
            principal = principal_named(session, who) if isinstance(who, str) else who
            execute(session, name, case_number=self.number, principal=principal, expected_version=self.version(),
                    track=track, at=at, settings=b.settings, fields=fields)

    @property
    def handler(self) -> str | Principal:
        return self.builder.staff(Role.BAWASLU_HANDLER)

    @property
    def head(self) -> str | Principal:
        return self.builder.staff(Role.BAWASLU_HEAD)

    def register(self) -> BuiltCase:
        self.step("begin_review", self.handler)
        self.step("register", self.handler)
        return self

    def invite(self, on: date | None = None, **fields) -> BuiltCase:
        """Invite every reported ASN (and whoever `invitees` names) to a hearing on `on` (default: today)."""
        self.step("invite_clarification", self.handler, **invitation(on, self.nips) | fields)
        return self

    def to_plenary(self) -> BuiltCase:
        self.register()
        self.invite()
        self.step("record_clarification", self.handler, minutes="Terlapor dan saksi hadir",
                  attended=[f"reported:{nip}" for nip in self.nips])
        self.step("submit_study", self.handler, conclusion="Unsur pelanggaran terpenuhi")
        return self

    def forward(self) -> BuiltCase:
        self.to_plenary()
        self.step("decide_plenary", self.head, outcome="violation", reasoning="Terbukti melanggar netralitas")
        self.step("forward", self.head)
        return self

    def recommend(self, nip: str, sanction: str = "moral.terbuka") -> BuiltCase:
        self.step("record_oversight_recommendation", "pengawas.bkn", track=nip, outcome="sanction_recommended",
                  sanction=sanction)
        return self

    def not_proven(self, nip: str, reason: str = "Akun media sosial bukan milik terlapor") -> BuiltCase:
        self.step("record_oversight_recommendation", "pengawas.bkn", track=nip, outcome="not_proven", reason=reason)
        return self

    def sanction(self, nip: str, *, level: str = "moral", sanction: str = "moral.terbuka", **fields) -> BuiltCase:
        agency = next(p.agency for p in self.people if p.nip == nip)
        today = local_today("WITA", utcnow())
        self.step("record_sanction", self.builder.bkpsdm(agency), track=nip, **{
            "sanction_level": level, "sanction": sanction, "decree_number": f"800/{nip[-3:]}/BKPSDM",
            "decree_date": today.isoformat(), "decree_signer_name": "Pejabat Penanda Tangan (uji)",
            "decree_pdf": Upload("sk.pdf", PDF), **fields})
        return self


@dataclass
class Builder:
    sessions: sessionmaker[Session]
    settings: Settings | None = None
    office: str = "bawaslu-6402"

    def staff(self, role: Role) -> str | Principal:
        """The office's handler or head: its demo login where there is one (Kukar), else a principal of that office
        (the demo has one login per role; the access rules are the same)."""
        if self.office in STAFF:
            return STAFF[self.office][role is Role.BAWASLU_HEAD]
        with self.sessions() as session:
            office = session.scalar(select(Office).where(Office.code == self.office))
            return Principal(f"{role.value}.{self.office}", frozenset({role}), OfficeRef.of(office))

    def bkpsdm(self, agency: str) -> str | Principal:
        if agency in BKPSDM:
            return BKPSDM[agency]
        with self.sessions() as session:
            from casework.models import Agency
            agency_id = session.scalar(select(Agency.id).where(Agency.code == agency))
        return Principal(f"bkpsdm.{agency}", frozenset({Role.BKPSDM_OFFICER}), agency_id=agency_id)

    def laporan(self, *people: Person, election: str = "simulasi-pemilu", regency: str | None = None,
                received: date | None = None, known: date | None = None, source: str = "laporan",
                reporter_email: str = "", witnesses: tuple[str, ...] = ()) -> BuiltCase:
        people = list(people) or [Person("Contoh Terlapor")]
        regency = regency or self.office.removeprefix("bawaslu-")
        today = local_today("WITA", utcnow())
        received = received or today - timedelta(days=1)
        known = known or received - timedelta(days=1)
        data = IntakeInput(
            source=source, election=election, office=self.office, regency=regency, place="Tenggarong",
            occurred_on=known, known_on=known, received_on=received, summary="Dugaan ketidaknetralan ASN",
            chronology="Terlapor mengunggah ajakan memilih di media sosial.", violations=["etik.sosialisasi_medsos"],
            reported=[ReportedInput(nip=p.nip, name=p.name, position=p.position, agency=p.agency, person_kind=p.kind,
                                    village=p.village) for p in people],
            reporter=ReporterInput(name="Pelapor Uji", address="Jl. Uji 1, Tenggarong", email=reporter_email)
            if source == "laporan" else None,
            found_by="Panwaslu Kecamatan Tenggarong" if source == "temuan" else "",
            witnesses=[WitnessInput(name=name, address="Tenggarong") for name in witnesses])
        handler = self.staff(Role.BAWASLU_HANDLER)
        with transaction(self.sessions) as session:
            principal = principal_named(session, handler) if isinstance(handler, str) else handler
            number = open_case(session, data, principal=principal).number
        return BuiltCase(self, number, people)
