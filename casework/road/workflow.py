"""The road (domain.md §3) as named commands.

Each command declares who may take it, at which stage, the fields it needs and the letters it asks for; its
handler validates, moves the stage, starts and stops deadlines. `execute` runs one command inside the caller's
transaction, checks the case version (optimistic locking), and writes the audit event — so a command either
happens entirely or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from casework import audit
from casework.road.cases import get_case
from casework.deadlines.records import office_timezone, open_deadlines, start_deadline, stop, supersede
from casework.deadlines.engine import compute, get_rule, rule_for
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.messages import Bilingual
from casework.models import Case, ReportedASN, StageChange, TrackEscalation, utcnow
from casework.numbering import next_register_number
from casework.road.oversight import body_valid_on
from casework.rules import load
from casework.road.sanctions import check_decree, check_sanction, levels, store_decree_pdf
from casework.settings import Settings
from casework.road.stages import CLOSED_TRACKS, LABELS, TERMINAL_STAGES, Stage, TrackStage
from casework.textcheck import has_control_chars
from casework.reference.timezones import local_today

HANDLER = frozenset({"bawaslu_handler"})
HEAD = frozenset({"bawaslu_head"})
OVERSIGHT = frozenset({"oversight_officer"})
BKPSDM = frozenset({"bkpsdm_officer"})
SYSTEM_ROLE = "system"
BEFORE_REGISTRATION = frozenset({Stage.RECEIVED, Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION})

DECLINE_REASONS = {"late": "daluarsa", "incomplete": "tidak lengkap", "outside_remit": "bukan kewenangan Bawaslu"}
PLENARY_OUTCOMES = {"violation": "Pelanggaran netralitas ASN", "not_violation": "Bukan pelanggaran",
                    "other_law": "Pelanggaran hukum lain (diteruskan)"}
OVERSIGHT_OUTCOMES = {"sanction_recommended": "Rekomendasi sanksi", "not_proven": "Tidak terbukti"}


@dataclass(frozen=True)
class Actor:
    username: str
    roles: frozenset[str]

    @classmethod
    def of(cls, username: str, *roles: str) -> Actor:
        return cls(username, frozenset(roles))


SYSTEM = Actor.of("netra-system", SYSTEM_ROLE)


@dataclass(frozen=True)
class Command:
    name: str
    label_id: str
    label_en: str
    roles: frozenset[str]
    stages: frozenset[str]
    handler: Callable[[Step], None]
    track_stages: frozenset[str] = frozenset()  # non-empty: the command acts on one reported ASN's track
    fields: tuple[str, ...] = ()  # required
    letters: tuple[str, ...] = ()  # letter kinds it always asks for (handlers may add more)

    @property
    def label(self) -> Bilingual:
        return Bilingual(self.label_id, self.label_en)

    @property
    def on_track(self) -> bool:
        return bool(self.track_stages)


COMMANDS: dict[str, Command] = {}


def command(name: str, label_id: str, label_en: str, *, roles: frozenset[str], stages: frozenset[str] | set,
            track_stages: frozenset[str] | set = frozenset(), fields: tuple[str, ...] = (),
            letters: tuple[str, ...] = ()) -> Callable:
    def register_command(handler: Callable[[Step], None]) -> Callable[[Step], None]:
        COMMANDS[name] = Command(name, label_id, label_en, frozenset(roles), frozenset(stages), handler,
                                 frozenset(track_stages), fields, letters)
        return handler
    return register_command


@dataclass
class Step:
    """What a handler works with: the case, who acts, when, the form's fields, and the track if any."""

    session: Session
    case: Case
    actor: Actor
    at: datetime
    fields: dict[str, Any]
    person: ReportedASN | None
    letters: list[str] = field(default_factory=list)
    settings: Settings | None = None  # where files go (a step that stores one, e.g. a decree PDF)

    @property
    def today(self) -> date:
        """The event's date in the handling office's time zone (day 0 of what it starts)."""
        return local_today(office_timezone(self.case), self.at)

    @property
    def regime(self) -> str:
        return self.case.election.kind

    def text(self, name: str) -> str:
        return str(self.fields.get(name) or "").strip()

    def move(self, stage: Stage, reason: str = "") -> None:
        move_to(self.session, self.case, stage, actor=self.actor.username, at=self.at, reason=reason)

    def move_track(self, stage: TrackStage, reason: str = "") -> None:
        move_track(self.session, self.person, stage, actor=self.actor.username, at=self.at, reason=reason)

    def start(self, purpose: str, *, person: ReportedASN | None = None, rule_id: str | None = None) -> None:
        rule = get_rule(rule_id) if rule_id else rule_for(self.regime, purpose)
        if rule is not None:
            start_deadline(self.session, self.case, rule, self.today, person=person, at=self.at)

    def stop(self, *purposes: str, status: str | None = None) -> None:
        rule_ids = {rule.id for p in purposes if (rule := rule_for(self.regime, p))}
        stop(open_deadlines(self.session, self.case, rule_ids=rule_ids), self.at, status=status)

    def stop_track(self, *rule_ids: str) -> None:
        stop(open_deadlines(self.session, self.case, person=self.person, rule_ids=rule_ids), self.at)

    def stop_everything(self, status: str = "cancelled") -> None:
        stop(open_deadlines(self.session, self.case, any_person=True), self.at, status=status)


