"""The road (domain.md §3) as named commands, and `execute`, the one way a step is taken.

Each command (casework.road.commands) declares who may take it, at which stage (and, for a step on one reported
ASN, at which track stage), what it takes (its typed input, casework.road.inputs) and the letters it asks for; its
handler (casework.road.steps, plenary, track_steps) moves the stage and starts and stops deadlines; the day its
act happened is checked by casework.road.acts. `execute` runs one command inside the
caller's transaction: the case is locked and its version checked (optimistic locking), the access module is asked
(casework.access.policy: role, the handling office, the person's agency or oversight body), the input is parsed,
the handler runs and the audit event is written — so a step either happens entirely or not at all, whoever
calls it: the desk, the CLI, the notice sweep.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from casework import audit
from casework.access.policy import Action, authorize, decide
from casework.access.principal import SYSTEM, Principal
from casework.deadlines.engine import get_rule, rule_for
from casework.deadlines.records import office_timezone, open_deadlines, start_deadline, stop
from casework.errors import CaseworkError, NotFound, Problem, ValidationError
from casework.i18n.catalog import Text
from casework.i18n.dates import Day
from casework.letters.requests import request_letters
from casework.models import Case, Deadline, ReportedASN, StageChange, utcnow
from casework.reference.timezones import local_today
from casework.road.acts import ACTED_ON, check_act_date, parse_act_date
from casework.road.cases import get_case
# the registry, re-exported: steps register with `workflow.command`, and callers read COMMANDS, available_steps
from casework.road.commands import (  # noqa: F401
    COMMANDS, Command, Offer, available_steps, command, get_command, steps_table)
from casework.road.inputs import Input
from casework.road.stages import CLOSED_TRACKS, LABELS, Stage, TrackStage
from casework.rules import load
from casework.settings import Settings, default_base_url
from casework.webhooks.events import emit


@dataclass
class Step:
    """What a handler works with: the case, who acts, when the act happened (`acted_on`) and when it is recorded
    (`at`), the typed input, and the person if on a track."""

    session: Session
    case: Case
    principal: Principal
    at: datetime  # when it is recorded
    input: Any
    person: ReportedASN | None
    letters: list[str] = field(default_factory=list)
    settings: Settings | None = None  # where files go (a step that stores one, e.g. a decree PDF)
    command: Command | None = None
    acted_on: date | None = None  # the day the act happened, in the office's zone (None: the day it is recorded)
    warnings: list[CaseworkError] = field(default_factory=list)  # said to the user; the step is taken

    @property
    def recorded_on(self) -> date:
        """The day it is recorded, in the handling office's time zone."""
        return local_today(office_timezone(self.case), self.at)

    @property
    def today(self) -> date:
        """The act's date in the handling office's time zone: day 0 of what it starts."""
        return self.acted_on or self.recorded_on

    @property
    def regime(self) -> str:
        return self.case.election.kind

    def move(self, stage: Stage, reason: str = "") -> None:
        move_to(self.session, self.case, stage, actor=self.principal.username, at=self.at, reason=reason,
                acted_on=self.today)

    def move_track(self, stage: TrackStage, reason: str = "", person: ReportedASN | None = None) -> None:
        move_track(self.session, person or self.person, stage, actor=self.principal.username, at=self.at,
                   reason=reason, acted_on=self.today)

    def start(self, purpose: str, *, person: ReportedASN | None = None, rule_id: str | None = None,
              start_at: datetime | None = None) -> None:
        """`start_at`: the act's moment, for a rule counting hours (the criminal forward's 1 x 24 hours)."""
        rule = get_rule(rule_id) if rule_id else rule_for(self.regime, purpose)
        if rule is not None:
            start_deadline(self.session, self.case, rule, self.today, person=person, at=self.at, start_at=start_at)

    def stop(self, *purposes: str, status: str | None = None) -> None:
        rule_ids = {rule.id for p in purposes if (rule := rule_for(self.regime, p))}
        self._closed(stop(open_deadlines(self.session, self.case, rule_ids=rule_ids), self.at, status=status,
                          on=self.today))

    def stop_track(self, *rule_ids: str) -> None:
        self._closed(stop(open_deadlines(self.session, self.case, person=self.person, rule_ids=rule_ids), self.at,
                          on=self.today))

    def stop_everything(self, status: str = "cancelled") -> None:
        stop(open_deadlines(self.session, self.case, any_person=True), self.at, status=status, on=self.today)

    def _closed(self, deadlines: list[Deadline]) -> None:
        """A deadline this act came after: the step is taken (the act happened), and the user is told which rule
        it missed."""
        for d in deadlines:
            if d.status == "missed":
                self.warnings.append(CaseworkError(
                    "act.after_deadline", date=Day(self.today), rule=Text(d.explanation.get("label", d.rule_id)),
                    due=Day(d.due_date), citation=d.explanation.get("citation", "")))


