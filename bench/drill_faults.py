"""Faults with cases waiting (issue 24 item 4): processes killed with SIGKILL while cases wait in Airflow and
decisions are being recorded — then counted: every case still waits or has moved, every letter owed was issued
once, every email reached the SMTP server once, no recorded decision was lost.

The production topology of docker/compose.yaml as processes (devtools.prod_local: PostgreSQL, Redis, Airflow 3 on
the CeleryExecutor with a Celery worker, the desk under gunicorn), the demo installation, N synthetic cases waiting
at intake plus the drill's own reports (with reporters who get emails), each case with its `case_lifecycle` run
deferred on its trigger. Then, one after the other:

A. **the scheduler and the triggerer** killed together (SIGKILL to each and every process under it, as
   `docker kill` does) while a handler records decisions on the drill's cases (begin_review, register,
   invite_clarification: letters and emails owed) and new reports come in; both stay down, then start again;
B. **the Celery worker** killed the same way while it delivers email (the SMTP server answers slowly, and the kill
   lands while it holds a message), then started again. Airflow retries the killed tasks after their heartbeat
   timeout; a letter whose render was killed is taken over by `reconcile` once its claim is 10 minutes old.

After each fault the drill waits until nothing is owed or running, then counts. An email the worker was sending
when it died stays `sending` in the outbox (listed by `netra mail list --stuck`): Netra never resends it, since
the server may have accepted it. The drill then does what the operator does — looks for it at the server and
answers with `resolve_stuck` (`netra mail resolve ID --sent | --resend`) — and counts again.

    python -m bench.drill_faults             # NETRA_DRILL_CASES waiting cases (default 1,000): ~55 min on 2 cores
    python -m bench.run faults               # the same with 100 (--quick: 30)

Results: bench/README.md and docs/security.md.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import psutil
from sqlalchemy import create_engine, select, update

from bench.bench_airflow import _api, _until_dag, start_case_runs
from bench.drill_counts import DEMO_CASES, count, wait_settled
from bench.generate import generate
from casework.access.principal import principal_named
from casework.adapters.db import make_engine, session_factory, transaction
from casework.mail import outbox
from casework.models import Case, Deadline, LifecycleRun, utcnow
from casework.reference.timezones import local_today
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, open_case
from casework.road.stages import Stage
from casework.road.workflow import execute
from devtools.mailsink import MailSink, free_port
from devtools.prod_local import Topology

HANDLER = "penangan.kukar"
DRILL_CASES = 100  # reports of the drill's own, decided during fault A
NEW_DURING_A, NEW_DURING_B = 20, 20  # reports received while the scheduler is down / while the worker dies
DOWN = 30  # seconds the scheduler and the triggerer stay dead
HEARTBEAT_TIMEOUT = 60  # Airflow's default is 300 s: a killed worker's task is retried that much later
QUEUED_TIMEOUT = 120  # Airflow's default is 600 s


def _say(what: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def _report(rng: random.Random, i: int) -> IntakeInput:
    """A fictitious report to Bawaslu Kutai Kartanegara, with a reporter who has an email address."""
    today = local_today("WITA", utcnow())
    born = f"{rng.randint(1966, 1994)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    nip = f"{born}{int(born[:4]) + 25}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"
    return IntakeInput(
        source="laporan", election="simulasi-pilkada-6402", office="bawaslu-6402", regency="6402",
        district="640201", place="Balai desa", occurred_on=today - timedelta(days=3),
        known_on=today - timedelta(days=2), received_on=today, summary=f"Laporan latihan gangguan {i}",
        chronology="Terlapor (fiktif) mengunggah ajakan memilih pasangan calon di media sosial.",
        violations=["etik.sosialisasi_medsos"],
        reported=[ReportedInput(nip=nip, name=f"Terlapor Latihan {i}", position="Staf", agency="pemkab-6402")],
        reporter=ReporterInput(name=f"Pelapor Latihan {i}", address="Jl. Contoh, Tenggarong",
                               email=f"pelapor{i}@latihan.test"))


def _open(sessions, rng: random.Random, first: int, count: int) -> list[str]:
    numbers = []
    for i in range(first, first + count):
        with transaction(sessions) as session:
            numbers.append(open_case(session, _report(rng, i), principal=principal_named(session, HANDLER)).number)
    return numbers


def _decide(sessions, name: str, number: str, **fields) -> None:
    with transaction(sessions) as session:
        execute(session, name, case_number=number, principal=principal_named(session, HANDLER),
                expected_version=None, track=None, at=None, settings=None, fields=fields)


def _invitation() -> dict:
    return {"hearing_date": (local_today("WITA", utcnow()) + timedelta(days=3)).isoformat(), "hearing_time": "09:00",
            "hearing_place": "Kantor Bawaslu Kabupaten Kutai Kartanegara", "others": "Saksi Latihan; saksi"}


class Recorder(threading.Thread):
    """A handler at the desk: decides the drill's cases one step at a time, and takes new reports, while the
    faults happen. Counts what it committed, to be found again afterwards."""

    def __init__(self, sessions, numbers: list[str], rng: random.Random, new_reports: int, first_new: int,
                 pause: float) -> None:
        super().__init__(daemon=True)
        self.sessions, self.numbers, self.rng, self.pause = sessions, numbers, rng, pause
        self.new_reports, self.first_new = new_reports, first_new
        self.decided: list[tuple[str, str]] = []
        self.opened: list[str] = []
        self.errors: list[str] = []

    def run(self) -> None:
        steps = [("begin_review", {}), ("register", {}), ("invite_clarification", _invitation())]
        work = [(name, number, fields) for name, fields in steps for number in self.numbers]
        every = max(1, len(work) // max(1, self.new_reports))
        for i, (name, number, fields) in enumerate(work):
            try:
                _decide(self.sessions, name, number, **fields)
                self.decided.append((name, number))
                if i % every == 0 and len(self.opened) < self.new_reports:
                    self.opened += _open(self.sessions, self.rng, self.first_new + len(self.opened), 1)
            except Exception as exc:  # noqa: BLE001 — counted and reported, the drill goes on
                self.errors.append(f"{name} {number}: {exc}")
            time.sleep(self.pause)
        while len(self.opened) < self.new_reports:  # the reports left (all of them when there is nothing to decide)
            self.opened += _open(self.sessions, self.rng, self.first_new + len(self.opened), 1)


def _kill(airflow, name: str) -> None:
    """SIGKILL to the component and every process under it, as `docker kill` does to its container: killing its
    process group is not enough, Airflow runs each task in a process group of its own."""
    root = psutil.Process(airflow.processes[name].pid)
    for _ in range(2):  # a child forked between the listing and the kill is caught the second time
        tree = [root, *root.children(recursive=True)] if root.is_running() else []
        for proc in tree:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(tree, timeout=10)
    airflow.processes[name].wait()


def _prepare(topo: Topology, n: int) -> None:
    """The demo's cases are not the drill's (their runs recorded as ended); N synthetic cases wait at intake."""
    engine = make_engine(topo.netra_database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        for case_id in session.scalars(select(Case.id)):
            session.add(LifecycleRun(case_id=case_id, run_id=f"demo-{case_id}", started_at=utcnow(),
                                     ended_at=utcnow()))
    generate(engine, n)
    with transaction(sessions) as session:
        session.execute(update(Case).where(Case.number.like("SY-%")).values(stage=Stage.RECEIVED))
        session.execute(update(Deadline).values(next_notice_at=None))  # no reminders: the drill counts its own mail
    engine.dispose()


def drill(n: int, *, drill_cases: int = DRILL_CASES) -> dict:
    root = Path(tempfile.mkdtemp(prefix="netra-drill-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as `postgres` and must reach its directory inside
    sink = MailSink().start()
    rng = random.Random(24)
    topo = Topology(root, desk_port=free_port(), airflow_port=free_port(), pg_port=free_port(),
                    redis_port=free_port(), scheduler_health_port=free_port(), smtp_port=sink.port, demo=True,
                    fast=True, netra_extra={
                        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # runs are started by the drill
                        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
                        # a task the dead worker had taken but not started goes back to the queue after this
                        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": str(QUEUED_TIMEOUT),
                        "NETRA_RECONCILE_INTERVAL": "30"})
    engines = []
    result: dict = {"cases": n}
    try:
        timer = time.monotonic()
        topo.start_backing().migrate()
        _prepare(topo, n)
        engine = make_engine(topo.netra_database_url)
        engines.append(engine)
        sessions = session_factory(engine)
        drill_numbers = _open(sessions, rng, 0, drill_cases)
        topo.start_services()
        airflow_db = create_engine(topo.airflow_database_url)
        engines.append(airflow_db)
        token = topo.airflow.token(topo.secrets["AIRFLOW_ADMIN_PASSWORD"])
        _until_dag(topo.airflow, token)
        _api(topo.airflow, token, "PATCH", "dags/case_lifecycle", {"is_paused": False})
        with sessions() as session:
            numbers = list(session.scalars(select(Case.number).where(Case.stage == Stage.RECEIVED,
                                                                     Case.id.not_in(DEMO_CASES))))
        start_case_runs(topo.airflow, token, numbers, threads=1)  # as `reconcile` would; the drill starts sooner
        _say(f"{len(numbers)} runs started; waiting until each defers")
        result["waiting"] = len(numbers)
        result["bring up"] = time.monotonic() - timer
        result["to wait"] = wait_settled(sessions, airflow_db, topo, "bringing every case to its wait")
        _api(topo.airflow, token, "PATCH", "dags/reconcile", {"is_paused": False})  # cases opened from now on

        _say(f"all wait ({result['to wait']:.0f} s); A: recording decisions, then killing scheduler + triggerer")
        # A. the scheduler and the triggerer die while decisions are recorded, and stay dead a while
        # paced to go on through the whole outage (three steps per case)
        recorder = Recorder(sessions, drill_numbers, rng, NEW_DURING_A, drill_cases,
                            pause=(DOWN + 15) / (3 * len(drill_numbers)))
        recorder.start()
        time.sleep(5)
        for name in ("scheduler", "triggerer"):
            _kill(topo.airflow, name)
        _say(f"scheduler + triggerer killed; down for {DOWN} s")
        time.sleep(DOWN)
        for name in ("scheduler", "triggerer"):
            topo.airflow.start_component(name)
        _say("scheduler + triggerer started again")
        recorder.join()
        _say(f"recorder done: {len(recorder.decided)} decisions, {len(recorder.opened)} reports; settling")
        result["A settle"] = wait_settled(sessions, airflow_db, topo, "after the scheduler and triggerer died")
        result["A"] = count(sessions, airflow_db, sink, [recorder], HANDLER)

        _say(f"A settled ({result['A settle']:.0f} s): {result['A']}")
        # B. the Celery worker dies while it holds a message open at the SMTP server
        sink.delay = 3.0
        before = len(sink.received)
        newcomers = Recorder(sessions, [], rng, NEW_DURING_B, drill_cases + NEW_DURING_A, pause=0)
        newcomers.start()
        newcomers.join()  # their receipts go out as their runs start: the deliveries the kill lands in
        deadline = time.monotonic() + 600
        while not sink.in_progress:
            if time.monotonic() > deadline:
                raise RuntimeError("no delivery began within 10 minutes")
            time.sleep(0.1)
        result["B killed while delivering"] = held = sink.in_progress
        _kill(topo.airflow, "celery worker")
        _say(f"Celery worker killed with {held} message(s) held at the SMTP server")
        time.sleep(5)
        sink.delay = 0
        topo.airflow.start_component("celery worker")
        result["B settle"] = wait_settled(sessions, airflow_db, topo, "after the Celery worker died")
        _say(f"B settled ({result['B settle']:.0f} s)")
        result["B emails"] = len(sink.received) - before
        with transaction(sessions) as session:  # the operator: each stuck email looked for at the server
            stuck = [(row.id, row.dedup_key) for row in outbox.stuck(session)]
            received = {m.key for m in sink.received}
            for row_id, key in stuck:
                outbox.resolve_stuck(session, row_id, went=key in received, actor="cli:drill")
        result["B stuck answered"] = {"sent": sum(k in received for _, k in stuck),
                                      "resend": sum(k not in received for _, k in stuck)}
        wait_settled(sessions, airflow_db, topo, "after the stuck emails were answered")
        result["B"] = count(sessions, airflow_db, sink, [newcomers], HANDLER)
        result["seconds"] = time.monotonic() - timer
        return result
    finally:
        for engine in engines:
            engine.dispose()
        topo.stop(graceful=False)
        sink.stop()
        shutil.rmtree(root, ignore_errors=True)


def rows(result: dict) -> list[dict]:
    out = [{"figure": "cases waiting in Airflow (Celery topology) before the faults",
            "value": f"{result['waiting']:,} (all waiting {result['to wait']:.0f} s after their runs were started)",
            "goal": "", "met": None}]
    for fault, label in (("A", f"scheduler + triggerer SIGKILLed for {DOWN} s"),
                         ("B", "Celery worker SIGKILLed mid-delivery")):
        got = result[fault]
        lost = got["decisions lost"] + (got["reports committed / found"][0] - got["reports committed / found"][1])
        deferred, owed = got["task instances"].get("deferred", 0), got["letter requests"]
        owed = owed.get("open", 0) + owed.get("claimed", 0)
        stuck = result.get(f"{fault} stuck answered", {"sent": 0, "resend": 0})
        out += [
            {"figure": f"{label}: decisions and reports recorded meanwhile / lost",
             "value": f"{got['decisions committed']} + {got['reports committed / found'][0]} / {lost}",
             "goal": "0 lost", "met": lost == 0 and not got["recorder errors"]},
            {"figure": f"{label}: open cases waiting again / runs failed",
             "value": f"{deferred:,} of {got['open cases with a run']:,} / {got['runs'].get('failed', 0)} "
                      f"(settled {result[fault + ' settle']:.0f} s after)",
             "goal": "all / 0", "met": deferred == got["open cases with a run"] and not got["runs"].get("failed")},
            {"figure": f"{label}: letters issued / still owed / a request with two letters",
             "value": f"{got['letters issued']} / {owed} / {got['requests with two live letters']}",
             "goal": "0 owed, once each", "met": owed == 0 and got["requests with two live letters"] == 0},
            {"figure": f"{label}: emails at the SMTP server / received twice / left stuck (answered: had it, "
                       f"resent)",
             "value": f"{got['emails at the SMTP server']} / {got['emails received twice']} / "
                      f"{got['stuck (sending) rows']} ({stuck['sent']}, {stuck['resend']})",
             "goal": "0 twice", "met": got["emails received twice"] == 0 and got["sent rows never received"] == 0},
        ]
    return out


def run(quick: bool = False) -> list[dict]:
    return rows(drill(30 if quick else 100, drill_cases=20 if quick else DRILL_CASES))


if __name__ == "__main__":
    import json

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the topology is still torn down
    outcome = drill(int(os.environ.get("NETRA_DRILL_CASES", "1000")))
    print(json.dumps(outcome, indent=2, default=str))
    for row in rows(outcome):
        print(f"| {row['figure']} | {row['value']} | {row['goal']} | {row['met']} |")