# --- the primitives: a stage change and its history row ---------------------------------------------------------
def move_to(session: Session, case: Case, stage: Stage, *, actor: str, at: datetime | None = None,
            reason: str = "") -> StageChange:
    """Record the case's move to `stage` (the first call records the entry stage itself)."""
    at = at or utcnow()
    previous = case.stage if case.history else None
    case.stage, case.stage_since = stage, at
    change = StageChange(case_id=case.id, from_stage=previous, to_stage=stage, at=at, actor=actor, reason=reason)
    case.history.append(change)
    session.flush()
    return change


def move_track(session: Session, person: ReportedASN, stage: TrackStage, *, actor: str,
               at: datetime | None = None, reason: str = "") -> StageChange:
    """Record one reported ASN's track moving to `stage`."""
    at = at or utcnow()
    change = StageChange(case_id=person.case_id, reported_asn_id=person.id, from_stage=person.track_stage,
                         to_stage=stage, at=at, actor=actor, reason=reason)
    person.track_stage, person.track_since = stage, at
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
def stage_label(stage: str) -> Bilingual:
    return Bilingual(*LABELS.get(stage, (stage, stage)))


def execute(session: Session, name: str, *, case_number: str, actor: Actor, expected_version: int | None,
            at: datetime | None = None, track: str | None = None, settings: Settings | None = None,
            **fields: Any) -> Case:
    """Take step `name` on a case. `expected_version` is the version the user saw (None: the system, no check).
    `settings` tells a step that stores a file where (default: from the environment)."""
    cmd = COMMANDS.get(name)
    if cmd is None:
        raise CaseworkError("workflow.unknown_command", command=name)
    case = lock_case(session, get_case(session, case_number))
    if expected_version is not None and case.version != expected_version:
        raise CaseworkError("case.stale", expected=expected_version, current=case.version)
    if not actor.roles & cmd.roles:
        raise CaseworkError("workflow.role_not_allowed", command=cmd.label)
    if case.stage not in cmd.stages:
        raise CaseworkError("workflow.wrong_stage", command=cmd.label, stage=stage_label(case.stage))
    person = _track(case, cmd, track) if cmd.on_track else None
    missing = [Problem(f, "required") for f in cmd.fields if not str(fields.get(f) or "").strip()]
    if problems := missing + text_problems(fields):
        raise ValidationError(problems)

    at = at or utcnow()
    before = snapshot(case)
    step = Step(session, case, actor, at, fields, person, letters=list(cmd.letters), settings=settings)
    try:
        cmd.handler(step)
        if cmd.on_track and all(p.track_stage in CLOSED_TRACKS for p in case.reported):
            step.move(Stage.CLOSED, "Semua ASN terlapor telah ditindaklanjuti")
        case.updated_at = at
        flag_modified(case, "updated_at")  # every command bumps the version, also when only a track changed
        session.flush()
    except StaleDataError:  # changed by a writer that did not take the row lock: the same answer, nothing kept
        raise CaseworkError("case.stale", expected=expected_version, current="?") from None
    after = snapshot(case)
    after["letters"] = step.letters
    audit.record(session, actor=actor.username, action=f"case.{name}", entity="case", entity_id=case.id,
                 case_id=case.id, before=before,
                 after={**after, "fields": {k: v for k, v in fields.items() if v not in (None, "")},
                        "track": person.nip if person else None}, at=at)
    return case