# --- the primitives: a stage change and its history row ---------------------------------------------------------
def move_to(session: Session, case: Case, stage: Stage, *, actor: str, at: datetime | None = None,
            reason: str = "", acted_on: date | None = None) -> StageChange:
    """Record the case's move to `stage` (the first call records the entry stage itself)."""
    at = at or utcnow()
    previous = case.stage if case.history else None
    case.stage, case.stage_since = stage, at
    change = StageChange(case_id=case.id, from_stage=previous, to_stage=stage, at=at, actor=actor, reason=reason,
                         acted_on=acted_on)
    case.history.append(change)
    session.flush()
    if previous is not None:  # the entry stage is the case's opening, emitted by intake (casework.road.intake)
        emit(session, "stage.changed", case, event_id=f"stage:{change.id}", at=at,
             data={"from": str(previous), "to": str(stage), "person": None})
    return change


def move_track(session: Session, person: ReportedASN, stage: TrackStage, *, actor: str,
               at: datetime | None = None, reason: str = "", acted_on: date | None = None) -> StageChange:
    """Record one reported ASN's track moving to `stage`."""
    at = at or utcnow()
    change = StageChange(case_id=person.case_id, reported_asn_id=person.id, from_stage=person.track_stage,
                         to_stage=stage, at=at, actor=actor, reason=reason, acted_on=acted_on)
    previous = person.track_stage
    person.track_stage, person.track_since = stage, at
    person.case.history.append(change)
    session.flush()
    emit(session, "stage.changed", person.case, event_id=f"stage:{change.id}", person=person, at=at,
         data={"from": str(previous) if previous else None, "to": str(stage), "person": person.id})
    return change


def note_on_track(session: Session, person: ReportedASN, *, actor: str, at: datetime, reason: str,
                  acted_on: date | None = None) -> StageChange:
    """Record an act on one reported ASN's track that does not move it (a handover, BKN's block): a history row
    that keeps the stage, and `track_since` untouched."""
    change = StageChange(case_id=person.case_id, reported_asn_id=person.id, from_stage=person.track_stage,
                         to_stage=person.track_stage, at=at, actor=actor, reason=reason, acted_on=acted_on)
    person.case.history.append(change)
    session.flush()
    return change


def start_intake_deadlines(session: Session, case: Case) -> None:
    """At intake, start every deadline of the regime whose start event is the report's receipt."""
    regime = load("deadlines")["regimes"][case.election.kind]
    for purpose, rule_id in regime.items():
        rule = get_rule(rule_id)
        if rule.start_event == "report_received" and not purpose.endswith("_extended"):
            start_deadline(session, case, rule, case.received_on)


# --- running a command --------------------------------------------------------------------------------------------
def stage_label(stage: str) -> Text:
    return LABELS.get(stage) or Text(stage)


@dataclass(frozen=True)
class Taken:
    """A step taken: the case as it is now, and what the user should be told although it was taken (an act
    recorded after its deadline)."""

    case: Case
    acted_on: date
    warnings: tuple[CaseworkError, ...] = ()


