"""The public form (no login): a laporan filed online, or initial information ("just tell us").

A laporan with everything the formal requirements name (Perbawaslu 7/2022 Ps. 15: the reporter's name and
address, a clear reported party, within the window) becomes a case at stage `received`, handled by the Bawaslu of
the regency or city where it happened (Ps. 10 ayat (1) huruf a), through the same `open_case` as the desk and as the
principal PUBLIC, whom the access module lets file there and nowhere else. Its 7-day window runs from the date the
reporter knew (`*.report_window`); the online completion clock (rules/deadlines.toml `online.completion`: the
reporter completes and signs it in person) starts the day it is filed. The reporter gets the receipt code on screen
and, if they gave an email address, by email through the outbox (once).

Netra's policy: a citizen rarely knows a civil servant's NIP. A laporan whose reported person has no identifier
is not refused: it is kept whole as initial information (casework.inbox) with a receipt code of its own, which
follows the case once a handler takes it up (the code is carried over). The same happens in the "just tell us"
mode, where only the account is required.

Everything is checked before anything is written; evidence files are checked as at the desk
(casework.road.evidence) and kept on the case, or with the item until it is taken up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.access.principal import PUBLIC
from casework.deadlines.engine import get_rule
from casework.deadlines.records import start_deadline
from casework.errors import CaseworkError, Problem, ValidationError
from casework.inbox.items import receive
from casework.mail import outbox
from casework.models import Office, Regency, utcnow
from casework.reference.elections import elections_for
from casework.reference.timezones import local_today
from casework.reports.reporter_status import display
from casework.road.evidence import check_file, store_evidence
from casework.road.intake import LIMITS, IntakeInput, ReportedInput, ReporterInput, open_case
from casework.road.nip import normalize_nip
from casework.settings import Settings
from casework.textcheck import has_control_chars

MODES = ("laporan", "informasi")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # enough to catch a typo; the mail server says the rest
MAX_FILES = 5
MAX_PEOPLE = 3


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass
class OnlineReport:
    mode: str  # MODES
    consent: bool  # the reporter agrees to their data being processed for the handling of the report
    summary: str = ""
    chronology: str = ""
    regency: str = ""
    district: str = ""
    place: str = ""
    occurred_on: str = ""
    known_on: str = ""
    election: str = ""  # empty: the election the incident falls under (the first that fits)
    violation: str = ""  # a code of rules/violations.toml, picked from its plain-words list
    reporter: ReporterInput = field(default_factory=lambda: ReporterInput("", ""))
    confidential: bool = False
    reported: list[ReportedInput] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Filed:
    """What the reporter is told: a case's number or an item's, the code to follow it, who handles it."""

    kind: str  # "case" or "information"
    code: str  # as printed: ABCD-EFGH-JKMN
    office: str
    number: str | None = None  # the case number
    completion_due: date | None = None  # the day to complete it in person by


def kabkota_office(session: Session, regency_code: str) -> Office | None:
    return session.scalar(select(Office).where(Office.kind == "bawaslu_kabkota", Office.regency_code == regency_code))


def _common_problems(data: OnlineReport) -> list[Problem]:
    problems = []
    if data.mode not in MODES:
        problems.append(Problem("mode", "bad_choice", {"value": str(data.mode)[:20], "choices": ", ".join(MODES)}))
    if not data.consent:
        problems.append(Problem("consent", "online.consent_required", {}))
    if not (data.chronology or "").strip():
        problems.append(Problem("chronology", "required", {}))
    if len(data.uploads) > MAX_FILES:
        problems.append(Problem("evidence", "too_many", {"max": MAX_FILES}))
    for upload in data.uploads:
        try:
            check_file(upload.filename, upload.data)
        except CaseworkError as exc:
            problems.append(Problem("evidence", exc.code, {**exc.params, "name": upload.filename[:100]}))
    if len(data.reported) > MAX_PEOPLE:
        problems.append(Problem("reported", "too_many", {"max": MAX_PEOPLE}))
    # the desk's column limits (casework.road.intake.LIMITS), checked here for both modes: initial information
    # keeps what was typed too
    texts = {"summary": data.summary, "chronology": data.chronology, "place": data.place,
             "reporter.name": data.reporter.name, "reporter.address": data.reporter.address,
             "reporter.phone": data.reporter.phone, "reporter.email": data.reporter.email,
             **{f"reported[{i}].{attr}": getattr(p, attr) for i, p in enumerate(data.reported[:MAX_PEOPLE])
                for attr in ("nip", "name", "position", "agency")}}
    for name, value in texts.items():
        limit = LIMITS.get(name.rsplit(".", 1)[-1], 200)
        if len(value or "") > limit:
            problems.append(Problem(name, "too_long", {"max": limit}))
    email = (data.reporter.email or "").strip()
    if email and not EMAIL.fullmatch(email):
        problems.append(Problem("reporter.email", "online.bad_email", {}))
    return problems


def file_online(session: Session, data: OnlineReport, *, settings: Settings, at: datetime | None = None) -> Filed:
    """Record what the public form sent; ValidationError listing every problem (nothing written) otherwise."""
    at = at or utcnow()
    problems = _common_problems(data)
    regency = session.get(Regency, data.regency) if data.regency else None
    if data.regency and regency is None:
        problems.append(Problem("regency", "case.unknown_region", {"code": data.regency[:10]}))
    office = kabkota_office(session, regency.code) if regency is not None else None
    if data.mode == "laporan":  # what a laporan needs whether or not the NIP is known (Perbawaslu 7/2022 Ps. 15)
        needed = {"regency": data.regency, "place": data.place, "occurred_on": data.occurred_on,
                  "known_on": data.known_on, "reporter.name": data.reporter.name,
                  "reporter.address": data.reporter.address}
        problems += [Problem(name, "required", {}) for name, value in needed.items() if not (value or "").strip()]
        if not any((p.name or "").strip() for p in data.reported):
            problems.append(Problem("reported[0].name", "required", {}))
    if problems:
        raise ValidationError(problems)
    if data.mode == "laporan" and all(normalize_nip(p.nip) for p in data.reported) and data.reported:
        return _as_case(session, data, regency, office, settings=settings, at=at)
    return _as_information(session, data, regency, office, settings=settings, at=at)


def _as_case(session: Session, data: OnlineReport, regency: Regency, office: Office | None, *, settings: Settings,
             at: datetime) -> Filed:
    if office is None:  # no Bawaslu kab/kota office is set up there: the form names the regency's problem
        raise ValidationError([Problem("regency", "online.no_office", {"regency": regency.name})])
    today = local_today(office.timezone, at)
    election = data.election
    if not election:
        try:
            occurred = date.fromisoformat((data.occurred_on or "").strip())
        except ValueError:  # the election is chosen from the date: the date's problem comes first
            raise ValidationError([Problem("occurred_on", "case.bad_date", {"value": str(data.occurred_on)[:40]})])
        fits = elections_for(session, regency.code, occurred)
        # Netra's policy when several fit (Pemilu and Pilkada overlap, as in 2024): the narrowest area first — the
        # regency's Pilkada, then the province's, then the Pemilu; the handler sees the choice at the review
        fits.sort(key=lambda e: (e.regency_code is None, e.province_code is None))
        election = fits[0].code if fits else ""
        if not fits:
            raise ValidationError([Problem("occurred_on", "online.no_election", {"regency": regency.name,
                                                                                 "day": data.occurred_on})])
    summary = (data.summary or "").strip() or " ".join(data.chronology.split())[:120]
    case = open_case(session, IntakeInput(
        source="laporan", election=election, office=office.code, regency=regency.code,
        district=data.district or None, place=data.place, occurred_on=data.occurred_on, known_on=data.known_on,
        received_on=today, summary=summary, chronology=data.chronology,
        violations=[data.violation] if data.violation else [],
        reported=data.reported, reporter=data.reporter), principal=PUBLIC, at=at)
    case.channel = "online"
    case.reporter.confidential = data.confidential
    deadline = start_deadline(session, case, get_rule("online.completion"), today, at=at)
    for upload in data.uploads:
        store_evidence(session, case, data=upload.data, filename=upload.filename, actor=PUBLIC.username,
                       settings=settings, description="Diunggah pelapor melalui formulir daring")
    code = display(case.receipt_code)
    _email_receipt(session, case.reporter.email, key=f"online-receipt:case:{case.id}", code=code,
                   number=case.number, office=office.name, due=deadline.due_date, settings=settings, case_id=case.id)
    return Filed("case", code, office.name, number=case.number, completion_due=deadline.due_date)


def _as_information(session: Session, data: OnlineReport, regency: Regency | None, office: Office | None, *,
                    settings: Settings, at: datetime) -> Filed:
    for name, value in (("summary", data.summary), ("chronology", data.chronology), ("place", data.place),
                        ("reporter.name", data.reporter.name), ("reporter.email", data.reporter.email)):
        if has_control_chars(value or ""):
            raise ValidationError([Problem(name, "text.control_chars", {})])
    record = {"mode": data.mode, "place": data.place, "district": data.district, "occurred_on": data.occurred_on,
              "known_on": data.known_on, "election": data.election, "violation": data.violation,
              "reporter": {"name": data.reporter.name, "address": data.reporter.address,
                           "phone": data.reporter.phone, "email": data.reporter.email},
              "confidential": data.confidential,
              "reported": [{"nip": p.nip, "name": p.name, "position": p.position, "agency": p.agency}
                           for p in data.reported]}
    contact = data.reporter.email or data.reporter.phone
    item = receive(session, channel="web", external_id=None, office=office, regency=regency,
                   sender_name=data.reporter.name, sender_contact=contact, subject=data.summary,
                   body=data.chronology, data=record, with_code=True, at=at,
                   files=[(u.filename, u.data) for u in data.uploads], settings=settings)
    code = display(item.receipt_code)
    _email_receipt(session, data.reporter.email, key=f"online-receipt:information:{item.id}", code=code, number=None,
                   office=office.name if office else "Bawaslu", due=None, settings=settings, case_id=None)
    return Filed("information", code, office.name if office else "Bawaslu RI")


def _email_receipt(session: Session, email: str, *, key: str, code: str, number: str | None, office: str,
                   due: date | None, settings: Settings, case_id: int | None) -> None:
    if not (email or "").strip():
        return
    from casework.deadlines.notices import render
    from casework.i18n.dates import indonesian_date

    subject, body = render("online_receipt.txt", code=code, number=number, office=office,
                           due=indonesian_date(due) if due else None,
                           status_url=f"{settings.base_url.rstrip('/')}/status")
    outbox.queue(session, dedup_key=key, purpose="online_receipt", recipients=[email], subject=subject, body=body,
                 case_id=case_id)