# Free text of a decision form: at most MAX_TEXT characters (FIELD_LIMITS: fields stored in a shorter column), no
# control characters — refused before anything is written, like intake's fields.
MAX_TEXT = 20_000
FIELD_LIMITS = {"forwarded_to": 200, "into": 32}


def text_problems(fields: dict[str, Any]) -> list[Problem]:
    problems = []
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        limit = FIELD_LIMITS.get(name, MAX_TEXT)
        if len(value.strip()) > limit:
            problems.append(Problem(name, "too_long", {"max": limit}))
        elif has_control_chars(value):
            problems.append(Problem(name, "text.control_chars"))
    return problems


def lock_case(session: Session, case: Case) -> Case:
    """PostgreSQL: hold the case's row until commit and see its latest committed version, so a second decision
    on the same case waits for the first and is then refused as stale (SQLite's writers already queue at BEGIN
    IMMEDIATE). Without it both would pass the version check and the second would fail at its UPDATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        session.expire(case)  # columns and relationships reload as committed by whoever held the lock before
    return case


def _track(case: Case, cmd: Command, nip: str | None) -> ReportedASN:
    if not nip:
        raise CaseworkError("workflow.track_required", command=cmd.label)
    person = next((p for p in case.reported if p.nip == nip), None)
    if person is None:
        raise CaseworkError("workflow.unknown_track", nip=nip)
    if person.track_stage not in cmd.track_stages:
        raise CaseworkError("workflow.track_wrong_stage", command=cmd.label, name=person.name,
                            stage=stage_label(person.track_stage or case.stage))
    return person


def available_commands(case: Case, actor: Actor) -> list[Command]:
    """The steps this actor may take now (the desk offers only these)."""
    tracks = {p.track_stage for p in case.reported}
    return [cmd for cmd in COMMANDS.values()
            if actor.roles & cmd.roles and case.stage in cmd.stages
            and (not cmd.on_track or tracks & cmd.track_stages)]


@dataclass(frozen=True)
class FormField:
    """A field of a step's form, as the desk shows it."""

    name: str
    kind: str  # text / textarea / choice / date / track / file
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)


def form_fields(cmd: Command) -> list[FormField]:
    """The form of a step: its track choice, required fields, and the optional ones it understands."""
    sanctions = tuple((k["code"], k["label_id"]) for k in load("sanctions")["kinds"])
    special: dict[str, FormField] = {
        "reason": FormField("reason", "choice", True, tuple(DECLINE_REASONS.items()))
        if cmd.name == "decline_registration" else FormField("reason", "textarea", True),
        "outcome": FormField("outcome", "choice", True, tuple(
            (PLENARY_OUTCOMES if cmd.name == "decide_plenary" else OVERSIGHT_OUTCOMES).items())),
        "sanction": FormField("sanction", "choice", cmd.name == "record_sanction", sanctions),
        "sanction_level": FormField("sanction_level", "choice", True,
                                    tuple((level.code, level.label_id) for level in levels().values())),
        "decree_date": FormField("decree_date", "date", True),
        "effective_from": FormField("effective_from", "date", False),
        "effective_until": FormField("effective_until", "date", False),
        "decree_pdf": FormField("decree_pdf", "file", True),
        "missing": FormField("missing", "textarea", True),
        "minutes": FormField("minutes", "textarea", True),
        "conclusion": FormField("conclusion", "textarea", True),
        "reasoning": FormField("reasoning", "textarea", True),
    }
    optional = {"decide_plenary": ("forwarded_to",), "record_oversight_recommendation": ("sanction", "reason"),
                "record_sanction": ("decree_signer_title", "effective_from", "effective_until"),
                "decline_registration": ("note",), "submit_completion": ("note",), "escalate": ("note",),
                "invite_clarification": ("note",), "merge": ("note",)}.get(cmd.name, ())
    fields = [FormField("track", "track", True)] if cmd.on_track else []
    for name in (*cmd.fields, *optional):
        spec = special.get(name, FormField(name, "text", name in cmd.fields))
        fields.append(FormField(spec.name, spec.kind, name in cmd.fields, spec.choices))
    return fields


