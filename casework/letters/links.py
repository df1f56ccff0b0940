"""Acknowledgement by link (issue 19, item 1): a letter to an institution outside Netra — the oversight body, a
PPK, the police, a non-ASN's own institution — reaches its addressee with a single-purpose link. Opening it shows
that letter (and only it) without an account; the addressee confirms receipt (name, position, the day received),
which starts their next deadline where rules/acknowledgements.toml says so. Every use is audited; the link
expires, can be revoked and reissued, and is counted per address (the public blueprint, admin/letter_links.py).

The token is an HMAC of the row's random nonce under the installation's secret key, so a database dump gives no
usable link; only its sha256 is kept to find the row. Acting through a link is a principal of its own
(casework.access.principal.addressee): the access module lets it read that letter and acknowledge it, nothing else.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import LinkGrant, Principal, addressee
from casework.deadlines.engine import get_rule
from casework.deadlines.records import restart, start_deadline, stop
from casework.errors import CaseworkError, NotFound, Problem, ValidationError
from casework.i18n.dates import indonesian_date
from casework.letters.kinds import get_kind
from casework.models import Case, Deadline, Letter, LetterLink, ReportedASN, utcnow
from casework.reference.timezones import local_today
from casework.rules import load
from casework.settings import Settings
from casework.textcheck import has_control_chars
from casework.webhooks.events import emit

TEXT_MAX = 200


def policy() -> dict[str, Any]:
    return load("acknowledgements")


def carries_link(kind_code: str) -> bool:
    """Letters to an institution outside Bawaslu carry a link for their addressee."""
    return get_kind(kind_code).recipient in policy()["recipients"]


def token_of(link: LetterLink, settings: Settings) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"letter-link:{link.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def url_of(link: LetterLink, settings: Settings) -> str | None:
    """The link as its addressee received it; None when it can no longer be made (the secret key changed since:
    reissue it)."""
    token = token_of(link, settings)
    return f"{settings.base_url.rstrip('/')}/tanggapan/{token}" if _sha(token) == link.token_sha256 else None


def live_link(session: Session, letter_id: int) -> LetterLink | None:
    now = utcnow()
    return session.scalar(select(LetterLink).where(LetterLink.letter_id == letter_id,
                                                   LetterLink.revoked_at.is_(None), LetterLink.expires_at > now)
                          .order_by(LetterLink.id.desc()).limit(1))


def latest_link(session: Session, letter_id: int) -> LetterLink | None:
    return session.scalar(select(LetterLink).where(LetterLink.letter_id == letter_id)
                          .order_by(LetterLink.id.desc()).limit(1))


def acknowledged_link(session: Session, letter_id: int) -> LetterLink | None:
    """The link through which the letter's receipt was confirmed, whichever of its links it was."""
    return session.scalar(select(LetterLink).where(LetterLink.letter_id == letter_id,
                                                   LetterLink.acknowledged_at.is_not(None)).limit(1))


def ensure_link(session: Session, letter: Letter, settings: Settings, actor: str) -> LetterLink | None:
    """The letter's live link, made if it has none and its kind carries one (an issued letter whose receipt is
    not confirmed yet: a confirmed letter is never asked again)."""
    if letter.status != "issued" or not carries_link(letter.kind) or not settings.secret_key:
        return None
    live = live_link(session, letter.id)  # nearly always there: every wake of a case passes here, without a lock
    if live is not None or acknowledged_link(session, letter.id) is not None:
        return live
    session.refresh(letter, with_for_update=True)  # two deliverers at once make one link (PostgreSQL row lock)
    return live_link(session, letter.id) or _make(session, letter, settings, actor)


ACK_RULE = "ack.receipt"


