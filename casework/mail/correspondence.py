"""Letters the road asks for, issued and sent: every open letter request of the case (casework.letters.requests,
written with the decision that asked) is claimed and issued through casework.letters.issue, then queued in the
outbox to its recipients with the PDF attached.

Idempotent like a transaction: a request is claimed once whoever else issues (the desk, the CLI, a second run),
so losing a claim is not an error, and a letter's email is queued once (key `letter:<id>`), so running this twice
— a retried task, a re-run DAG — changes nothing.
"""
from __future__ import annotations

import logging

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session, sessionmaker

from casework.access.principal import SYSTEM, Principal
from casework.adapters.db import transaction
from casework.deadlines.notices import render
from casework.letters.issue import LetterBusy, issue_letter
from casework.i18n.dates import indonesian_date
from casework.letters.kinds import get_kind, letter_kinds
from casework.letters.links import ensure_link, grant_of, url_of
from casework.letters.links import policy as link_policy
from casework.letters.requests import OWED, abandoned_sql
from casework.mail import outbox
from casework.models import Case, HearingInvitee, Letter, LetterRequest, OutboxMessage, ReportedASN
from casework.road.cases import get_case
from casework.road.oversight import body_valid_on
from casework.settings import Settings

log = logging.getLogger(__name__)
SYSTEM_ACTOR = SYSTEM.username


def issue_owed(factory: sessionmaker[Session], case_number: str, *, settings: Settings,
               principal: Principal = SYSTEM) -> list[str]:
    """Issue every letter the case is owed (its open requests, and claims abandoned by a dead issuer); returns the
    numbers issued. A request another issuer claims first is theirs. A failed render voids that number, reopens
    its request and is raised (the next run tries again)."""
    with factory() as session:
        case_id = get_case(session, case_number).id
        todo = list(session.scalars(select(LetterRequest.id).where(
            LetterRequest.case_id == case_id, or_(LetterRequest.status == "open", abandoned_sql()))
            .order_by(LetterRequest.id)))
    numbers = []
    for request_id in todo:
        try:
            numbers.append(issue_letter(factory, request_id, principal, settings=settings).number)
        except LetterBusy as exc:
            log.info("case %s: letter request %s answered by another issuer: %s", case_number, request_id, exc)
    return numbers


def letter_recipients(session: Session, case: Case, letter: Letter) -> list[str]:
    """Email addresses of a letter's addressee, from the organisations directory: the reporter's own, the PPK's,
    the oversight body's. The reported ASN has no address in Netra: a letter to them is never sent to their agency
    (the BKPSDM is not its addressee) but delivered by the office, by hand or post, like letters to witnesses and
    other institutions."""
    kind = get_kind(letter.kind)
    person = session.get(ReportedASN, letter.reported_asn_id) if letter.reported_asn_id else None
    match kind.recipient:
        case "reporter":
            return [case.reporter.email] if case.reporter and case.reporter.email else []
        case "invitee":  # only an invited reporter has an address of their own
            request = session.get(LetterRequest, letter.request_id) if letter.request_id else None
            invitee = _invitee(session, request.addressee_key) if request else None
            if invitee is not None and invitee.kind == "reporter" and invitee.reporter and invitee.reporter.email:
                return [invitee.reporter.email]
            return []
        case "ppk":
            return [person.agency.ppk_email] if person and person.agency.ppk_email else []
        case "oversight":
            body = (person.oversight_body if person else None) or body_valid_on(session, letter.issued_on)
            return [body.email] if body.email else []
    return []


def letter_copies(session: Session, letter: Letter) -> list[str]:
    """The printed copy (tembusan) to the person's BKPSDM, by email: a letter about one employee to their PPK or
    the oversight body (reminders, warnings, block requests) is copied to the agency's personnel unit."""
    if "bkpsdm" not in get_kind(letter.kind).tembusan or letter.reported_asn_id is None:
        return []
    email = session.get(ReportedASN, letter.reported_asn_id).agency.personnel_unit_email
    return [email] if email else []


def _invitee(session: Session, addressee_key: str) -> HearingInvitee | None:
    """The invitee an invitation's addressee key names ("invitee:<id>:<kind>", casework.letters.addressees)."""
    parts = addressee_key.split(":")
    return session.get(HearingInvitee, int(parts[1])) if parts[0] == "invitee" and parts[1].isdigit() else None


