"""The case register out, as XLSX or CSV, in the reader's scope.

Who sees what is casework.access's decision, as on the desk's case page. Users who can never see a reporter get
no reporter or witness columns at all; a handler gets them, with "[dirahasiakan]" on other offices' cases."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from casework import audit
from casework.access.policy import Action, permits, sees_criminal_parts, sees_reporters_at_all
from casework.access.principal import OPERATOR as OPERATOR_PRINCIPAL
from casework.access.principal import Principal
from casework.access.scope import case_scope, deadline_scope, visible_people
from casework.errors import CaseworkError
from casework.models import Case, Deadline, ReportedASN
from casework.road.cases import appeals_of
from casework.road.stages import label
from casework.rules import load, violation_catalogue
from casework.spreadsheets.columns import CHUNK, COLUMNS, FORMATS, PERSONAL_GROUPS, SEPARATOR, WITHHELD, Column
from casework.spreadsheets.workbook import write_csv, write_xlsx


# --- who the spreadsheet is for ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Audience:
    """Whose spreadsheet: a principal, scoped by casework.access as on the desk (the command line's operator sees
    every case and every column)."""

    principal: Principal = OPERATOR_PRINCIPAL

    def scope(self):
        return case_scope(self.principal)

    def deadlines(self):
        return deadline_scope(self.principal)

    @property
    def personal(self) -> bool:
        return sees_reporters_at_all(self.principal)

    def sees_reporter(self, case: Case) -> bool:
        return permits(self.principal, Action.SEE_REPORTER, case)

    def people(self, case: Case) -> list[ReportedASN]:
        return visible_people(self.principal, case)


OPERATOR = Audience()


def columns_for(audience: Audience) -> list[Column]:
    return [c for c in COLUMNS if audience.personal or c.group not in PERSONAL_GROUPS]


# --- export -----------------------------------------------------------------------------------------------------
def export_cases(session: Session, out: IO[bytes], fmt: str, audience: Audience,
                 case_ids: Sequence[int] | None = None) -> int:
    """Write the cases (all the audience may see, or `case_ids` in that order, still limited to the audience's
    scope) to `out` as XLSX or CSV. Returns the number of cases written."""
    if fmt not in FORMATS:
        raise CaseworkError("export.unknown_format", fmt=fmt, choices=", ".join(FORMATS))
    columns = columns_for(audience)
    rows = _case_rows(session, audience, columns, case_ids)
    counted = _Counter(rows)
    if fmt == "xlsx":
        write_xlsx(out, columns, counted)
    else:
        write_csv(out, columns, counted)
    return counted.count


def record_export(session: Session, *, actor: str, audience: Audience, fmt: str, count: int,
                  criteria: dict[str, Any] | None = None) -> None:
    """An export takes case data (maybe personal data) out of Netra: the audit trail keeps who, what and how many."""
    audit.record(session, actor=actor, action="cases.exported", entity="export", entity_id=fmt,
                 after={"format": fmt, "cases": count, "personal_columns": audience.personal,
                        "criteria": criteria or {}})


class _Counter:
    def __init__(self, rows: Iterable[list[Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[list[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _case_rows(session: Session, audience: Audience, columns: list[Column],
               case_ids: Sequence[int] | None) -> Iterator[list[Any]]:
    if case_ids is None:
        case_ids = session.scalars(select(Case.id).where(audience.scope())
                                   .order_by(Case.received_on.desc(), Case.number)).all()
    ids = list(dict.fromkeys(case_ids))  # a search joined over several ASN may list a case twice
    catalogue = violation_catalogue()
    sanctions = {k["code"]: k["label_id"] for k in load("sanctions")["kinds"]}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        # the audience's scope again: whoever chose the ids, nothing outside it is written
        cases = {c.id: c for c in session.scalars(
            select(Case).where(Case.id.in_(chunk), audience.scope())
            .options(joinedload(Case.election), joinedload(Case.office), joinedload(Case.regency),
                     joinedload(Case.district), joinedload(Case.reporter), selectinload(Case.witnesses),
                     selectinload(Case.violations),
                     selectinload(Case.reported).selectinload(ReportedASN.agency),
                     selectinload(Case.reported).selectinload(ReportedASN.blocks)))}
        due = dict(session.execute(select(Deadline.case_id, func.min(Deadline.due_date))
                                   .where(Deadline.case_id.in_(chunk), Deadline.status == "open",
                                          audience.deadlines())
                                   .group_by(Deadline.case_id)).all())
        for case_id in chunk:
            if case_id in cases:
                values = _case_values(cases[case_id], audience, due.get(case_id), catalogue, sanctions)
                yield [values.get(c.key) for c in columns]


def _joined(items: Iterable[Any]) -> str:
    # a ";" inside one value would shift every later item of the list: it becomes ","
    items = [str(i or "").replace(";", ",").strip() for i in items]
    return SEPARATOR.join(items) if any(items) else ""


def _appeal(person: ReportedASN) -> str:
    if not person.appeals:
        return "-"
    last = appeals_of(person)[-1]
    return f"{last['kind_label']}: {last['outcome_label'] or 'menunggu putusan'}"


def _case_values(case: Case, audience: Audience, next_due: date | None, catalogue: dict,
                 sanctions: dict[str, str]) -> dict[str, Any]:
    people = audience.people(case)
    criminal = sees_criminal_parts(audience.principal)
    values: dict[str, Any] = {
        "number": case.number, "ref": case.external_ref or "", "register_number": case.register_number or "",
        "source": case.source, "election": case.election.code, "election_name": case.election.name,
        "office": case.office.code, "office_name": case.office.name, "regency": case.regency_code,
        "regency_name": case.regency.name, "district": case.district_code or "",
        "district_name": case.district.name if case.district else "", "place": case.place,
        "occurred_on": case.occurred_on, "known_on": case.known_on, "received_on": case.received_on,
        "summary": case.summary, "chronology": case.chronology,
        "violations": _joined(v.code for v in case.violations),
        "violation_names": _joined(catalogue.get(v.code, {}).get("label_id", v.code) for v in case.violations),
        "stage": label(case.stage), "next_due": next_due, "found_by": case.found_by,
        "nip": _joined(p.nip for p in people), "asn_name": _joined(p.name for p in people),
        "position": _joined(p.position for p in people), "rank": _joined(p.rank for p in people),
        "asn_kind": _joined(p.asn_kind or "-" for p in people),
        "person_kind": _joined(p.person_kind for p in people), "village": _joined(p.village or "-" for p in people),
        "agency": _joined(p.agency.code for p in people),
        "agency_name": _joined(p.agency.name for p in people), "work_unit": _joined(p.work_unit for p in people),
        "track_stage": _joined(label(p.track_stage) if p.track_stage else "-" for p in people),
        "sanction": _joined(sanctions.get(p.sanction, p.sanction) if p.sanction else "-" for p in people),
        # BKN's block in force (casework.road.blocking): the day it began; "-" when none is
        "blocked": _joined(next((b.blocked_on.isoformat() for b in p.blocks if b.unblocked_on is None), "-")
                           for p in people),
        # the last objection or appeal against a decree (casework.road.appeals) and its outcome, "-" when none
        "appeal": _joined(_appeal(p) for p in people),
        # a KASN-era track handed over under SE Menpan-RB 4/2024 (casework.road.handover): to whom
        "handover": _joined(p.oversight_handover or "-" for p in people),
        # the criminal part beside the road (casework.road.criminal): Bawaslu's, "-" for whoever may not see it
        "criminal_stage": _joined(label(p.criminal_stage) if p.criminal_stage and criminal else "-" for p in people),
    }
    if audience.personal:
        if audience.sees_reporter(case):
            reporter = case.reporter
            values.update({"reporter_name": reporter.name if reporter else "",
                           "reporter_address": reporter.address if reporter else "",
                           "reporter_phone": reporter.phone if reporter else "",
                           "reporter_email": reporter.email if reporter else "",
                           "witness_name": _joined(w.name for w in case.witnesses),
                           "witness_address": _joined(w.address for w in case.witnesses),
                           "witness_phone": _joined(w.phone for w in case.witnesses)})
        else:
            for key in ("reporter_name", "reporter_address", "reporter_phone", "reporter_email",
                        "witness_name", "witness_address", "witness_phone"):
                withheld = (key.startswith("reporter") and case.reporter is not None) or \
                           (key.startswith("witness") and case.witnesses)
                values[key] = WITHHELD if withheld else ""
    return values


