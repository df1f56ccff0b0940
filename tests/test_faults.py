"""Faults injected while Netra works: the desk killed with SIGKILL in the middle of a decision (a real desk process,
on SQLite and PostgreSQL), PostgreSQL stopped during a decision (a dedicated server, stopped while the transaction
is open, then restarted), and SMTP refusing or going away during a send. Afterwards every case is either fully
decided or not at all, the audit chain is intact, nothing committed is lost, and every email goes out exactly once
when SMTP is back."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from casework import audit

from casework.mail import outbox
from casework.audit import verify_chain
from casework.adapters.db import make_engine, session_factory, transaction
from casework.models import AuditEvent, Case, OutboxMessage, StageChange
from casework.settings import Settings
from casework.road.workflow import execute
from tests.helpers import csrf, fingerprint, principal_of
from devtools.mailsink import MailSink, free_port
from devtools.pgserver import start_server

ROOT = Path(__file__).resolve().parent.parent
HANDLER = "penangan.kukar"
FAULTS: list[str] = []  # for docs/security.md's figures


def received_case(sessions) -> tuple[str, int, int]:
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage == "received"))
        return case.number, case.id, case.version


def state(sessions, case_id: int) -> tuple[str, int, int, list[str]]:
    with sessions() as session:
        case = session.get(Case, case_id)
        history = session.scalar(select(func.count()).where(StageChange.case_id == case_id))
        events = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                                 .order_by(AuditEvent.id)).all()
        return case.stage, case.version, history, events


def wait_for(predicate, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- the desk killed mid-decision --------------------------------------------------------------------------------------
def open_transaction_seen(engine, url: str) -> bool:
    """Evidence that the decision's transaction is open at the moment of the kill."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND state LIKE 'idle in transaction%'")) >= 1
    probe = sqlite3.connect(make_url(url).database, timeout=0.2, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")  # the desk holds the write lock: this must fail
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_killing_the_desk_mid_decision_leaves_the_case_decided_fully_or_not_at_all(databases, backend, tmp_path,
                                                                                     point):
    url = databases.url(backend, demo=True)
    engine = make_engine(url)
    sessions = session_factory(engine)
    number, case_id, version = received_case(sessions)
    marker = tmp_path / "marker"
    env = {**os.environ, "NETRA_DATABASE_URL": url, "NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_FAULT": point,
           "NETRA_FAULT_MARKER": str(marker), "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "desk.log", "w")
    desk = subprocess.Popen([sys.executable, "-m", "tests.fault_desk"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=log, text=True)
    try:
        line = desk.stdout.readline()
        assert line.strip().isdigit(), (tmp_path / "desk.log").read_text()[-2000:]
        port = int(line)
        base = f"http://127.0.0.1:{port}"
        http = requests.Session()
        login = http.post(f"{base}/login", data={"username": "penangan.kukar", "password": "netra-demo",
                                                 "csrf_token": csrf(http.get(f"{base}/login").text)},
                          allow_redirects=False)
        assert login.status_code == 302
        token = csrf(http.get(f"{base}/kasus/{number}").text)
        before, state_before = fingerprint(engine), state(sessions, case_id)

        def decide():
            try:
                http.post(f"{base}/kasus/{number}/langkah/begin_review",
                          data={"csrf_token": token, "version": str(version)}, timeout=300)
            except requests.RequestException:
                pass  # the desk dies under it

        poster = threading.Thread(target=decide)
        poster.start()
        wait_for(marker.exists, what="the desk to reach the fault point")
        if point == "before_commit":
            assert open_transaction_seen(engine, url)
        desk.send_signal(signal.SIGKILL)
        desk.wait(timeout=30)
        poster.join(timeout=30)
        FAULTS.append(f"desk killed {point} ({backend})")
    finally:
        if desk.poll() is None:
            desk.kill()
        log.close()

    if point == "before_commit":  # not at all: PostgreSQL rolls the orphaned transaction back, SQLite ignores it
        if backend == "postgresql":
            wait_for(lambda: not open_transaction_seen(engine, url), what="the server to end the transaction")
        assert fingerprint(engine) == before
        assert state(sessions, case_id) == state_before
        with transaction(sessions) as session:  # and the case can be decided afterwards as if nothing happened
            execute(session, "begin_review", case_number=number, principal=principal_of(session, HANDLER),
                    expected_version=version)
    stage, new_version, history, events = state(sessions, case_id)  # fully: every part of the decision is there
    assert stage == "initial_review" and new_version > version and history == state_before[2] + 1
    assert events == state_before[3] + ["case.begin_review"]
    with sessions() as session:
        assert verify_chain(session) is None
    engine.dispose()


# --- PostgreSQL stopped during a decision ------------------------------------------------------------------------------
class Dedicated:
    """A PostgreSQL server of this test's own (durable: commits flushed as in production), stopped the hard way
    (pg_ctl -m immediate: every backend killed, like a crash) and started again on the same data directory."""

    def __init__(self) -> None:
        self.server = start_server(durable=True)

    def url(self, database: str) -> str:
        return self.server.url(database)

    def crash(self) -> None:
        self.server._run("pg_ctl", "-D", str(self.server.base / "data"), "-m", "immediate", "-w", "stop")

    def start(self) -> None:
        options = (f"-p {self.server.port} -k {self.server.base} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=200")
        self.server._run("pg_ctl", "-D", str(self.server.base / "data"), "-l", str(self.server.base / "server.log"),
                         "-o", options, "-w", "start")

    def remove(self) -> None:
        self.server.stop()

    def load(self, source, database: str) -> None:
        """`database` of the server `source`, dumped and loaded into this server's `netra` database."""
        def connect(server, name):
            return ["-h", "127.0.0.1", "-p", str(server.port), "-U", server.user, "-d", name]

        dump = subprocess.run([str(source.bindir / "pg_dump"), "--no-owner", *connect(source, database)],
                              capture_output=True, check=True).stdout
        subprocess.run([str(self.server.bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1",
                        *connect(self.server, "netra")], input=dump, capture_output=True, check=True)


def test_postgresql_stopped_during_a_decision_then_restarted(tmp_path, monkeypatch, templates, pg_server):
    pg = Dedicated()
    try:
        admin = create_engine(pg.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE netra"))
        admin.dispose()
        url = pg.url("netra")
        pg.load(pg_server, templates[("postgresql", True)])  # the session's demo template, copied over
        engine = make_engine(url)
        sessions = session_factory(engine)
        number, case_id, version = received_case(sessions)
        state_before = state(sessions, case_id)

        from admin import create_app
        settings = replace(Settings.from_env(), database_url=url, var_dir=tmp_path / "var",
                           letters_dir=tmp_path / "var" / "letters", secret_key="pg-fault")
        desk = create_app(settings).test_client()
        token = csrf(desk.get("/login").get_data(as_text=True))
        assert desk.post("/login", data={"username": "penangan.kukar", "password": "netra-demo",
                                         "csrf_token": token}).status_code == 302

        # 1. the server stops while the decision's transaction is open, everything written but the commit
        in_transaction, go_on = threading.Event(), threading.Event()
        record = audit.record

        def record_then_wait(session, **kwargs):
            event = record(session, **kwargs)
            if kwargs.get("action", "").startswith("case."):
                session.flush()
                in_transaction.set()
                go_on.wait(timeout=120)
            return event

        monkeypatch.setattr(audit, "record", record_then_wait)
        outcome: list[BaseException | str] = []

        def decide():
            try:
                with transaction(sessions) as session:
                    execute(session, "begin_review", case_number=number,
                            principal=principal_of(session, HANDLER), expected_version=version)
                outcome.append("committed")
            except BaseException as exc:  # noqa: BLE001 - asserted below
                outcome.append(exc)

        worker = threading.Thread(target=decide)
        worker.start()
        assert in_transaction.wait(timeout=60)
        pg.crash()
        FAULTS.append("PostgreSQL stopped with a decision's transaction open")
        go_on.set()
        worker.join(timeout=60)
        monkeypatch.setattr(audit, "record", record)
        assert len(outcome) == 1 and isinstance(outcome[0], DBAPIError), outcome

        # 2. the desk while the database is down: a plain page in Bahasa Indonesia, no trace
        down = desk.get(f"/kasus/{number}")
        html = down.get_data(as_text=True)
        assert down.status_code == 503 and "Basis data sedang tidak dapat dihubungi" in html
        assert "Traceback" not in html and "psycopg" not in html

        # 3. restarted: the decision is not there at all; the desk and casework work again on the same pools
        pg.start()
        assert state(sessions, case_id) == state_before
        assert desk.get(f"/kasus/{number}").status_code == 200
        with sessions() as session:
            assert verify_chain(session) is None

        # 4. a decision committed just before a crash survives it (durable commits): nothing committed is lost
        with transaction(sessions) as session:
            execute(session, "begin_review", case_number=number, principal=principal_of(session, HANDLER),
                    expected_version=version)
        decided = state(sessions, case_id)
        pg.crash()
        FAULTS.append("PostgreSQL crashed right after a commit")
        pg.start()
        assert state(sessions, case_id) == decided and decided[0] == "initial_review"
        assert decided[3] == state_before[3] + ["case.begin_review"]
        with sessions() as session:
            assert verify_chain(session) is None
        engine.dispose()
    finally:
        pg.remove()


# --- SMTP down during a send -------------------------------------------------------------------------------------------
class FlakySink(MailSink):
    """A real SMTP server on loopback that can refuse mail (421, service not available) from a given message on."""

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.accept_only: int | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.accept_only is not None and len(self.received) >= self.accept_only:
            return "421 4.3.0 Layanan tidak tersedia, coba lagi nanti"
        return await super().handle_DATA(server, session, envelope)


def test_smtp_failing_during_a_send_then_every_email_goes_out_exactly_once(sessions, tmp_path):
    port = free_port()
    sink = FlakySink(port).start()
    settings = Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_SMTP_PORT": str(port),
                                  "NETRA_MAIL_FROM": "netra@bawaslu.test"})
    keys = [f"notice:{n}:reminder:fault" for n in range(9)]
    with transaction(sessions) as session:
        for key in keys:
            outbox.queue(session, dedup_key=key, purpose="reminder", recipients=["a@bawaslu.test"],
                         subject="[Netra] Pengingat", body="Batas waktu jatuh hari ini.")
    try:
        # the relay accepts three, then refuses the rest in the middle of the batch
        sink.accept_only = 3
        first = outbox.send_pending(sessions, settings=settings)
        assert (first.sent, first.failed) == (3, 6)
        FAULTS.append("SMTP refusing mid-batch (421)")
        # then goes away altogether
        sink.stop()
        second = outbox.send_pending(sessions, settings=settings)
        assert (second.sent, second.failed) == (0, 6)
        FAULTS.append("SMTP unreachable")
        with sessions() as session:
            statuses = dict(session.execute(select(OutboxMessage.dedup_key, OutboxMessage.status)).all())
            assert sorted(k for k, s in statuses.items() if s == "failed") == sorted(keys[3:])
        # and comes back on the same port
        back = FlakySink(port).start()
        try:
            third = outbox.send_pending(sessions, settings=settings)
            assert (third.sent, third.failed) == (6, 0)
            assert outbox.send_pending(sessions, settings=settings).sent == 0  # a retried task sends nothing again
            delivered = [m.key for m in sink.received] + [m.key for m in back.received]
            assert sorted(delivered) == sorted(keys)  # every email once, none twice, none lost
        finally:
            back.stop()
    finally:
        if sink.controller._thread is not None:  # noqa: SLF001 - stopped above unless an assertion failed first
            sink.stop()
