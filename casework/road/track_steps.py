"""The steps on one reported ASN's track, from the forward on (domain.md §3): the oversight body's
recommendation, the PPK's decree recorded by its BKPSDM, and the escalation ladder for a late PPK. They run inside
`casework.road.workflow.execute` like every step; `casework.road.steps` registers them after the case's own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework.deadlines.records import open_deadlines, stop
from casework.errors import CaseworkError, Problem, ValidationError
from casework.deadlines.engine import get_rule
from casework.i18n.catalog import N_, Text
from casework.i18n.dates import Day
from sqlalchemy.orm import object_session

from casework.models import Case, ReportedASN, TrackEscalation, utcnow
from casework.road.inputs import Input, Labelled, Upload, choice, day, long_text, text, upload
from casework.road.sanctions import (check_decree, kinds, levels, missing_slots, sanction_label, store_decree,
                                     wrong_asn_kind)
from casework.road.stages import Stage, TrackStage
from casework.road.workflow import Step, command
from casework.rules import load

HANDLER = frozenset({"bawaslu_handler"})
OVERSIGHT = frozenset({"oversight_officer"})
BKPSDM = frozenset({"bkpsdm_officer"})
SYSTEM_ROLE = "system"


class OversightOutcome(Labelled):
    SANCTION_RECOMMENDED = "sanction_recommended", N_("Rekomendasi sanksi")
    NOT_PROVEN = "not_proven", N_("Tidak terbukti")
    REJECTED = "rejected", N_("Ditolak")  # rules/track_outcomes.toml: Netra's policy, after BKN's count
    CANCELLED = "cancelled", N_("Dibatalkan")


# an outcome that ends the track without a sanction: the track stage it ends in, and the history's words
ENDINGS = {OversightOutcome.NOT_PROVEN: (TrackStage.NOT_PROVEN, "Tidak terbukti"),
           OversightOutcome.REJECTED: (TrackStage.REJECTED, "Ditolak"),
           OversightOutcome.CANCELLED: (TrackStage.CANCELLED, "Dibatalkan")}


def left_service_reasons() -> dict[str, Text]:
    return {r["code"]: Text(r["label_id"]) for r in load("track_outcomes")["outcomes"]["left_service"]["reasons"]}


def sanction_kinds() -> dict[str, Text]:
    return {code: Text(k.label_id) for code, k in kinds().items()}


def sanction_levels() -> dict[str, Text]:
    return {code: Text(level.label_id) for code, level in levels().items()}



# --- each reported ASN's track ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OversightRecommendation(Input):
    outcome: OversightOutcome = choice(OversightOutcome)
    sanction: str | None = choice(sanction_kinds, required=False, bad_choice="workflow.unknown_sanction")
    reason: str = long_text(required=False)
    # SKB 2022: a moral sanction and a discipline penalty together — the other one of the two
    second_sanction: str | None = choice(sanction_kinds, required=False, bad_choice="workflow.unknown_sanction")


@command("record_oversight_recommendation", N_("Catat rekomendasi KASN/BKN"),
         roles=OVERSIGHT, stages={Stage.FORWARDED}, track_stages={TrackStage.OVERSIGHT_REVIEW},
         input=OversightRecommendation, letters=("oversight_recommendation",))
def record_oversight_recommendation(step: Step) -> None:
    """A sanction to recommend to the PPK — or two, a moral sanction and a discipline penalty (SKB 2022) — or a
    reasoned finding that no violation is proven (which closes the track: the case is complete once every
    reported ASN has a sanction or such a finding)."""
    data, person = step.input, step.person
    if data.outcome is OversightOutcome.SANCTION_RECOMMENDED:
        if not data.sanction:
            raise ValidationError([Problem("sanction", "choice.missing")])
        unfit = wrong_asn_kind("sanction", data.sanction, person.asn_kind) \
            + wrong_asn_kind("second_sanction", data.second_sanction, person.asn_kind)
        if unfit:
            raise ValidationError(unfit)
        if data.second_sanction and kinds()[data.second_sanction].slot == kinds()[data.sanction].slot:
            raise ValidationError([Problem("second_sanction", "sanction.second_same_slot",
                                           {"first": kinds()[data.sanction].label_id,
                                            "second": kinds()[data.second_sanction].label_id})])
        person.recommended_sanction = data.sanction
        person.recommended_second_sanction = data.second_sanction
        step.stop_track("oversight.recommendation")
        person.referred_to_agency_at = step.at
        step.move_track(TrackStage.AGENCY_FOLLOW_UP, f"Rekomendasi kepada {person.agency.ppk_title}")
        step.start("agency", person=person, rule_id="agency.follow_up")
        return
    problems = []
    if not data.reason:
        problems.append(Problem("reason", "sanction.finding_reason_required"))
    if data.sanction:
        problems.append(Problem("sanction", "sanction.not_proven_with_sanction"))
    if data.second_sanction:
        problems.append(Problem("second_sanction", "sanction.not_proven_with_sanction"))
    if problems:
        raise ValidationError(problems)
    person.finding_reason = data.reason
    stage, words = ENDINGS[data.outcome]
    step.stop_track("oversight.recommendation")
    step.move_track(stage, f"{words}: {person.finding_reason}")


@dataclass(frozen=True)
class RecordSanction(Input):
    sanction_level: str = choice(sanction_levels)
    sanction: str = choice(sanction_kinds, bad_choice="workflow.unknown_sanction")
    decree_number: str = text(max_length=100)
    decree_date: date = day()
    decree_signer_name: str = text(max_length=200)
    decree_pdf: Upload = upload()
    decree_signer_title: str = text(required=False, max_length=200)
    effective_from: date | None = day(required=False)
    effective_until: date | None = day(required=False)


@command("record_sanction", N_("Catat keputusan sanksi"), roles=BKPSDM,
         stages={Stage.FORWARDED}, track_stages={TrackStage.AGENCY_FOLLOW_UP}, input=RecordSanction,
         act_field="decree_date")
def record_sanction(step: Step) -> None:
    """The PPK's decree (SK): penalty by level and kind, number, date, signer, effect dates, and its PDF —
    checked as a whole by casework.road.sanctions before anything is written. One decree per step: the track is
    sanctioned once every recommended sanction has its decree (a moral sanction and a discipline penalty
    recommended together take two), and stays in follow-up, its deadline running, until then."""
    if step.settings is None:
        raise ValueError("record_sanction stores the decree PDF: execute() needs the settings")
    person = step.person
    decree = check_decree(step.input, today=step.recorded_on, ppk_title=person.agency.ppk_title,
                          asn_kind=person.asn_kind)
    open_slots = {kinds()[c].slot for c in missing_slots(person)}
    if len(person.recommended_sanctions) > 1 and decree.kind.slot not in open_slots:
        raise ValidationError([Problem("sanction", "sanction.slot_already_imposed", {"kind": decree.kind.label_id})])
    row = store_decree(step.session, person, decree, step.settings, step.at)
    waiting = missing_slots(person)
    if waiting:
        step.move_track(TrackStage.AGENCY_FOLLOW_UP, f"SK {row.number} ({sanction_label(row.sanction)}); menunggu SK "
                        + "; ".join(sanction_label(c) or c for c in waiting))
        return
    step.stop_track("agency.follow_up", "escalation.repeat")
    step.move_track(TrackStage.SANCTIONED, "; ".join(f"SK {d.number}" for d in person.decrees))


@dataclass(frozen=True)
class EscalationNote(Input):
    note: str = long_text(required=False)


def _owes_escalation(case: Case, person: ReportedASN | None) -> bool:
    """A rung is left on the ladder and the PPK's follow-up (or the last rung's repeat) is past due now."""
    ladder = load("escalation")
    session = object_session(case)
    if person is None or session is None or person.escalation_step >= len(ladder["steps"]):
        return False
    pending = open_deadlines(session, case, person=person, rule_ids={"agency.follow_up", ladder["repeat_rule"]})
    return any(d.due_at < utcnow() for d in pending)


@command("escalate", N_("Eskalasi PPK"), roles=HANDLER | {SYSTEM_ROLE}, stages={Stage.FORWARDED},
         track_stages={TrackStage.AGENCY_FOLLOW_UP}, input=EscalationNote, offered=_owes_escalation)
def escalate(step: Step) -> None:
    person = step.person
    ladder = load("escalation")
    if person.escalation_step >= len(ladder["steps"]):
        raise CaseworkError("workflow.ladder_exhausted", name=person.name)
    pending = open_deadlines(step.session, step.case, person=person,
                             rule_ids={"agency.follow_up", ladder["repeat_rule"]})
    late = [d for d in pending if d.due_at < step.at]
    if not late:
        first = min(pending, key=lambda d: d.due_at, default=None)
        raise CaseworkError("workflow.not_late_yet",
                            rule=Text(get_rule(first.rule_id if first else "agency.follow_up").label_id),
                            due=Day(first.due_date) if first else "-")
    stop(late, step.at)
    rung = ladder["steps"][person.escalation_step]
    person.escalation_step += 1
    person.escalations.append(TrackEscalation(step=rung["code"], at=step.at, actor=step.principal.username,
                                              note=step.input.note))
    step.letters.append(rung["letter"])
    step.start("escalation", person=person, rule_id=ladder["repeat_rule"])


# after the road's own steps: on the case page it comes below the recommendation or the decree form
@dataclass(frozen=True)
class LeftService(Input):
    left_reason: str = choice(left_service_reasons)  # the act's date (acted_on, every step's) is the day they left
    note: str = long_text(required=False)  # e.g. the number of the decree that ended their service


@command("record_left_service", N_("Catat terlapor tidak lagi ASN"), roles=OVERSIGHT | BKPSDM,
         stages={Stage.FORWARDED}, track_stages={TrackStage.OVERSIGHT_REVIEW, TrackStage.AGENCY_FOLLOW_UP},
         input=LeftService)
def record_left_service(step: Step) -> None:
    """The reported ASN retired, resigned, died or was dismissed for another cause before a decree: no penalty can
    be imposed any more (rules/track_outcomes.toml, Netra's policy). The track closes and its open deadlines are
    cancelled — nobody owes the act any more, so they count neither as met nor as missed."""
    data, person = step.input, step.person
    words = left_service_reasons()[data.left_reason].pick("id")
    person.finding_reason = f"{words}: {data.note}" if data.note else words
    stop(open_deadlines(step.session, step.case, person=person), step.at, status="cancelled", on=step.today)
    step.move_track(TrackStage.LEFT_SERVICE, f"Tidak lagi ASN ({person.finding_reason})")
