"""Who sees which cases: one query function that every path of the desk uses (list, detail, search, filters,
export, letter and evidence downloads, JSON).

- Bawaslu (handler, head): RI sees all; provinsi sees its province; kab/kota sees its regency.
- Oversight officer: the cases forwarded to their body (some reported ASN's track is with that body).
- BKPSDM officer: only cases naming an employee of their agency, and only once referred to that agency.
- Auditor: all, read-only. System administrator: no case content.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from casework.models import Case, Regency, ReportedASN, User
from casework.road.workflow import Actor

BAWASLU_ROLES = {"bawaslu_handler", "bawaslu_head"}


def role_codes(user: User) -> set[str]:
    return {role.code for role in user.roles}


def actor_for(user: User) -> Actor:
    return Actor(user.username, frozenset(role_codes(user)))


def case_scope(user: User):
    """The WHERE clause for the cases `user` may see."""
    roles = role_codes(user)
    if "auditor" in roles:
        return true()
    conditions = []
    if roles & BAWASLU_ROLES and user.office is not None:
        office = user.office
        if office.kind == "bawaslu_ri":
            return true()
        if office.kind == "bawaslu_provinsi":
            conditions.append(Case.regency_code.in_(
                select(Regency.code).where(Regency.province_code == office.province_code)))
        elif office.regency_code:
            conditions.append(Case.regency_code == office.regency_code)
    if "oversight_officer" in roles and user.oversight_body_id:
        conditions.append(exists().where(ReportedASN.case_id == Case.id,
                                         ReportedASN.oversight_body_id == user.oversight_body_id))
    if "bkpsdm_officer" in roles and user.agency_id:
        conditions.append(exists().where(ReportedASN.case_id == Case.id,
                                         ReportedASN.agency_id == user.agency_id,
                                         ReportedASN.referred_to_agency_at.is_not(None)))
    return or_(*conditions) if conditions else false()


def visible_cases(user: User) -> Select:
    """select(Case) limited to what `user` may see; add filters, ordering and paging to it."""
    return select(Case).where(case_scope(user))


def find_visible_case(session: Session, user: User, number: str) -> Case | None:
    """The case if `user` may see it; None otherwise — the caller answers 404 either way, never 403 with a hint."""
    return session.scalar(visible_cases(user).where(Case.number == number))


def may_see_reporter(user: User, case: Case) -> bool:
    """Whistle-blower protection: only the handlers of the handling office see who reported."""
    return "bawaslu_handler" in role_codes(user) and user.office_id == case.office_id


def may_see_reporters(user: User) -> bool:
    """Whether `user` can see any reporter at all: decides whether reporter fields exist for them (e.g. an
    export's reporter columns); each case is still decided by may_see_reporter."""
    return "bawaslu_handler" in role_codes(user) and user.office_id is not None


def visible_people(user: User, case: Case) -> list[ReportedASN]:
    """A BKPSDM officer sees only their own agency's referred employees; everyone else who sees the case sees all."""
    roles = role_codes(user)
    if roles == {"bkpsdm_officer"}:
        return [p for p in case.reported if p.agency_id == user.agency_id and p.referred_to_agency_at]
    return list(case.reported)


def reported_scope(user: User):
    """visible_people as a WHERE clause on ReportedASN, for queries over many cases (reports): add it to a query
    already limited to case_scope."""
    if role_codes(user) == {"bkpsdm_officer"}:
        return and_(ReportedASN.agency_id == user.agency_id, ReportedASN.referred_to_agency_at.is_not(None))
    return true()



def may_issue_letters(user: User, case: Case) -> bool:
    """Letters go out under the handling office's name: its handlers and head issue them."""
    return bool(role_codes(user) & BAWASLU_ROLES) and user.office_id == case.office_id


def may_read_letter(user: User, case: Case, recipient_kind: str) -> bool:
    """A letter addressed to the reporter names them: only those who may see the reporter may read it."""
    return recipient_kind != "reporter" or may_see_reporter(user, case)
