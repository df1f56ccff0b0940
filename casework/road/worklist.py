"""'Tugas saya' (my work): the visible cases on which this user can take a step now, nearest deadline first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from casework.models import Case, Deadline, ReportedASN, User, utcnow
from casework.access.scope import actor_for, visible_cases
from casework.road.stages import TERMINAL_STAGES, Stage, label
from casework.reference.timezones import local_today
from casework.road.workflow import COMMANDS, available_commands


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


def actionable(actor) -> tuple[set[str], set[str]]:
    """The case stages and track stages at which `actor` has some step (from the command table)."""
    case_stages, track_stages = set(), set()
    for cmd in COMMANDS.values():
        if actor.roles & cmd.roles:
            if cmd.on_track:
                track_stages |= cmd.track_stages
            else:
                case_stages |= cmd.stages
    return case_stages, track_stages


def my_work(session: Session, user: User, *, now: datetime | None = None, lang: str = "id",
            limit: int = 100) -> list[WorkItem]:
    """Selected and ordered in SQL (only cases with a step for this user's roles, nearest open deadline first),
    so the page costs the same whether the office has a hundred cases or a hundred thousand."""
    now = now or utcnow()
    actor = actor_for(user)
    case_stages, track_stages = actionable(actor)
    if not case_stages and not track_stages:
        return []
    waiting = [Case.stage.in_(case_stages - set(TERMINAL_STAGES))]
    if track_stages:
        waiting.append(and_(Case.stage == Stage.FORWARDED, exists().where(
            ReportedASN.case_id == Case.id, ReportedASN.track_stage.in_(track_stages))))
    # cases.next_due_at (kept with the deadlines, casework.deadlines.records) is indexed with the regency: a
    # kab/kota handler's page reads the index in order and stops at `limit`, however many cases are in scope
    cases = session.scalars(
        visible_cases(user).where(or_(*waiting))
        .order_by(Case.next_due_at.asc().nulls_last(), Case.number).limit(limit)
        .options(selectinload(Case.reported).selectinload(ReportedASN.agency), selectinload(Case.regency),
                 selectinload(Case.office))).all()
    ids = [case.id for case in cases]
    nearest: dict[int, Deadline] = {}
    for deadline in session.scalars(select(Deadline).where(Deadline.case_id.in_(ids), Deadline.status == "open")
                                    .order_by(Deadline.due_at)) if ids else ():
        nearest.setdefault(deadline.case_id, deadline)
    items = []
    for case in cases:
        steps = available_commands(case, actor)
        if not steps:
            continue
        deadline = nearest.get(case.id)
        zone = case.office.province.timezone
        days = (deadline.due_date - local_today(zone, now)).days if deadline else None
        items.append(WorkItem(case.number, case.summary, case.stage, label(case.stage, lang), case.regency.name,
                              tuple(c.label.pick(lang) for c in steps), deadline.due_date if deadline else None,
                              deadline.due_at if deadline else None, zone, days))
    return items
