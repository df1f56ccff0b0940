"""Office letters: letters that belong to a Bawaslu office rather than a case (letters.toml `office_letter`) — an
appeal to keep neutral (*imbauan*, to the PPK of each agency chosen) and the report of the PPKs that have not
followed up recommendations (to Kemendagri and Menpan-RB, the oversight body in tembusan).

Asking for one writes a LetterRequest with the office and the letter's content frozen in `payload` (the list of
late PPKs as it stood when asked: the letter says what the office saw that day, not what the table says when a
worker renders it). It is then issued like any letter — claimed once, numbered, rendered, signed, stored
(casework.letters.issue) — so a letter is issued once per request. Asking twice on the same day for the same
content is the same request (its key carries the content's digest): a double-click does not owe a second letter.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.dates import indonesian_date
from casework.letters.addressees import oversight_head
from casework.letters.kinds import LetterKind, get_kind
from casework.letters.signers import default_signer
from casework.models import Agency, Letter, LetterRequest, Office, utcnow
from casework.reference.timezones import local_today
from casework.road.oversight import body_valid_on
from casework.rules import basis_on, load

NOTE_MAX = 2000


def _office_kind(code: str) -> LetterKind:
    kind = get_kind(code)
    if not kind.office_letter:
        raise CaseworkError("letter.not_office_letter", kind=code)
    return kind


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def request_office_letter(session: Session, principal: Principal, office: Office, kind_code: str,
                          payload: dict[str, Any], *, addressee_key: str, addressee_label: str,
                          at: datetime | None = None) -> LetterRequest:
    """The office's request for one letter of `kind_code` with `payload`; the same content asked again on the same
    day (the office's own day) is the request already made, whatever became of it."""
    kind = _office_kind(kind_code)
    authorize(principal, Action.ISSUE_OFFICE_LETTER, office=office, letter_kind=kind.code)
    at = at or utcnow()
    day = local_today(office.timezone, at)
    key = f"{addressee_key}:{day.isoformat()}:{_digest(payload)}"[:100]
    same = select(LetterRequest).where(
        LetterRequest.office_id == office.id, LetterRequest.case_id.is_(None), LetterRequest.kind == kind.code,
        LetterRequest.addressee_key == key, LetterRequest.status != "cancelled")
    existing = session.scalar(same)
    if existing is not None:
        return existing
    request = LetterRequest(case_id=None, office_id=office.id, kind=kind.code, addressee_key=key,
                            addressee_label=addressee_label[:300], cause="office_letter.requested",
                            requested_at=at, requested_by=principal.username, status="open", claims=0,
                            payload=payload)
    try:  # a second click that slipped past the look above waits on the unique index, then finds the first's
        with session.begin_nested():
            session.add(request)
    except IntegrityError:
        return session.scalar(same)
    event = audit.record(session, actor=principal.username, action="office_letter.requested", entity="office",
                         entity_id=office.id, after={"kind": kind.code, "addressee": addressee_label[:300],
                                                     "request": request.id, "payload": payload})
    request.audit_event_id = event.id
    session.flush()
    return request


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError([Problem("note", "too_long", {"max": NOTE_MAX})])
    from casework.textcheck import has_control_chars
    if has_control_chars(note.replace("\n", " ").replace("\r", " ")):
        raise ValidationError([Problem("note", "text.control_chars")])
    return note


def request_appeals(session: Session, principal: Principal, office: Office, agencies: list[Agency], *,
                    election: str, note: str = "", at: datetime | None = None) -> list[LetterRequest]:
    """An *imbauan* to the PPK of each agency chosen (one letter each), before or during an election."""
    if not agencies:
        raise ValidationError([Problem("agencies", "office_letter.no_agency")])
    note = _note(note)
    out = []
    for agency in agencies:
        payload = {"agency": {"id": agency.id, "name": agency.name, "ppk": agency.ppk_title,
                              "personnel_unit": agency.personnel_unit_name, "city": agency.city or agency.name},
                   "election": election, "note": note}
        out.append(request_office_letter(session, principal, office, "neutrality_appeal", payload,
                                         addressee_key=f"agency:{agency.id}", addressee_label=agency.ppk_title,
                                         at=at))
    return out


def request_late_ppk_report(session: Session, principal: Principal, office: Office, rows: list[dict[str, Any]], *,
                            note: str = "", at: datetime | None = None) -> LetterRequest:
    """The report of the PPKs that have not followed up, to the addressees the rules name; `rows`: the late PPKs
    as the league table gives them (casework.reports.league.late_ppks), frozen in the request."""
    if not rows:
        raise ValidationError([Problem("rows", "office_letter.no_late_ppk")])
    kind = _office_kind("ppk_follow_up_report")
    payload = {"rows": rows, "note": _note(note)}
    return request_office_letter(session, principal, office, kind.code, payload, addressee_key="ministers",
                                 addressee_label="; ".join(kind.addressees), at=at)


def late_ppk_rows(session: Session, principal: Principal, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The PPKs that have not followed up, as `principal`'s league table counts them today (across elections),
    in the shape the letter freezes: most overdue first (casework.reports.league.late_of)."""
    from casework.reports.league import late_of, league_table  # the reports read letters' rules: import when used

    rows = league_table(session, principal, now=now).rows
    recommended = {r.code: r.recommended for r in rows}
    return [{"code": p.code, "agency": p.name, "ppk": p.ppk_title, "recommended": recommended.get(p.code, 0),
             "overdue": p.overdue, "late": p.late,
             "oldest_due": p.oldest_overdue_due.isoformat() if p.oldest_overdue_due else None}
            for p in late_of(rows)]


def office_letters(session: Session, office: Office) -> list[tuple[LetterRequest, Letter | None]]:
    """The office's letter requests, newest first, each with its live letter."""
    rows = session.scalars(select(LetterRequest).where(LetterRequest.office_id == office.id,
                                                       LetterRequest.case_id.is_(None))
                           .order_by(LetterRequest.id.desc())).all()
    return [(r, session.get(Letter, r.letter_id) if r.letter_id else None) for r in rows]


def _tembusan(session: Session, office: Office, kind: LetterKind, on: date, payload: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for token in kind.tembusan:
        if token == "bkpsdm" and payload.get("agency"):
            out.append(payload["agency"]["personnel_unit"])
        elif token == "oversight":  # the body in force on the letter's day (BKN since 4 September 2024)
            out.append(oversight_head(body_valid_on(session, on)))
        elif token == "parent_office" and office.parent:
            out.append(office.parent.head_title)
    return list(dict.fromkeys(out))


def build_office_context(session: Session, office: Office, kind: LetterKind, request: LetterRequest, on: date, *,
                         base_url: str) -> dict[str, Any]:
    """What an office letter's template sees: the same keys as a case letter's (casework.letters.context) where
    the layout needs them, and the request's frozen `payload`."""
    payload = request.payload or {}
    if kind.recipient == "agency":
        agency = payload["agency"]
        to_lines, di = [agency["ppk"]], agency["city"]
    else:
        to_lines, di = [f"{i}. {name}" for i, name in enumerate(kind.addressees, 1)], kind.addressees_di
    signer = default_signer(session, office, on)
    basis = load("letters")
    return {
        "kind": kind.code,
        "office": {"name": office.name, "short_name": office.short_name, "address": office.address,
                   "email": office.email, "city": office.city, "timezone": office.timezone},
        "letter": {"number": None, "sifat": kind.sifat, "lampiran": kind.lampiran, "hal": kind.hal,
                   "place_date": f"{office.city}, {indonesian_date(on)}", "on": on.isoformat(), "draft": False},
        "to": {"lines": to_lines, "di": di},
        "payload": payload,
        "rows": [{**row, "oldest_due": indonesian_date(date.fromisoformat(row["oldest_due"]))
                  if row.get("oldest_due") else "-"} for row in payload.get("rows", [])],
        "basis": {"kind": kind.basis,
                  "neutrality": basis_on({"basis": basis["basis"]["neutrality"],
                                          "bases": basis["basis"].get("neutrality_bases", [])}, on)},
        "signer": {"jabatan": signer.title, "name": signer.name, "nip": signer.nip},
        "tembusan": _tembusan(session, office, kind, on, payload),
        "recipient_label": request.addressee_label,
        "reported_asn_id": None,
        "unit": office.letter_unit_code,
        "qr": None,
        "verify_url": None,
        "signature": None,
        "base_url": base_url,
    }
