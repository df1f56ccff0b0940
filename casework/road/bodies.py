"""The answer of a reported person's own institution (issue 18 item 2; rules/person_kinds.toml).

Someone who is not an ASN — a village head or official, a TNI soldier, a Polri officer, someone else — is not
forwarded to KASN/BKN: the plenary's finding goes to their own institution (the bupati or wali kota for a village,
the unit's commander, the head of the police unit), which decides what to do under its own law. Bawaslu records the
answer when it comes: a sanction (what, and the letter or decision that says so) or none, with the reason. The
track then ends — sanctioned, or not proven — like an ASN's.
Optional: it is the institution's move; its deadline (body.follow_up) reminds the handling office, not Tugas saya.
"""
from __future__ import annotations

from dataclasses import dataclass

from casework.errors import Problem, ValidationError
from casework.i18n.catalog import N_
from casework.road.inputs import Input, Labelled, choice, long_text, text
from casework.road.stages import Stage, TrackStage
from casework.road.workflow import Step, command

HANDLER = frozenset({"bawaslu_handler"})


class BodyOutcome(Labelled):
    SANCTIONED = "sanctioned", N_("Dijatuhi sanksi oleh instansinya")
    NOT_SANCTIONED = "not_sanctioned", N_("Tidak dijatuhi sanksi")


@dataclass(frozen=True)
class BodyAnswer(Input):
    outcome: BodyOutcome = choice(BodyOutcome)
    answer_reference: str = text(max_length=100)  # the institution's letter or decision number
    action: str = text(required=False, max_length=200)  # what it imposed, e.g. "teguran tertulis"
    note: str = long_text(required=False)  # and why, when it imposed nothing


@command("record_body_outcome", N_("Catat tindak lanjut instansi terlapor"), roles=HANDLER, stages={Stage.FORWARDED},
         track_stages={TrackStage.BODY_FOLLOW_UP}, input=BodyAnswer, optional=True)
def record_body_outcome(step: Step) -> None:
    data, person = step.input, step.person
    if data.outcome is BodyOutcome.SANCTIONED and not data.action:
        raise ValidationError([Problem("action", "required")])
    if data.outcome is BodyOutcome.NOT_SANCTIONED and not data.note:
        raise ValidationError([Problem("note", "sanction.finding_reason_required")])
    person.decree_number = data.answer_reference
    person.decree_date = step.today
    person.finding_reason = data.action if data.outcome is BodyOutcome.SANCTIONED else data.note
    step.stop_track("body.follow_up")
    if data.outcome is BodyOutcome.SANCTIONED:
        step.move_track(TrackStage.SANCTIONED, f"{person.agency.ppk_title}: {data.action} ({data.answer_reference})")
    else:
        step.move_track(TrackStage.NOT_PROVEN, f"{person.agency.ppk_title}: tidak dijatuhi sanksi "
                                               f"({data.answer_reference}): {data.note}")