def execute(session: Session, name: str, *, case_number: str, principal: Principal, expected_version: int | None,
            fields: Mapping[str, Any] | Input | None = None, track: str | None = None, at: datetime | None = None,
            settings: Settings | None = None, acted_on: date | str | None = None, notify: bool = True) -> Case:
    """Take step `name` on a case as `principal` (see `take`); the case as it is now."""
    return take(session, name, case_number=case_number, principal=principal, expected_version=expected_version,
                fields=fields, track=track, at=at, settings=settings, acted_on=acted_on, notify=notify).case


def take(session: Session, name: str, *, case_number: str, principal: Principal, expected_version: int | None,
         fields: Mapping[str, Any] | Input | None = None, track: str | None = None, at: datetime | None = None,
         settings: Settings | None = None, acted_on: date | str | None = None, notify: bool = True,
         confirmed: bool | None = None) -> Taken:
    """Take step `name` on a case as `principal`. `expected_version` is the version the user saw (None: the system,
    no check); `fields` the step's input, raw (a form, CLI options, JSON: parsed and checked here) or already typed;
    `track` the NIP of the reported ASN a step on one track acts on; `settings` where a step that stores a file
    puts it; `acted_on` the day the act happened (default: today; a step whose input names its act's date uses
    that field); `at` when it is recorded (default: now); `notify` False only for history replayed where nobody
    is to be told now (the demo's backdated cases). Refusals are errors with their message: NotFound when
    the principal may not see the case or person (so nothing tells them it exists), Forbidden with a reason,
    ValidationError listing every bad field. `confirmed`: None when not asked (CLI, API, the system); a person's
    form says whether its confirmation was ticked — a step that ends the case then needs it, and its reason."""
    cmd = get_command(name)
    case = locked_case(session, case_number)
    authorize(principal, Action.SEE_CASE, case)
    if expected_version is not None and case.version != expected_version:
        raise CaseworkError("case.stale", expected=expected_version, current=case.version)
    person = _track(case, cmd, track, principal) if cmd.on_track else None
    authorize(principal, Action.TAKE_STEP, case, person, command=cmd)
    if case.stage not in cmd.stages:
        raise CaseworkError("workflow.wrong_stage", command=cmd.label, stage=stage_label(case.stage))
    if person is not None and not cmd.person_ready(person):
        raise CaseworkError("workflow.track_wrong_stage", command=cmd.label, name=person.name,
                            stage=stage_label(person_stage if (person_stage := cmd.person_stage(person))
                                              and person_stage in LABELS else case.stage))
    at = at or utcnow()
    data, act = _parse(cmd, case, person, fields, acted_on, at, confirmed)

    before = snapshot(case)
    history_before = len(case.history)
    step = Step(session, case, principal, at, data, person, letters=list(cmd.letters), settings=settings,
                command=cmd, acted_on=act)
    try:
        cmd.handler(step)
        if cmd.track_stages and case.stage != Stage.CLOSED \
                and all(p.track_stage in CLOSED_TRACKS for p in case.reported if p.track_stage):
            # the case closes by itself when its last track does: recorded as Netra's, not as the officer's whose
            # step it followed (who may be another agency's: their name would tell of a person others may not see)
            move_to(session, case, Stage.CLOSED, actor=SYSTEM.username, at=at, acted_on=step.today,
                    reason="Semua ASN terlapor telah ditindaklanjuti")
        case.updated_at = at
        flag_modified(case, "updated_at")  # every command bumps the version, also when only a track changed
        session.flush()
    except StaleDataError:  # changed by a writer that did not take the row lock: the same answer, nothing kept
        raise CaseworkError("case.stale", expected=expected_version, current="?") from None
    after = snapshot(case)
    after["letters"] = step.letters
    event = audit.record(session, actor=principal.username, action=f"case.{name}", entity="case",
                         entity_id=case.id, case_id=case.id, before=before,
                         after={**after, "fields": data.record(), "track": person.nip if person else None,
                                "acted_on": step.today.isoformat()}, at=at)
    # what the case is now owed: rows in this same transaction (the audit event records; it is not the queue)
    request_letters(session, case, step.letters, actor=principal.username, cause=f"case.{name}", event=event,
                    person=person, on=step.today, at=at)
    # and whom it must tell: the notices go to the outbox in this same transaction (one email per recipient)
    from casework.mail.notifications import queue_owed  # it reads the deadline notices, which run steps

    if notify:
        queue_owed(session, case, name, list(case.history[history_before:]), letters=step.letters,
                   base_url=settings.base_url if settings is not None else default_base_url())
    return Taken(case, step.today, tuple(step.warnings))


