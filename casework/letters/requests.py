"""What a case is owed: letter requests, rows written with the decision that asks for them.

A decision asks for letters — a step's `letters` (casework.road.workflow.execute), the receipt of a report
(casework.road.intake.open_case) — and `request_letters` writes one request per addressee in that decision's own
transaction, resolved as casework.letters.addressees sees the case right after the decision. Whoever issues —
the desk, Airflow's deliverer, the CLI — claims a request once (casework.letters.issue), like the outbox claims an
email. The audit event still records which kinds a step asked for: it records; it is not the work queue.

Statuses: open -> claimed (an issuer holds it and a reserved number) -> issued (`letter_id`: the live letter).
A failed render puts a claimed request back (open, or issued for a failed correction); a correction takes an
issued request back to claimed. A claim older than STALE_CLAIM whose letter is still reserved was abandoned by an
issuer that died mid-render: the next issuer takes it over (casework.letters.issue).
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.letters.addressees import addressees
from casework.letters.kinds import case_letter_kinds, get_kind
from casework.models import AuditEvent, Case, Letter, LetterRequest, ReportedASN, utcnow

log = logging.getLogger(__name__)

# Rendering a letter takes seconds; a claim this old with its number still reserved belongs to an issuer that is
# gone (a killed worker, a closed laptop). Long enough that a slow but live render is never taken over.
STALE_CLAIM = timedelta(minutes=10)
OWED = ("open", "claimed")


def request_letters(session: Session, case: Case, kinds: list[str] | tuple[str, ...], *, actor: str, cause: str,
                    event: AuditEvent | None = None, person: ReportedASN | None = None, on: date | None = None,
                    at: datetime | None = None) -> list[LetterRequest]:
    """One open request per (kind, addressee) that the decision `cause` asked for; `person`: a step on one reported
    ASN's track asks for letters about that person only. Kinds Netra does not generate (the oversight body's own
    recommendation) and letters without an addressee in this case (a receipt for a temuan) are left out."""
    at = at or utcnow()
    out = []
    for code in dict.fromkeys(kinds):
        if code not in case_letter_kinds():
            continue
        try:
            targets = addressees(session, case, get_kind(code), on or at.date())
        except CaseworkError as exc:
            log.info("case %s: letter %s has no addressee: %s", case.number, code, exc)
            continue
        for target in targets:
            if not target.current:  # an earlier hearing's invitee: their letter was asked when it was scheduled
                continue
            if person is not None and target.person is not None and target.person.id != person.id:
                continue
            request = LetterRequest(
                case_id=case.id, kind=code, reported_asn_id=target.person.id if target.person else None,
                addressee_key=target.key, addressee_label=target.label[:300], cause=cause[:64],
                audit_event_id=event.id if event is not None else None, requested_at=at, requested_by=actor,
                status="open", claims=0)
            session.add(request)
            out.append(request)
    session.flush()
    return out


def cancel_owed(session: Session, case: Case, *, actor: str) -> list[LetterRequest]:
    """A case that owes nobody anything any more (marked as spam): its open requests are cancelled. A claimed one
    is left to its issuer, who finds the case as it is."""
    cancelled = [r for r in owed(session, case) if r.status == "open"]
    for request in cancelled:
        request.status = "cancelled"
    if cancelled:
        log.info("%s cancelled %d letter request(s) of %s", actor, len(cancelled), case.number)
    return cancelled


def owed(session: Session, case: Case) -> list[LetterRequest]:
    """The case's requests not yet answered: open, or being issued (claimed)."""
    return list(session.scalars(select(LetterRequest).where(LetterRequest.case_id == case.id,
                                                            LetterRequest.status.in_(OWED))
                                .order_by(LetterRequest.id)))


def abandoned(request: LetterRequest, now: datetime | None = None) -> bool:
    """Claimed so long ago that its issuer must be gone (see STALE_CLAIM)."""
    return request.status == "claimed" and request.claimed_at is not None \
        and request.claimed_at < (now or utcnow()) - STALE_CLAIM


def abandoned_sql(now: datetime | None = None) -> ColumnElement[bool]:
    """`abandoned` as a WHERE clause, for finding such requests in the database."""
    return and_(LetterRequest.status == "claimed", LetterRequest.claimed_at < (now or utcnow()) - STALE_CLAIM)


def recipient_index(session: Session, case: Case, request: LetterRequest, on: date) -> int:
    """Where the request's addressee is among the kind's addressees today (what build_context and a draft take)."""
    for index, target in enumerate(addressees(session, case, get_kind(request.kind), on)):
        if target.key == request.addressee_key:
            return index
    raise CaseworkError("letter.addressee_gone", label=request.addressee_label)


def reserved_letter(session: Session, request: LetterRequest) -> Letter | None:
    """The number an issuer holds for this request while it renders (a claimed request has one)."""
    return session.scalars(select(Letter).where(Letter.request_id == request.id, Letter.status == "reserved")
                           .order_by(Letter.id.desc())).first()


def find_request(session: Session, case: Case, kind: str, recipient: int, on: date) -> LetterRequest | None:
    """The request of `kind` for the addressee at index `recipient` (the CLI's --recipient, an old desk form):
    the one still owed if there is one, else the latest."""
    targets = addressees(session, case, get_kind(kind), on)
    if not 0 <= recipient < len(targets):
        raise CaseworkError("letter.bad_recipient", index=recipient, count=len(targets))
    rows = list(session.scalars(select(LetterRequest).where(
        LetterRequest.case_id == case.id, LetterRequest.kind == kind,
        LetterRequest.addressee_key == targets[recipient].key).order_by(LetterRequest.id)))
    return next((r for r in rows if r.status in OWED), rows[-1] if rows else None)


def describe(session: Session, request: LetterRequest, lang: str = "id", now: datetime | None = None) -> dict:
    """A request as plain data (the CLI's `letter owed --json`, the desk's letters section)."""
    kind = get_kind(request.kind)
    reserved = reserved_letter(session, request) if request.status == "claimed" else None
    live = session.get(Letter, request.letter_id) if request.letter_id else None
    person = session.get(ReportedASN, request.reported_asn_id) if request.reported_asn_id else None
    return {"id": request.id, "kind": request.kind, "label": kind.label(lang), "addressee": request.addressee_label,
            "addressee_key": request.addressee_key, "nip": person.nip if person else None,
            "status": request.status, "cause": request.cause, "requested_at": request.requested_at.isoformat(),
            "requested_by": request.requested_by, "claimed_by": request.claimed_by,
            "claimed_at": request.claimed_at.isoformat() if request.claimed_at else None,
            "abandoned": abandoned(request, now), "reserved_number": reserved.number if reserved else None,
            "letter": live.number if live else None}