def steps_table(lang: str = "id") -> list[dict[str, Any]]:
    """Every command as plain data (for `netra workflow steps` and docs/workflow.md)."""
    return [{"name": c.name, "label": c.label.pick(lang), "roles": sorted(c.roles),
             "stages": sorted(c.stages, key=list(Stage).index), "track_stages": sorted(c.track_stages),
             "fields": list(c.fields), "letters": list(c.letters)} for c in COMMANDS.values()]


def snapshot(case: Case) -> dict[str, Any]:
    return {"stage": case.stage, "version": case.version, "register_number": case.register_number,
            "plenary_outcome": case.plenary_outcome, "study_extended": case.study_extended,
            "tracks": {p.nip: {"stage": p.track_stage, "recommended_sanction": p.recommended_sanction,
                               "sanction": p.sanction, "decree_number": p.decree_number,
                               "decree_file_sha256": p.decree_file_sha256, "escalation_step": p.escalation_step}
                       for p in case.reported}}


def _choice(step: Step, name: str, choices) -> str:
    value = step.text(name)
    if value not in choices:
        raise ValidationError([Problem(name, "bad_choice", {"value": value, "choices": ", ".join(choices)})])
    return value


# --- the commands -------------------------------------------------------------------------------------------------
@command("begin_review", "Mulai kajian awal", "Begin initial review", roles=HANDLER, stages={Stage.RECEIVED})
def begin_review(step: Step) -> None:
    step.move(Stage.INITIAL_REVIEW, "Kajian awal dimulai")


@command("request_completion", "Minta kelengkapan", "Ask to complete", roles=HANDLER, stages={Stage.INITIAL_REVIEW},
         fields=("missing",), letters=("completion_notice",))
def request_completion(step: Step) -> None:
    if step.case.source != "laporan":
        raise CaseworkError("workflow.completion_only_report")
    step.stop("initial_review")
    step.start("completion")
    step.move(Stage.AWAITING_COMPLETION, step.text("missing"))


@command("submit_completion", "Kelengkapan diterima", "Completion received", roles=HANDLER,
         stages={Stage.AWAITING_COMPLETION})
def submit_completion(step: Step) -> None:
    step.stop("completion")
    step.start("initial_review")
    step.move(Stage.INITIAL_REVIEW, step.text("note") or "Pelapor melengkapi syarat")


@command("decline_registration", "Tidak diregistrasi", "Do not register", roles=HANDLER,
         stages={Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION}, fields=("reason",),
         letters=("non_registration_notice",))
def decline_registration(step: Step) -> None:
    reason = _choice(step, "reason", tuple(DECLINE_REASONS))
    step.stop("initial_review", "completion")
    step.stop_everything()
    step.move(Stage.NOT_REGISTERED, f"Tidak diregistrasi: {DECLINE_REASONS[reason]}. {step.text('note')}".strip())


@command("register", "Registrasi", "Register", roles=HANDLER, stages={Stage.INITIAL_REVIEW})
def register(step: Step) -> None:
    case = step.case
    window = rule_for(step.regime, "report_window" if case.source == "laporan" else "finding_window")
    due = compute(window, case.known_on, office_timezone(case)).due_date
    if case.received_on > due:
        raise CaseworkError("workflow.report_late", source=Bilingual(case.source.capitalize(), case.source),
                            received=case.received_on.isoformat(), rule=window.id, due=due.isoformat())
    case.register_number = next_register_number(step.session, case.office, case.source, step.today)
    step.stop("initial_review")
    decision = rule_for(step.regime, "decision")
    if decision.start_event == "registered":  # Pemilu: from registration; Pilkada: already running since receipt
        step.start("decision")
    step.move(Stage.REGISTERED, f"Nomor register {case.register_number}")


