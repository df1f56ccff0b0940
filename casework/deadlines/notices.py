"""Reminders before a deadline, overdue notices after it, and each office's daily digest (rules/notices.toml).

Every open deadline carries `next_notice_at`: the next moment it owes someone an email. The sweep finds all
deadlines whose moment has come with one range query on the (status, next_notice_at) index — its cost follows the
number of notices due, not the number of open cases — queues each notice in the outbox under a key naming
(deadline, kind, moment), and moves `next_notice_at` on. A sweep that was down sends only the latest notice owed,
never a backlog; a sweep run twice queues nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casework.access.principal import SYSTEM
from casework.mail import outbox

from casework.road import workflow
from casework.i18n.dates import indonesian_day_date, local_moment
from casework.adapters.db import transaction
from casework.deadlines.engine import get_rule
from casework.errors import CaseworkError
from casework.models import Case, Deadline, Letter, Office, ReportedASN, User, utcnow
from casework.deadlines.schedule import owed, policy, stall_of
from casework.settings import Settings
from casework.road.stages import TERMINAL_STAGES, TrackStage, label
from casework.reference.timezones import local_today, zoneinfo
from casework.webhooks.events import emit

EMAIL_TEMPLATES = Path(__file__).resolve().parent.parent / "mail" / "templates"


# --- who hears about it -------------------------------------------------------------------------------------------
def _users(session: Session, role: str, **scope: int | None) -> list[str]:
    stmt = select(User.email).where(User.is_active.is_(True), User.email != "",
                                    User.roles.any(code=role))
    for column, value in scope.items():
        stmt = stmt.where(getattr(User, column) == value)
    return list(session.scalars(stmt.order_by(User.id)))


def audience(session: Session, case: Case, person: ReportedASN | None, groups: list[str],
             letter: Letter | None = None) -> list[str]:
    out: list[str] = []
    for group in groups:
        if group == "addressee" and letter is not None:  # a letter's addressee, by the letter's own addresses
            from casework.mail.correspondence import letter_recipients
            out += letter_recipients(session, case, letter)
        elif group == "handlers":
            out += _users(session, "bawaslu_handler", office_id=case.office_id)
        elif group == "office":
            out.append(case.office.email)
        elif group == "parent_office" and case.office.parent is not None:
            out += [case.office.parent.email, *_users(session, "bawaslu_handler", office_id=case.office.parent_id)]
        elif group == "oversight_body":
            people = [person] if person else case.reported
            for body in {p.oversight_body for p in people if p.oversight_body}:
                out += [body.email, *_users(session, "oversight_officer", oversight_body_id=body.id)]
        elif group == "agency":
            people = [person] if person else case.reported
            for agency in {p.agency for p in people}:
                out += [agency.personnel_unit_email, *_users(session, "bkpsdm_officer", agency_id=agency.id)]
    return [a for a in dict.fromkeys(out) if a]


# --- the email text -----------------------------------------------------------------------------------------------
@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(EMAIL_TEMPLATES), autoescape=False, keep_trailing_newline=True,
                       trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> tuple[str, str]:
    """(subject, body): a template's first line is the subject."""
    text = _env().get_template(template).render(**context)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.lstrip("\n")


def case_url(case: Case, settings: Settings) -> str:
    return f"{settings.base_url.rstrip('/')}/kasus/{case.number}"


def deadline_context(case: Case, deadline: Deadline, settings: Settings) -> dict[str, Any]:
    rule = get_rule(deadline.rule_id)
    person = next((p for p in case.reported if p.id == deadline.reported_asn_id), None)
    stage = label(person.track_stage) if person and person.track_stage else label(case.stage)
    local_due = deadline.due_at.astimezone(zoneinfo(deadline.timezone))
    return {"case": case, "person": person, "stage": stage, "rule": rule,
            "basis": "batas hukum" if rule.basis == "statute" else "target kebijakan",
            "due": f"{indonesian_day_date(local_due.date())} pukul {local_due:%H.%M} {deadline.timezone}",
            "url": case_url(case, settings), "office": case.office}


