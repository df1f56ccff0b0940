"""Objection and appeal against a PPK's decree — upaya administratif (issue 18 item 3; rules/appeals.toml).

The reported ASN objects (keberatan, to the PPK) or, against a dismissal or the end of a PPPK's contract, appeals to
the Badan Pertimbangan ASN (banding administratif) — PP 79/2021. Bawaslu and the agency learn of it and record it;
the decision then upholds the decree, replaces it by a revised penalty, or annuls it:

    record_appeal           which decree (its number; the only one when there is one), filed on the act date; the
                            kind follows the penalty (`ends_service`); a filing after its window is recorded, said
                            to be late (the body declares it inadmissible), and the decision's watch starts
    record_appeal_decision  the outcome with the decision's number; a revised penalty is recorded as a new decree
                            (the old one marked revised); an annulment marks the decree annulled and, when no other
                            decree stands, ends the track as "Sanksi dibatalkan"

Taken by the BKPSDM of the person's agency or the handling office's handler, also after the case closed. Neither is
anyone's owed step (an appeal is the employee's move, its decision the body's): optional, never on Tugas saya.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from casework.deadlines.engine import compute, get_rule
from casework.deadlines.records import office_timezone, open_deadlines, stop
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import N_, Text
from casework.i18n.dates import Day
from casework.models import Case, ReportedASN, SanctionAppeal, SanctionDecree
from casework.road.inputs import Input, Upload, choice, day, long_text, text, upload
from casework.road.sanctions import Decree, kinds, levels, pdf_problems, store_decree, wrong_asn_kind
from casework.road.stages import Stage, TrackStage
from casework.road.track_steps import sanction_kinds, sanction_levels
from casework.road.workflow import Step, command, note_on_track
from casework.rules import load

RECORDERS = frozenset({"bkpsdm_officer", "bawaslu_handler"})
STAGES = frozenset({Stage.FORWARDED, Stage.CLOSED})
# a decree exists from the first one recorded: also while a second one (a moral sanction beside a penalty) is awaited
TRACKS = frozenset({TrackStage.AGENCY_FOLLOW_UP, TrackStage.SANCTIONED})
LEVEL_ORDER = ("moral", "light", "medium", "heavy", "dismissal")


@cache
def rules() -> dict:
    return load("appeals")


def outcomes() -> dict[str, Text]:
    return {o["code"]: Text(o["label_id"]) for o in rules()["outcomes"]}


def kind_of(decree: SanctionDecree) -> str:
    """Banding against a penalty that ends the employment, keberatan against any other (PP 79/2021 Ps. 1)."""
    spec = kinds().get(decree.sanction)
    return "banding" if spec is not None and spec.spec.get("ends_service") else "keberatan"


def in_force(person: ReportedASN) -> list[SanctionDecree]:
    return [d for d in person.decrees if d.status == "in_force"]


def open_appeal(person: ReportedASN) -> SanctionAppeal | None:
    return next((a for a in person.appeals if a.outcome is None), None)


def _may_appeal(case: Case, person: ReportedASN | None) -> bool:
    return person is not None and bool(in_force(person)) and open_appeal(person) is None


def _may_decide(case: Case, person: ReportedASN | None) -> bool:
    return person is not None and open_appeal(person) is not None


@dataclass(frozen=True)
class AppealInput(Input):
    decree_number: str = text(required=False, max_length=100)  # which decree; the only one when there is one
    note: str = long_text(required=False)


@command("record_appeal", N_("Catat keberatan atau banding atas SK"), roles=RECORDERS, stages=STAGES,
         track_stages=TRACKS, input=AppealInput, offered=_may_appeal, optional=True)
def record_appeal(step: Step) -> None:
    person, data = step.person, step.input
    standing = in_force(person)
    if open_appeal(person) is not None:
        raise CaseworkError("appeal.already_open", name=person.name)
    wanted = [d for d in standing if d.number == data.decree_number] if data.decree_number else standing
    if len(wanted) != 1:
        raise ValidationError([Problem("decree_number", "appeal.which_decree",
                                       {"numbers": ", ".join(d.number for d in standing) or "-"})])
    decree = wanted[0]
    if step.today < decree.signed_on:
        raise ValidationError([Problem("acted_on", "appeal.before_decree", {"date": Day(decree.signed_on)})])
    kind = kind_of(decree)
    spec = rules()["kinds"][kind]
    window = compute(spec["filing_rule"], decree.signed_on, office_timezone(step.case))
    late = step.today > window.due_date
    person.appeals.append(SanctionAppeal(decree_id=decree.id, kind=kind, filed_on=step.today, late=late,
                                         recorded_by=step.principal.username, recorded_at=step.at))
    if late:  # recorded as filed; whether it is heard is the body's call
        step.warnings.append(CaseworkError("appeal.late", kind=Text(spec["label_id"]), due=Day(window.due_date),
                                           citation=get_rule(spec["filing_rule"]).citation))
    step.start("", person=person, rule_id=spec["decision_rule"])
    words = Text(spec["label_id"]).pick("id")
    note_on_track(step.session, person, actor=step.principal.username, at=step.at, acted_on=step.today,
                  reason=f"{words} atas SK {decree.number} diajukan kepada {spec['addressee']}"
                  + (" (lewat batas waktu)" if late else "") + (f": {data.note}" if data.note else ""))


@dataclass(frozen=True)
class AppealDecision(Input):
    outcome: str = choice(outcomes)
    decision_number: str = text(max_length=100)
    note: str = long_text(required=False)
    # a revised penalty (lightened, made heavier, changed): what it is now
    sanction_level: str | None = choice(sanction_levels, required=False)
    sanction: str | None = choice(sanction_kinds, required=False, bad_choice="workflow.unknown_sanction")
    effective_from: date | None = day(required=False)
    decision_pdf: Upload | None = upload(required=False)


@command("record_appeal_decision", N_("Catat putusan keberatan atau banding"), roles=RECORDERS, stages=STAGES,
         track_stages=TRACKS, input=AppealDecision, offered=_may_decide,
         optional=True)
def record_appeal_decision(step: Step) -> None:
    person, data = step.person, step.input
    appeal = open_appeal(person)
    if appeal is None:
        raise CaseworkError("appeal.none_open", name=person.name)
    old = appeal.decree
    effect = next(o["effect"] for o in rules()["outcomes"] if o["code"] == data.outcome)
    problems = []
    if step.today < appeal.filed_on:
        problems.append(Problem("acted_on", "appeal.decided_before_filed", {"date": Day(appeal.filed_on)}))
    if effect == "revise":
        problems += _revision_problems(data, old, person)
    elif data.sanction or data.sanction_level:
        problems.append(Problem("sanction", "appeal.no_revision", {"outcome": outcomes()[data.outcome]}))
    if data.decision_pdf is not None and (data.decision_pdf.filename or data.decision_pdf.data):
        problems += pdf_problems("decision_pdf", data.decision_pdf)
    if problems:
        raise ValidationError(problems)
    spec = rules()["kinds"][appeal.kind]
    stop(open_deadlines(step.session, step.case, person=person, rule_ids={spec["decision_rule"]}), step.at,
         on=step.today)
    appeal.outcome, appeal.decided_on, appeal.decided_by = data.outcome, step.today, step.principal.username
    appeal.decision_number, appeal.decision_note = data.decision_number, data.note or None
    label = outcomes()[data.outcome].pick("id")
    reason = f"{Text(spec['label_id']).pick('id')} atas SK {old.number}: {label} ({data.decision_number})"
    if effect == "revise":
        new = _record_revision(step, appeal, old, spec)
        reason += f"; sanksi kini {kinds()[new.sanction].label('id')}"
    elif effect == "annul":
        old.status = "annulled"
        if not in_force(person) and person.track_stage == TrackStage.SANCTIONED:
            person.sanction = None  # the penalty in force, as the export and the letters read it: none
            step.move_track(TrackStage.SANCTION_ANNULLED, reason)
            return
    note_on_track(step.session, person, actor=step.principal.username, at=step.at, acted_on=step.today,
                  reason=reason)


def _revision_problems(data: AppealDecision, old: SanctionDecree, person: ReportedASN) -> list[Problem]:
    if not data.sanction or not data.sanction_level:
        return [Problem(name, "appeal.revision_required") for name in ("sanction_level", "sanction")
                if not getattr(data, name)]
    new, before = kinds()[data.sanction], kinds().get(old.sanction)
    problems = wrong_asn_kind("sanction", data.sanction, person.asn_kind)
    if new.level != data.sanction_level:
        problems.append(Problem("sanction", "sanction.level_mismatch",
                                {"kind": new.label_id, "level": levels()[data.sanction_level].label_id,
                                 "actual": levels()[new.level].label_id}))
    if new.duration_months and data.effective_from is None:
        problems.append(Problem("effective_from", "sanction.start_required",
                                {"kind": new.label_id, "months": new.duration_months}))
    if before is not None:  # lightened is not heavier, heavier is not lighter: by level, then by duration
        rank = (LEVEL_ORDER.index(new.level), new.duration_months or 0)
        was = (LEVEL_ORDER.index(before.level), before.duration_months or 0)
        if data.outcome == "lightened" and rank >= was or data.outcome == "heavier" and rank <= was:
            problems.append(Problem("sanction", f"appeal.not_{data.outcome}", {"kind": before.label_id}))
    return problems


def _record_revision(step: Step, appeal: SanctionAppeal, old: SanctionDecree, spec: dict) -> SanctionDecree:
    """The revised penalty as a decree of its own (the decision's number and day, the deciding body), replacing the
    old one; the person's summary of the penalty in force follows it."""
    data, person = step.input, step.person
    kind = kinds()[data.sanction]
    start = data.effective_from
    decree = Decree(kind=kind, number=data.decision_number, signed_on=step.today, signer_name=spec["addressee"],
                    signer_title="", effective_from=start, effective_until=kind.ends_on(start) if start else None,
                    pdf=data.decision_pdf if data.decision_pdf and data.decision_pdf.data else None)
    new = store_decree(step.session, person, decree, step.settings, step.at)
    step.session.flush()
    old.status, old.replaced_by_id, appeal.revised_decree_id = "revised", new.id, new.id
    if person.sanction == old.sanction:  # the summary named the revised decree: it names the new one now
        person.sanction, person.decree_number, person.decree_date = new.sanction, new.number, new.signed_on
        person.effective_from, person.effective_until = new.effective_from, new.effective_until
    return new
