"""Stage changes. `move_to` is the one primitive that changes a stage and writes its history row;
the named transition commands (register, forward, ...) are built on it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.models import Case, ReportedASN, StageChange, utcnow
from casework.stages import Stage, TrackStage


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