def _start_waiting(session: Session, letter: Letter, at: datetime) -> None:
    """The first link of a letter starts the wait for its confirmation (rules/deadlines.toml "ack.receipt"): due,
    the addressee is reminded with the link; past, the office and the level above hear of it."""
    if session.scalar(select(Deadline.id).where(Deadline.letter_id == letter.id, Deadline.rule_id == ACK_RULE)):
        return
    case = session.get(Case, letter.case_id)
    person = session.get(ReportedASN, letter.reported_asn_id) if letter.reported_asn_id else None
    # counted from the day the link goes out (an older letter given its link later is not overdue at once)
    sent_on = max(letter.issued_on, local_today(case.office.timezone, at))
    deadline = start_deadline(session, case, get_rule(ACK_RULE), sent_on, person=person, at=at)
    deadline.letter_id = letter.id


def close_waiting(session: Session, letter_id: int, at: datetime, *, status: str | None = None,
                  actor: str = "netra-system") -> list[Deadline]:
    """Stop the wait for a letter's confirmation: met or missed by the moment it was confirmed (`at`: the day
    typed is the addressee's word, the moment is Netra's), or `status` — a letter replaced or voided is no longer
    awaited ("cancelled"), and its live link stops opening."""
    waiting = list(session.scalars(select(Deadline).where(Deadline.letter_id == letter_id,
                                                          Deadline.rule_id == ACK_RULE, Deadline.status == "open")))
    if waiting:
        stop(waiting, at, status=status)
    if status == "cancelled":
        for link in session.scalars(select(LetterLink).where(LetterLink.letter_id == letter_id,
                                                             LetterLink.revoked_at.is_(None))):
            link.revoked_at, link.revoked_by = at, actor
    return waiting


def _make(session: Session, letter: Letter, settings: Settings, actor: str) -> LetterLink:
    link = LetterLink(letter_id=letter.id, addressee=letter.recipient or "-", nonce=secrets.token_hex(16),
                      token_sha256="", created_by=actor,
                      expires_at=utcnow() + timedelta(days=policy()["link_valid_days"]), uses=0)
    link.token_sha256 = _sha(token_of(link, settings))
    session.add(link)
    session.flush()
    _start_waiting(session, letter, link.created_at or utcnow())
    audit.record(session, actor=actor, action="letter_link.created", entity="letter", entity_id=letter.id,
                 case_id=letter.case_id, after={"number": letter.number, "link": link.id,
                                                "addressee": link.addressee,
                                                "expires_at": link.expires_at.isoformat()})
    return link


def reissue(session: Session, letter: Letter, settings: Settings, principal: Principal) -> LetterLink:
    """Revoke the letter's live link (a lost email, a link that reached the wrong hands) and make another; whoever
    may issue the letter may."""
    case = session.get(Case, letter.case_id)
    authorize(principal, Action.ISSUE_LETTER, case, letter_kind=letter.kind)
    if letter.status != "issued" or not carries_link(letter.kind):
        raise CaseworkError("link.not_for_letter", number=letter.number)
    done = acknowledged_link(session, letter.id)
    if done is not None:  # a new link would ask for a receipt already confirmed (and restart deadlines again)
        raise CaseworkError("link.already_acknowledged", name=done.acknowledged_by,
                            date=indonesian_date(done.acknowledged_on))
    old = live_link(session, letter.id)
    if old is not None:
        old.revoked_at, old.revoked_by = utcnow(), principal.username
        audit.record(session, actor=principal.username, action="letter_link.revoked", entity="letter",
                     entity_id=letter.id, case_id=letter.case_id, after={"number": letter.number, "link": old.id})
    return _make(session, letter, settings, principal.username)


class LinkGone(CaseworkError):
    """A link that was real but no longer opens (revoked or expired): said so, with what to do."""


def open_link(session: Session, token: str) -> tuple[LetterLink, Letter, Principal]:
    """The link a token names, its letter, and the principal acting through it; NotFound for a token that names
    no link, LinkGone for one revoked or expired."""
    if not token or len(token) > 64:
        raise NotFound("link.not_found")
    link = session.scalar(select(LetterLink).where(LetterLink.token_sha256 == _sha(token)))
    if link is None:
        raise NotFound("link.not_found")
    letter = session.get(Letter, link.letter_id)
    if link.revoked_at is not None:
        raise LinkGone("link.revoked", number=letter.number)
    if link.expires_at <= utcnow():
        raise LinkGone("link.expired", number=letter.number, date=indonesian_date(link.expires_at.date()))
    return link, letter, addressee(link.addressee, grant_of(letter))


