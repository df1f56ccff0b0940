"""Formal letters (naskah dinas): kinds from casework/rules/letters.toml, Jinja2 templates in
casework/letters/templates, rendered to PDF/A by WeasyPrint.

Numbers never repeat: a number is reserved (counter + letter row, status `reserved`) in one short transaction,
the PDF is rendered outside it, then the letter is marked `issued` with the sha256 of the stored bytes. If anything
fails after the reservation the letter is marked `void` — the number stays recorded and is never handed out
again, so a gap in a series is always a recorded void."""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound
from casework.i18n.dates import indonesian_date
from casework.letters.context import build_context
from casework.letters.kinds import format_number, get_kind
from casework.letters.render import render_pdf
from casework.models import Letter, Office, utcnow
from casework.numbering import next_value
from casework.reference.timezones import local_today
from casework.road.cases import get_case
from casework.settings import Settings


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
