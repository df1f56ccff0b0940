"""The criminal part beside the neutrality road (issue 18 item 1; rules/criminal.toml).

When the Sentra Gakkumdu discussion finds that a reported person's act is a suspected election crime, Bawaslu
declares it and must forward it to the police within 1 x 24 hours (UU 7/2017 Ps. 476). The neutrality road goes on
beside it: nothing here moves the case or the person's track, and the case may close on its neutrality outcome
while the criminal part is still with the police. Three steps, each on one person's criminal part:

    declare_crime         the head records the declaration: its moment (the 24 hours run from it), the offence's
                          article and the reasoning — any time from registration on, also after the case closed
    forward_to_police     the forward letter (forward_police) at its moment: met or missed against those 24 hours;
                          Netra then asks after the police's progress every 14 days (policy)
    record_police_answer  what the police, the prosecutor or a court answered: the criminal part moves on, or ends
                          (stopped, verdict)

The criminal part is Bawaslu's and the police's: the oversight body and the BKPSDM, who see the person's
neutrality track, do not see it (casework.access.policy, Action.SEE_CRIMINAL).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from casework.deadlines.records import office_timezone, open_deadlines, stop
from casework.deadlines.engine import rule_for
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import N_, Text
from casework.i18n.dates import Day
from casework.models import CriminalEvent
from casework.reference.timezones import zoneinfo
from casework.road.cases import answer_labels as answers
from casework.road.commands import NO_CRIMINAL_PART
from casework.road.inputs import Input, choice, clock, long_text, text
from casework.road.stages import CLOSED_CRIMINAL, CriminalStage, Stage
from casework.road.workflow import Step, command
from casework.rules import load

HEAD = frozenset({"bawaslu_head"})
BAWASLU = frozenset({"bawaslu_handler", "bawaslu_head"})
# from registration on (nothing is declared about a report not yet registered), also once the case closed on its
# neutrality outcome: the criminal part outlives it
AFTER_REGISTRATION = frozenset({Stage.REGISTERED, Stage.CLARIFICATION, Stage.STUDY, Stage.PLENARY, Stage.DECIDED,
                                Stage.FORWARDED, Stage.CLOSED})
ANSWER_WATCH = "criminal.police_answer"


@cache
def rules() -> dict:
    return load("criminal")


def _moment(step: Step, clock_time: time) -> datetime:
    """The act's moment: its day (the step's act date) at the given local time in the handling office's zone."""
    return datetime.combine(step.today, clock_time, zoneinfo(office_timezone(step.case)))


def _event(step: Step, event: str, stage: CriminalStage, *, acted_at: datetime | None = None, **fields) -> None:
    person = step.person
    person.criminal_stage = stage.value
    person.criminal_events.append(CriminalEvent(event=event, stage=stage.value, acted_on=step.today,
                                                acted_at=acted_at, actor=step.principal.username, at=step.at,
                                                **fields))


@dataclass(frozen=True)
class Declaration(Input):
    declared_time: time = clock()  # with the act date: the moment the 1 x 24 hours run from
    article: str = text(max_length=200)  # the offence, e.g. "UU 7/2017 Ps. 494"
    reasoning: str = long_text()


@command("declare_crime", N_("Nyatakan dugaan tindak pidana (Sentra Gakkumdu)"), roles=HEAD,
         stages=AFTER_REGISTRATION, criminal_stages={NO_CRIMINAL_PART}, input=Declaration, optional=True)
def declare_crime(step: Step) -> None:
    data = step.input
    declared_at = _moment(step, data.declared_time)
    if declared_at > step.at:
        raise ValidationError([Problem("declared_time", "criminal.moment_in_future",
                                       {"moment": f"{Day(step.today)} {data.declared_time:%H:%M}"})])
    _event(step, "declared", CriminalStage.DECLARED, acted_at=declared_at, article=data.article, note=data.reasoning)
    step.start("criminal_forward", person=step.person, start_at=declared_at)


@dataclass(frozen=True)
class Forward(Input):
    sent_time: time = clock()  # with the act date: when the letter went to the police
    note: str = long_text(required=False)


@command("forward_to_police", N_("Teruskan ke Kepolisian"), roles=BAWASLU, stages=AFTER_REGISTRATION,
         criminal_stages={CriminalStage.DECLARED}, input=Forward, letters=("forward_police",))
def forward_to_police(step: Step) -> None:
    data, person = step.input, step.person
    sent_at = _moment(step, data.sent_time)
    declared = next(e for e in reversed(person.criminal_events) if e.event == "declared")
    problems = []
    if sent_at > step.at:
        problems.append(Problem("sent_time", "criminal.moment_in_future",
                                {"moment": f"{Day(step.today)} {data.sent_time:%H:%M}"}))
    if declared.acted_at is not None and sent_at < declared.acted_at:
        problems.append(Problem("sent_time", "criminal.forward_before_declaration",
                                {"declared": f"{Day(declared.acted_on)}"}))
    if problems:
        raise ValidationError(problems)
    # met or missed by the hour: 1 x 24 hours from the declaration's moment, not by the day
    owed = open_deadlines(step.session, step.case, person=person,
                          rule_ids={rule_for(step.regime, "criminal_forward").id})
    for deadline in owed:
        stop([deadline], step.at, status="met" if sent_at <= deadline.due_at else "missed")
        if deadline.status == "missed":  # taken (it happened), and the user is told which limit it missed
            step.warnings.append(CaseworkError(
                "act.after_deadline", date=Day(step.today), rule=Text(deadline.explanation["label"]),
                due=Day(deadline.due_date), citation=deadline.explanation.get("citation", "")))
    _event(step, "forwarded", CriminalStage.WITH_POLICE, acted_at=sent_at, note=data.note)
    step.start("", person=person, rule_id=ANSWER_WATCH)


@dataclass(frozen=True)
class PoliceAnswer(Input):
    answer: str = choice(answers)
    answer_reference: str = text(max_length=100)  # the SP2HP letter, the prosecutor's or the court's decision number
    note: str = long_text(required=False)


@command("record_police_answer", N_("Catat jawaban Kepolisian, Kejaksaan atau pengadilan"), roles=BAWASLU,
         stages=AFTER_REGISTRATION, criminal_stages={CriminalStage.WITH_POLICE, CriminalStage.PROSECUTION},
         input=PoliceAnswer, optional=True)
def record_police_answer(step: Step) -> None:
    data, person = step.input, step.person
    spec = next(a for a in rules()["answers"] if a["code"] == data.answer)
    stage = CriminalStage(spec["stage"])
    # the watch measures the police's pace, not Bawaslu's: closed without telling the user they were late
    stop(open_deadlines(step.session, step.case, person=person, rule_ids={ANSWER_WATCH}), step.at, on=step.today)
    _event(step, "answer", stage, answer=data.answer, reference=data.answer_reference, note=data.note)
    if stage not in CLOSED_CRIMINAL:  # still with the police or the prosecutor: Netra asks again in 14 days
        step.start("", person=person, rule_id=ANSWER_WATCH)
