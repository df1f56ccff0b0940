"""The inbox of initial information (informasi awal): receiving an item, and a handler's triage of it.

An item arrives from the public form's "just tell us" mode (or a laporan it could not yet be: casework.public.online),
a WhatsApp message (casework.inbox.whatsapp) or an email (casework.inbox.mail). It is routed to the Bawaslu office
of its regency, or of the WhatsApp number it was sent to; what reaches no office waits for Bawaslu RI. A channel's
own message id makes receiving idempotent: Meta delivers a webhook again until it is answered 200.

Triage, by the handlers of its office (the access module, Action.TRIAGE_INFORMATION), one of:
- take it up: the desk's intake form opens filled in from it; the case it records names the item, which becomes
  `taken_up` in the same transaction (casework.road.intake.open_case's caller, admin/intake.py);
- link it to an existing case the handler may see (`linked`);
- dismiss it with a reason (`dismissed`) — "spam" is a reason like another, kept and audited.
Every triage is audited and checks the item's version, so two handlers at once cannot both decide it.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.access.scope import information_scope
from casework.errors import CaseworkError, NotFound
from casework.models import Case, EvidenceFile, InformationItem, Office, Regency, utcnow
from casework.reports.reporter_status import new_code
from casework.road.evidence import TYPES, check_file, keep_file
from casework.settings import Settings
from casework.textcheck import CONTROL, has_control_chars

LIMITS = {"sender_name": 200, "sender_contact": 200, "subject": 300, "body": 20_000}
REASON_MAX = 2_000


def receive(session: Session, *, channel: str, external_id: str | None, office: Office | None,
            regency: Regency | None = None, sender_name: str = "", sender_contact: str = "", subject: str = "",
            body: str = "", data: dict | None = None, media: list[dict] | None = None, with_code: bool = False,
            files: list[tuple[str, bytes]] = (), settings: Settings | None = None,
            at: datetime | None = None) -> InformationItem:
    """One item, or the one already received under the channel's `external_id`. `files` (name, bytes) were
    checked by the caller (casework.road.evidence.check_file) and are kept under the evidence directory."""
    if external_id is not None:
        existing = session.scalar(select(InformationItem).where(InformationItem.channel == channel,
                                                                InformationItem.external_id == external_id))
        if existing is not None:
            return existing
    values = {"sender_name": sender_name, "sender_contact": sender_contact, "subject": subject, "body": body}
    clean = {k: " ".join(v.split()) if k != "body" else v for k, v in values.items()}
    clean = {k: CONTROL.sub("", v)[:LIMITS[k]] for k, v in clean.items()}
    kept = list(media or [])
    for name, content in files:
        kept.append(file_entry(name, content, settings))
    item = InformationItem(channel=channel, external_id=external_id, office=office,
                           regency_code=regency.code if regency is not None else None, received_at=at or utcnow(),
                           data=data or {}, media=kept, status="new", reason="",
                           receipt_code=new_code(session) if with_code else None, **clean)
    try:
        with session.begin_nested():  # the same message received twice at once: one row
            session.add(item)
    except IntegrityError:
        existing = session.scalar(select(InformationItem).where(InformationItem.channel == channel,
                                                                InformationItem.external_id == external_id))
        if existing is None:
            raise
        return existing
    # the sender is not named in the audit trail (auditors read it; a reporter's identity is the office's only)
    audit.record(session, actor=f"publik ({channel})", action="information.received", entity="information",
                 entity_id=item.id, after={"channel": channel, "office": office.code if office else None,
                                           "files": [m.get("name") for m in kept]})
    return item


def file_entry(name: str, content: bytes, settings: Settings | None) -> dict[str, Any]:
    """A file kept with an item (checked like evidence): how the item's `media` lists it."""
    assert settings is not None, "files need the evidence directory"
    name, ext = check_file(name, content)
    return {"name": name, "stored": keep_file(content, ext, settings), "mime": TYPES[ext].content_type,
            "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


# --- who sees what: the access module (Action.TRIAGE_INFORMATION, scope.information_scope) -------------------
def inbox(session: Session, p: Principal, *, status: str | None = "new", limit: int = 200) -> list[InformationItem]:
    authorize(p, Action.TRIAGE_INFORMATION)
    query = select(InformationItem).where(information_scope(p))
    if status:
        query = query.where(InformationItem.status == status)
    return list(session.scalars(query.order_by(InformationItem.received_at.desc(), InformationItem.id.desc())
                                .limit(limit)))


def get_item(session: Session, p: Principal, item_id: int) -> InformationItem:
    item = session.get(InformationItem, item_id)
    if item is None:
        raise NotFound("information.not_found", id=item_id)
    authorize(p, Action.TRIAGE_INFORMATION, item=item)
    return item


# --- triage ----------------------------------------------------------------------------------------------------------
def _open(item: InformationItem, version: int | None) -> None:
    if item.status != "new":
        raise CaseworkError("information.already_triaged", id=item.id, status=item.status)
    if version is not None and version != item.version:
        raise CaseworkError("information.changed", id=item.id)


def _decided(session: Session, item: InformationItem, p: Principal, status: str, action: str, at: datetime | None,
             **after: Any) -> InformationItem:
    item.status, item.triaged_by, item.triaged_at = status, p.username, at or utcnow()
    session.flush()
    audit.record(session, actor=p.username, action=action, entity="information", entity_id=item.id,
                 case_id=item.case_id, after={"status": status, **after}, at=item.triaged_at)
    return item


def dismiss(session: Session, p: Principal, item_id: int, reason: str, *, version: int | None = None,
            at: datetime | None = None) -> InformationItem:
    item = get_item(session, p, item_id)
    _open(item, version)
    reason = (reason or "").strip()
    if not reason:
        raise CaseworkError("information.reason_required")
    if len(reason) > REASON_MAX or has_control_chars(reason):
        raise CaseworkError("input.bad_item", value=reason[:40])
    item.reason = reason
    return _decided(session, item, p, "dismissed", "information.dismissed", at, reason=reason)


def link(session: Session, p: Principal, item_id: int, number: str, *, version: int | None = None,
         at: datetime | None = None) -> InformationItem:
    item = get_item(session, p, item_id)
    _open(item, version)
    case = session.scalar(select(Case).where(Case.number == (number or "").strip()))
    if case is None:
        raise NotFound("case.not_found", number=(number or "").strip()[:40])
    # its files become the case's evidence: a case the handler may add evidence to (hidden, or refused with why)
    authorize(p, Action.ADD_EVIDENCE, case)
    item.case = case
    _attach_files(session, item, case, p.username)
    return _decided(session, item, p, "linked", "information.linked", at, case=case.number)


def taken_up(session: Session, p: Principal, item: InformationItem, case: Case, *, version: int | None = None,
             at: datetime | None = None) -> InformationItem:
    """The case `p` just recorded from the item (in the same transaction): the item points at it, its files become
    the case's evidence, and a reporter's code from the public form follows the case."""
    authorize(p, Action.TRIAGE_INFORMATION, item=item)
    _open(item, version)
    item.case = case
    if item.receipt_code and case.source == "laporan":
        case.receipt_code, item.receipt_code = item.receipt_code, None
        session.flush()
        item.data = {**item.data, "receipt_code_moved_to": case.number}
    _attach_files(session, item, case, p.username)
    return _decided(session, item, p, "taken_up", "information.taken_up", at, case=case.number,
                    source=case.source)


def _attach_files(session: Session, item: InformationItem, case: Case, actor: str) -> None:
    for media in item.media:
        if not media.get("stored"):  # a WhatsApp file not fetched yet stays listed on the item
            continue
        session.add(EvidenceFile(case_id=case.id, original_name=media["name"], stored_name=media["stored"],
                                 content_type=media["mime"], size=media["size"], sha256=media["sha256"],
                                 description=f"Dari informasi awal #{item.id} ({item.channel})", uploaded_by=actor))


def prefill(item: InformationItem) -> dict[str, Any]:
    """The desk's intake form, filled in from an item (what the reporter wrote; the handler checks every field)."""
    data = item.data or {}
    reporter = data.get("reporter") or {}
    form: dict[str, Any] = {
        "information_id": str(item.id), "information_version": str(item.version),
        "regency": item.regency_code or "", "district": data.get("district") or "",
        "place": data.get("place") or "", "occurred_on": data.get("occurred_on") or "",
        "known_on": data.get("known_on") or "", "summary": (item.subject or " ".join(item.body.split()))[:300],
        "chronology": item.body, "reporter_name": reporter.get("name") or item.sender_name,
        "reporter_address": reporter.get("address") or "", "reporter_phone": reporter.get("phone") or (
            item.sender_contact if item.channel == "whatsapp" else ""),
        "reporter_email": reporter.get("email") or (item.sender_contact if item.channel == "email" else ""),
        "election": data.get("election") or "",
    }
    for i, person in enumerate((data.get("reported") or [])[:3]):
        form.update({f"nip{i}": person.get("nip", ""), f"name{i}": person.get("name", ""),
                     f"position{i}": person.get("position", ""), f"agency{i}": person.get("agency", "")})
    if data.get("violation"):
        form["violations"] = [data["violation"]]
    return form
