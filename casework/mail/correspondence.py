"""Letters the road asks for, issued and sent: what a step requested (its audit event's `letters`) is numbered,
rendered and stored through casework.letters, then queued in the outbox to its recipients with the PDF attached.

Idempotent like a transaction: a letter already issued to an addressee is not issued again, and a letter's email
is queued once (key `letter:<id>`), so running this twice — a retried task, a re-run DAG — changes nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.mail import outbox
from casework.road.cases import get_case
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.letters.addressees import addressees
from casework.letters.issue import issue_letter
from casework.letters.kinds import get_kind, letter_kinds
from casework.models import AuditEvent, Case, Letter, ReportedASN, utcnow
from casework.deadlines.notices import render
from casework.road.oversight import body_valid_on
from casework.settings import Settings
from casework.reference.timezones import local_today

log = logging.getLogger(__name__)
SYSTEM_ACTOR = "netra-system"


@dataclass(frozen=True)
class PendingLetter:
    kind: str
    recipient: int  # index into letters.addressees()
    label: str


def pending_letters(session: Session, case: Case) -> list[PendingLetter]:
    """(kind, addressee) pairs the case's steps asked for that have no issued letter yet."""
    asked: dict[str, set[str | None]] = {}
    for after in session.scalars(select(AuditEvent.after).where(AuditEvent.case_id == case.id,
                                                                AuditEvent.action.like("case.%"))
                                 .order_by(AuditEvent.id)):
        for kind in (after or {}).get("letters", []):
            if kind in letter_kinds():
                asked.setdefault(kind, set()).add((after or {}).get("track"))
    # one letter per (kind, person it concerns, addressee): two colleagues under the same PPK get one each
    issued = {tuple(row) for row in session.execute(
        select(Letter.kind, Letter.reported_asn_id, Letter.recipient)
        .where(Letter.case_id == case.id, Letter.status == "issued"))}
    today = local_today(case.office.province.timezone, utcnow())
    out = []
    for kind, tracks in asked.items():
        try:
            targets = addressees(session, case, get_kind(kind), today)
        except CaseworkError as exc:  # e.g. the plenary has not named the other institution: nobody to write to
            log.info("case %s: letter %s has no addressee: %s", case.number, kind, exc)
            continue
        for index, target in enumerate(targets):
            # a step on one reported ASN's track (an escalation) asks for letters about that person only
            if None not in tracks and target.person is not None and target.person.nip not in tracks:
                continue
            if (kind, target.person.id if target.person else None, target.label) not in issued:
                out.append(PendingLetter(kind, index, target.label))
    return out


def issue_pending(factory: sessionmaker[Session], case_number: str, *, settings: Settings | None = None,
                  actor: str = SYSTEM_ACTOR) -> list[str]:
    """Issue every letter the case is owed; returns their numbers. A failed render voids that number only."""
    with factory() as session:
        todo = pending_letters(session, get_case(session, case_number))
    numbers = []
    for item in todo:
        letter = issue_letter(factory, case_number, item.kind, actor=actor, recipient=item.recipient,
                              settings=settings)
        numbers.append(letter.number)
    return numbers


def letter_recipients(session: Session, case: Case, letter: Letter) -> list[str]:
    """Email addresses of a letter's addressee (the reported ASN and the PPK are reached through the agency's
    personnel unit; other institutions have no address in Netra and get the letter by hand)."""
    kind = get_kind(letter.kind)
    person = session.get(ReportedASN, letter.reported_asn_id) if letter.reported_asn_id else None
    match kind.recipient:
        case "reporter":
            return [case.reporter.email] if case.reporter and case.reporter.email else []
        case "reported" | "ppk":
            return [person.agency.personnel_unit_email] if person and person.agency.personnel_unit_email else []
        case "oversight":
            body = (person.oversight_body if person else None) or body_valid_on(session, letter.issued_on)
            return [body.email] if body.email else []
    return []


def queue_letter_emails(factory: sessionmaker[Session], case_number: str, *,
                        settings: Settings | None = None) -> int:
    """Queue each issued letter of the case for email once: to its addressee, copied to the office's inbox."""
    settings = settings or Settings.from_env()
    queued = 0
    with transaction(factory) as session:
        case = get_case(session, case_number)
        for letter in session.scalars(select(Letter).where(Letter.case_id == case.id, Letter.status == "issued")
                                      .order_by(Letter.id)):
            if get_kind(letter.kind).recipient == "none":
                continue  # minutes (berita acara) stay in the file
            external = letter_recipients(session, case, letter)
            subject, body = render("letter.txt", letter=letter, case=case, office=case.office, manual=not external,
                                   verify_url=f"{settings.base_url.rstrip('/')}/verifikasi/{letter.verify_token}")
            queued += outbox.queue(session, dedup_key=f"letter:{letter.id}", purpose=f"letter.{letter.kind}",
                                   recipients=[*external, case.office.email], subject=subject, body=body,
                                   case_id=case.id, letter_id=letter.id) is not None
    return queued


def deliver(factory: sessionmaker[Session], case_number: str, *, settings: Settings | None = None) -> dict:
    """Everything a case's run does when the case moves: issue owed letters, queue them, send its mail."""
    settings = settings or Settings.from_env()
    issued = issue_pending(factory, case_number, settings=settings)
    queued = queue_letter_emails(factory, case_number, settings=settings)
    with factory() as session:
        case_id = get_case(session, case_number).id
    sent = outbox.send_pending(factory, settings=settings, case_id=case_id)
    return {"issued": issued, "queued": queued, **sent.as_dict()}
