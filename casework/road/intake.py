"""Opening a case (laporan or temuan): validate everything, then write case, parties, history and audit at once.

The caller owns the transaction (`casework.adapters.db.transaction`); on any problem nothing is written, because all
validation happens before the first write and a failure later rolls the whole transaction back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from casework import audit
from casework.access.policy import Action, decide
from casework.access.principal import Principal
from casework.errors import Problem, ValidationError
from casework.i18n.catalog import N_
from casework.models import (
    ASN_KINDS, SOURCES, Agency, Case, CaseViolation, District, Election, Office, Regency, Reporter,
    ReportedASN, StageChange, Witness, utcnow,
)
from casework.road.identifiers import ASN, identifier_problems, person_kinds
from casework.road.nip import normalize_nip
from casework.numbering import next_case_number
from casework.reference.elections import elections_for
from casework.reports.reporter_status import new_code
from casework.rules import violation_catalogue
from casework.road.stages import Stage
from casework.textcheck import EARLIEST, has_control_chars
from casework.reference.timezones import local_today
from casework.road.workflow import start_intake_deadlines
from casework.letters.requests import request_letters
from casework.webhooks.events import emit


@dataclass
class ReporterInput:
    name: str
    address: str
    phone: str = ""
    email: str = ""


@dataclass
class ReportedInput:
    nip: str
    name: str
    position: str
    agency: str  # agency code
    rank: str = ""
    asn_kind: str = "PNS"
    work_unit: str = ""
    person_kind: str = "asn"  # rules/person_kinds.toml: `nip` is then a NIK or an NRP
    village: str = ""  # a village head's or official's village


@dataclass
class WitnessInput:
    name: str
    address: str = ""
    phone: str = ""


@dataclass
class IntakeInput:
    source: str  # laporan / temuan
    election: str  # election code
    office: str  # handling office code
    regency: str  # Kemendagri code where it happened
    place: str
    occurred_on: date | str
    known_on: date | str
    received_on: date | str
    summary: str
    chronology: str
    violations: list[str]
    reported: list[ReportedInput]
    reporter: ReporterInput | None = None
    found_by: str = ""
    district: str | None = None
    witnesses: list[WitnessInput] = field(default_factory=list)
    external_ref: str | None = None
    checklist: dict[str, bool] = field(default_factory=dict)  # formal/material requirements ticked at intake


# The formal and material requirements a handler checks at intake (Perbawaslu 7/2022 Ps. 8–10; kept for the
# initial review, which decides on them).
CHECKLIST = {
    "formal.reporter_identity": N_("Identitas pelapor (nama, alamat) lengkap"),
    "formal.reported_party": N_("Pihak terlapor jelas"),
    "formal.within_window": N_("Disampaikan dalam batas waktu pelaporan"),
    "material.time_place": N_("Waktu dan tempat kejadian"),
    "material.description": N_("Uraian kejadian"),
    "material.evidence": N_("Bukti"),
}


# Column limits, checked up front so a too-long value is a clear message, not a database error.
LIMITS = {"place": 300, "summary": 300, "found_by": 200, "name": 200, "position": 200, "address": 300,
          "rank": 40, "work_unit": 200, "village": 200, "phone": 40, "email": 200, "chronology": 20_000}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field_name: str, message_code: str, /, **params: Any) -> None:
        self.problems.append(Problem(field_name, message_code, params))

    def text(self, field_name: str, value: str | None, limit_key: str | None = None, required: bool = True) -> str:
        value = (value or "").strip()
        limit = LIMITS.get(limit_key or field_name.rsplit(".", 1)[-1])
        if required and not value:
            self.add(field_name, "required")
        elif limit and len(value) > limit:
            self.add(field_name, "too_long", max=limit)
        elif has_control_chars(value):
            self.add(field_name, "text.control_chars")
        return value

    def choice(self, field_name: str, value: str, choices: tuple[str, ...]) -> None:
        if value is None or value == "":
            self.add(field_name, "choice.missing")
        elif value not in choices:
            self.add(field_name, "bad_choice", value=value, choices=", ".join(choices))

    def day(self, field_name: str, value: date | str | None, today: date) -> date | None:
        if value in (None, ""):
            self.add(field_name, "required")
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                self.add(field_name, "case.bad_date", value=value)
                return None
        if value > today:
            self.add(field_name, "case.date_in_future", value=value.isoformat())
        elif value < EARLIEST:
            self.add(field_name, "case.date_too_old", value=value.isoformat(), earliest=EARLIEST.isoformat())
        return value


def find_agency(session: Session, wanted: str | None) -> Agency | None:
    """The reported ASN's agency by its code or by its exact name (case ignored): a form lets the user type or pick
    either from a list of about a hundred, so nothing is preselected; a name two agencies share finds none."""
    wanted = (wanted or "").strip()
    if not wanted:
        return None
    by_code = session.scalar(select(Agency).where(Agency.code == wanted))
    if by_code is not None:
        return by_code
    named = session.scalars(select(Agency).where(func.lower(Agency.name) == wanted.lower()).limit(2)).all()
    return named[0] if len(named) == 1 else None


def open_case(session: Session, data: IntakeInput, *, principal: Principal, today: date | None = None,
              at: datetime | None = None) -> Case:
    """Validate and record a new case at stage `received`. Raises ValidationError listing every problem.

    `today` (for "not in the future") defaults to the date in the handling office's time zone at `at`.
    """
    at = at or utcnow()
    check = _Checker()

    check.choice("source", data.source, SOURCES)
    election = session.scalar(select(Election).where(Election.code == data.election))
    if election is None:
        check.add("election", "case.unknown_election", code=data.election)
    office = session.scalar(select(Office).where(Office.code == data.office).options(joinedload(Office.province)))
    if office is None:
        check.add("office", "case.unknown_office", code=data.office)
    today = today or (local_today(office.timezone, at) if office else date.today())
    regency = session.get(Regency, data.regency) if data.regency else None
    if not data.regency:
        check.add("regency", "required")
    elif regency is None:
        check.add("regency", "case.unknown_region", code=data.regency)
    elif election is not None and not election.covers(regency.code):
        check.add("regency", "case.region_outside_election", regency=regency.name, election=election.name)
    # who may record a case for which office, in which area: the access module (a regency outside the office's
    # area is the regency field's problem, listed with the others)
    allowed = decide(principal, Action.OPEN_CASE, office=office, regency=regency)
    if not allowed and allowed.code == "access.regency_outside_office":
        check.add("regency", allowed.code, **allowed.params)
    elif not allowed:
        raise allowed.error()
    district = None
    if data.district:
        district = session.get(District, data.district)
        if district is None:
            check.add("district", "case.unknown_region", code=data.district)
        elif regency is not None and district.regency_code != regency.code:
            check.add("district", "case.district_outside_regency", district=district.name, regency=regency.name)

    place = check.text("place", data.place)
    summary = check.text("summary", data.summary)
    chronology = check.text("chronology", data.chronology)
    occurred = check.day("occurred_on", data.occurred_on, today)
    known = check.day("known_on", data.known_on, today)
    received = check.day("received_on", data.received_on, today)
    if occurred and known and known < occurred:
        check.add("known_on", "case.known_before_occurred", known=known.isoformat(), occurred=occurred.isoformat())
    if known and received and received < known:
        check.add("received_on", "case.received_before_known", received=received.isoformat(), known=known.isoformat())
    if occurred and election is not None and regency is not None and election.covers(regency.code) \
            and not election.in_period(occurred):
        # an incident falls under the election whose stages were running when it happened (rules/elections.toml)
        fits = [e.name for e in elections_for(session, regency.code, occurred)]
        check.add("occurred_on", "case.outside_election_period" if fits else "case.outside_any_election",
                  occurred=occurred.isoformat(), election=election.name, starts=election.starts_on.isoformat(),
                  ends=election.ends_on.isoformat(), regency=regency.name, fits=", ".join(fits))

    catalogue = violation_catalogue()
    if not data.violations:
        check.add("violations", "case.no_violation")
    for code in data.violations:
        if code not in catalogue:
            check.add("violations", "case.unknown_violation", code=code)

    found_by = ""
    if data.source == "laporan":
        if data.reporter is None or not (data.reporter.name or "").strip() or not (data.reporter.address or "").strip():
            check.add("reporter", "case.reporter_required")
        if data.reporter is not None:
            for attr in ("name", "address", "phone", "email"):
                check.text(f"reporter.{attr}", getattr(data.reporter, attr), required=False)
    elif data.source == "temuan":
        found_by = check.text("found_by", data.found_by)
        if not found_by:
            check.problems[-1] = Problem("found_by", "case.finder_required")

    if not data.reported:
        check.add("reported", "case.no_reported_asn")
    agencies: dict[str, Agency] = {}
    seen_nips: set[str] = set()
    kinds = person_kinds()
    for i, person in enumerate(data.reported):
        prefix = f"reported[{i}]"
        check.choice(f"{prefix}.person_kind", person.person_kind, tuple(kinds))
        for code, params in identifier_problems(person.person_kind, person.nip, today):
            check.add(f"{prefix}.nip", code, **params)
        village = check.text(f"{prefix}.village", person.village, required=False)
        if person.person_kind in kinds and kinds[person.person_kind].needs_village and not village:
            check.add(f"{prefix}.village", "case.village_required")
        nip = normalize_nip(person.nip)
        if nip and nip in seen_nips:
            check.add(f"{prefix}.nip", "case.duplicate_nip", nip=nip)
        seen_nips.add(nip)
        check.text(f"{prefix}.name", person.name)
        check.text(f"{prefix}.position", person.position)
        check.text(f"{prefix}.rank", person.rank, required=False)
        check.text(f"{prefix}.work_unit", person.work_unit, required=False)
        if person.person_kind == ASN:  # PNS or PPPK: only an ASN is either
            check.choice(f"{prefix}.asn_kind", person.asn_kind, ASN_KINDS)
        agency = find_agency(session, person.agency)
        if not (person.agency or "").strip():
            check.add(f"{prefix}.agency", "required")
        elif agency is None:
            check.add(f"{prefix}.agency", "case.unknown_agency", code=person.agency.strip()[:64])
        else:
            agencies[person.agency] = agency
    for i, witness in enumerate(data.witnesses):
        check.text(f"witness[{i}].name", witness.name)
        check.text(f"witness[{i}].address", witness.address, required=False)
        check.text(f"witness[{i}].phone", witness.phone, required=False)

    if check.problems:
        raise ValidationError(check.problems)

    # --- everything is valid: write ---
    reporter = None
    if data.source == "laporan" and data.reporter is not None:
        reporter = Reporter(name=data.reporter.name.strip(), address=data.reporter.address.strip(),
                            phone=data.reporter.phone.strip(), email=data.reporter.email.strip())
    case = Case(
        number=next_case_number(session, office, data.source, received),
        external_ref=data.external_ref, source=data.source, election=election, office=office,
        regency=regency, district=district, place=place, occurred_on=occurred, known_on=known,
        received_on=received, summary=summary, chronology=chronology, reporter=reporter, found_by=found_by,
        stage=Stage.RECEIVED, stage_since=at, created_at=at, updated_at=at,
        # the reporter's key to the public status page (not in the audit trail: it is a credential)
        receipt_code=new_code(session) if data.source == "laporan" else None,
    )
    case.reported = [
        ReportedASN(nip=normalize_nip(p.nip), name=p.name.strip(), position=p.position.strip(),
                    rank=p.rank.strip(), asn_kind=p.asn_kind if p.person_kind == ASN else "",
                    agency=agencies[p.agency], work_unit=p.work_unit.strip(), person_kind=p.person_kind,
                    village=(p.village or "").strip())
        for p in data.reported
    ]
    case.witnesses = [Witness(name=w.name.strip(), address=w.address.strip(), phone=w.phone.strip())
                      for w in data.witnesses]
    case.violations = [CaseViolation(code=code) for code in dict.fromkeys(data.violations)]
    # the first history step (what workflow.move_to records for the entry stage), written in the same flush as
    # the case and its parties: one unit of work instead of two
    case.history = [StageChange(from_stage=None, to_stage=Stage.RECEIVED, at=at, actor=principal.username,
                                acted_on=received,  # the receipt is the intake's act
                                reason="Laporan diterima" if data.source == "laporan" else "Temuan dicatat")]
    session.add(case)
    session.flush()
    start_intake_deadlines(session, case)
    # a report (laporan) gets a receipt letter
    letters = ["receipt"] if data.source == "laporan" else []
    checklist = {key: bool(data.checklist.get(key)) for key in CHECKLIST}
    event = audit.record(session, actor=principal.username, action="case.opened", entity="case", entity_id=case.id,
                         case_id=case.id, after={**case_snapshot(case), "letters": letters, "checklist": checklist},
                         at=at)
    request_letters(session, case, letters, actor=principal.username, cause="case.opened", event=event,
                    on=local_today(office.timezone, at), at=at)
    emit(session, "case.opened", case, event_id=f"case:{case.id}", at=at,
         data={"source": case.source, "received_on": case.received_on.isoformat()})
    return case


def case_snapshot(case: Case) -> dict[str, Any]:
    """What the audit trail keeps of a case (no reporter identity: the trail is readable by auditors)."""
    return {
        "number": case.number, "source": case.source, "election": case.election.code, "office": case.office.code,
        "regency": case.regency_code, "district": case.district_code, "stage": case.stage,
        "occurred_on": case.occurred_on, "known_on": case.known_on, "received_on": case.received_on,
        "summary": case.summary, "violations": [v.code for v in case.violations],
        "reported": [{"nip": p.nip, "name": p.name, "agency": p.agency.code} for p in case.reported],
    }
