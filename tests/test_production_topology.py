"""The production topology of docker/compose.yaml, run here without Docker (devtools/prod_local.py): a real
PostgreSQL (Netra's and Airflow's databases apart, made by the compose file's init script), Redis as the Celery
broker, Airflow on the CeleryExecutor with a Celery worker, the desk under gunicorn in production mode, and mail
read back from a real SMTP server on loopback.

A case is carried from intake to closure with its receipt and a reminder; the clock is moved by setting a
deadline, never by sleeping. Then the distributed path is checked: every task instance of the case's run that
ran was handed to Celery (its celery task id is in the Celery result backend as SUCCESS and in the worker's log),
the broker is the Redis server, and the desk answers over HTTP with production cookies and JSON logs.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import OperationalError

from casework.adapters.db import make_engine, session_factory, transaction
from casework.road.intake import ReporterInput, open_case
from casework.road.lifecycle import run_id_for
from casework.models import Case, Deadline, LifecycleRun, utcnow
from devtools.prod_local import Topology
from tests.helpers import decide, invitation, owe_a_reminder_now, principal_of, wait_until
from devtools.mailsink import free_port
from tests.test_intake import valid_input

HANDLER = "penangan.kukar"
HEAD = "ketua.kukar"
WAIT = 150  # seconds for Airflow to react (watch every second, reconcile every 5 s here)
_wait = partial(wait_until, timeout=WAIT)


@pytest.fixture
def topology(mail):
    root = Path(tempfile.mkdtemp(prefix="netra-prod-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as `postgres` and must reach its directory inside
    topo = Topology(root, desk_port=free_port(), airflow_port=free_port(), pg_port=free_port(),
                    redis_port=free_port(), scheduler_health_port=free_port(), smtp_port=mail.port, base_url="https://netra.test", demo=True,
                    fast=True, netra_extra={"NETRA_WATCH_INTERVAL": "1", "NETRA_RECONCILE_INTERVAL": "5"})
    engines = []
    try:
        topo.start_backing().migrate()
        engine = make_engine(topo.netra_database_url)
        engines.append(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:  # the demo cases are not this test's: Airflow leaves them alone
            for case_id in session.scalars(select(Case.id)):
                session.add(LifecycleRun(case_id=case_id, run_id=f"demo-{case_id}", started_at=utcnow()))
            session.execute(update(Deadline).values(next_notice_at=None))
        topo.start_services()
        airflow_db = create_engine(topo.airflow_database_url)
        engines.append(airflow_db)
        yield topo, sessions, airflow_db
    finally:
        for engine in engines:
            engine.dispose()
        topo.stop(graceful=False)
        shutil.rmtree(root, ignore_errors=True)


def _run_of(sessions, number: str) -> LifecycleRun | None:
    with sessions() as session:
        return session.scalar(select(LifecycleRun).join(Case, Case.id == LifecycleRun.case_id)
                              .where(Case.number == number))


def test_celery_topology_carries_a_case_from_intake_to_closure(topology, mail):
    topo, sessions, airflow_db = topology
    with transaction(sessions) as session:
        case = open_case(session, replace(valid_input(), reporter=ReporterInput(
            name="Contoh Pelapor", address="Jl. Contoh 1", email="pelapor@contoh.test")),
            principal=principal_of(session, "penangan.kukar"))
        number = case.number

    def mails(predicate):
        return [m for m in mail.received if number in m.subject + m.text and predicate(m)]

    # `reconcile` (on the Celery worker) starts the case's run; its first leg sends the receipt with the PDF
    receipt = _wait(lambda: mails(lambda m: "Tanda Terima" in m.subject), "send the receipt")
    assert "pelapor@contoh.test" in receipt[0].rcpt_tos and receipt[0].attachments

    decide(sessions, "begin_review", number, HANDLER)
    decide(sessions, "register", number, HANDLER)
    with transaction(sessions) as session:  # the plenary deadline falls due soon: a reminder is owed now
        deadline = session.scalars(select(Deadline).join(Case).where(
            Case.number == number, Deadline.rule_id == "pilkada.decision", Deadline.status == "open")).one()
        owe_a_reminder_now(deadline, utcnow())
    reminder = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] Pengingat")), "send the reminder")
    assert "penangan.kukar@demo.netra.test" in reminder[0].rcpt_tos
    assert f"https://netra.test/kasus/{number}" in reminder[0].text

    for name, actor, fields in [("invite_clarification", HANDLER, invitation()),
                                ("record_clarification", HANDLER, {"minutes": "Terlapor hadir"}),
                                ("submit_study", HANDLER, {"conclusion": "Tidak terbukti"}),
                                ("decide_plenary", HEAD, {"outcome": "not_violation", "reasoning": "Tidak terbukti"})]:
        decide(sessions, name, number, actor, **fields)
    _wait(lambda: (run := _run_of(sessions, number)) and run.ended_at, "end the run of the closed case")

    token = topo.airflow.token(topo.secrets["AIRFLOW_ADMIN_PASSWORD"])
    run_id = run_id_for(number)
    _wait(lambda: topo.airflow.api(f"dags/case_lifecycle/dagRuns/{run_id}", token)["state"] == "success",
           "mark the case's run successful")
    keys = [m.key for m in mail.received]
    assert len(keys) == len(set(keys)), "an email went out twice"

    # the distributed path: each task instance that ran was a Celery task, run by the worker, result in the backend
    with airflow_db.connect() as conn:
        ran = conn.execute(text("select task_id, external_executor_id from task_instance "
                                "where dag_id = 'case_lifecycle' and run_id = :run and state = 'success'"),
                           {"run": run_id}).all()
    assert {t for t, _ in ran} >= {"intake.wait_for_decision", "recommendation.wait_for_decision", "close"}
    celery_ids = [celery_id for _, celery_id in ran]
    assert all(celery_ids)

    def celery_results():  # the worker records SUCCESS just after the task reported its state to Airflow
        with airflow_db.connect() as conn:
            return dict(conn.execute(text("select task_id, status from celery_taskmeta where task_id = any(:ids)"),
                                     {"ids": celery_ids}).all())

    _wait(lambda: celery_results() == {celery_id: "SUCCESS" for celery_id in celery_ids},
           "record every Celery task as SUCCESS", timeout=60)
    worker_log = topo.worker_log()
    assert all(f"execute_workload[{celery_id}] succeeded" in worker_log for celery_id in celery_ids)
    broker = redis.Redis(host="127.0.0.1", port=topo.redis_port, password=topo.secrets["REDIS_PASSWORD"])
    assert broker.info("stats")["total_commands_processed"] > 0 and broker.info("clients")["connected_clients"] > 1

    # what the compose file's health checks ask: the scheduler's and the api-server's health endpoints
    for url in (f"http://127.0.0.1:{topo.scheduler_health_port}/health",
                f"{topo.airflow.url}/api/v2/monitor/health"):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200

    # Netra's login reaches only Netra's database
    with pytest.raises(OperationalError, match="permission denied"):
        with create_engine(topo.postgres.url("netra", topo.secrets["NETRA_DB_PASSWORD"], "airflow")).connect():
            pass

    # the desk under gunicorn, production mode: login page, Secure cookie, HSTS, a JSON access line per request
    with urllib.request.urlopen(f"{topo.desk_url}/login", timeout=10) as response:
        assert response.status == 200
        cookies = response.headers.get_all("Set-Cookie")
        assert any(c.startswith("session=") and "Secure" in c and "HttpOnly" in c for c in cookies)
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        request_id = response.headers["X-Request-ID"]
    lines = [json.loads(line) for line in (topo.logs / "desk.log").read_text().splitlines() if line.startswith("{")]
    assert any(line["request_id"] == request_id and line["path"] == "/login" and line["status"] == 200
               for line in lines if line["logger"] == "netra.desk.access")
