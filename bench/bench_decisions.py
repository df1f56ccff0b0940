"""Decision to email (issue 23 item 2): a real Airflow (LocalExecutor) and Netra on a throw-away PostgreSQL, an
SMTP sink on loopback, N reports with their runs waiting. A handler invites each reported ASN to clarification
(the step asks for a letter), one decision every PACE seconds; measured per decision: from its commit to the
letter's email accepted by the SMTP server — the trigger's poll, the worker's look, the render, the send.

Also measured on the way: intake to receipt (the report's run started through the API, its receipt issued and
sent by the run's first look). Size: NETRA_BENCH_DECISIONS (default 200; --quick: 20). Uses the production
default of NETRA_WATCH_INTERVAL unless set.
"""
from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text, update

from bench.bench_airflow import _api, _until_dag, start_case_runs
from bench.bench_desk import _prepare
from bench.bench_letters import percentile
from bench.drill_counts import BUSY, airflow_counts
from bench.drill_faults import _decide, _invitation, _open
from casework.adapters.db import make_engine, session_factory, transaction
from casework.models import Case, Deadline, Letter
from casework.road.stages import Stage
from casework.settings import Settings
from devtools.airflow_local import LocalAirflow, airflow_env
from devtools.mailsink import MailSink, free_port
from devtools.pgserver import start_server

# seconds between two decisions (NETRA_BENCH_DECISION_PACE): 3 s is 1,200 decisions an hour, a whole province's
# desks at their busiest. At 0.5 s the 2 cores' workers fall behind and a queue builds (bench/README.md).
PACE = float(os.environ.get("NETRA_BENCH_DECISION_PACE", "3"))
GOAL_P95 = 30.0


def _wait(check, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"did not {what} within {timeout:.0f} s")
        time.sleep(1)


def _letter_keys(sessions, numbers: list[str], kind: str) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(select(Case.number, Letter.id).join(Letter, Letter.case_id == Case.id)
                               .where(Case.number.in_(numbers), Letter.kind == kind, Letter.status == "issued"))
        return {number: f"letter:{letter_id}" for number, letter_id in rows}


def _arrivals(sink: MailSink) -> dict[str, float]:
    return {m.key: m.at for m in list(sink.received)}


def _settled(metadata) -> bool:
    """Every case run waiting again: no task instance of case_lifecycle busy."""
    with metadata.connect() as conn:
        return not BUSY & set(airflow_counts(conn))


def measure(n: int) -> list[dict]:
    server = start_server()
    sink = MailSink().start()
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in ("dec_netra", "dec_airflow"):
            conn.execute(text(f"CREATE DATABASE {name}"))
    url = server.url("dec_netra")
    _prepare(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:  # the demo's cases are not measured: no runs, no notices
        session.execute(update(Case).values(stage=Stage.CLOSED))
        session.execute(update(Deadline).values(next_notice_at=None))
    home = Path(tempfile.mkdtemp(prefix="netra-bench-decisions-"))
    port = free_port()
    env = airflow_env(home, port=port, metadata_url=server.url("dec_airflow"), extra={
        "NETRA_DATABASE_URL": url, "NETRA_VAR_DIR": str(home / "var"), "NETRA_SMTP_PORT": str(sink.port),
        "NETRA_RECONCILE_INTERVAL": "86400", "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"})
    interval = Settings.from_env().watch_interval  # what the Airflow processes read too (NETRA_WATCH_INTERVAL)
    runner = LocalAirflow(home, port, env)
    metadata = create_engine(server.url("dec_airflow"))
    try:
        runner.start()
        token = runner.token()
        _until_dag(runner, token)
        _api(runner, token, "PATCH", "dags/case_lifecycle", {"is_paused": False})
        numbers = _open(sessions, random.Random(23), 0, n)
        opened = time.time()
        start_case_runs(runner, token, numbers)
        receipts = _letter_keys(sessions, numbers, "receipt")

        def all_receipts() -> bool:
            nonlocal receipts
            receipts = _letter_keys(sessions, numbers, "receipt")
            return len(receipts) == n and set(receipts.values()) <= set(_arrivals(sink))

        _wait(all_receipts, "send every receipt", 1800)
        to_receipts = max(_arrivals(sink)[k] for k in receipts.values()) - opened
        for name in ("begin_review", "register"):  # no letter: the run wakes, looks, waits again
            for number in numbers:
                _decide(sessions, name, number)
        _wait(lambda: _settled(metadata), "settle after registration", 1800)
        time.sleep(2 * interval)  # every run's wait back in its trigger, past one poll
        decided: dict[str, float] = {}
        for number in numbers:
            _decide(sessions, "invite_clarification", number, **_invitation())
            decided[number] = time.time()
            time.sleep(PACE)
        keys: dict[str, str] = {}

        def all_invitations() -> bool:
            nonlocal keys
            keys = _letter_keys(sessions, numbers, "clarification_invitation")
            return len(keys) == n and set(keys.values()) <= set(_arrivals(sink))

        _wait(all_invitations, "send every invitation", 1800)
        arrivals = _arrivals(sink)
        latency = sorted(arrivals[keys[number]] - decided[number] for number in numbers)
        twice = len(sink.received) - len({m.key for m in sink.received})
    finally:
        runner.stop()
        metadata.dispose()
        engine.dispose()
        sink.stop()
        admin.dispose()
        server.stop()
    p95 = percentile(latency, 95)
    return [
        {"figure": f"decision to email, {n} decisions one per {PACE:g} s (watch interval {interval:g} s): "
                   "p50 / p95 / max",
         "value": f"{statistics.median(latency):.1f} / {p95:.1f} / {latency[-1]:.1f} s",
         "goal": f"p95 <= {GOAL_P95:.0f} s", "met": p95 <= GOAL_P95},
        {"figure": f"{n} reports: intake to the last receipt at the SMTP server (runs started 4 at a time)",
         "value": f"{to_receipts:.0f} s", "goal": "", "met": None},
        {"figure": "emails accepted twice", "value": str(twice), "goal": "0", "met": twice == 0},
    ]


def run(quick: bool = False) -> list[dict]:
    return measure(20 if quick else int(os.environ.get("NETRA_BENCH_DECISIONS", "200")))
