"""Reading cases: the list with days left, and one case in full."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from casework.access.principal import Principal
from casework.access.scope import case_scope
from casework.errors import NotFound
from casework.i18n.catalog import Text, translate
from casework.models import Case, Deadline, Letter, Office, Province, ReportedASN, utcnow
from casework.deadlines.engine import all_rules
from casework.rules import POLICY_LABEL, load, violation_catalogue
from casework.reports.reporter_status import display
from casework.road.acts import act_date
from casework.road.escalation import track_escalation
from casework.road.identifiers import kind_of
from casework.road.outcomes import plenary_decision, plenary_outcome
from casework.road.sanctions import outcome
from casework.road.stages import label
from casework.road.statuses import DeadlineBasis, DeadlineStatus, status_label
from casework.reference.timezones import local_today, zoneinfo


@dataclass(frozen=True)
class CaseRow:
    number: str
    stage: str
    stage_label: str
    regency: str
    province: str
    election: str
    received_on: date
    timezone: str
    next_due: date | None
    days_left: int | None  # negative when overdue; None when no open deadline

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "stage": self.stage, "stage_label": self.stage_label,
                "regency": self.regency, "province": self.province, "election": self.election,
                "received_on": self.received_on.isoformat(), "timezone": self.timezone,
                "next_due": self.next_due.isoformat() if self.next_due else None, "days_left": self.days_left}


def list_cases(session: Session, *, now: datetime | None = None, lang: str = "id",
               principal: Principal | None = None) -> list[CaseRow]:
    """Every case, or those `principal` may see."""
    stmt = list_statement()
    if principal is not None:
        stmt = stmt.where(case_scope(principal))
    return case_rows(session, stmt, now or utcnow(), lang)


def list_statement() -> Select:
    """The list's query: each case with its office's zone and its next open deadline, the latest received first."""
    next_due = (select(Deadline.case_id, func.min(Deadline.due_date).label("due"))
                .where(Deadline.status == "open").group_by(Deadline.case_id).subquery())
    return (select(Case, Province.timezone, next_due.c.due)
            .join(Office, Case.office_id == Office.id)
            .join(Province, Office.province_code == Province.code)
            .outerjoin(next_due, next_due.c.case_id == Case.id)
            .options(selectinload(Case.regency), selectinload(Case.election))
            .order_by(Case.received_on.desc(), Case.number))


def case_rows(session: Session, stmt: Select, now: datetime, lang: str) -> list[CaseRow]:
    rows = []
    for case, zone, due in session.execute(stmt):
        days = (due - local_today(zone, now)).days if due else None
        rows.append(CaseRow(case.number, case.stage, label(case.stage, lang), case.regency.name,
                            case.regency_code[:2], case.election.name, case.received_on, zone, due, days))
    return rows


def get_case(session: Session, number: str, *, fresh: bool = False) -> Case:
    """The case with what its page and its steps read; `fresh`: overwrite what this session already holds of it
    (read again after a row lock)."""
    stmt = (select(Case).where(Case.number == number)
            .options(selectinload(Case.reported).selectinload(ReportedASN.agency), selectinload(Case.history),
                     selectinload(Case.violations), selectinload(Case.witnesses)))
    case = session.scalar(stmt.execution_options(populate_existing=True) if fresh else stmt)
    if case is None:
        raise NotFound("case.not_found", number=number)
    return case


def case_detail(session: Session, number: str, *, lang: str = "id", now: datetime | None = None) -> dict[str, Any]:
    """One case as plain data, unfiltered (the reporter included): what a principal may see of it is
    casework.access.view.case_view's decision, which every interface uses."""
    return describe(session, get_case(session, number), lang=lang, now=now)


def rule_label(deadline: Deadline, lang: str) -> str:
    """A deadline's name as its rule says it now, in the user's language (the label kept with the deadline when
    the rule is gone)."""
    rule = all_rules().get(deadline.rule_id)
    return rule.label(lang) if rule else translate(deadline.explanation.get("label", deadline.rule_id), lang)


def _citation(deadline: Deadline, lang: str) -> str:
    """A deadline's basis as its rule says it now (a citation corrected in casework/rules shows on deadlines started
    before the correction); a rule that is Netra's policy says so in the user's language."""
    rule = all_rules().get(deadline.rule_id)
    if rule is None:
        return deadline.explanation.get("citation", "")
    return POLICY_LABEL.pick(lang) if rule.basis == "policy" else rule.citation


def appeals_of(person: ReportedASN, lang: str = "id") -> list[dict[str, Any]]:
    spec = load("appeals")
    outcomes = {o["code"]: o["label_id"] for o in spec["outcomes"]}
    return [{"kind": a.kind, "kind_label": translate(spec["kinds"][a.kind]["label_id"], lang),
             "to": spec["kinds"][a.kind]["addressee"], "decree": a.decree.number,
             "filed_on": a.filed_on.isoformat(), "late": a.late, "outcome": a.outcome,
             "outcome_label": translate(outcomes[a.outcome], lang) if a.outcome else None,
             "decided_on": a.decided_on.isoformat() if a.decided_on else None,
             "decision_number": a.decision_number, "note": a.decision_note} for a in person.appeals]


def answer_labels() -> dict[str, Text]:
    """What the police, the prosecutor or a court can answer (rules/criminal.toml)."""
    return {a["code"]: Text(a["label_id"]) for a in load("criminal")["answers"]}


