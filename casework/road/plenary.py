"""The plenary's decision, per reported person, and the forward that follows it (domain.md §3).

The plenary decides for each reported person: a violation of ASN neutrality (with the violation types found),
not a violation, or a violation of another law (referred to whom). Only the people found in violation are
forwarded to the oversight body; a person referred elsewhere gets the referral letter; when nobody is in
violation the case closes with the decision. The decision — who recorded it, the day the plenary was held (the
act date), each person's outcome and the reasoning — stays on the case. A decided plenary is not offered again: a
correction before the forward is its own step, with its reason, audited like every step.
"""
from __future__ import annotations

from dataclasses import dataclass

from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import N_, Text
from casework.models import ReportedASN
from casework.road.identifiers import ASN
from casework.road.inputs import Input, PersonEntry, choice, long_text, per_person, text
from casework.road.outcomes import PlenaryOutcome
from casework.road.oversight import body_valid_on
from casework.road.stages import Stage, TrackStage
from casework.road.workflow import Step, command, move_track
from casework.rules import violation_catalogue

HEAD = frozenset({"bawaslu_head"})


def violation_types() -> dict[str, Text]:
    return {code: Text(item["label_id"]) for code, item in violation_catalogue().items()}


@dataclass(frozen=True)
class DecidePlenary(Input):
    """`outcomes`: each person's outcome by NIP; `outcome` (and `forwarded_to` for another law) applies to every
    person not listed there — a case with one reported ASN, and scripts written before per-person outcomes."""

    reasoning: str = long_text()
    outcome: PlenaryOutcome | None = choice(PlenaryOutcome, required=False, on_form=False)
    forwarded_to: str = text(required=False, max_length=200, on_form=False)
    outcomes: dict[str, PersonEntry] = per_person(PlenaryOutcome, violation_types)


@dataclass(frozen=True)
class CorrectPlenary(DecidePlenary):
    correction: str = long_text(required=False)


def _apply(step: Step) -> list[ReportedASN]:
    """Each person's outcome from the input, checked against the case; returns the people in violation."""
    data, case = step.input, step.case
    by_nip = {p.nip: p for p in case.reported}
    problems = [Problem("outcomes", "plenary.unknown_person", {"nip": nip}) for nip in data.outcomes
                if nip not in by_nip]
    case_codes = [v.code for v in case.violations]
    decided: list[tuple[ReportedASN, PlenaryOutcome, tuple[str, ...], str]] = []
    for person in case.reported:
        entry = data.outcomes.get(person.nip)
        outcome = PlenaryOutcome(entry.outcome) if entry else data.outcome
        if outcome is None:
            problems.append(Problem("outcomes", "plenary.outcome_missing", {"name": person.name, "nip": person.nip},
                                    at=f"outcomes.{person.nip}.outcome"))
            continue
        codes = (entry.codes if entry else ()) or tuple(case_codes)
        to = (entry.to if entry else "") or data.forwarded_to
        if outcome is PlenaryOutcome.VIOLATION and not codes:
            problems.append(Problem("outcomes", "plenary.violations_missing", {"name": person.name},
                                    at=f"outcomes.{person.nip}.codes"))
        if outcome is PlenaryOutcome.OTHER_LAW and not to:
            problems.append(Problem("forwarded_to", "plenary.referred_to_missing", {"name": person.name},
                                    at=f"outcomes.{person.nip}.to"))
        decided.append((person, outcome, codes, to))
    if problems:
        raise ValidationError(problems)
    for person, outcome, codes, to in decided:
        person.plenary_outcome = outcome.value
        person.plenary_violations = list(codes) if outcome is PlenaryOutcome.VIOLATION else None
        person.plenary_referred_to = to if outcome is PlenaryOutcome.OTHER_LAW else None
    outcomes = {o for _, o, _, _ in decided}  # the case's summary: anyone in violation, else anyone referred
    case.plenary_outcome = next(o for o in (PlenaryOutcome.VIOLATION, PlenaryOutcome.OTHER_LAW)
                                if o in outcomes) if outcomes - {PlenaryOutcome.NOT_VIOLATION} \
        else PlenaryOutcome.NOT_VIOLATION.value
    referred = list(dict.fromkeys(to for _, o, _, to in decided if o is PlenaryOutcome.OTHER_LAW))
    case.forwarded_to = "; ".join(referred)[:200] or None
    case.plenary_decided_on, case.plenary_decided_by = step.today, step.principal.username
    case.plenary_reasoning = data.reasoning
    return [p for p, o, _, _ in decided if o is PlenaryOutcome.VIOLATION]


