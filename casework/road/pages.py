"""Pages of the lists an integrating system reads (the REST API, admin/api): the cases a principal may see, with
filters, and the deadlines across them — counted and cut in SQL, so a page of 50 costs the same at 100,000 cases.
Who sees what is casework.access.scope's, the same clauses as the desk's list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.access.principal import Principal
from casework.access.scope import case_scope, deadline_scope
from casework.models import Case, Deadline, Election, Office, Province, utcnow
from casework.reference.timezones import local_today
from casework.road.cases import CaseRow, case_rows, list_statement, rule_label


@dataclass(frozen=True)
class CaseFilter:
    """What a list narrows to (each None: any)."""

    stage: str | None = None
    regency: str | None = None  # a regency's code (4 digits)
    province: str | None = None  # a province's code (2 digits)
    election: str | None = None  # an election's code


def page_of_cases(session: Session, principal: Principal, *, filters: CaseFilter = CaseFilter(), offset: int = 0,
                  limit: int = 50, now: datetime | None = None, lang: str = "id") -> tuple[list[CaseRow], int]:
    """One page of the cases `principal` may see, in the desk list's order, and how many there are in all."""
    where = [case_scope(principal)]
    if filters.stage:
        where.append(Case.stage == filters.stage)
    if filters.regency:
        where.append(Case.regency_code == filters.regency)
    if filters.province:
        where.append(Case.regency_code.startswith(filters.province))
    if filters.election:
        where.append(Case.election_id.in_(select(Election.id).where(Election.code == filters.election)))
    total = session.scalar(select(func.count()).select_from(Case).where(*where))
    page = list_statement().where(*where).offset(offset).limit(limit)
    return case_rows(session, page, now or utcnow(), lang), total


def page_of_deadlines(session: Session, principal: Principal, *, status: str | None = None, overdue: bool = False,
                      offset: int = 0, limit: int = 50, now: datetime | None = None,
                      lang: str = "id") -> tuple[list[dict[str, Any]], int]:
    """One page of the deadlines `principal` may see across their cases, the soonest due first: a case's own, and
    those of the people on it they see (casework.access.scope.deadline_scope). `overdue`: open and past due."""
    now = now or utcnow()
    where = [case_scope(principal), deadline_scope(principal)]
    if status:
        where.append(Deadline.status == status)
    if overdue:
        where += [Deadline.status == "open", Deadline.due_at < now]
    base = (select(Deadline, Case.number, Province.timezone).join(Case, Deadline.case_id == Case.id)
            .join(Office, Case.office_id == Office.id).join(Province, Office.province_code == Province.code)
            .where(*where))
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    items = []
    for d, number, zone in session.execute(base.order_by(Deadline.due_at, Deadline.id).offset(offset).limit(limit)):
        items.append({"case": number, "rule": d.rule_id, "label": rule_label(d, lang),
                      "due_date": d.due_date.isoformat(), "status": d.status,
                      "days_left": (d.due_date - local_today(zone, now)).days if d.status == "open" else None,
                      "reported_asn_id": d.reported_asn_id})
    return items, total
