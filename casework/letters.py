"""Formal letters (naskah dinas): kinds from casework/rules/letters.toml, Jinja2 templates in
casework/templates/letters, rendered to PDF/A by WeasyPrint.

Numbers never repeat: a number is reserved (counter + letter row, status `reserved`) in one short transaction,
the PDF is rendered outside it, then the letter is marked `issued` with the sha256 of the stored bytes. If anything
fails after the reservation the letter is marked `void` — the number stays recorded and is never handed out
again, so a gap in a series is always a recorded void.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.cases import get_case
from casework.dates import indonesian_date, indonesian_day_date
from casework.db import transaction
from casework.errors import CaseworkError, NotFound
from casework.models import Case, Deadline, Letter, Office, ReportedASN, StageChange, utcnow
from casework.numbering import next_value
from casework.reporter_status import display as display_receipt_code
from casework.oversight import body_valid_on
from casework.rules import load, violation_catalogue
from casework.settings import Settings
from casework.stages import label as stage_label
from casework.timezones import local_today

TEMPLATES = Path(__file__).resolve().parent / "templates" / "letters"
DRAFT_SEQ = "DRAF"


@dataclass(frozen=True)
class LetterKind:
    code: str
    label_id: str
    label_en: str
    hal: str
    classification: str
    sifat: str
    lampiran: str
    recipient: str
    per_track: bool
    tembusan: tuple[str, ...]
    basis: str

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@cache
def letter_kinds() -> dict[str, LetterKind]:
    data = load("letters")
    return {code: LetterKind(code=code, label_id=spec["label_id"], label_en=spec["label_en"], hal=spec["hal"],
                             classification=spec["classification"], sifat=spec.get("sifat", data["default_sifat"]),
                             lampiran=spec.get("lampiran", "-"), recipient=spec["recipient"],
                             per_track=spec.get("per_track", False), tembusan=tuple(spec.get("tembusan", ())),
                             basis=spec.get("basis", ""))
            for code, spec in data["kinds"].items()}


def get_kind(code: str) -> LetterKind:
    kind = letter_kinds().get(code)
    if kind is None:
        raise CaseworkError("letter.unknown_kind", kind=code, known=", ".join(letter_kinds()))
    return kind


def format_number(seq: int | str, classification: str, unit: str, on: date) -> str:
    """123/PP.01.00/K.KI-02/10/2024"""
    return f"{seq}/{classification}/{unit}/{on.month:02d}/{on.year}"


# --- who a letter goes to -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Addressee:
    lines: tuple[str, ...]
    di: str
    person: ReportedASN | None = None

    @property
    def label(self) -> str:
        return self.lines[0]


def _oversight_body(session: Session, case: Case, on: date, person: ReportedASN | None = None):
    tracked = person.oversight_body if person else next((p.oversight_body for p in case.reported
                                                          if p.oversight_body), None)
    return tracked or body_valid_on(session, on)


def _oversight_head(body) -> str:
    spec = next(b for b in load("oversight_bodies")["bodies"] if b["code"] == body.code)
    return spec["head_title"]


def addressees(session: Session, case: Case, kind: LetterKind, on: date) -> list[Addressee]:
    tracks = [p for p in case.reported if p.track_stage] if kind.per_track else list(case.reported)
    match kind.recipient:
        case "reporter":
            if case.reporter is None:
                raise CaseworkError("letter.no_recipient", kind=kind.code, why="temuan: tidak ada pelapor")
            return [Addressee((f"Sdr. {case.reporter.name}",), case.reporter.address)]
        case "reported":
            return [Addressee((f"Sdr. {p.name}", p.position, p.agency.name), p.agency.city or p.agency.name, p)
                    for p in case.reported]
        case "oversight":
            people = tracks if kind.per_track else [None]
            return [Addressee((_oversight_head(body := _oversight_body(session, case, on, p)),), body.city, p)
                    for p in people]
        case "ppk":
            return [Addressee((p.agency.ppk_title,), p.agency.city or "Tempat", p) for p in tracks]
        case "ppk_supervisor":
            return [Addressee((p.agency.ppk_supervisor or "Menteri Dalam Negeri",), "Jakarta", p) for p in tracks]
        case "institution":
            if not case.forwarded_to:
                raise CaseworkError("letter.no_recipient", kind=kind.code, why="pleno belum meneruskan")
            return [Addressee((f"Pimpinan {case.forwarded_to}",), "Tempat")]
        case "none":
            return [Addressee(("Berita acara",), "")]
    raise ValueError(kind.recipient)


def _tembusan(session: Session, case: Case, kind: LetterKind, on: date, person: ReportedASN | None) -> list[str]:
    people = [person] if person else list(case.reported)
    out: list[str] = []
    for token in kind.tembusan:
        if token == "ppk":
            out += [p.agency.ppk_title for p in people]
        elif token == "bkpsdm":
            out += [p.agency.personnel_unit_name for p in people]
        elif token == "oversight":
            out.append(_oversight_head(_oversight_body(session, case, on, person)))
        elif token == "parent_office" and case.office.parent:
            out.append(case.office.parent.head_title)
    return list(dict.fromkeys(out))


# --- what the templates see: plain data, usable after the session closes ---------------------------------------
def _last_reason(case: Case, stage: str) -> str:
    change = _last_change(case, stage)
    return change.reason if change else ""


def _last_change(case: Case, stage: str) -> StageChange | None:
    return next((h for h in reversed(case.history) if h.to_stage == stage), None)


def _deadline(session: Session, case: Case, rule_ids: set[str], person: ReportedASN | None = None) -> Deadline | None:
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id.in_(rule_ids))
    if person is not None:
        stmt = stmt.where(Deadline.reported_asn_id == person.id)
    return session.scalars(stmt.order_by(Deadline.id.desc())).first()


def _length_phrase(deadline: Deadline | None) -> str:
    """"14 hari kerja" — how a letter states a deadline (the rule id and citation notes stay in Netra)."""
    if deadline is None:
        return "-"
    kind = "kerja" if deadline.explanation.get("day_kind") == "working" else "kalender"
    return f"{deadline.explanation.get('length')} hari {kind}"


def build_context(session: Session, case: Case, kind: LetterKind, recipient: int, on: date) -> dict[str, Any]:
    targets = addressees(session, case, kind, on)
    if not 0 <= recipient < len(targets):
        raise CaseworkError("letter.bad_recipient", index=recipient, count=len(targets))
    to = targets[recipient]
    person = to.person
    office = case.office
    catalogue = violation_catalogue()
    sanctions = {k["code"]: k["label_id"] for k in load("sanctions")["kinds"]}
    zone = office.province.timezone
    body = _oversight_body(session, case, on, person) if case.stage == "forwarded" or kind.per_track else None
    follow_up = _deadline(session, case, {"agency.follow_up"}, person) if person else None
    completion = _deadline(session, case, {"pemilu.completion", "pilkada.completion"})
    minutes = _last_change(case, "study")
    basis = load("letters")["basis"]

    def person_data(p: ReportedASN) -> dict[str, str]:
        return {"name": p.name, "nip": p.nip, "position": p.position, "rank": p.rank, "agency": p.agency.name,
                "ppk": p.agency.ppk_title,
                "recommended_sanction": sanctions.get(p.recommended_sanction or "", "-")}

    return {
        "kind": kind.code,
        "office": {"name": office.name, "short_name": office.short_name, "address": office.address,
                   "email": office.email, "city": office.city, "timezone": zone},
        "letter": {"number": None, "sifat": kind.sifat, "lampiran": kind.lampiran, "hal": kind.hal,
                   "place_date": f"{office.city}, {indonesian_date(on)}", "on": on.isoformat(), "draft": False},
        "to": {"lines": list(to.lines), "di": to.di},
        "case": {"number": case.number, "register_number": case.register_number or "-", "summary": case.summary,
                 "place": case.place, "occurred": indonesian_date(case.occurred_on),
                 "received": indonesian_date(case.received_on), "election": case.election.name,
                 "source_label": "laporan" if case.source == "laporan" else "temuan", "stage": case.stage,
                 "stage_label": stage_label(case.stage), "forwarded_to": case.forwarded_to or "",
                 "violations": [catalogue[v.code]["label_id"] for v in case.violations if v.code in catalogue],
                 "reported": [person_data(p) for p in case.reported]},
        "person": person_data(person) if person else None,
        # the reporter's receipt code and where to use it (the receipt letter)
        "status": {"code": display_receipt_code(case.receipt_code),
                   "url": f"{Settings.from_env().base_url.rstrip('/')}/status"},
        "detail": {
            "missing": _last_reason(case, "awaiting_completion"),
            "due": indonesian_date(completion.due_date) if completion else "-",
            "due_rule": _length_phrase(completion),
            "reason": _last_reason(case, "not_registered"),
            "when": indonesian_day_date(minutes.at.date() if kind.code == "clarification_minutes" and minutes
                                        else on + timedelta(days=3)),
            "minutes": minutes.reason if minutes else "-",
            "status_reason": _last_reason(case, case.stage),
            "oversight_name": body.name if body else "",
            "follow_up_due": indonesian_date(follow_up.due_date) if follow_up else "-",
            "follow_up_rule": _length_phrase(follow_up),
            "kind_basis": kind.basis,
        },
        "basis": {"regime": basis[case.election.kind], "neutrality": basis["neutrality"]},
        "signer": {"jabatan": office.head_title, "name": office.head_name or "(nama pejabat)", "nip": None},
        "tembusan": _tembusan(session, case, kind, on, person),
        "recipient_label": to.label,
        "reported_asn_id": person.id if person else None,
        "unit": office.letter_unit_code,
        "qr": None,
        "verify_url": None,
    }


# --- rendering ------------------------------------------------------------------------------------------------------
@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@cache
def _stylesheet() -> str:
    return (TEMPLATES / "letter.css").read_text(encoding="utf-8")


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: the rest of casework does not need the native libraries

    html = _env().get_template(f"{context['kind']}.html").render(stylesheet=_stylesheet(), **context)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/a-3b")


def render_draft(session: Session, case_number: str, kind_code: str, *, recipient: int = 0,
                 on: date | None = None) -> bytes:
    """A preview: marked DRAF, no number consumed, nothing written."""
    kind = get_kind(kind_code)
    case = get_case(session, case_number)
    on = on or local_today(case.office.province.timezone, utcnow())
    context = build_context(session, case, kind, recipient, on)
    context["letter"].update(number=format_number(DRAFT_SEQ, kind.classification, context["unit"], on), draft=True)
    return render_pdf(context)


def issue_letter(factory: sessionmaker[Session], case_number: str, kind_code: str, *, actor: str,
                 recipient: int = 0, on: date | None = None, settings: Settings | None = None,
                 render=render_pdf) -> Letter:
    """Number, render, store and record a letter. See the module docstring for why this takes three steps."""
    settings = settings or Settings.from_env()
    kind = get_kind(kind_code)
    with transaction(factory) as session:  # 1. reserve the number (a short lock on the series counter)
        case = get_case(session, case_number)
        on = on or local_today(case.office.province.timezone, utcnow())
        context = build_context(session, case, kind, recipient, on)
        seq = next_value(session, f"letter:{case.office.code}:{kind.classification}:{on.year}")
        number = format_number(seq, kind.classification, context["unit"], on)
        token = secrets.token_urlsafe(18)
        letter = Letter(case_id=case.id, reported_asn_id=context["reported_asn_id"], kind=kind.code,
                        office_code=case.office.code, classification=kind.classification, year=on.year, seq=seq,
                        number=number, status="reserved", hal=kind.hal, recipient=context["recipient_label"],
                        issued_on=on, issued_by=actor, verify_token=token)
        session.add(letter)
        session.flush()
        letter_id, case_id = letter.id, case.id
        audit.record(session, actor=actor, action="letter.reserved", entity="letter", entity_id=letter_id,
                     case_id=case_id, after={"number": number, "kind": kind.code})
    verify_url = f"{settings.base_url.rstrip('/')}/verifikasi/{token}"
    context["letter"]["number"] = number
    context.update(qr=segno.make(verify_url, error="m").svg_data_uri(scale=4), verify_url=verify_url)
    try:  # 2. render and store outside the transaction
        pdf = render(context)
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"{token}.pdf"
        _write_atomically(settings.letters_dir / name, pdf)
        with transaction(factory) as session:  # 3. issued
            letter = session.get(Letter, letter_id)
            letter.status, letter.pdf_path, letter.sha256 = "issued", name, digest
            audit.record(session, actor=actor, action="letter.issued", entity="letter", entity_id=letter_id,
                         case_id=case_id, after={"number": number, "sha256": digest})
        return letter
    except Exception as exc:
        with transaction(factory) as session:
            letter = session.get(Letter, letter_id)
            letter.status, letter.void_reason = "void", f"Gagal diterbitkan: {exc}"
            audit.record(session, actor=actor, action="letter.voided", entity="letter", entity_id=letter_id,
                         case_id=case_id, after={"number": number, "reason": letter.void_reason})
        raise CaseworkError("letter.issue_failed", number=number, detail=str(exc)) from exc


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def get_letter(session: Session, number: str) -> Letter:
    letter = session.scalar(select(Letter).where(Letter.number == number))
    if letter is None:
        raise NotFound("letter.not_found", number=number)
    return letter


def void_letter(session: Session, number: str, *, actor: str, reason: str) -> Letter:
    """A void letter stays recorded with its number (never reused); verification says it is void."""
    letter = get_letter(session, number)
    if letter.status == "void":
        raise CaseworkError("letter.already_void", number=number)
    before = {"status": letter.status}
    letter.status, letter.void_reason = "void", reason
    audit.record(session, actor=actor, action="letter.voided", entity="letter", entity_id=letter.id,
                 case_id=letter.case_id, before=before, after={"status": "void", "reason": reason})
    return letter


def stored_pdf(session: Session, letter: Letter, settings: Settings | None = None) -> bytes:
    """Exactly the stored bytes, checked against the recorded sha256."""
    settings = settings or Settings.from_env()
    if not letter.pdf_path:
        raise CaseworkError("letter.not_issued", number=letter.number, status=letter.status)
    data = (settings.letters_dir / letter.pdf_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise CaseworkError("letter.tampered", number=letter.number)
    return data


def verification(session: Session, token: str) -> dict[str, Any]:
    """What the public verification page shows: the letter's identity, never the parties' personal data."""
    letter = session.scalar(select(Letter).where(Letter.verify_token == token))
    if letter is None or letter.status == "reserved":
        raise NotFound("letter.not_found", number=token)
    office = session.scalar(select(Office).where(Office.code == letter.office_code))
    return {"number": letter.number, "date": indonesian_date(letter.issued_on), "issued_on": letter.issued_on,
            "office": office.name if office else letter.office_code, "hal": letter.hal, "sha256": letter.sha256,
            "status": letter.status, "void": letter.status == "void", "void_reason": letter.void_reason or ""}