def queue_letter_emails(factory: sessionmaker[Session], case_number: str, *,
                        settings: Settings) -> int:
    """Queue each issued letter of the case for email once: to its addressee, copied to the office's inbox."""
    queued = 0
    with transaction(factory) as session:
        case = get_case(session, case_number)
        for letter in session.scalars(select(Letter).where(Letter.case_id == case.id, Letter.status == "issued")
                                      .order_by(Letter.id)):
            if get_kind(letter.kind).recipient == "none":
                continue  # minutes (berita acara) stay in the file
            external = letter_recipients(session, case, letter)
            copies = letter_copies(session, letter)
            subject, body = render("letter.txt", letter=letter, case=case, office=case.office, manual=not external,
                                   verify_url=f"{settings.base_url.rstrip('/')}/verifikasi/{letter.verify_token}")
            queued += outbox.queue(session, dedup_key=f"letter:{letter.id}", purpose=f"letter.{letter.kind}",
                                   recipients=[*external, *copies, case.office.email], subject=subject, body=body,
                                   case_id=case.id, letter_id=letter.id) is not None
            queued += queue_link_email(session, case, letter, external, settings=settings)
    return queued


def queue_link_email(session: Session, case: Case, letter: Letter, external: list[str], *,
                     settings: Settings, actor: str = SYSTEM_ACTOR) -> bool:
    """The addressee's own email with the letter's link (casework.letters.links), once per link: to the
    addressee only — never to the copies or the office's inbox, whose holders are not the addressee. An
    addressee without an address gets theirs from the office (the case page shows it to the handlers)."""
    link = ensure_link(session, letter, settings, actor)
    url = url_of(link, settings) if link is not None else None
    if url is None or not external:
        return False
    subject, body = render("letter_link.txt", letter=letter, case=case, office=case.office, link_url=url,
                           expires=indonesian_date(link.expires_at.date()),
                           starts_deadline=bool(link_policy().get("restarts", {}).get(letter.kind)),
                           follow_up=bool(grant_of(letter).steps))
    return outbox.queue(session, dedup_key=f"letter-link:{link.id}", purpose="letter.link", recipients=external,
                        subject=subject, body=body, case_id=case.id) is not None


def deliver(factory: sessionmaker[Session], case_number: str, *, settings: Settings) -> dict:
    """Everything a case's run does when the case moves: issue owed letters, queue them, send its mail."""
    issued = issue_owed(factory, case_number, settings=settings)
    queued = queue_letter_emails(factory, case_number, settings=settings)
    with factory() as session:
        case_id = get_case(session, case_number).id
    sent = outbox.send_pending(factory, settings=settings, case_id=case_id)
    return {"issued": issued, "queued": queued, **sent.as_dict()}


def undelivered(session: Session, case_ids: list[int]) -> set[int]:
    """The cases among `case_ids` that `deliver` would do something for: a letter request still owed, an issued
    letter with a recipient not yet queued for email, or an email not yet sent. A case's run waiting from the
    triggerer asks this on its first look, so a case with nothing owed costs no worker run."""
    if not case_ids:
        return set()
    silent = [code for code, kind in letter_kinds().items() if kind.recipient == "none"]
    owed = select(LetterRequest.case_id).where(LetterRequest.case_id.in_(case_ids),
                                               LetterRequest.status.in_(OWED))
    unqueued = (select(Letter.case_id)
                .outerjoin(OutboxMessage, OutboxMessage.letter_id == Letter.id)  # queued with its email
                .where(Letter.case_id.in_(case_ids), Letter.status == "issued", Letter.kind.not_in(silent),
                       OutboxMessage.id.is_(None)))
    unsent = select(OutboxMessage.case_id).where(OutboxMessage.case_id.in_(case_ids),
                                                 OutboxMessage.status.in_(outbox.RETRYABLE),
                                                 OutboxMessage.attempts < outbox.MAX_ATTEMPTS)
    return set(session.scalars(union(owed, unqueued, unsent)))


def take_over_abandoned(factory: sessionmaker[Session], *, settings: Settings) -> dict[str, list[str]]:
    """Issue and send the letters whose issuer died holding the claim (a worker killed mid-render): a case's run
    comes back only when the case moves, so `reconcile` comes for them once the claim is STALE_CLAIM old. The
    claim's counter makes the takeover safe even if the issuer was only slow. Returns case -> numbers issued."""
    with factory() as session:
        numbers = list(session.scalars(
            select(Case.number).join(LetterRequest, LetterRequest.case_id == Case.id)
            .where(abandoned_sql())
            .distinct().order_by(Case.number)))
    issued, failed = {}, []
    for number in numbers:  # one case's failing render does not hold the others back
        try:
            issued[number] = deliver(factory, number, settings=settings)["issued"]
        except Exception:  # noqa: BLE001 — logged here, raised below: the task fails and the next run retries
            log.exception("case %s: taking over its abandoned letters failed", number)
            failed.append(number)
    if failed:
        raise RuntimeError(f"abandoned letters not issued for {', '.join(failed)} (see the log); retried next run")
    return issued