def criminal_part(person: ReportedASN, zone: str, lang: str = "id") -> dict[str, Any] | None:
    if not person.criminal_stage:
        return None
    answers = answer_labels()
    return {"stage": person.criminal_stage, "stage_label": label(person.criminal_stage, lang),
            "events": [{"event": e.event, "stage_label": label(e.stage, lang), "acted_on": e.acted_on.isoformat(),
                        "time": e.acted_at.astimezone(zoneinfo(zone)).strftime("%H:%M") if e.acted_at else None,
                        "answer": e.answer, "answer_label": answers[e.answer].pick(lang) if e.answer in answers
                        else None, "article": e.article or None, "reference": e.reference or None,
                        "note": e.note or None, "actor": e.actor} for e in person.criminal_events]}


def describe(session: Session, case: Case, *, lang: str = "id", now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    zone = case.office.timezone
    catalogue = violation_catalogue()
    deadlines = session.scalars(select(Deadline).where(Deadline.case_id == case.id)
                                .order_by(Deadline.due_at)).all()
    today = local_today(zone, now)
    names = {p.id: p.name for p in case.reported}
    # the letter in force that asked BKN to block each person's data, the latest first wins
    asked = dict(session.execute(
        select(Letter.reported_asn_id, Letter.number).where(
            Letter.case_id == case.id, Letter.kind == "personnel_block_request", Letter.status == "issued")
        .order_by(Letter.id)).all()) if any(p.blocks for p in case.reported) else {}
    return {
        "number": case.number, "register_number": case.register_number, "source": case.source,
        "stage": case.stage, "stage_label": label(case.stage, lang), "version": case.version,
        "election": case.election.name, "office": case.office.name, "timezone": zone,
        "region": f"{case.regency.name}, {case.regency.province.name}",
        "district": case.district.name if case.district else None, "place": case.place,
        "occurred_on": case.occurred_on.isoformat(), "known_on": case.known_on.isoformat(),
        "received_on": case.received_on.isoformat(), "summary": case.summary, "chronology": case.chronology,
        "violations": [{"code": v.code, "label": translate(catalogue[v.code]["label_id"], lang)}
                       for v in case.violations if v.code in catalogue],
        "reporter": ({"name": case.reporter.name, "address": case.reporter.address,
                      "confidential": case.reporter.confidential} if case.reporter else None),
        "channel": case.channel,  # "online": filed on the public form (docs/public.md)
        "receipt_code": display(case.receipt_code),  # the reporter's key to the public status page: shown with the reporter
        "found_by": case.found_by or None,
        "reported": [{"nip": p.nip, "name": p.name, "position": p.position, "rank": p.rank,
                      "asn_kind": p.asn_kind, "agency": p.agency.name, "ppk": p.agency.ppk_title,
                      # who they are (rules/person_kinds.toml): `nip` is their NIP, NIK or NRP
                      "person_kind": p.person_kind, "village": p.village or None,
                      "person_kind_label": kind_of(p.person_kind).label(lang),
                      "id_label": kind_of(p.person_kind).id_label,
                      "track_stage": p.track_stage,
                      "track_label": label(p.track_stage, lang) if p.track_stage else None,
                      "id": p.id, **outcome(p, lang, act_on=case.occurred_on), **plenary_outcome(p, lang),
                      "escalation": track_escalation(p, lang),
                      # BKN's blocking of their personnel data (casework.road.blocking), oldest first
                      "blocks": [{"blocked_on": b.blocked_on.isoformat(), "reference": b.reference,
                                  # Bawaslu's letter that asked BKN for it (the ladder's block_request rung)
                                  "asked_by": asked.get(p.id),
                                  "unblocked_on": b.unblocked_on.isoformat() if b.unblocked_on else None,
                                  "unblock_reference": b.unblock_reference, "unblock_reason": b.unblock_reason}
                                 for b in p.blocks],
                      # the criminal part beside the road (casework.road.criminal); the view hides it from
                      # whoever may not see it (Action.SEE_CRIMINAL)
                      "criminal": criminal_part(p, zone, lang),
                      # objections and appeals against a decree (casework.road.appeals), oldest first
                      "appeals": appeals_of(p, lang)}
                     for p in case.reported],
        "plenary": plenary_decision(case),
        "witnesses": [w.name for w in case.witnesses],
        "deadlines": [{"rule": d.rule_id, "label": rule_label(d, lang),
                       "due_date": d.due_date.isoformat(), "due_at": d.due_at.isoformat(), "status": d.status,
                       "status_label": status_label(DeadlineStatus, d.status, lang),
                       "basis": "batas hukum" if d.basis == "statute" else "target",
                       "basis_label": status_label(DeadlineBasis, d.basis, lang),
                       "citation": _citation(d, lang),
                       "days_left": (d.due_date - today).days if d.status == "open" else None,
                       "reported_asn_id": d.reported_asn_id}
                      for d in deadlines],
        "history": [{"at": h.at.isoformat(), "acted_on": act_date(h, zone).isoformat(),
                     "from": h.from_stage, "to": h.to_stage,
                     "to_label": label(h.to_stage, lang), "actor": h.actor, "reason": h.reason,
                     "reported_asn": names.get(h.reported_asn_id), "reported_asn_id": h.reported_asn_id}
                    for h in case.history],
    }
