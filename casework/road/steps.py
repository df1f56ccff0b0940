"""The steps of the road (domain.md §3), each with what it takes (its typed input) and what it does: here the
case's own steps up to the plenary; the plenary's decision and the forward are in casework.road.plenary, each
reported ASN's track in casework.road.track_steps (both registered from here, in the road's order).

A handler runs inside `casework.road.workflow.execute`, after the access module and the input have been checked:
it applies the step's own rules, moves the case or the track, and starts and stops deadlines.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from casework.access.policy import Action, decide
from casework.deadlines.engine import compute, rule_for
from casework.deadlines.records import office_timezone, open_deadlines, supersede
from casework.errors import CaseworkError, NotFound, Problem, ValidationError
from casework.i18n.catalog import N_, NP_, Text
from casework.i18n.dates import Day
from casework.numbering import next_register_number
from casework.road import hearings
from casework.road.cases import get_case
from casework.road.inputs import Input, Labelled, choice, clock, codes, day, long_text, text
from casework.road.stages import TERMINAL_STAGES, Stage
from casework.road.workflow import Step, command, stage_label

HANDLER = frozenset({"bawaslu_handler"})
BEFORE_REGISTRATION = frozenset({Stage.RECEIVED, Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION})


class DeclineReason(Labelled):
    LATE = "late", N_("daluarsa")
    INCOMPLETE = "incomplete", N_("tidak lengkap")
    OUTSIDE_REMIT = "outside_remit", N_("bukan kewenangan Bawaslu")


# A case's source as a message parameter ("Laporan diterima ..."). Its English is the code, as it always was.
SOURCES = {"laporan": NP_("case source", "Laporan"), "temuan": NP_("case source", "Temuan")}


# --- before registration ------------------------------------------------------------------------------------------
@command("begin_review", N_("Mulai kajian awal"), roles=HANDLER, stages={Stage.RECEIVED})
def begin_review(step: Step) -> None:
    step.stop("online_completion")  # an online report's review begins once the reporter completed it in person
    step.move(Stage.INITIAL_REVIEW, "Kajian awal dimulai")


@dataclass(frozen=True)
class RequestCompletion(Input):
    missing: str = long_text()


@command("request_completion", N_("Minta kelengkapan"), roles=HANDLER, stages={Stage.INITIAL_REVIEW},
         input=RequestCompletion, letters=("completion_notice",), offered=lambda case, _: case.source == "laporan")
def request_completion(step: Step) -> None:
    if step.case.source != "laporan":
        raise CaseworkError("workflow.completion_only_report")
    step.stop("initial_review")
    step.start("completion")
    step.move(Stage.AWAITING_COMPLETION, step.input.missing)


@dataclass(frozen=True)
class Note(Input):
    note: str = long_text(required=False)


@command("submit_completion", N_("Kelengkapan diterima"), roles=HANDLER,
         stages={Stage.AWAITING_COMPLETION}, input=Note)
def submit_completion(step: Step) -> None:
    step.stop("completion")
    step.start("initial_review")
    step.move(Stage.INITIAL_REVIEW, step.input.note or "Pelapor melengkapi syarat")


@dataclass(frozen=True)
class DeclineRegistration(Input):
    reason: DeclineReason = choice(DeclineReason)
    note: str = long_text(required=False)


@command("decline_registration", N_("Tidak diregistrasi"), roles=HANDLER,
         stages={Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION}, input=DeclineRegistration,
         letters=("non_registration_notice",), ends_case="reason")
def decline_registration(step: Step) -> None:
    step.stop("initial_review", "completion")
    step.stop_everything()
    step.move(Stage.NOT_REGISTERED, f"Tidak diregistrasi: {step.input.reason.label('id')}. {step.input.note}".strip())


def _report_window(case):
    """The rule that bounds a report's (or finding's) receipt after it became known, and its last day."""
    window = rule_for(case.election.kind, "report_window" if case.source == "laporan" else "finding_window")
    return window, compute(window, case.known_on, office_timezone(case)).due_date


@command("register", N_("Registrasi"), roles=HANDLER, stages={Stage.INITIAL_REVIEW},
         offered=lambda case, _: case.received_on <= _report_window(case)[1])  # a late report is declined instead
def register(step: Step) -> None:
    case = step.case
    window, due = _report_window(case)
    if case.received_on > due:
        raise CaseworkError("workflow.report_late", source=SOURCES.get(case.source, case.source),
                            received=Day(case.received_on), rule=Text(window.label_id), due=Day(due))
    case.register_number = next_register_number(step.session, case.office, case.source, step.today)
    step.stop("initial_review")
    decision = rule_for(step.regime, "decision")
    if decision.start_event == "registered":  # Pemilu: from registration; Pilkada: already running since receipt
        step.start("decision")
    step.move(Stage.REGISTERED, f"Nomor register {case.register_number}")


@dataclass(frozen=True)
class Reason(Input):
    reason: str = long_text()


@command("withdraw", N_("Cabut laporan"), roles=HANDLER, stages=BEFORE_REGISTRATION, input=Reason, ends_case="reason")
def withdraw(step: Step) -> None:
    step.stop_everything()
    step.move(Stage.WITHDRAWN, step.input.reason)


@dataclass(frozen=True)
class Merge(Input):
    into: str = text(max_length=32)
    note: str = long_text(required=False)


@command("merge", N_("Gabungkan ke kasus lain"), roles=HANDLER,
         stages=BEFORE_REGISTRATION | {Stage.REGISTERED, Stage.CLARIFICATION, Stage.STUDY}, input=Merge,
         ends_case="note")
def merge(step: Step) -> None:
    """The target must be a case the same principal could take this step on — visible to them and handled by
    their office — or it is "not found" like a case that does not exist: a refusal never tells a handler about
    another office's case."""
    number = step.input.into.strip().upper()
    try:
        target = get_case(step.session, number)
    except NotFound:
        target = None
    if target is None or not decide(step.principal, Action.TAKE_STEP, target, command=step.command):
        raise ValidationError([Problem("into", "workflow.merge_target_unknown", {"number": number})])
    if target.id == step.case.id:  # about the number typed: said beside it, the form kept
        raise ValidationError([Problem("into", "workflow.merge_self")])
    if target.stage in TERMINAL_STAGES:
        raise ValidationError([Problem("into", "workflow.merge_target_closed",
                                       {"number": target.number, "stage": stage_label(target.stage)})])
    step.case.merged_into_id = target.id
    step.stop_everything()
    hearings.cancel(step.session, step.case)  # a hearing still to come is called off with the case
    step.move(Stage.MERGED, f"Digabung ke {target.number}. {step.input.note}".strip())


