"""The production topology of docker/compose.yaml, run here without Docker (devtools/prod_local.py): a real
PostgreSQL (Netra's and Airflow's databases apart, made by the compose file's init script), Redis as the Celery
broker, Airflow on the CeleryExecutor with a Celery worker, the desk under gunicorn in production mode, and mail
read back from a real SMTP server on loopback. It is the suite's one whole Airflow: the end-to-end scenario runs
here, where production runs it.

A case is opened and decided through casework exactly as the desk does it; the clock is moved by setting the
case's deadlines in the past, never by sleeping. Airflow must pick the case up, send its letters, remind before a
deadline, escalate after it (up to a system escalation of the PPK with its letter), and end the run when the case
closes — each email exactly once. Then the distributed path is checked: every task instance of the case's run that
ran was handed to Celery (its celery task id is in the Celery result backend as SUCCESS and in the worker's log),
the broker is the Redis server, and the desk answers over HTTP with production cookies and JSON logs.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import urllib.request
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import OperationalError

from casework.adapters.db import make_engine, session_factory, transaction
from casework.cli import cli
from casework.road.intake import ReporterInput, open_case
from casework.road.lifecycle import run_id_for
from casework.models import Case, Deadline, LifecycleRun, ReportedASN, utcnow
from casework.reference.timezones import local_today
from casework.road.inputs import Upload
from casework.settings import Settings
from devtools.prod_local import Topology
from tests.helpers import decide, invitation, owe_a_reminder_now, principal_of, wait_until
from devtools.mailsink import free_port
from tests.test_intake import valid_input

HANDLER = "penangan.kukar"
HEAD = "ketua.kukar"
OVERSIGHT = "pengawas.bkn"
BKPSDM = "bkpsdm.kukar"
WAIT = 180  # seconds for Airflow to react (watch every second, reconcile every 5 s here)
_wait = partial(wait_until, timeout=WAIT)


@pytest.fixture
def topology(mail):
    root = Path(tempfile.mkdtemp(prefix="netra-prod-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as `postgres` and must reach its directory inside
    topo = Topology(root, desk_port=free_port(), airflow_port=free_port(), pg_port=free_port(),
                    redis_port=free_port(), scheduler_health_port=free_port(), smtp_port=mail.port,
                    base_url="https://netra.test", demo=True,
                    fast=True, netra_extra={"NETRA_WATCH_INTERVAL": "1", "NETRA_RECONCILE_INTERVAL": "5"})
    engines = []
    try:
        topo.start_backing().migrate()
        engine = make_engine(topo.netra_database_url)
        engines.append(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:  # the demo cases are not this test's: Airflow leaves them alone
            for case_id in session.scalars(select(Case.id)):  # (a run recorded as ended: resync leaves it too)
                session.add(LifecycleRun(case_id=case_id, run_id=f"demo-{case_id}", started_at=utcnow(),
                                         ended_at=utcnow()))
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


def _due_in_past(sessions, number: str, rule_id: str, days: int) -> None:
    """Move the clock: the deadline fell due `days` ago and the sweep should look at it now."""
    with transaction(sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).where(Case.number == number,
                                                                     Deadline.rule_id == rule_id,
                                                                     Deadline.status == "open")).one()
        deadline.due_at = utcnow() - timedelta(days=days)
        deadline.due_date = local_today(deadline.timezone, deadline.due_at)
        deadline.next_notice_at = utcnow() - timedelta(minutes=1)


def _run_of(sessions, number: str) -> LifecycleRun | None:
    with sessions() as session:
        return session.scalar(select(LifecycleRun).join(Case, Case.id == LifecycleRun.case_id)
                              .where(Case.number == number))


def test_celery_topology_carries_a_case_from_intake_to_closure_with_letters_reminders_and_escalation(
        topology, mail, tmp_path, monkeypatch):
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

    # Airflow loses the waiting case's run (its database restored from an older point): `netra airflow resync` has
    # `reconcile` start it again — and the rest of the road below runs on the restarted run, nothing sent twice
    token = topo.airflow.token(topo.secrets["AIRFLOW_ADMIN_PASSWORD"])
    run_id = run_id_for(number)
    _wait(lambda: topo.airflow.api(f"dags/case_lifecycle/dagRuns/{run_id}", token)["state"] == "running",
          "bring the case's run to waiting")
    for method, body in (("PATCH", {"state": "failed"}), ("DELETE", None)):  # Airflow deletes no running run
        urllib.request.urlopen(urllib.request.Request(
            f"{topo.airflow.url}/api/v2/dags/case_lifecycle/dagRuns/{run_id}", method=method,
            data=json.dumps(body).encode() if body else None,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}), timeout=10)
    monkeypatch.setenv("NETRA_DATABASE_URL", topo.netra_database_url)
    monkeypatch.setenv("NETRA_AIRFLOW_API_URL", topo.airflow.url)
    monkeypatch.setenv("NETRA_AIRFLOW_PASSWORD", topo.secrets["AIRFLOW_ADMIN_PASSWORD"])
    resynced = CliRunner().invoke(cli, ["airflow", "resync", "--apply", "--json"])
    assert resynced.exit_code == 0, resynced.output
    assert [(r["case"], r["action"]) for r in json.loads(resynced.output)["runs"]] == [(number, "restart")]
    _wait(lambda: _run_of(sessions, number), "start the lost run again")
    _wait(lambda: topo.airflow.api(f"dags/case_lifecycle/dagRuns/{run_id}", token)["state"] == "running",
          "bring the restarted run to waiting")
    assert json.loads(CliRunner().invoke(cli, ["airflow", "resync", "--json"]).output)["runs"] == []

    decide(sessions, "begin_review", number, HANDLER)
    decide(sessions, "register", number, HANDLER)
    # the next leg's wait starts in the triggerer: its first look finds nothing owed, and no worker ever runs it
    wait_ti = ("SELECT state, coalesce(hostname, '') FROM task_instance WHERE dag_id = 'case_lifecycle' "
               "AND run_id = :r AND task_id = 'recommendation.wait_for_decision'")

    def leg_waiting():
        with airflow_db.connect() as conn:
            return conn.execute(text(wait_ti), {"r": run_id}).one_or_none() == ("deferred", "")

    _wait(leg_waiting, "start the recommendation leg's wait in the triggerer")
    time.sleep(2.5)  # two polls of the watch: its first look done, it did not wake a worker
    assert leg_waiting()
    with transaction(sessions) as session:  # the plenary deadline falls due soon: a reminder is owed now
        deadline = session.scalars(select(Deadline).join(Case).where(
            Case.number == number, Deadline.rule_id == "pilkada.decision", Deadline.status == "open")).one()
        owe_a_reminder_now(deadline, utcnow())
    reminder = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] Pengingat")), "send the reminder")
    assert "penangan.kukar@demo.netra.test" in reminder[0].rcpt_tos
    assert "WITA" in reminder[0].text and f"https://netra.test/kasus/{number}" in reminder[0].text

    for name, actor, fields in [("invite_clarification", HANDLER, invitation()),
                                ("record_clarification", HANDLER, {"minutes": "Terlapor hadir"}),
                                ("submit_study", HANDLER, {"conclusion": "Terbukti"}),
                                ("decide_plenary", HEAD, {"outcome": "violation", "reasoning": "Terbukti"}),
                                ("forward", HEAD, {})]:
        decide(sessions, name, number, actor, **fields)
    forwarded = _wait(lambda: mails(lambda m: "Penerusan" in m.subject and m.attachments),
                      "send the recommendation letter")
    assert forwarded[0].attachments
    # and the oversight body is told, in a notice of its own, what is due from it (issue 17)
    told = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] Penerusan")), "tell the oversight body")
    assert "netralitas@bkn.demo.test" in told[0].rcpt_tos and not told[0].attachments

    # the oversight body lets its deadline pass: the Bawaslu office that forwarded it hears about it
    _due_in_past(sessions, number, "oversight.recommendation", days=3)
    overdue = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] TERLAMBAT")
                                   and "Rekomendasi KASN/BKN" in m.subject), "send the overdue notice")
    assert "kukar@bawaslu.demo.test" in overdue[0].rcpt_tos

    nip = valid_input().reported[0].nip
    decide(sessions, "record_oversight_recommendation", number, OVERSIGHT, track=nip,
           outcome="sanction_recommended", sanction="moral.terbuka")
    # the PPK lets the follow-up deadline pass: the system escalates, with the ladder's first letter
    _due_in_past(sessions, number, "agency.follow_up", days=3)
    ppk_letter = _wait(lambda: mails(lambda m: m.key.startswith("letter:") and "Pengingat" in m.subject),
                       "send the escalation letter to the PPK")
    assert "bkpsdm@kukar.demo.test" in ppk_letter[0].rcpt_tos and ppk_letter[0].attachments
    with sessions() as session:
        person = session.scalars(select(ReportedASN).join(Case).where(Case.number == number)).one()
        assert person.escalation_step == 1 and person.escalations[0].actor == "netra-system"

    decide(sessions, "record_sanction", number, BKPSDM, track=nip, sanction_level="moral", sanction="moral.terbuka",
           decree_number="800/123/BKPSDM", decree_date=local_today("WITA", utcnow()).isoformat(),
           decree_signer_name="Bupati (uji)", decree_pdf=Upload("sk.pdf", b"%PDF-1.4\n%%EOF\n"),
           settings=Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}))
    _wait(lambda: (run := _run_of(sessions, number)) and run.ended_at, "end the run of the closed case")

    _wait(lambda: topo.airflow.api(f"dags/case_lifecycle/dagRuns/{run_id}", token)["state"] == "success",
           "mark the case's run successful")
    keys = [m.key for m in mail.received]
    assert len(keys) == len(set(keys)), "an email went out twice"  # also after the resync
    assert len(mails(lambda m: "Tanda Terima" in m.subject)) == 1  # the restarted run found its receipt sent

    # the distributed path: each task instance that ran was a Celery task, run by the worker, result in the backend
    with airflow_db.connect() as conn:
        ran = conn.execute(text("select task_id, external_executor_id from task_instance "
                                "where dag_id = 'case_lifecycle' and run_id = :run and state = 'success'"),
                           {"run": run_id}).all()
    assert {t for t, _ in ran} >= {"intake.wait_for_decision", "recommendation.wait_for_decision",
                                   "follow_up.wait_for_decision", "close"}
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