# --- the sweep ----------------------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    looked_at: int = 0
    queued: int = 0
    escalated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"looked_at": self.looked_at, "queued": self.queued, "escalated": self.escalated}


OUTLIVE_THE_CASE = ("criminal.", "appeal.")


def due_deadline_ids(session: Session, now: datetime, limit: int) -> list[int]:
    """The one indexed query: open deadlines whose next notice moment has come."""
    return list(session.scalars(select(Deadline.id)
                                .where(Deadline.status == "open", Deadline.next_notice_at <= now)
                                .order_by(Deadline.next_notice_at).limit(limit)))


def sweep(factory: sessionmaker[Session], *, settings: Settings, now: datetime | None = None,
          limit: int = 2000) -> SweepResult:
    """Queue every reminder and overdue notice due by `now`; escalate PPKs who let their deadline pass."""
    now = now or utcnow()
    with factory() as session:
        ids = due_deadline_ids(session, now, limit)
    result = SweepResult(looked_at=len(ids))
    for deadline_id in ids:  # one short transaction each: a failure on one case never holds up the others
        with transaction(factory) as session:
            _notice_one(session, deadline_id, now, settings, result)
    return result


def _notice_one(session: Session, deadline_id: int, now: datetime, settings: Settings, result: SweepResult) -> None:
    deadline = session.get(Deadline, deadline_id, with_for_update=True)
    if deadline is None or deadline.status != "open" or deadline.next_notice_at is None \
            or deadline.next_notice_at > now:
        return  # another sweep got here first
    case = session.get(Case, deadline.case_id)
    # a case that ended owes no more notices — except for what outlives its neutrality outcome: a criminal part
    # with the police, an objection or appeal against a decree
    if case.stage in TERMINAL_STAGES and not deadline.rule_id.startswith(OUTLIVE_THE_CASE):
        deadline.next_notice_at = None
        return
    rule = get_rule(deadline.rule_id)
    notice, following = owed(rule, deadline.due_date, deadline.timezone, now)
    stall = stall_of(rule.id)
    groups = policy()["stalls"][stall]
    if notice is not None and notice.kind == "overdue" and stall == "agency" and groups.get("system_escalation"):
        result.escalated += _escalate(session, case, deadline, now)
    if notice is not None:
        person = session.get(ReportedASN, deadline.reported_asn_id) if deadline.reported_asn_id else None
        if notice.kind == "overdue":  # its first overdue notice is the moment it was missed (once: the event's id)
            emit(session, "deadline.missed", case, event_id=f"missed:{deadline.id}", person=person, at=now,
                 criminal=deadline.rule_id.startswith("criminal."),  # hidden as the case page hides it
                 data={"rule": deadline.rule_id, "label": deadline.explanation.get("label", deadline.rule_id),
                       "due_date": deadline.due_date.isoformat(), "person": person.id if person else None})
        letter = session.get(Letter, deadline.letter_id) if deadline.letter_id else None
        template = "reminder.txt" if notice.kind == "reminder" else "overdue.txt"
        context = deadline_context(case, deadline, settings)
        if letter is not None and notice.kind == "reminder":  # the addressee is reminded with the letter's link
            template, context = "ack_reminder.txt", {**context, **_letter_context(session, letter, settings)}
        subject, body = render(template, notice=notice, **context)
        purpose = "letter.link_reminder" if template == "ack_reminder.txt" else notice.kind  # scrubbed once sent
        queued = outbox.queue(session, dedup_key=f"notice:{deadline.id}:{notice.key_part}", purpose=purpose,
                              recipients=audience(session, case, person, groups["remind" if notice.kind == "reminder"
                                                                                else "overdue"], letter),
                              subject=subject, body=body, case_id=case.id)
        result.queued += queued is not None
    deadline.next_notice_at = following if deadline.status == "open" else None


