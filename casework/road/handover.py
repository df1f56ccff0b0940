"""KASN's open tracks after SE Menpan-RB 4/2024 (rules/oversight_bodies.toml, [handover]): a one-off, audited move.

KASN's tasks passed to Kemenpan-RB and BKN on 4 September 2024. A track forwarded to KASN and still open never
moved in Netra: nobody at KASN records its recommendation any more, and Bawaslu's letters on it went to a body
that no longer exists. For each such track:

    waiting for KASN's recommendation (oversight_review)   -> passes to BKN: its officers see and record it; the
                                                              oversight deadline keeps running (policy, in the rule)
    KASN had recommended (agency_follow_up)                -> stays KASN's recommendation; its PPK reports to the
                                                              Menteri PANRB, and Bawaslu's letters on it go to BKN
                                                              with a copy to the Menteri PANRB

`plan` says what would change (the dry run, nothing written); `carry_out` does it in the caller's transaction,
with a history row and an audit event per track and a new case version (an open form on the case is stale).
A track already handed over is not planned again: running it twice changes nothing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from casework import audit
from casework.models import Case, OversightBody, ReportedASN, utcnow
from casework.letters.addressees import handover_rule as rule
from casework.mail.notifications import HANDOVER, queue_owed
from casework.road.acts import previous_act
from casework.road.stages import TrackStage
from casework.road.workflow import note_on_track

TO_BKN, TO_MENPANRB = "bkn", "menpanrb"
# the history row's reason, kept in Indonesian like every reason a step records
REASONS = {
    TO_BKN: "Dialihkan dari KASN ke BKN: berkas belum diproses KASN ({basis})",
    TO_MENPANRB: "Rekomendasi KASN tetap berlaku; PPK melaporkan tindak lanjutnya kepada {report_to} ({basis})",
}


@dataclass(frozen=True)
class Move:
    """One KASN track and what the handover does to it."""

    case: str
    nip: str
    name: str
    track_stage: str
    action: str  # TO_BKN or TO_MENPANRB
    to: str  # "BKN" or the Menteri PANRB's title

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _open_kasn_tracks(session: Session) -> list[ReportedASN]:
    spec = rule()
    return list(session.scalars(
        select(ReportedASN).join(OversightBody, ReportedASN.oversight_body_id == OversightBody.id)
        .where(OversightBody.code == spec["from"], ReportedASN.oversight_handover.is_(None),
               ReportedASN.track_stage.in_([TrackStage.OVERSIGHT_REVIEW, TrackStage.AGENCY_FOLLOW_UP]))
        .options(selectinload(ReportedASN.case).selectinload(Case.office))
        .order_by(ReportedASN.case_id, ReportedASN.id)))


def _move(person: ReportedASN, spec: dict) -> Move:
    if person.track_stage == TrackStage.OVERSIGHT_REVIEW:
        return Move(person.case.number, person.nip, person.name, person.track_stage, TO_BKN, spec["unprocessed_to"])
    return Move(person.case.number, person.nip, person.name, person.track_stage, TO_MENPANRB,
                spec["processed_report_to"])


def plan(session: Session) -> list[Move]:
    """What `carry_out` would do now: every open KASN track not handed over yet (nothing is written)."""
    spec = rule()
    return [_move(p, spec) for p in _open_kasn_tracks(session)]


def carry_out(session: Session, *, actor: str, base_url: str, at: datetime | None = None) -> list[Move]:
    """Hand every open KASN track over, in the caller's transaction; returns what was done. BKN (its inbox and
    oversight officers) is told of each track it now holds, through the outbox like a step's notice."""
    at = at or utcnow()
    spec = rule()
    bkn = session.scalar(select(OversightBody).where(OversightBody.code == spec["unprocessed_to"]))
    if bkn is None:
        raise LookupError(f"oversight body {spec['unprocessed_to']} missing: run `netra setup`")
    done = []
    for person in _open_kasn_tracks(session):
        move = _move(person, spec)
        case = person.case
        # the act's day is the SE's (the track passed to BKN then, whenever Netra records it), or the track's last
        # act if later: a recommendation BKN made after 4 September 2024 can still be recorded with its own date
        zone = case.office.timezone
        acted_on = max(date.fromisoformat(str(spec["on"])), previous_act(case, person, zone)[0])
        before = {"oversight_body": spec["from"], "track_stage": person.track_stage}
        person.oversight_handover = move.action
        if move.action == TO_BKN:
            person.oversight_body_id = bkn.id
        reason = REASONS[move.action].format(basis=spec["basis"], report_to=spec["processed_report_to"])
        change = note_on_track(session, person, actor=actor, at=at, reason=reason, acted_on=acted_on)
        case.updated_at = at
        flag_modified(case, "updated_at")  # a new version: a form opened before the handover is stale
        session.flush()
        audit.record(session, actor=actor, action="track.handover", entity="reported_asn", entity_id=person.id,
                     case_id=case.id, before=before,
                     after={"oversight_body": bkn.code if move.action == TO_BKN else spec["from"],
                            "handover": move.action, "to": move.to, "nip": person.nip, "basis": spec["basis"]},
                     at=at)
        session.refresh(person, ["oversight_body"])
        queue_owed(session, case, HANDOVER, [change], base_url=base_url)
        done.append(move)
    return done
