"""What the fault drill (bench/drill_faults.py) observes: when everything owed after a fault is done — no letter
owed, no email unsent, every open case's run deferred on its trigger, no task busy — and what it counts then, from
Netra's database, Airflow's metadata database and the SMTP server."""
from __future__ import annotations

import collections
import time

from sqlalchemy import func, select, text

from casework.models import AuditEvent, Case, Letter, LetterRequest, LifecycleRun, OutboxMessage
from casework.road import lifecycle
from casework.road.stages import TERMINAL_STAGES
from devtools.mailsink import MailSink

BUSY = {"scheduled", "queued", "running", "up_for_retry", "up_for_reschedule", "restarting"}  # task states
SETTLE = 1800  # seconds allowed for everything owed to be done after a fault


def airflow_counts(conn) -> dict[str, int]:
    rows = conn.execute(text("SELECT state, count(*) FROM task_instance WHERE dag_id = 'case_lifecycle' "
                             "GROUP BY state")).all()
    return {str(state): n for state, n in rows}


DEMO_CASES = select(LifecycleRun.case_id).where(LifecycleRun.run_id.like("demo-%"))  # not the drill's: left alone


def _waiting(session) -> int:
    """Open cases whose run is live (the demo's, recorded as ended, aside)."""
    return session.scalar(select(func.count()).select_from(Case).join(LifecycleRun, LifecycleRun.case_id == Case.id)
                          .where(Case.stage.not_in(TERMINAL_STAGES), LifecycleRun.ended_at.is_(None)))


def settled(sessions, airflow_db) -> tuple[bool, str]:
    """Nothing owed, nothing being sent, every open case's run deferred on its trigger (the demo's cases, whose
    runs are recorded as ended and whose letters nobody issues here, aside)."""
    with sessions() as session:
        owed = session.scalar(select(func.count()).select_from(LetterRequest).where(
            LetterRequest.status.in_(("open", "claimed")), LetterRequest.case_id.not_in(DEMO_CASES)))
        unsent = session.scalar(select(func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.status.in_(("pending", "failed"))))
        without_run = len(lifecycle.cases_without_run(session, limit=100_000))
        waiting = _waiting(session)
    with airflow_db.connect() as conn:
        states = airflow_counts(conn)
    busy = sum(n for state, n in states.items() if state in BUSY)
    done = not owed and not unsent and not without_run and not busy and states.get("deferred", 0) == waiting
    return done, (f"letters owed {owed}, emails unsent {unsent}, cases without a run {without_run}, "
                  f"cases waiting {waiting}, task instances {states}")


def wait_settled(sessions, airflow_db, topo, what: str) -> float:
    started = time.monotonic()
    last = ""
    while time.monotonic() - started < SETTLE:
        done, last = settled(sessions, airflow_db)
        if done:
            return time.monotonic() - started
        if not topo.alive():
            raise RuntimeError(f"{what}: a component died; see {topo.root}/logs")
        time.sleep(5)
    raise RuntimeError(f"{what}: not settled after {SETTLE} s: {last}")


def count(sessions, airflow_db, sink: MailSink, recorders: list, actor: str) -> dict:
    """What the drill checks after a fault (letters and emails: all of the drill's so far). `recorders`: what
    each recording thread committed (`decided` steps, `opened` reports, `errors`), done as `actor`."""
    with sessions() as session:
        letters_per_request = collections.Counter(session.scalars(
            select(Letter.request_id).where(Letter.status == "issued", Letter.request_id.is_not(None))))
        requests = collections.Counter(session.scalars(select(LetterRequest.status)
                                                       .where(LetterRequest.case_id.not_in(DEMO_CASES))))
        waiting = _waiting(session)
        by_status = collections.Counter(session.scalars(select(OutboxMessage.status)))
        stuck = list(session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.status == "sending")))
        sent_keys = set(session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.status == "sent")))
        decided = {n for r in recorders for _, n in r.decided}
        recorded = {tuple(row) for row in session.execute(  # each committed step is its own audit event
            select(AuditEvent.action, Case.number).join(Case, Case.id == AuditEvent.case_id)
            .where(AuditEvent.actor == actor, Case.number.in_(decided)))}
        opened = set(session.scalars(select(Case.number).where(
            Case.number.in_([n for r in recorders for n in r.opened]))))
    with airflow_db.connect() as conn:
        states = airflow_counts(conn)
        runs = dict(conn.execute(text("SELECT state, count(*) FROM dag_run WHERE dag_id = 'case_lifecycle' "
                                      "GROUP BY state")).all())
    copies = collections.Counter(m.key for m in sink.received)
    return {
        "decisions committed": sum(len(r.decided) for r in recorders),
        "decisions lost": sum(1 for r in recorders for name, n in r.decided if (f"case.{name}", n) not in recorded),
        "reports committed / found": (sum(len(r.opened) for r in recorders),
                                      len({n for r in recorders for n in r.opened} & opened)),
        "recorder errors": [e for r in recorders for e in r.errors],
        "cases moved": len(decided),
        "open cases with a run": waiting,
        "task instances": states,
        "runs": runs,
        "letter requests": dict(requests),
        "requests with two live letters": sum(1 for n in letters_per_request.values() if n > 1),
        "letters issued": sum(letters_per_request.values()),
        "outbox": dict(by_status),
        "emails at the SMTP server": sum(copies.values()),
        "emails received twice": sum(1 for n in copies.values() if n > 1),
        "sent rows never received": len(sent_keys - set(copies)),
        "stuck (sending) rows": len(stuck),
        "stuck rows the server had received": sum(1 for k in stuck if k in copies),
    }