# --- clarification, study, plenary ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Invitation(Input):
    hearing_date: date = day()
    hearing_time: time = clock()
    hearing_place: str = text(max_length=300)
    invitees: tuple[str, ...] = codes(required=False)  # reported:<NIP>, reporter, witness:<n>
    others: str = long_text(required=False, max_length=5000)  # one per line: "name; role"
    note: str = long_text(required=False)


@command("invite_clarification", N_("Undang klarifikasi"), roles=HANDLER,
         stages={Stage.REGISTERED}, input=Invitation, letters=("clarification_invitation",))
def invite_clarification(step: Step) -> None:
    """A hearing on a date (the act's date or later), time and place, and one invitation letter per invitee."""
    data = step.input
    problems = hearings.check_date("hearing_date", data.hearing_date, step.today)
    try:
        invitees = hearings.invitees_from(step.case, data.invitees, data.others)
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(problems)
    hearing = hearings.schedule(step.session, step.case, on=data.hearing_date, at=data.hearing_time,
                                place=data.hearing_place, invitees=invitees, zone=office_timezone(step.case),
                                actor=step.principal.username)
    step.move(Stage.CLARIFICATION, data.note or f"Undangan klarifikasi {hearings.when(hearing)}")


@dataclass(frozen=True)
class Reschedule(Input):
    hearing_date: date = day()
    hearing_time: time = clock()
    hearing_place: str = text(max_length=300)
    reason: str = long_text()


@command("reschedule_clarification", N_("Jadwalkan ulang klarifikasi"), roles=HANDLER,
         stages={Stage.CLARIFICATION}, input=Reschedule, letters=("clarification_invitation",))
def reschedule_clarification(step: Step) -> None:
    """A new date, time or place for the same invitees, each with a new invitation letter that says it moves."""
    data = step.input
    problems = hearings.check_date("hearing_date", data.hearing_date, step.today)
    if problems:
        raise ValidationError(problems)
    # the case stays in clarification (no stage change, so its time in the stage is not reset); the hearings and
    # the audit event record the move
    hearings.reschedule(step.session, step.case, on=data.hearing_date, at=data.hearing_time,
                        place=data.hearing_place, reason=data.reason, actor=step.principal.username)


@dataclass(frozen=True)
class Minutes(Input):
    minutes: str = long_text()
    attended: tuple[str, ...] = codes(required=False)  # the invitees who came; the others were absent


@command("record_clarification", N_("Catat berita acara klarifikasi"), roles=HANDLER,
         stages={Stage.CLARIFICATION}, input=Minutes, letters=("clarification_minutes",))
def record_clarification(step: Step) -> None:
    """Only for the hearing in force, from its date on (the act's date, the day it was held): attendance per
    invitee; the minutes letter is dated by the hearing."""
    hearings.record_minutes(step.session, step.case, minutes=step.input.minutes, attended=step.input.attended,
                            today=step.today)
    step.move(Stage.STUDY, step.input.minutes)


@command("extend_study", N_("Perpanjang kajian"), roles=HANDLER,
         stages={Stage.CLARIFICATION, Stage.STUDY}, input=Reason, offered=lambda case, _: not case.study_extended)
def extend_study(step: Step) -> None:
    if step.case.study_extended:
        raise CaseworkError("workflow.already_extended")
    decision = rule_for(step.regime, "decision")
    for old in open_deadlines(step.session, step.case, rule_ids={decision.id}):
        supersede(step.session, step.case, old, rule_for(step.regime, "decision_extended"), step.at)
    step.case.study_extended = True


@dataclass(frozen=True)
class SubmitStudy(Input):
    conclusion: str = long_text()


@command("submit_study", N_("Ajukan kajian ke pleno"), roles=HANDLER,
         stages={Stage.STUDY}, input=SubmitStudy)
def submit_study(step: Step) -> None:
    step.move(Stage.PLENARY, step.input.conclusion)


# the plenary's per-person decision and the forward (registered here: the steps stay in the road's order)
from casework.road import plenary as _plenary  # noqa: E402,F401


# each reported ASN's track, from the forward on (registered last: the steps stay in the road's order)
from casework.road.track_steps import (  # noqa: E402,F401
    OversightOutcome, OversightRecommendation, RecordSanction, sanction_kinds, sanction_levels)
from casework.road import blocking as _blocking  # noqa: E402,F401  (BKN's blocking, recorded on the track)
from casework.road import criminal as _criminal  # noqa: E402,F401  (the criminal part beside the road)
from casework.road import appeals as _appeals  # noqa: E402,F401  (objection and appeal against a decree)
from casework.road import information as _information  # noqa: E402,F401  (a failed report taken up as a finding)
from casework.road import bodies as _bodies  # noqa: E402,F401  (the answer of a non-ASN person's institution)
from casework.road import spam as _spam  # noqa: E402,F401  (an online report marked as spam)
