"""Who sees which cases and which people on them, in the two forms the code needs: SQL clauses for queries over
many cases (the list, search, counts, exports, dashboards, Tugas saya) and Python predicates for one loaded case
(the case page, a download, a command). They sit side by side so they cannot drift, and tests/test_access.py
checks them equal for every demo case and principal.

Netra's policy (docs/security.md):
- Bawaslu (handler, head): RI sees every case; a provinsi office its province's; a kab/kota office its regency's.
- Oversight officer: the cases forwarded to their body, with every reported ASN on them.
- BKPSDM officer: only their own agency's employees, once the oversight body referred them to the agency — on a
  case shared with other agencies they see their own employee and nothing of the others.
- Auditor: everything, read-only. System administrator: no case content at all.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from casework.access.principal import BAWASLU, CRIMINAL_READERS, OfficeRef, Principal, Role
from casework.models import Agency, Case, Deadline, InformationItem, Regency, ReportedASN
from casework.road.nip import normalize_nip

EVERYTHING = frozenset({Role.AUDITOR, Role.SYSTEM, Role.OPERATOR})


# --- an office's area ---------------------------------------------------------------------------------------------
def area_clause(office: OfficeRef, regency_code) -> ColumnElement[bool]:
    """`regency_code` (a column) lies in the office's area."""
    if office.kind == "bawaslu_ri":
        return true()
    if office.kind == "bawaslu_provinsi":
        return regency_code.in_(select(Regency.code).where(Regency.province_code == office.province_code))
    return regency_code == office.regency_code if office.regency_code else false()


def in_area(office: OfficeRef, regency: Regency) -> bool:
    if office.kind == "bawaslu_ri":
        return True
    if office.kind == "bawaslu_provinsi":
        return regency.province_code == office.province_code
    return office.regency_code is not None and regency.code == office.regency_code


def region_in_area(office: OfficeRef, region_code: str) -> bool:
    """A region by its code — a province (2 digits) or a regency (4) — lies in the office's area: everything for
    Bawaslu RI; a province and its regencies for a provincial office; its own regency for a kab/kota office. A
    Panwaslu (kecamatan, abroad) has no region of its own here: it carries its regency's or Jakarta's code only to
    place it, not to speak for the regency (the regions' figures are the Bawaslu offices')."""
    if office.kind == "bawaslu_ri":
        return True
    if office.kind == "bawaslu_provinsi":
        return region_code[:2] == office.province_code
    if office.kind == "bawaslu_kabkota":
        return office.regency_code is not None and region_code == office.regency_code
    return False


# --- SQL ----------------------------------------------------------------------------------------------------------
def _whole_case_clause(p: Principal) -> ColumnElement[bool]:
    """The cases `p` sees whole (every reported ASN on them)."""
    if p.roles & EVERYTHING:
        return true()
    conditions = []
    if p.roles & BAWASLU and p.office is not None:
        conditions.append(area_clause(p.office, Case.regency_code))
    if Role.OVERSIGHT_OFFICER in p.roles and p.oversight_body_id:
        conditions.append(exists().where(ReportedASN.case_id == Case.id,
                                         ReportedASN.oversight_body_id == p.oversight_body_id))
    return _any(conditions)