def _conclude(step: Step, in_violation: list[ReportedASN], reason: str, referred_before: str | None = None) -> None:
    """Ask what the decision owes, and move the case: decided (to be forwarded) or closed. A correction that
    leaves the referrals as they were asks for no second referral letter."""
    if step.case.forwarded_to and step.case.forwarded_to != referred_before:
        step.letters.append("forward_other_institution")
    if in_violation:
        step.move(Stage.DECIDED, reason)
        return
    step.letters.append("status_announcement")
    step.move(Stage.CLOSED, reason)


def _summary(step: Step) -> str:
    """The history's line: how many people had which outcome — never names or reasoning, which a case-level row
    would show to every viewer of the case (each person's outcome is shown with the person, to whoever may see
    them)."""
    counts = [(sum(p.plenary_outcome == o for p in step.case.reported), o) for o in PlenaryOutcome]
    return "Putusan pleno: " + ", ".join(f"{o.label('id')}: {n}" for n, o in counts if n)


@command("decide_plenary", N_("Putusan pleno"), roles=HEAD, stages={Stage.PLENARY}, input=DecidePlenary)
def decide_plenary(step: Step) -> None:
    if step.case.plenary_outcome:
        raise CaseworkError("workflow.plenary_decided")
    in_violation = _apply(step)
    step.stop("decision", "decision_extended")
    _conclude(step, in_violation, _summary(step))


@command("correct_plenary", N_("Koreksi putusan pleno"), roles=HEAD, stages={Stage.DECIDED}, input=CorrectPlenary)
def correct_plenary(step: Step) -> None:
    """Before the forward, a decision recorded wrongly (a person's outcome, the day, the reasoning) is corrected
    as its own step with its reason; the audit trail keeps the decision before and after."""
    if not step.input.correction:
        raise ValidationError([Problem("correction", "required")])
    referred_before = step.case.forwarded_to
    in_violation = _apply(step)
    # the reason stays in the audit trail (it may name a person): the history says a correction was made
    _conclude(step, in_violation, f"Koreksi. {_summary(step)}", referred_before)


def _anyone_in_violation(case, _person=None) -> bool:
    return any(p.plenary_outcome == PlenaryOutcome.VIOLATION for p in case.reported)


@command("forward", N_("Teruskan rekomendasi"), roles=HEAD, stages={Stage.DECIDED},
         letters=("status_announcement",), offered=_anyone_in_violation)
def forward(step: Step) -> None:
    """The people found in violation go on their own tracks: an ASN to the oversight body (KASN/BKN) with the
    recommendation letter; anyone else — a village head or official, a soldier, a police officer — to their own
    institution with its letter (rules/person_kinds.toml), whose answer is awaited (body.follow_up, policy)."""
    in_violation = [p for p in step.case.reported if p.plenary_outcome == PlenaryOutcome.VIOLATION]
    if not _anyone_in_violation(step.case):
        raise CaseworkError("workflow.no_plenary_violation")
    asn = [p for p in in_violation if p.person_kind == ASN]
    others = [p for p in in_violation if p.person_kind != ASN]
    body = body_valid_on(step.session, step.today) if asn else None
    step.move(Stage.FORWARDED, f"Rekomendasi diteruskan kepada {body.code}" if body
              else "Diteruskan kepada instansi terlapor")
    for person in asn:
        person.oversight_body = body
        move_track(step.session, person, TrackStage.OVERSIGHT_REVIEW, actor=step.principal.username, at=step.at,
                   reason=f"Diteruskan kepada {body.code}", acted_on=step.today)
        step.start("oversight", person=person, rule_id="oversight.recommendation")
    for person in others:
        move_track(step.session, person, TrackStage.BODY_FOLLOW_UP, actor=step.principal.username, at=step.at,
                   reason=f"Diteruskan kepada {person.agency.ppk_title}", acted_on=step.today)
        step.start("body", person=person, rule_id="body.follow_up")
    step.letters[:0] = (["recommendation_to_oversight"] if asn else []) + (["forward_to_body"] if others else [])
