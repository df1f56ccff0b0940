"""Deadlines as rows: started and stopped by the workflow commands, recomputed with the old one kept in history.

Each case also carries `next_due_at`, the earliest due moment among its open deadlines, kept here in the same
transaction as the deadlines themselves, so "Tugas saya" orders a regency's cases by an indexed column instead of
a min() over the deadlines of every case in scope.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from casework.deadlines.engine import Rule, compute
from casework.models import Case, Deadline, ReportedASN, utcnow
from casework.deadlines.schedule import first_notice_at


def office_timezone(case: Case) -> str:
    """Deadlines end in the handling office's time zone (domain.md §4)."""
    return case.office.timezone


def start_deadline(session: Session, case: Case, rule: Rule, start: date, *,
                   person: ReportedASN | None = None, at: datetime | None = None,
                   start_at: datetime | None = None) -> Deadline:
    """`at` is when the event that starts it is recorded: reminders whose moment is already past are not owed.
    `start_at` the event's own moment, for a rule that counts hours from it."""
    computed = compute(rule, start, office_timezone(case), start_at=start_at)
    deadline = Deadline(case_id=case.id, reported_asn_id=person.id if person else None, rule_id=rule.id,
                        starts_on=start, due_date=computed.due_date, due_at=computed.due_at,
                        timezone=computed.timezone, basis=rule.basis, status="open",
                        explanation=computed.explanation(),
                        next_notice_at=first_notice_at(rule, computed.due_date, computed.timezone, at or utcnow()))
    session.add(deadline)
    session.flush()
    if case.next_due_at is None or deadline.due_at < case.next_due_at:
        _set_next_due(session, case.id, deadline.due_at)
    return deadline


def _set_next_due(session: Session, case_id: int, due: datetime | None) -> None:
    """A plain UPDATE, not a change of the case through the ORM: next_due_at is derived, so neither the case's
    version (which the Airflow runs watch for decisions, and the desk for stale forms) nor updated_at move."""
    session.execute(update(Case).where(Case.id == case_id).values(next_due_at=due, updated_at=Case.updated_at)
                    .execution_options(synchronize_session=False))
    case = session.identity_map.get(session.identity_key(Case, case_id))
    if case is not None:
        set_committed_value(case, "next_due_at", due)


def refresh_next_due(session: Session, case_id: int) -> None:
    """Recompute a case's next_due_at from its open deadlines (after one was closed or replaced)."""
    due = session.scalar(select(func.min(Deadline.due_at))
                         .where(Deadline.case_id == case_id, Deadline.status == "open"))
    _set_next_due(session, case_id, due)


def open_deadlines(session: Session, case: Case, *, person: ReportedASN | None = None,
                   rule_ids: Iterable[str] | None = None, any_person: bool = False) -> list[Deadline]:
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.status == "open")
    if not any_person:
        stmt = stmt.where(Deadline.reported_asn_id == person.id if person else Deadline.reported_asn_id.is_(None))
    if rule_ids is not None:
        stmt = stmt.where(Deadline.rule_id.in_(list(rule_ids)))
    return list(session.scalars(stmt.order_by(Deadline.id)))


def stop(deadlines: Iterable[Deadline], at: datetime, *, status: str | None = None,
         on: date | None = None) -> list[Deadline]:
    """Close deadlines: met if the event came in time, missed if late (or the given status, e.g. cancelled).
    `on` is the day the act happened when it was recorded later (`at` is when it was recorded): a plenary held
    on the due day and typed in two days later met its deadline."""
    closed = []
    for deadline in deadlines:
        in_time = on <= deadline.due_date if on is not None else at <= deadline.due_at
        deadline.status = status or ("met" if in_time else "missed")
        deadline.closed_at = at
        closed.append(deadline)
    for case_id in dict.fromkeys(d.case_id for d in closed):
        refresh_next_due(object_session(closed[0]), case_id)
    return closed


def supersede(session: Session, case: Case, old: Deadline, rule: Rule, at: datetime) -> Deadline:
    """Replace `old` by the same start under another rule (e.g. the extended study); the old row stays as history."""
    new = start_deadline(session, case, rule, old.starts_on,
                         person=session.get(ReportedASN, old.reported_asn_id) if old.reported_asn_id else None)
    old.status, old.closed_at, old.superseded_by_id = "superseded", at, new.id
    refresh_next_due(session, case.id)
    return new


def restart(session: Session, case: Case, old: Deadline, rule: Rule, start: date, at: datetime) -> Deadline:
    """The same rule counted again from a later start (the day an addressee confirmed receipt of a forward,
    casework.letters.links); the old row stays as history, superseded by the new one."""
    new = start_deadline(session, case, rule, start,
                         person=session.get(ReportedASN, old.reported_asn_id) if old.reported_asn_id else None,
                         at=at)
    old.status, old.closed_at, old.superseded_by_id = "superseded", at, new.id
    refresh_next_due(session, case.id)
    return new