@command("invite_clarification", "Undang klarifikasi", "Invite to clarification", roles=HANDLER,
         stages={Stage.REGISTERED}, letters=("clarification_invitation",))
def invite_clarification(step: Step) -> None:
    step.move(Stage.CLARIFICATION, step.text("note") or "Undangan klarifikasi dikirim")


@command("record_clarification", "Catat berita acara klarifikasi", "Record clarification minutes", roles=HANDLER,
         stages={Stage.CLARIFICATION}, fields=("minutes",), letters=("clarification_minutes",))
def record_clarification(step: Step) -> None:
    step.move(Stage.STUDY, step.text("minutes"))


@command("extend_study", "Perpanjang kajian", "Extend the study", roles=HANDLER,
         stages={Stage.CLARIFICATION, Stage.STUDY}, fields=("reason",))
def extend_study(step: Step) -> None:
    if step.case.study_extended:
        raise CaseworkError("workflow.already_extended")
    decision = rule_for(step.regime, "decision")
    for old in open_deadlines(step.session, step.case, rule_ids={decision.id}):
        supersede(step.session, step.case, old, rule_for(step.regime, "decision_extended"), step.at)
    step.case.study_extended = True


@command("submit_study", "Ajukan kajian ke pleno", "Submit the study to the plenary", roles=HANDLER,
         stages={Stage.STUDY}, fields=("conclusion",))
def submit_study(step: Step) -> None:
    step.move(Stage.PLENARY, step.text("conclusion"))


@command("decide_plenary", "Putusan pleno", "Plenary decision", roles=HEAD, stages={Stage.PLENARY},
         fields=("outcome", "reasoning"))
def decide_plenary(step: Step) -> None:
    outcome = _choice(step, "outcome", tuple(PLENARY_OUTCOMES))
    if step.case.plenary_outcome:
        raise CaseworkError("workflow.plenary_decided")
    if outcome == "other_law" and not step.text("forwarded_to"):
        raise ValidationError([Problem("forwarded_to", "required")])
    step.case.plenary_outcome = outcome
    step.case.forwarded_to = step.text("forwarded_to") or None
    step.stop("decision", "decision_extended")
    if outcome == "not_violation":
        step.letters.append("status_announcement")
        step.move(Stage.CLOSED, f"Pleno: bukan pelanggaran. {step.text('reasoning')}")
    elif outcome == "other_law":
        step.letters += ["forward_other_institution", "status_announcement"]
        step.move(Stage.CLOSED, f"Pleno: diteruskan kepada {step.text('forwarded_to')}. {step.text('reasoning')}")


@command("forward", "Teruskan rekomendasi", "Forward the recommendation", roles=HEAD, stages={Stage.PLENARY},
         letters=("recommendation_to_oversight", "status_announcement"))
def forward(step: Step) -> None:
    if step.case.plenary_outcome != "violation":
        raise CaseworkError("workflow.no_plenary_violation")
    body = body_valid_on(step.session, step.today)
    step.move(Stage.FORWARDED, f"Rekomendasi diteruskan kepada {body.code}")
    for person in step.case.reported:
        person.oversight_body = body
        move_track(step.session, person, TrackStage.OVERSIGHT_REVIEW, actor=step.actor.username, at=step.at,
                   reason=f"Diteruskan kepada {body.code}")
        step.start("oversight", person=person, rule_id="oversight.recommendation")


@command("record_oversight_recommendation", "Catat rekomendasi KASN/BKN", "Record the oversight recommendation",
         roles=OVERSIGHT, stages={Stage.FORWARDED}, track_stages={TrackStage.OVERSIGHT_REVIEW},
         fields=("outcome",), letters=("oversight_recommendation",))