def _any(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """OR, keeping the constants true()/false() recognisable (`is true()`) so callers can skip a clause."""
    if any(c is true() for c in conditions):
        return true()
    conditions = [c for c in conditions if c is not false()]
    return false() if not conditions else conditions[0] if len(conditions) == 1 else or_(*conditions)


def _own_employee(p: Principal) -> ColumnElement[bool] | None:
    """A BKPSDM officer's view of one reported ASN: their agency's, once referred to it."""
    if Role.BKPSDM_OFFICER in p.roles and p.agency_id:
        return and_(ReportedASN.agency_id == p.agency_id, ReportedASN.referred_to_agency_at.is_not(None))
    return None


def case_scope(p: Principal) -> ColumnElement[bool]:
    """WHERE clause on Case: the cases `p` may know exist."""
    whole = _whole_case_clause(p)
    own = _own_employee(p)
    if own is None:
        return whole
    return _any([whole, exists().where(ReportedASN.case_id == Case.id, own)])


def person_scope(p: Principal) -> ColumnElement[bool]:
    """WHERE clause on ReportedASN: the reported ASN `p` may see (of any case)."""
    whole = _whole_case_clause(p)
    own = _own_employee(p)
    if own is None:
        return true() if whole is true() else ReportedASN.case_id.in_(select(Case.id).where(whole))
    if whole is true():
        return true()
    if whole is false():
        return own
    return or_(own, ReportedASN.case_id.in_(select(Case.id).where(whole)))


def deadline_scope(p: Principal) -> ColumnElement[bool]:
    """WHERE clause on Deadline: a case's own deadlines, and the tracks' deadlines of the people `p` sees (so an
    'overdue' filter cannot tell a BKPSDM officer about another agency's employee)."""
    people = person_scope(p)
    if people is true():
        return true()
    # nor about a person's criminal part, which only Bawaslu (and whoever reads everything) sees
    criminal = true() if p.roles & CRIMINAL_READERS else Deadline.rule_id.not_like("criminal.%")
    return and_(criminal, or_(Deadline.reported_asn_id.is_(None),
                              Deadline.reported_asn_id.in_(select(ReportedASN.id).where(people))))


def acts_on_case(p: Principal, role: Role) -> ColumnElement[bool]:
    """WHERE clause on Case: where `p`, in `role`, takes the case's own steps (policy.decide's rule, as SQL)."""
    if role not in p.roles:
        return false()
    if role is Role.SYSTEM:
        return true()
    if role in BAWASLU and p.office is not None:
        return Case.office_id == p.office.id
    return false()


def acts_on_person(p: Principal, role: Role) -> ColumnElement[bool]:
    """WHERE clause on ReportedASN: the people on whose track `p`, in `role`, takes steps."""
    if role not in p.roles:
        return false()
    if role is Role.SYSTEM:
        return true()
    if role in BAWASLU and p.office is not None:
        return ReportedASN.case_id.in_(select(Case.id).where(Case.office_id == p.office.id))
    if role is Role.OVERSIGHT_OFFICER and p.oversight_body_id:
        return ReportedASN.oversight_body_id == p.oversight_body_id
    own = _own_employee(p) if role is Role.BKPSDM_OFFICER else None
    return own if own is not None else false()


def visible_cases(p: Principal) -> Select:
    """select(Case) limited to what `p` may see; add filters, ordering and paging to it."""
    return select(Case).where(case_scope(p))


def find_visible_case(session: Session, p: Principal, number: str) -> Case | None:
    """The case if `p` may see it; None otherwise — the caller answers 404 either way, never 403 with a hint."""
    return session.scalar(visible_cases(p).where(Case.number == number))


def search_clause(p: Principal, term: str) -> ColumnElement[bool]:
    """The desk's search box: a case number or a full NIP exactly, otherwise a substring of the case number, a
    reported person's name or NIP, or their agency. People are matched only among those `p` may see, so a search
    never tells whether someone else's employee is on a shared case."""
    term = term.strip()
    people = person_scope(p)
    nip = normalize_nip(term)
    if len(nip) == 18 and nip.isdigit():
        # IN (subquery), not a correlated EXISTS: the planner resolves the NIP by its index once
        return Case.id.in_(select(ReportedASN.case_id).where(ReportedASN.nip == nip, people))
    like = f"%{term.lower()}%"
    person = exists().where(ReportedASN.case_id == Case.id, people, or_(
        func.lower(ReportedASN.name).like(like), ReportedASN.nip.like(like),
        ReportedASN.agency_id.in_(select(Agency.id).where(func.lower(Agency.name).like(like)))))
    return or_(func.lower(Case.number).like(like), person)


# --- Python, for one loaded case ----------------------------------------------------------------------------------
def sees_whole_case(p: Principal, case: Case) -> bool:
    if p.roles & EVERYTHING:
        return True
    if p.roles & BAWASLU and p.office is not None and in_area(p.office, case.regency):
        return True
    return Role.OVERSIGHT_OFFICER in p.roles and p.oversight_body_id is not None and any(
        person.oversight_body_id == p.oversight_body_id for person in case.reported)


def is_own_employee(p: Principal, person: ReportedASN) -> bool:
    return (Role.BKPSDM_OFFICER in p.roles and p.agency_id is not None and person.agency_id == p.agency_id
            and person.referred_to_agency_at is not None)


def sees_case(p: Principal, case: Case) -> bool:
    return sees_whole_case(p, case) or any(is_own_employee(p, person) for person in case.reported)


def sees_person(p: Principal, case: Case, person: ReportedASN) -> bool:
    return sees_whole_case(p, case) or is_own_employee(p, person)


def visible_people(p: Principal, case: Case) -> list[ReportedASN]:
    whole = sees_whole_case(p, case)
    return [person for person in case.reported if whole or is_own_employee(p, person)]


def sees_every_person(p: Principal, case: Case) -> bool:
    """Whether nothing of the case is hidden from `p`: needed for what names everyone (case-wide letters,
    evidence files)."""
    return sees_whole_case(p, case) or bool(case.reported) and all(is_own_employee(p, x) for x in case.reported)


def role_codes(user) -> set[str]:
    """A user row's role codes (the account pages read them; access decisions take a Principal)."""
    return {role.code for role in user.roles}


def information_scope(p: Principal) -> ColumnElement[bool]:
    """The inbox items `p` may see: the SQL of Action.TRIAGE_INFORMATION (casework.access.policy._triage) — their
    own office's, and for Bawaslu RI's handlers what reached no office."""
    if Role.BAWASLU_HANDLER not in p.roles or p.office is None:
        return false()
    own = InformationItem.office_id == p.office_id
    return or_(own, InformationItem.office_id.is_(None)) if p.office.kind == "bawaslu_ri" else own
