"""What Airflow's per-case run needs to know, decided here once: the four legs of the road, where a case is on
them, which open cases have no run yet, and the run id a case's run must have.

The run id derives from the case number, so a case can never get two runs: Airflow refuses a second run with the
same (dag_id, run_id).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from casework.road.cases import get_case
from casework.adapters.db import transaction
from casework.models import Case, LifecycleRun, utcnow
from casework.road.stages import TERMINAL_STAGES, Stage, TrackStage

DAG_ID = "case_lifecycle"
# The legs of the road (domain.md §3) and the case stages each one spans; `forwarded` is split by the tracks.
LEGS: dict[str, frozenset[str]] = {
    "intake": frozenset({Stage.RECEIVED, Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION}),
    "recommendation": frozenset({Stage.REGISTERED, Stage.CLARIFICATION, Stage.STUDY, Stage.PLENARY,
                                  Stage.DECIDED}),
    "referral": frozenset({Stage.FORWARDED}),
    "follow_up": frozenset({Stage.FORWARDED}),
}
ENDED = "ended"


def run_id_for(case_number: str) -> str:
    """`case__LP-6402-2024-0007`: Airflow's run ids allow [A-Za-z0-9_.~:+-]."""
    return "case__" + re.sub(r"[^A-Za-z0-9_.~:+-]", "_", case_number)


def leg_of(case: Case) -> str:
    if case.stage in TERMINAL_STAGES:
        return ENDED
    if case.stage == Stage.FORWARDED:
        # the referral leg lasts while any reported ASN still waits for the oversight body
        waiting = any(p.track_stage == TrackStage.OVERSIGHT_REVIEW for p in case.reported)
        return "referral" if waiting else "follow_up"
    return next(leg for leg, stages in LEGS.items() if case.stage in stages)


def legs_visited(case: Case) -> frozenset[str]:
    """The legs a case has been on, from its history (a case closed at the plenary never reaches referral)."""
    stages = {change.to_stage for change in case.history}
    visited = {leg for leg in ("intake", "recommendation") if stages & LEGS[leg]}
    if TrackStage.OVERSIGHT_REVIEW in stages:
        visited.add("referral")
    if TrackStage.AGENCY_FOLLOW_UP in stages:
        visited.add("follow_up")
    return frozenset(visited)


@dataclass(frozen=True)
class Position:
    number: str
    version: int
    stage: str
    leg: str
    visited: frozenset[str]

    @property
    def ended(self) -> bool:
        return self.leg == ENDED

    def past(self, leg: str) -> bool:
        """Has the case left `leg` (moved on, or ended)?"""
        return _past(self.leg, leg)

    def as_dict(self) -> dict:
        return {"number": self.number, "version": self.version, "stage": self.stage, "leg": self.leg,
                "visited": sorted(self.visited)}


def _past(here: str, leg: str) -> bool:
    order = [*LEGS, ENDED]
    return order.index(here) > order.index(leg)


def position(session: Session, case_number: str) -> Position:
    case = get_case(session, case_number)
    return Position(case.number, case.version, case.stage, leg_of(case), legs_visited(case))


def versions(session: Session, numbers: list[str]) -> dict[str, int]:
    """Current versions of many cases in one query (the triggerer's shared watch)."""
    return dict(session.execute(select(Case.number, Case.version).where(Case.number.in_(numbers))).all())


def record_run(factory: sessionmaker[Session], case_number: str, run_id: str) -> None:
    with transaction(factory) as session:
        _record(session, {get_case(session, case_number): run_id})


def record_runs(factory: sessionmaker[Session], numbers: list[str]) -> None:
    """`record_run` for many cases at once, each with the run id its number gives (`reconcile` started them)."""
    with transaction(factory) as session:
        _record(session, {c: run_id_for(c.number) for c in session.scalars(select(Case).where(
            Case.number.in_(numbers)))})


def _record(session: Session, runs: dict[Case, str]) -> None:
    """The run of each case that has none on record (a case's first run is its run: never replaced here)."""
    recorded = set(session.scalars(select(LifecycleRun.case_id).where(
        LifecycleRun.case_id.in_([c.id for c in runs]))))
    for case, run_id in runs.items():
        if case.id not in recorded:
            session.add(LifecycleRun(case_id=case.id, run_id=run_id, started_at=utcnow()))


def end_run(factory: sessionmaker[Session], case_number: str, at: datetime | None = None) -> None:
    with transaction(factory) as session:
        run = session.get(LifecycleRun, get_case(session, case_number).id)
        if run is not None and run.ended_at is None:
            run.ended_at = at or utcnow()


def first_look(factory: sessionmaker[Session], legs: dict[str, str]) -> dict[str, int | None]:
    """A case's run starting its wait for a leg in the triggerer, without a worker (many cases at once: case number
    -> leg). Records each case's run, as the worker's look does, so `reconcile` starts no second one. Returns, per
    case, the version to wait from, or None when the case needs a worker now: it has left the leg, something is
    owed to it (`correspondence.undelivered`), or it is unknown (the task then fails loudly)."""
    from casework.mail.correspondence import undelivered  # the mail package imports the road

    with transaction(factory) as session:
        cases = {c.number: c for c in session.scalars(
            select(Case).where(Case.number.in_(list(legs))).options(selectinload(Case.reported)))}
        owed = undelivered(session, [c.id for c in cases.values()])
        _record(session, {c: run_id_for(c.number) for c in cases.values()})
        out: dict[str, int | None] = {}
        for number, leg in legs.items():
            case = cases.get(number)
            moved = case is None or case.id in owed or _past(leg_of(case), leg)
            out[number] = None if moved else case.version
        return out


def cases_without_run(session: Session, limit: int = 500) -> list[str]:
    """Open cases no run has picked up yet (created while Airflow was down, or just now), oldest first."""
    return list(session.scalars(
        select(Case.number).outerjoin(LifecycleRun, LifecycleRun.case_id == Case.id)
        .where(Case.stage.not_in(TERMINAL_STAGES), LifecycleRun.case_id.is_(None))
        .order_by(Case.id).limit(limit)))