def record_oversight_recommendation(step: Step) -> None:
    """A sanction to recommend to the PPK, or a reasoned finding that no violation is proven (which closes the
    track: the case is complete once every reported ASN has a sanction or such a finding)."""
    outcome = _choice(step, "outcome", tuple(OVERSIGHT_OUTCOMES))
    person = step.person
    if outcome == "sanction_recommended":
        person.recommended_sanction = check_sanction(step.fields).code
        step.stop_track("oversight.recommendation")
        person.referred_to_agency_at = step.at
        step.move_track(TrackStage.AGENCY_FOLLOW_UP, f"Rekomendasi kepada {person.agency.ppk_title}")
        step.start("agency", person=person, rule_id="agency.follow_up")
    else:
        problems = []
        if not step.text("reason"):
            problems.append(Problem("reason", "sanction.finding_reason_required"))
        if step.text("sanction"):
            problems.append(Problem("sanction", "sanction.not_proven_with_sanction"))
        if problems:
            raise ValidationError(problems)
        person.finding_reason = step.text("reason")
        step.stop_track("oversight.recommendation")
        step.move_track(TrackStage.NOT_PROVEN, f"Tidak terbukti: {person.finding_reason}")


@command("record_sanction", "Catat keputusan sanksi", "Record the sanction decree", roles=BKPSDM,
         stages={Stage.FORWARDED}, track_stages={TrackStage.AGENCY_FOLLOW_UP},
         fields=("sanction_level", "sanction", "decree_number", "decree_date", "decree_signer_name", "decree_pdf"))
def record_sanction(step: Step) -> None:
    """The PPK's decree (SK): penalty by level and kind, number, date, signer, effect dates, and its PDF —
    checked as a whole by casework.road.sanctions before anything is written."""
    person = step.person
    decree = check_decree(step.fields, today=step.today, ppk_title=person.agency.ppk_title)
    person.sanction = decree.kind.code
    person.decree_number, person.decree_date = decree.number, decree.signed_on
    person.decree_signer_name, person.decree_signer_title = decree.signer_name, decree.signer_title
    person.effective_from, person.effective_until = decree.effective_from, decree.effective_until
    store_decree_pdf(step.session, person, decree.pdf, step.settings or Settings.from_env())
    step.stop_track("agency.follow_up", "escalation.repeat")
    step.move_track(TrackStage.SANCTIONED, f"SK {person.decree_number}")


@command("escalate", "Eskalasi PPK", "Escalate to the PPK", roles=HANDLER | {SYSTEM_ROLE}, stages={Stage.FORWARDED},
         track_stages={TrackStage.AGENCY_FOLLOW_UP})
def escalate(step: Step) -> None:
    person = step.person
    ladder = load("escalation")
    if person.escalation_step >= len(ladder["steps"]):
        raise CaseworkError("workflow.ladder_exhausted", name=person.name)
    pending = open_deadlines(step.session, step.case, person=person,
                             rule_ids={"agency.follow_up", ladder["repeat_rule"]})
    late = [d for d in pending if d.due_at < step.at]
    if not late:
        due = min((d.due_at for d in pending), default=None)
        raise CaseworkError("workflow.not_late_yet", rule=pending[0].rule_id if pending else "agency.follow_up",
                            due=due.isoformat() if due else "-")
    stop(late, step.at)
    rung = ladder["steps"][person.escalation_step]
    person.escalation_step += 1
    person.escalations.append(TrackEscalation(step=rung["code"], at=step.at, actor=step.actor.username,
                                              note=step.text("note")))
    step.letters.append(rung["letter"])
    step.start("escalation", person=person, rule_id=ladder["repeat_rule"])


@command("withdraw", "Cabut laporan", "Withdraw", roles=HANDLER, stages=BEFORE_REGISTRATION, fields=("reason",))
def withdraw(step: Step) -> None:
    step.stop_everything()
    step.move(Stage.WITHDRAWN, step.text("reason"))


@command("merge", "Gabungkan ke kasus lain", "Merge into another case", roles=HANDLER,
         stages=BEFORE_REGISTRATION | {Stage.REGISTERED, Stage.CLARIFICATION, Stage.STUDY}, fields=("into",))
def merge(step: Step) -> None:
    target = get_case(step.session, step.text("into"))
    if target.id == step.case.id:
        raise CaseworkError("workflow.merge_self")
    if target.stage in TERMINAL_STAGES:
        raise CaseworkError("workflow.merge_target_closed", number=target.number, stage=stage_label(target.stage))
    step.case.merged_into_id = target.id
    step.stop_everything()
    step.move(Stage.MERGED, f"Digabung ke {target.number}. {step.text('note')}".strip())
