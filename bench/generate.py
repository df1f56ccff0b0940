"""Synthetic cases at scale for the benchmarks: fictitious people, real regions (the demo's Kalimantan offices),
every stage, one open deadline per open case (and cases.next_due_at set to it), spread over time. Bulk inserts
(not the intake path, which has its own benchmark): the point is a realistic table size for queries.

Usage: python -m bench.generate DATABASE_URL N   (the database must be migrated and hold the demo data)
"""
from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, select

from casework.deadlines.engine import get_rule
from casework.models import (
    Agency, Case, CaseViolation, Deadline, Election, Office, ReportedASN, StageChange,
)
from casework.deadlines.schedule import owed
from casework.rules import violation_catalogue
from casework.road.stages import Stage

OPEN = [s for s in Stage if s not in (Stage.CLOSED, Stage.WITHDRAWN, Stage.MERGED, Stage.NOT_REGISTERED)]
CHUNK = 5000


def generate(engine: Engine, n: int, *, seed: int = 7) -> int:
    rng = random.Random(seed)
    with engine.connect() as conn:
        offices = conn.execute(select(Office.id, Office.regency_code).where(Office.kind == "bawaslu_kabkota")).all()
        agencies = {row.regency_code: row.id for row in conn.execute(select(Agency.id, Agency.regency_code))}
        elections = conn.execute(select(Election.id)).scalars().all()
        start_id = (conn.execute(select(Case.id).order_by(Case.id.desc()).limit(1)).scalar() or 0) + 1
    codes = sorted(violation_catalogue())
    rule = get_rule("pemilu.decision")
    now = datetime.now(UTC).replace(microsecond=0)
    made = 0
    while made < n:
        batch = min(CHUNK, n - made)
        cases, people, violations, deadlines, history = [], [], [], [], []
        for i in range(batch):
            case_id = start_id + made + i
            office_id, regency = rng.choice(offices)
            age = rng.randint(0, 400)
            received = (now - timedelta(days=age)).date()
            stage = rng.choice(OPEN) if rng.random() < 0.6 else rng.choice(list(Stage))
            at = now - timedelta(days=age)
            cases.append(dict(id=case_id, number=f"SY-{regency}-{case_id:07d}", external_ref=f"synthetic-{case_id}",
                              source="laporan" if i % 3 else "temuan", election_id=rng.choice(elections),
                              office_id=office_id, regency_code=regency, place="Lokasi sintetis",
                              occurred_on=received, known_on=received, received_on=received,
                              summary=f"Kasus sintetis {case_id}", chronology="Data sintetis untuk uji kinerja.",
                              found_by="", stage=stage.value, stage_since=at, version=1, created_at=at,
                              updated_at=at, study_extended=False, next_due_at=None))
            born = datetime(rng.randint(1966, 1994), rng.randint(1, 12), rng.randint(1, 28))
            people.append(dict(case_id=case_id, nip=f"{born:%Y%m%d}{born.year + 25}{rng.randint(1, 12):02d}"
                                                    f"{rng.choice('12')}{rng.randint(1, 999):03d}",
                               name=f"Terlapor Sintetis {case_id}", position="Staf", rank="", asn_kind="PNS",
                               agency_id=agencies.get(regency) or next(iter(agencies.values())), work_unit="",
                               escalation_step=0))
            violations.append(dict(case_id=case_id, code=rng.choice(codes)))
            history.append(dict(case_id=case_id, from_stage=None, to_stage=stage.value, at=at, actor="generator",
                                reason=""))
            if stage in OPEN:
                due = now + timedelta(days=rng.randint(-20, 20))
                cases[-1]["next_due_at"] = due  # the case's one open deadline is its nearest
                # the next reminder (H-3, H-1, H-0) or overdue notice (every 2 days) after a sweep that ran now
                deadlines.append(dict(case_id=case_id, rule_id="pemilu.decision", starts_on=received,
                                      due_date=due.date(), due_at=due, timezone="WITA", basis="statute",
                                      status="open", explanation={}, created_at=at,
                                      next_notice_at=owed(rule, due.date(), "WITA", now)[1]))
        with engine.begin() as conn:
            conn.execute(insert(Case), cases)
            conn.execute(insert(ReportedASN), people)
            conn.execute(insert(CaseViolation), violations)
            conn.execute(insert(StageChange), history)
            if deadlines:
                conn.execute(insert(Deadline), deadlines)
        made += batch
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))")
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return made


if __name__ == "__main__":
    from casework.adapters.db import make_engine
    print(generate(make_engine(sys.argv[1]), int(sys.argv[2])))
