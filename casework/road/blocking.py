"""BKN's blocking of a late PPK's employee's personnel data, and its lifting, recorded as Bawaslu learns them.

Blocking is BKN's own act (Peraturan BKN 1/2023 tentang Pemblokiran Data Kepegawaian dan/atau Layanan
Kepegawaian pada SIASN); Bawaslu only asks for it, on the escalation ladder (rules/escalation.toml, rung
`block_request`). These two track steps record what BKN then did — the day, and BKN's letter or SIASN notice
that says so — so that "asked" and "done" are told apart on the case page, the dashboard and the export:

    record_block    the track is with the PPK (agency_follow_up) and the PPK has been escalated at least once:
                    BKN blocked; at most one open block per person
    record_unblock  BKN lifted the block (usually once the PPK acted): the day, BKN's reference and why — also
                    after the track or the case closed, since BKN unblocks only then

Either is taken by the handling office's handler or by the oversight body's officer. The track's stage does not
change: the history row keeps it (casework.road.handover does the same), and the dashboard's median days ignore it.
"""
from __future__ import annotations

from dataclasses import dataclass

from casework.errors import Problem, ValidationError
from casework.i18n.catalog import N_
from casework.i18n.dates import Day
from casework.models import Case, PersonnelBlock, ReportedASN
from casework.road.inputs import Input, long_text, text
from casework.road.stages import CLOSED_TRACKS, Stage, TrackStage
from casework.road.workflow import Step, command, note_on_track

RECORDERS = frozenset({"bawaslu_handler", "oversight_officer"})


def open_block(person: ReportedASN) -> PersonnelBlock | None:
    return next((b for b in person.blocks if b.unblocked_on is None), None)


def _may_block(case: Case, person: ReportedASN | None) -> bool:
    """Offered once the PPK is late (escalated at least once) and nothing is blocked yet."""
    return person is not None and person.escalation_step > 0 and open_block(person) is None


def _may_unblock(case: Case, person: ReportedASN | None) -> bool:
    return person is not None and open_block(person) is not None


def _keep_stage(step: Step, reason: str) -> None:
    """The act is recorded on the track; the road does not move."""
    note_on_track(step.session, step.person, actor=step.principal.username, at=step.at, reason=reason,
                  acted_on=step.today)


@dataclass(frozen=True)
class BlockInput(Input):
    reference: str = text(max_length=100)  # BKN's letter or SIASN notice; the act date is the day it blocked
    note: str = long_text(required=False)


@command("record_block", N_("Catat pemblokiran data kepegawaian oleh BKN"), roles=RECORDERS,
         stages={Stage.FORWARDED}, track_stages={TrackStage.AGENCY_FOLLOW_UP}, input=BlockInput, offered=_may_block)
def record_block(step: Step) -> None:
    person, data = step.person, step.input
    if open_block(person) is not None:
        raise ValidationError([Problem("reference", "block.already_blocked")])
    person.blocks.append(PersonnelBlock(reported_asn_id=person.id, blocked_on=step.today, reference=data.reference,
                                        recorded_by=step.principal.username, recorded_at=step.at))
    _keep_stage(step, f"Data kepegawaian diblokir BKN ({data.reference})" + (f": {data.note}" if data.note else ""))


@dataclass(frozen=True)
class UnblockInput(Input):
    reference: str = text(max_length=100)  # BKN's letter or SIASN notice; the act date is the day it unblocked
    reason: str = long_text()


@command("record_unblock", N_("Catat pembukaan blokir oleh BKN"), roles=RECORDERS,
         stages={Stage.FORWARDED, Stage.CLOSED}, track_stages={TrackStage.AGENCY_FOLLOW_UP, *CLOSED_TRACKS},
         input=UnblockInput, offered=_may_unblock)
def record_unblock(step: Step) -> None:
    person, data = step.person, step.input
    block = open_block(person)
    if block is None:
        raise ValidationError([Problem("reference", "block.not_blocked")])
    if step.today < block.blocked_on:
        raise ValidationError([Problem("acted_on", "block.unblocked_before_blocked", {"date": Day(block.blocked_on)})])
    block.unblocked_on, block.unblock_reference = step.today, data.reference
    block.unblock_reason, block.unblocked_by = data.reason, step.principal.username
    _keep_stage(step, f"Blokir data kepegawaian dibuka BKN ({data.reference}): {data.reason}")