def _letter_context(session: Session, letter: Letter, settings: Settings) -> dict[str, Any]:
    from casework.letters.links import live_link, url_of

    link = live_link(session, letter.id)
    return {"letter": letter, "link_url": url_of(link, settings) if link is not None else None}


def _escalate(session: Session, case: Case, deadline: Deadline, now: datetime) -> int:
    """Take the next step of the PPK escalation ladder as the system (it stops this deadline and starts the next)."""
    person = session.get(ReportedASN, deadline.reported_asn_id) if deadline.reported_asn_id else None
    if person is None or person.track_stage != TrackStage.AGENCY_FOLLOW_UP:
        return 0
    try:
        with session.begin_nested():
            workflow.execute(session, "escalate", case_number=case.number, principal=SYSTEM, expected_version=None,
                             at=now, track=person.nip,
                             fields={"note": "Eskalasi otomatis: batas waktu tindak lanjut PPK terlampaui"})
    except CaseworkError:  # the ladder is exhausted: the overdue notices go on
        return 0
    return 1


# --- the daily digest ---------------------------------------------------------------------------------------------
def digest_due(office: Office, now: datetime) -> date | None:
    """The office's local date if its digest time has come today, else None."""
    zone = office.timezone
    local = now.astimezone(zoneinfo(zone))
    return local.date() if local.time() >= time.fromisoformat(policy()["digest_time"]) else None


def queue_digests(factory: sessionmaker[Session], *, settings: Settings, now: datetime | None = None) -> int:
    """Once per office and local day: what is due today, what is overdue, what waits at another institution."""
    now = now or utcnow()
    with factory() as session:
        office_ids = list(session.scalars(select(Case.office_id).where(Case.stage.not_in(TERMINAL_STAGES))
                                          .group_by(Case.office_id)))
    queued = 0
    for office_id in office_ids:
        with transaction(factory) as session:
            office = session.get(Office, office_id)
            today = digest_due(office, now)
            if today is None:
                continue
            key = f"digest:{office.code}:{today.isoformat()}"
            if outbox.already_queued(session, key):
                continue
            context = digest_context(session, office, today, now, settings)
            subject, body = render("digest.txt", **context)
            queued += outbox.queue(session, dedup_key=key, purpose="digest",
                                   recipients=[office.email, *_users(session, "bawaslu_handler",
                                                                     office_id=office.id)],
                                   subject=subject, body=body) is not None
    return queued


def digest_context(session: Session, office: Office, today: date, now: datetime,
                   settings: Settings) -> dict[str, Any]:
    rows = session.execute(
        select(Case, Deadline).join(Deadline, Deadline.case_id == Case.id)
        .where(Case.office_id == office.id, Case.stage.not_in(TERMINAL_STAGES), Deadline.status == "open")
        .order_by(Deadline.due_at)).all()
    due_today, overdue, elsewhere = [], [], []
    for case, deadline in rows:
        item = {"number": case.number, "stage": label(case.stage), "rule": get_rule(deadline.rule_id).label_id,
                "due": local_moment(deadline.due_at, deadline.timezone), "url": case_url(case, settings)}
        if deadline.due_at < now:
            overdue.append(item)
        elif local_today(deadline.timezone, deadline.due_at) == today:
            due_today.append(item)
        if stall_of(deadline.rule_id) != "bawaslu":
            elsewhere.append({**item, "at": "KASN/BKN" if stall_of(deadline.rule_id) == "oversight" else "PPK"})
    open_cases = session.scalar(select(func.count()).select_from(Case).where(
        Case.office_id == office.id, Case.stage.not_in(TERMINAL_STAGES)))
    return {"office": office, "today": indonesian_day_date(today), "due_today": due_today, "overdue": overdue,
            "elsewhere": elsewhere, "open_cases": open_cases, "desk": settings.base_url.rstrip("/") + "/"}
