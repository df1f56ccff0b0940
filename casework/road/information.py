"""A failed report taken up as a finding (informasi awal → temuan; issue 18 item 5).

A laporan that was withdrawn, or not registered (late, or the reporter never completed it), can still tell the
office of a violation: the office may take it up as initial information and, once its supervisors establish it,
record it as a temuan of its own. `take_up_as_finding` does that in one step on the old case: a new temuan in the
same office and election, with the same reported people, place, act date and violation types, found on the act
date (the day the office took it up: the finding window of UU 7/2017 Ps. 454 ayat (5) runs from it), linked to the
laporan. Netra's policy: the reporter, the witnesses and the evidence stay with the laporan — the reporter did
not ask to be part of a finding, and the handler adds what the supervisors establish.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import object_session

from casework.errors import CaseworkError
from casework.i18n.catalog import N_
from casework.models import Case, StageChange
from casework.road.inputs import Input, long_text, text
from casework.road.stages import Stage, label
from casework.road.workflow import Step, command

HANDLER = frozenset({"bawaslu_handler"})


def taken_up(case: Case) -> str | None:
    """The number of the temuan this laporan was taken up as, if any."""
    session = object_session(case)
    return session.scalar(select(Case.number).where(Case.linked_case_id == case.id, Case.source == "temuan")) \
        if session is not None else None


def _may_take_up(case: Case, _person=None) -> bool:
    return case.source == "laporan" and taken_up(case) is None


@dataclass(frozen=True)
class TakeUp(Input):
    found_by: str = text(max_length=200)  # the supervisor who established it, as on any temuan
    note: str = long_text(required=False)


@command("take_up_as_finding", N_("Jadikan temuan (informasi awal)"), roles=HANDLER,
         stages={Stage.WITHDRAWN, Stage.NOT_REGISTERED}, input=TakeUp, offered=_may_take_up, optional=True)
def take_up_as_finding(step: Step) -> None:
    from casework.road.intake import IntakeInput, ReportedInput, open_case  # intake imports the workflow

    case, data = step.case, step.input
    if case.source != "laporan":
        raise CaseworkError("information.not_a_report", number=case.number)
    if (number := taken_up(case)) is not None:
        raise CaseworkError("information.already_taken_up", number=number)
    origin = f"Informasi awal dari laporan {case.number} ({label(case.stage)})" + (f": {data.note}" if data.note
                                                                                     else "")
    finding = open_case(step.session, IntakeInput(
        source="temuan", election=case.election.code, office=case.office.code, regency=case.regency_code,
        district=case.district_code, place=case.place, occurred_on=case.occurred_on, known_on=step.today,
        received_on=step.today, summary=case.summary, chronology=f"{case.chronology}\n\n{origin}.",
        violations=[v.code for v in case.violations], found_by=data.found_by,
        reported=[ReportedInput(nip=p.nip, name=p.name, position=p.position, agency=p.agency.code, rank=p.rank,
                                asn_kind=p.asn_kind, work_unit=p.work_unit) for p in case.reported]),
        principal=step.principal, at=step.at)
    finding.linked_case_id = case.id
    # the laporan keeps its stage; its history says what became of it
    case.history.append(StageChange(case_id=case.id, from_stage=case.stage, to_stage=case.stage, at=step.at,
                                    actor=step.principal.username, acted_on=step.today,
                                    reason=f"Dijadikan temuan {finding.number}"))