def _parse(cmd: Command, case: Case, person: ReportedASN | None, fields: Mapping[str, Any] | Input | None,
           acted_on: date | str | None, at: datetime, confirmed: bool | None = None) -> tuple[Any, date]:
    """The typed input and the act's date, checked together: every problem in one ValidationError."""
    problems: list[Problem] = []
    if cmd.ends_case and confirmed is not None:  # a person ending a case says why and that they mean it
        if not isinstance(fields, Mapping) or not str(fields.get(cmd.ends_case) or "").strip():
            problems.append(Problem(cmd.ends_case, "required"))
        if not confirmed:
            problems.append(Problem("confirm", "workflow.confirm_ending"))
    if isinstance(fields, cmd.input):
        data = fields
    else:
        raw = dict(fields or {})
        if ACTED_ON in raw and acted_on is None:  # a JSON body or a form may carry it among the fields
            acted_on = raw.pop(ACTED_ON)
        try:
            data = cmd.input.parse(raw)
        except ValidationError as exc:  # one problem per field: a reason asked above is not said twice
            said = {(p.field, p.code) for p in problems}
            data = None
            problems += [p for p in exc.problems if (p.field, p.code) not in said]
    zone = office_timezone(case)
    act, found = parse_act_date(acted_on)
    problems += found
    field_name = ACTED_ON
    if act is None and cmd.act_field and data is not None:
        act, field_name = getattr(data, cmd.act_field), cmd.act_field
    if act is not None and not found:
        # a date that is one of the step's own fields (the decree's) is checked for the future by the step, which
        # lists it with every other problem of that input
        problems += check_act_date(case, person, act, at, zone, field_name, future=field_name == ACTED_ON,
                                   criminal=bool(cmd.criminal_stages))
    if problems:
        raise ValidationError(problems)
    return data, act or local_today(zone, at)


def locked_case(session: Session, number: str) -> Case:
    """The case, read once under its row lock (PostgreSQL; see lock_case): the lock is taken first, so the case
    and its collections load as committed by whoever held it — not loaded, then expired and loaded again."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Case.id).where(Case.number == number).with_for_update())
    return get_case(session, number, fresh=True)


def lock_case(session: Session, case: Case) -> Case:
    """PostgreSQL: hold the case's row until commit and see its latest committed version, so a second decision
    on the same case waits for the first and is then refused as stale (SQLite's writers already queue at BEGIN
    IMMEDIATE). Without it both would pass the version check and the second would fail at its UPDATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        session.expire(case)  # columns and relationships reload as committed by whoever held the lock before
    return case


def _track(case: Case, cmd: Command, nip: str | None, principal: Principal) -> ReportedASN:
    if not nip:
        raise CaseworkError("workflow.track_required", command=cmd.label)
    person = next((p for p in case.reported if p.nip == str(nip).strip()), None)
    if person is None or not decide(principal, Action.SEE_PERSON, case, person):
        raise NotFound("workflow.unknown_track", nip=str(nip)[:32])
    return person


def snapshot(case: Case) -> dict[str, Any]:
    return {"stage": case.stage, "version": case.version, "register_number": case.register_number,
            "plenary_outcome": case.plenary_outcome, "study_extended": case.study_extended,
            "tracks": {p.nip: {"stage": p.track_stage, "recommended_sanction": p.recommended_sanction,
                               "sanction": p.sanction, "decree_number": p.decree_number,
                               "decree_file_sha256": p.decree_file_sha256, "escalation_step": p.escalation_step}
                       for p in case.reported}}


# the steps register themselves (casework/road/steps.py imports this module's `command`)
from casework.road import steps as _steps  # noqa: E402,F401
