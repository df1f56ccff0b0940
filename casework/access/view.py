"""One case as a principal may see it: the case page, `netra case show --as`, and every later interface read this
and nothing else. What is left out is decided by casework.access.policy, per person by id (never by a display
name): the people, their tracks, deadlines, outcomes and timeline steps; the reporter, the receipt code and the
witnesses; the letters; the evidence."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from casework.access.policy import Action, authorize, handles, permits
from casework.access.principal import Principal
from casework.access.scope import visible_people
from casework.letters.kinds import get_kind
from casework.letters.links import link_state
from casework.mail.notifications import missing_addresses
from casework.models import Case, Letter, LetterSignature
from casework.prevention.reads import pledges_of
from casework.road.cases import describe, get_case
from casework.road.statuses import LetterStatus, status_label
from casework.road.workflow import available_steps


def case_view(session: Session, principal: Principal, number: str, *, lang: str = "id",
              now: datetime | None = None) -> dict[str, Any]:
    """The case as plain data, filtered for `principal`; NotFound if they may not see it at all."""
    case = get_case(session, number)
    authorize(principal, Action.SEE_CASE, case)
    return filtered(session, principal, case, lang=lang, now=now)


def filtered(session: Session, principal: Principal, case: Case, *, lang: str = "id",
             now: datetime | None = None) -> dict[str, Any]:
    d = describe(session, case, lang=lang, now=now)
    ids = {person.id for person in visible_people(principal, case)}
    d["reported"] = [p for p in d["reported"] if p["id"] in ids]
    by_id = {person.id: person for person in case.reported}
    for p in d["reported"]:
        if p["criminal"] and not permits(principal, Action.SEE_CRIMINAL, case, by_id[p["id"]]):
            p["criminal"] = None
    if d["plenary"] and len(ids) < len(case.reported):  # the reasoning may speak of people they may not see
        d["plenary"] = {**d["plenary"], "reasoning": None}
    d["history"] = [h for h in d["history"] if h["reported_asn_id"] is None or h["reported_asn_id"] in ids]
    d["deadlines"] = [x for x in d["deadlines"] if x["reported_asn_id"] is None or x["reported_asn_id"] in ids
                      and (not x["rule"].startswith("criminal.")
                           or permits(principal, Action.SEE_CRIMINAL, case, by_id[x["reported_asn_id"]]))]
    if not permits(principal, Action.SEE_REPORTER, case):
        d["reporter"] = d["receipt_code"] = None
        d["witnesses"] = []
    letters = session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)).all()
    numbers = {letter.id: letter.number for letter in letters}  # a superseded letter names its replacement
    signed: dict[int, list[str]] = {}  # certified signatures, in order (casework.letters.signatures)
    for row in session.scalars(select(LetterSignature).where(LetterSignature.letter_id.in_(list(numbers)))
                               .order_by(LetterSignature.letter_id, LetterSignature.position)) if numbers else ():
        signed.setdefault(row.letter_id, []).append(row.name)
    d["letters"] = [_letter(letter, lang, numbers, signed.get(letter.id, [])) for letter in letters
                    if permits(principal, Action.READ_LETTER, case, letter=letter)]
    evidence = permits(principal, Action.READ_EVIDENCE, case)
    d["evidence"] = [{"id": e.id, "name": e.original_name, "size": e.size, "sha256": e.sha256,
                      "description": e.description, "uploaded_by": e.uploaded_by,
                      "uploaded_at": e.uploaded_at.isoformat()} for e in case.evidence] if evidence else []
    d["evidence_withheld"] = bool(case.evidence) and not evidence
    d["may"] = {"add_evidence": permits(principal, Action.ADD_EVIDENCE, case),
                "issue_letters": permits(principal, Action.ISSUE_LETTER, case)}
    # a notice or letter owed to an institution the directory has no address for: the handling office's task
    d["address_tasks"] = [{"kind": i.kind, "name": i.name, "directory": i.directory}
                          for i in missing_addresses(session, case)] if handles(principal, case) else []
    d["steps"] = [{"name": offer.command.name, "label": offer.command.label.pick(lang),
                   "tracks": [p.nip for p in offer.people]} for offer in available_steps(case, principal)]
    # the neutrality pledges and integrity pacts that covered each person (casework.prevention.reads)
    pledges = pledges_of(session, [by_id[p["id"]] for p in d["reported"]])
    for p in d["reported"]:
        p["pledges"] = [x.as_dict() for x in pledges.get(p["id"], [])]
    return d


def _letter(letter: Letter, lang: str, numbers: dict[int, str], signed_by: list[str]) -> dict[str, Any]:
    return {"id": letter.id, "number": letter.number, "kind": letter.kind, "label": get_kind(letter.kind).label(lang),
            "hal": letter.hal, "status": letter.status, "status_label": status_label(LetterStatus, letter.status, lang),
            "recipient": letter.recipient,
            "issued_on": letter.issued_on.isoformat(), "issued_by": letter.issued_by,
            "reported_asn_id": letter.reported_asn_id, "void_reason": letter.void_reason or None,
            "superseded_by": numbers.get(letter.superseded_by_id), "superseded_reason": letter.superseded_reason or None,
            "addressed": get_kind(letter.kind).recipient != "none",  # minutes (berita acara) go to nobody
            "signed_by": signed_by,  # who signed it electronically, paraf first; empty: not signed
            "link": link_state(object_session(letter), letter.id)}  # its addressee's link (casework.letters.links)
