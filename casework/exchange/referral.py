"""The referral package (issue 19 item 2; docs/exchange.md): a forwarded case in the shape BKN's systems take —
one record per reported ASN, the kajian and the recommendation letter as PDF, the evidence with its sha256 — as
`rujukan.json` plus the files, in one ZIP, for an officer to upload into SBT/I'DIS or send with the letter.

The package is built from what Netra holds when it is asked for; every download is an audit event with the
package's sha256, so what left Netra, when and for whom can be told later. Who may have it is the access module's
answer (Action.EXPORT_REFERRAL); the reporter is not in it (their identity stays with the handling office)."""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize, permits
from casework.access.principal import Principal
from casework.errors import CaseworkError
from casework.i18n.dates import indonesian_date
from casework.letters.addressees import oversight_body
from casework.letters.context import build_context
from casework.letters.issue import stored_pdf
from casework.letters.kinds import get_kind
from casework.letters.render import render_pdf
from casework.models import Case, Letter, ReportedASN, User, utcnow
from casework.reference.timezones import local_today
from casework.road.cases import get_case
from casework.road.evidence import evidence_bytes
from casework.road.identifiers import kind_of
from casework.rules import violation_basis, violation_catalogue
from casework.settings import Settings

FORMAT, VERSION = "netra.referral", 1
LETTER_KIND = "recommendation_to_oversight"
RECORD = "rujukan.json"


@dataclass(frozen=True)
class Package:
    name: str  # the ZIP's file name
    data: bytes
    sha256: str
    record: dict[str, Any]  # rujukan.json as written


def referred(case: Case) -> list[ReportedASN]:
    """The people the forward sends to the oversight body: found in violation by the plenary, on the ASN road."""
    return [p for p in case.reported if p.plenary_outcome == "violation" and kind_of(p.person_kind).road == "oversight"]


def _issued_letters(session: Session, case: Case) -> list[Letter]:
    return list(session.scalars(select(Letter).where(Letter.case_id == case.id, Letter.kind == LETTER_KIND,
                                                     Letter.status == "issued").order_by(Letter.id)))


def offered(session: Session, case: Case, principal: Principal) -> bool:
    """Whether the case page offers `principal` the package: theirs to have, and ready (the forward's letter out)."""
    return permits(principal, Action.EXPORT_REFERRAL, case) and case.plenary_outcome is not None \
        and bool(referred(case)) and bool(_issued_letters(session, case))


def build(session: Session, number: str, principal: Principal, settings: Settings, *,
          at: datetime | None = None) -> Package:
    """The package for case `number`, as `principal` may have it, and its audit event (in the caller's
    transaction). Refused, with its reason, before the forward's letter is issued."""
    case = get_case(session, number)
    authorize(principal, Action.EXPORT_REFERRAL, case)
    people = referred(case)
    letters = _issued_letters(session, case)
    if case.plenary_outcome is None or not people:
        raise CaseworkError("referral.not_forwarded", number=case.number)
    if not letters:
        raise CaseworkError("referral.letter_not_issued", number=case.number,
                            kind=get_kind(LETTER_KIND).label_id)
    at = at or utcnow()
    files: dict[str, bytes] = {}

    def add(path: str, data: bytes, **meta: Any) -> dict[str, Any]:
        files[path] = data
        return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **meta}

    letter_entries = [add(f"surat/{_safe(letter.number)}.pdf", stored_pdf(session, letter, settings),
                          kind=letter.kind, number=letter.number, issued_on=letter.issued_on.isoformat(),
                          hal=letter.hal, media_type="application/pdf") for letter in letters]
    with_evidence = permits(principal, Action.READ_EVIDENCE, case)
    evidence = [add(f"bukti/{i:02d}-{_safe(e.original_name)}", evidence_bytes(e, settings), name=e.original_name,
                    media_type=e.content_type, description=e.description, uploaded_at=_iso(e.uploaded_at))
                for i, e in enumerate(case.evidence if with_evidence else [], start=1)]
    kajian = add("kajian.pdf", render_kajian(session, case, letters[-1].number, settings.base_url),
                 media_type="application/pdf")
    body = oversight_body(session, case, letters[-1].issued_on, people[0])
    record = {
        "format": FORMAT, "version": VERSION, "generated_at": _iso(at), "generated_by": principal.username,
        "sender": {"office": case.office.name, "office_code": case.office.code, "email": case.office.email},
        "addressee": {"oversight_body": body.name if body else None, "code": body.code if body else None},
        "case": _case(case),
        "reported": [_person(case, p) for p in people],
        "documents": {"kajian": kajian, "letters": letter_entries},
        "evidence": evidence,
        "evidence_included": with_evidence,
    }
    files[RECORD] = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=False).encode()
    data = _zip(files, at)
    digest = hashlib.sha256(data).hexdigest()
    audit.record(session, actor=principal.username, action="case.referral_exported", entity="case",
                 entity_id=case.id, case_id=case.id,
                 after={"sha256": digest, "nips": [p.nip for p in people], "letters": [x.number for x in letters],
                        "evidence": len(evidence)}, at=at)
    return Package(f"rujukan-{_safe(case.number)}.zip", data, digest, record)


