"""'Tugas saya' (my work): the visible cases on which this user can take a step now, nearest deadline first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session, selectinload

from casework.access.principal import Principal, Role
from casework.access.scope import acts_on_case, acts_on_person, deadline_scope, visible_cases
from casework.models import Case, Deadline, ReportedASN, utcnow
from casework.road.stages import TERMINAL_STAGES, label
from casework.reference.timezones import local_today
from casework.road.workflow import COMMANDS, available_steps


@dataclass(frozen=True)
class WorkItem:
    number: str
    summary: str
    stage: str
    stage_label: str
    regency: str
    steps: tuple[str, ...]  # labels of the steps this user may take
    due_date: date | None
    due_at: datetime | None
    timezone: str
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def waiting_clause(principal: Principal):
    """WHERE clause on Case: a step of the command table waits on `principal` — a case step at its stage in a
    case they act on, or a track step at a person's track stage for a person they act on (the access module's
    rules as SQL, casework.access.scope)."""
    clauses = []
    for cmd in COMMANDS.values():
        if cmd.optional:  # offered, but nobody waits for it
            continue
        for code in cmd.roles & principal.role_codes:
            role = Role(code)
            if cmd.on_track:
                at_stage = ReportedASN.criminal_stage.in_(cmd.criminal_stages) if cmd.criminal_stages \
                    else ReportedASN.track_stage.in_(cmd.track_stages)
                clauses.append(and_(Case.stage.in_(cmd.stages), exists().where(
                    ReportedASN.case_id == Case.id, at_stage, acts_on_person(principal, role))))
            else:
                clauses.append(and_(Case.stage.in_(cmd.stages - set(TERMINAL_STAGES)), acts_on_case(principal, role)))
    return or_(*clauses) if clauses else false()


def my_work(session: Session, principal: Principal, *, now: datetime | None = None, lang: str = "id",
            limit: int = 100) -> list[WorkItem]:
    """Selected and ordered in SQL (only cases with a step for this user's roles, nearest open deadline first),
    so the page costs the same whether the office has a hundred cases or a hundred thousand."""
    now = now or utcnow()
    waiting = waiting_clause(principal)
    if waiting is false():
        return []
    # cases.next_due_at (kept with the deadlines, casework.deadlines.records) is indexed with the regency: a
    # kab/kota handler's page reads the index in order and stops at `limit`, however many cases are in scope
    cases = session.scalars(
        visible_cases(principal).where(waiting)
        .order_by(Case.next_due_at.asc().nulls_last(), Case.number).limit(limit)
        .options(selectinload(Case.reported).selectinload(ReportedASN.agency), selectinload(Case.regency),
                 selectinload(Case.office))).all()
    ids = [case.id for case in cases]
    nearest: dict[int, Deadline] = {}
    for deadline in session.scalars(select(Deadline).where(Deadline.case_id.in_(ids), Deadline.status == "open",
                                                           deadline_scope(principal))
                                    .order_by(Deadline.due_at)) if ids else ():
        nearest.setdefault(deadline.case_id, deadline)
    items = []
    for case in cases:
        steps = [offer.command for offer in available_steps(case, principal) if not offer.command.optional]
        if not steps:
            continue
        deadline = nearest.get(case.id)
        zone = case.office.timezone
        days = (deadline.due_date - local_today(zone, now)).days if deadline else None
        items.append(WorkItem(case.number, case.summary, case.stage, label(case.stage, lang), case.regency.name,
                              tuple(c.label.pick(lang) for c in steps), deadline.due_date if deadline else None,
                              deadline.due_at if deadline else None, zone, days))
    return items
