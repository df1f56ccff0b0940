"""Deadlines as rows: started and stopped by the workflow commands, recomputed with the old one kept in history."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.deadlines import Rule, compute
from casework.models import Case, Deadline, ReportedASN, utcnow
from casework.notice_schedule import first_notice_at


def office_timezone(case: Case) -> str:
    """Deadlines end in the handling office's time zone (domain.md §4)."""
    return case.office.province.timezone


def start_deadline(session: Session, case: Case, rule: Rule, start: date, *,
                   person: ReportedASN | None = None, at: datetime | None = None) -> Deadline:
    """`at` is the moment of the event that starts it: reminders whose moment is already past are not owed."""
    computed = compute(rule, start, office_timezone(case))
    deadline = Deadline(case_id=case.id, reported_asn_id=person.id if person else None, rule_id=rule.id,
                        starts_on=start, due_date=computed.due_date, due_at=computed.due_at,
                        timezone=computed.timezone, basis=rule.basis, status="open",
                        explanation=computed.explanation(),
                        next_notice_at=first_notice_at(rule, computed.due_date, computed.timezone, at or utcnow()))
    session.add(deadline)
    session.flush()
    return deadline


def open_deadlines(session: Session, case: Case, *, person: ReportedASN | None = None,
                   rule_ids: Iterable[str] | None = None, any_person: bool = False) -> list[Deadline]:
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.status == "open")
    if not any_person:
        stmt = stmt.where(Deadline.reported_asn_id == person.id if person else Deadline.reported_asn_id.is_(None))
    if rule_ids is not None:
        stmt = stmt.where(Deadline.rule_id.in_(list(rule_ids)))
    return list(session.scalars(stmt.order_by(Deadline.id)))


def stop(deadlines: Iterable[Deadline], at: datetime, *, status: str | None = None) -> list[Deadline]:
    """Close deadlines: met if the event came in time, missed if late (or the given status, e.g. cancelled)."""
    closed = []
    for deadline in deadlines:
        deadline.status = status or ("met" if at <= deadline.due_at else "missed")
        deadline.closed_at = at
        closed.append(deadline)
    return closed


def supersede(session: Session, case: Case, old: Deadline, rule: Rule, at: datetime) -> Deadline:
    """Replace `old` by the same start under another rule (e.g. the extended study); the old row stays as history."""
    new = start_deadline(session, case, rule, old.starts_on,
                         person=session.get(ReportedASN, old.reported_asn_id) if old.reported_asn_id else None)
    old.status, old.closed_at, old.superseded_by_id = "superseded", at, new.id
    return new