def grant_of(letter: Letter) -> LinkGrant:
    """What the letter's link grants: the letter; and, for a letter to a PPK about one person, the follow-up steps
    the rules name on that person (rules/acknowledgements.toml `follow_up`)."""
    steps = policy().get("follow_up", {}).get(get_kind(letter.kind).recipient, []) \
        if letter.reported_asn_id is not None and letter.status == "issued" else []
    return LinkGrant(letter.id, letter.case_id, letter.reported_asn_id, frozenset(steps))


def record_use(session: Session, link: LetterLink, letter: Letter, principal: Principal, what: str) -> None:
    """One audited use: "opened" (the page) or "downloaded" (the PDF)."""
    now = utcnow()
    link.uses = (link.uses or 0) + 1
    link.opened_at = link.opened_at or now
    audit.record(session, actor=principal.username, action=f"letter_link.{what}", entity="letter",
                 entity_id=letter.id, case_id=letter.case_id, after={"number": letter.number, "link": link.id})


def acknowledge(session: Session, token: str, *, name: str, position: str, received_on: date | None
                ) -> dict[str, Any]:
    """Confirm receipt: checked whole (every problem at once, nothing written on any), recorded once, audited as
    the addressee, and the addressee's next deadline started again from the day received where the rules say."""
    link, letter, principal = open_link(session, token)
    case = session.get(Case, letter.case_id)
    authorize(principal, Action.ACKNOWLEDGE_LETTER, case, letter=letter)
    done = acknowledged_link(session, letter.id)  # through this link or an earlier one of the same letter
    if done is not None:
        raise CaseworkError("link.already_acknowledged", name=done.acknowledged_by,
                            date=indonesian_date(done.acknowledged_on))
    if letter.status != "issued":
        raise CaseworkError("link.letter_not_valid", number=letter.number, status=letter.status)
    today = local_today(case.office.timezone, utcnow())
    name, position = (name or "").strip(), (position or "").strip()
    problems = []
    for field, value in (("ack_name", name), ("ack_position", position)):
        if not value:
            problems.append(Problem(field, "required"))
        elif len(value) > TEXT_MAX:
            problems.append(Problem(field, "too_long", {"max": TEXT_MAX}))
        elif has_control_chars(value):
            problems.append(Problem(field, "text.control_chars"))
    if received_on is None:
        problems.append(Problem("ack_received_on", "required"))
    elif received_on > today:
        problems.append(Problem("ack_received_on", "date.in_future", {"today": indonesian_date(today)}))
    elif received_on < letter.issued_on:
        problems.append(Problem("ack_received_on", "link.before_letter", {"date": indonesian_date(letter.issued_on)}))
    if problems:
        raise ValidationError(problems)
    now = utcnow()
    # one confirmation per letter, whoever taps twice: only the request whose UPDATE changes the row goes on
    won = session.execute(update(LetterLink).where(LetterLink.id == link.id, LetterLink.acknowledged_at.is_(None))
                          .values(acknowledged_at=now, acknowledged_on=received_on, acknowledged_by=name,
                                  acknowledged_position=position)
                          .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise CaseworkError("link.already_acknowledged", name="-", date=indonesian_date(received_on))
    session.refresh(link)
    waited = close_waiting(session, letter.id, now)
    # a confirmation that came after its own wait had run out does not move the addressee's deadline: the day
    # typed then is the addressee's word alone, and the office has been told of the silence (recorded, not moved)
    late = any(d.status == "missed" for d in waited)
    restarted = [] if late else _restart_deadlines(session, case, letter, received_on, now)
    audit.record(session, actor=principal.username, action="letter.acknowledged", entity="letter",
                 entity_id=letter.id, case_id=case.id,
                 after={"number": letter.number, "link": link.id, "name": name, "position": position,
                        "received_on": received_on.isoformat(), "restarted": restarted, "late": late})
    _tell_office(session, case, letter, link, restarted)
    emit(session, "acknowledgement.received", case, event_id=f"ack:{link.id}", letter=letter, at=now,
         data={"letter_id": letter.id, "number": letter.number, "received_on": received_on.isoformat()})
    return {"number": letter.number, "restarted": restarted}


def _tell_office(session: Session, case: Case, letter: Letter, link: LetterLink, restarted: list[str]) -> None:
    """The handling office's inbox hears of the receipt (once per link)."""
    from casework.deadlines.notices import render
    from casework.mail import outbox

    subject, body = render("letter_acknowledged.txt", letter=letter, case=case, link=link, restarted=restarted,
                           received=indonesian_date(link.acknowledged_on))
    outbox.queue(session, dedup_key=f"letter-ack:{link.id}", purpose="letter.acknowledged",
                 recipients=[case.office.email], subject=subject, body=body, case_id=case.id)


def follow_up_form(letter: Letter, lang: str = "id") -> list[tuple[str, Any, list]]:
    """The steps the letter's link may record, each as (name, label, form fields) from the step's own typed input
    (casework.road.inputs.form_fields): the public page draws the desk's form, not a second one."""
    from casework.road.inputs import form_fields
    from casework.road.workflow import get_command

    out = []
    for name in sorted(grant_of(letter).steps):
        command = get_command(name)
        out.append((name, command.label.pick(lang), form_fields(command.input, lang)))
    return out


def record_follow_up(session: Session, token: str, step: str, fields: dict[str, Any], *, settings: Settings):
    """Record a follow-up step through the link — the desk's own command (casework.road.workflow.take), checked by
    the same rules, on the letter's person, attributed to the addressee; refused unless the link grants it."""
    from casework.road.workflow import take

    link, letter, principal = open_link(session, token)
    case = session.get(Case, letter.case_id)
    person = next((p for p in case.reported if p.id == letter.reported_asn_id), None)
    if step not in principal.link.steps or person is None:
        raise NotFound("link.not_found")
    taken = take(session, step, case_number=case.number, principal=principal, expected_version=None,
                 fields=fields, track=person.nip, settings=settings)
    audit.record(session, actor=principal.username, action="letter_link.follow_up", entity="letter",
                 entity_id=letter.id, case_id=case.id, after={"number": letter.number, "link": link.id,
                                                              "step": step, "track": person.nip})
    return taken


def _restart_deadlines(session: Session, case: Case, letter: Letter, received_on: date, at: datetime) -> list[str]:
    """The addressee's open deadlines that count from receipt start again from the day received, when that is
    later than the day they were started (the forward's day)."""
    rule_ids = policy().get("restarts", {}).get(letter.kind, [])
    if not rule_ids:
        return []
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.status == "open",
                                  Deadline.rule_id.in_(rule_ids), Deadline.starts_on < received_on)
    if letter.reported_asn_id is not None:
        stmt = stmt.where(Deadline.reported_asn_id == letter.reported_asn_id)
    out = []
    for old in session.scalars(stmt.order_by(Deadline.id)).all():
        new = restart(session, case, old, get_rule(old.rule_id), received_on, at)
        out.append(f"{old.rule_id}: {old.due_date.isoformat()} -> {new.due_date.isoformat()}")
    return out


def link_state(session: Session, letter_id: int) -> dict[str, Any] | None:
    """What the case page says of a letter's link: made, opened, confirmed (by whom, received when), revoked."""
    link = latest_link(session, letter_id)
    if link is None:
        return None
    now = utcnow()
    return {"id": link.id, "uses": link.uses or 0, "opened": link.opened_at is not None,
            "acknowledged": link.acknowledged_at is not None, "acknowledged_by": link.acknowledged_by,
            "acknowledged_position": link.acknowledged_position,
            "acknowledged_on": link.acknowledged_on.isoformat() if link.acknowledged_on else None,
            "live": link.revoked_at is None and link.expires_at > now,
            "expires_on": link.expires_at.date().isoformat()}
