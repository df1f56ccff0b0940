"""Bringing Airflow's runs back in line with Netra's record after Airflow's database was lost or restored from an
older point (`netra airflow resync`; docker/README.md: Restore). Netra's `lifecycle_runs` says which case has a run;
Airflow says which runs it holds. For each case whose run Netra still counts as open:

    Airflow holds it, queued or running        -> nothing to do
    Airflow does not hold it                   -> restart: Netra forgets the run, `reconcile` starts it again
    Airflow holds it failed                    -> clear: its failed tasks run again
    Airflow holds it finished, the case open   -> clear: it runs again from its first task
    the case has ended (any of the above)      -> end: Netra records the run as ended

Nothing is sent twice: a run that starts again finds every letter and email of the case already issued or queued
(each is claimed once, by key) and waits for what is next. The plan is a dry run; `apply` records it in the
caller's transaction with one audit event."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.models import Case, LifecycleRun, utcnow
from casework.road.stages import TERMINAL_STAGES

LIVE = frozenset({"queued", "running"})
RESTART, CLEAR, END = "restart", "clear", "end"


@dataclass(frozen=True)
class Resync:
    case: str
    run_id: str
    stage: str
    airflow: str | None  # the run's state in Airflow; None: Airflow does not hold it
    action: str  # RESTART / CLEAR / END

    def as_dict(self) -> dict:
        return asdict(self)


def plan(session: Session, airflow_runs: dict[str, str]) -> list[Resync]:
    """What would be done, from Airflow's runs (run id -> state); the open runs already in line are left out."""
    out = []
    for run, number, stage in session.execute(
            select(LifecycleRun, Case.number, Case.stage).join(Case, Case.id == LifecycleRun.case_id)
            .where(LifecycleRun.ended_at.is_(None)).order_by(Case.id)):
        state = airflow_runs.get(run.run_id)
        if stage in TERMINAL_STAGES and state not in LIVE:
            out.append(Resync(number, run.run_id, stage, state, END))
        elif state is None:
            out.append(Resync(number, run.run_id, stage, None, RESTART))
        elif state not in LIVE:
            out.append(Resync(number, run.run_id, stage, state, CLEAR))
    return out


def apply(session: Session, items: list[Resync], *, actor: str, at: datetime | None = None) -> None:
    """Record the plan: restarted runs forgotten (reconcile starts them), ended ones closed; one audit event."""
    if not items:
        return
    at = at or utcnow()
    runs = {r.run_id: r for r in session.scalars(select(LifecycleRun).where(
        LifecycleRun.run_id.in_([i.run_id for i in items])))}
    for item in items:
        run = runs.get(item.run_id)
        if run is None:
            continue
        if item.action == RESTART:
            session.delete(run)
        elif item.action == END:
            run.ended_at = at
    audit.record(session, actor=actor, action="lifecycle.resynced", entity="lifecycle_runs", entity_id="resync",
                 after={"runs": [i.as_dict() for i in items]}, at=at)
