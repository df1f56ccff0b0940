"""'Tugas saya' (my work): the visible cases on which this user can take a step now, nearest deadline first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework.models import Case, Deadline, ReportedASN, User, utcnow
from casework.scoping import actor_for, visible_cases
from casework.stages import TERMINAL_STAGES, label
from casework.timezones import local_today
from casework.workflow import available_commands


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


def my_work(session: Session, user: User, *, now: datetime | None = None, lang: str = "id") -> list[WorkItem]:
    now = now or utcnow()
    actor = actor_for(user)
    cases = session.scalars(
        visible_cases(user).where(Case.stage.not_in(list(TERMINAL_STAGES)))
        .options(selectinload(Case.reported).selectinload(ReportedASN.agency), selectinload(Case.regency),
                 selectinload(Case.office))).all()
    open_deadlines: dict[int, Deadline] = {}
    ids = [c.id for c in cases]
    for deadline in session.scalars(select(Deadline).where(Deadline.case_id.in_(ids), Deadline.status == "open")
                                    .order_by(Deadline.due_at)) if ids else ():
        open_deadlines.setdefault(deadline.case_id, deadline)
    items = []
    for case in cases:
        steps = available_commands(case, actor)
        if not steps:
            continue
        deadline = open_deadlines.get(case.id)
        zone = case.office.province.timezone
        days = (deadline.due_date - local_today(zone, now)).days if deadline else None
        items.append(WorkItem(case.number, case.summary, case.stage, label(case.stage, lang), case.regency.name,
                              tuple(c.label.pick(lang) for c in steps), deadline.due_date if deadline else None,
                              deadline.due_at if deadline else None, zone, days))
    return sorted(items, key=lambda i: (i.due_at is None, i.due_at or now, i.number))