def render_kajian(session: Session, case: Case, letter_number: str, base_url: str) -> bytes:
    """kajian.pdf: the forward letter's own view of the case (casework.letters.context), laid out as a kajian."""
    on = local_today(case.office.timezone, utcnow())
    context = build_context(session, case, get_kind(LETTER_KIND), 0, on, base_url=base_url)
    submitted = next((h for h in reversed(case.history) if h.to_stage == "plenary" and h.reported_asn_id is None),
                     None)
    author = session.scalar(select(User.full_name).where(User.username == submitted.actor)) if submitted else None
    context.update(
        kind="kajian", tembusan=[],
        letter={**context["letter"], "place_date": f"{case.office.city}, "
                f"{indonesian_date(submitted.acted_on or on) if submitted else indonesian_date(on)}"},
        signer={"jabatan": "Penyusun kajian", "name": author or (submitted.actor if submitted else "-"), "nip": ""},
        kajian={"chronology": case.chronology, "conclusion": submitted.reason if submitted else "",
                "plenary_reasoning": case.plenary_reasoning or "",
                "letter_number": letter_number,
                "evidence": [{"name": e.original_name, "description": e.description, "sha256": e.sha256}
                             for e in case.evidence]})
    return render_pdf(context)


# --- the record's parts ------------------------------------------------------------------------------------------
def _case(case: Case) -> dict[str, Any]:
    return {
        "number": case.number, "register_number": case.register_number, "source": case.source,
        "election": {"code": case.election.code, "name": case.election.name, "kind": case.election.kind},
        "province": {"code": case.regency.province.code, "name": case.regency.province.name},
        "regency": {"code": case.regency.code, "name": case.regency.name},
        "place": case.place, "occurred_on": case.occurred_on.isoformat(), "known_on": case.known_on.isoformat(),
        "received_on": case.received_on.isoformat(), "summary": case.summary, "chronology": case.chronology,
        "plenary": {"decided_on": case.plenary_decided_on.isoformat() if case.plenary_decided_on else None,
                    "reasoning": case.plenary_reasoning or ""},
    }


def _person(case: Case, p: ReportedASN) -> dict[str, Any]:
    catalogue = violation_catalogue()
    identifier = kind_of(p.person_kind).identifier
    return {
        "register_number": case.register_number,
        "nip": p.nip if identifier == "nip" else None, "nik": p.nip if identifier == "nik" else None,
        "name": p.name, "position": p.position, "rank": p.rank, "asn_kind": p.asn_kind, "work_unit": p.work_unit,
        "agency": {"code": p.agency.code, "name": p.agency.name, "ppk": p.agency.ppk_title,
                   "personnel_unit": p.agency.personnel_unit_name},
        "violations": [{"code": c, "label": catalogue[c]["label_id"], "category": catalogue[c]["category"],
                        "basis": violation_basis(c, case.occurred_on)}
                       for c in p.plenary_violations or [] if c in catalogue],
        "track_stage": p.track_stage,
    }


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _safe(name: str) -> str:
    """A letter number or file name as a path inside the ZIP: no directories, nothing a receiving system trips on."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:120] or "berkas"


def _zip(files: dict[str, bytes], at: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [RECORD, *sorted(p for p in files if p != RECORD)]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()
