"""Open cases waiting in Airflow: a real Airflow (api-server, scheduler, dag-processor, triggerer; LocalExecutor)
with its metadata and Netra's database on a throw-away PostgreSQL server, N open cases each with a live
`case_lifecycle` run deferred on its trigger. Measured over a quiet window once all N wait:

- RSS and CPU of the scheduler (with its LocalExecutor workers) and of the triggerer (with its trigger runner);
- the scheduler loop time (its own "Ran scheduling loop" log, p50 / p95);
- the database transactions per second the waiting costs, Airflow's metadata and Netra's database apart;
- that no worker slot is held: running task instances while all wait.

Bringing N runs to waiting is measured too: from the first API call to every run's wait looked at in the
triggerer (deferred in Airflow, recorded in Netra by `lifecycle.first_look`), with the worker runs it took (task
instances a worker ran; each wait starts in the triggerer, so the goal is none) and the CPU it cost.

Sizes: NETRA_BENCH_AIRFLOW_SIZES (default "1000" in `make bench`; --quick: 100). The 10,000 figure of issue 23:
`NETRA_BENCH_AIRFLOW_SIZES=10000 python -m bench.run airflow` (≈ 20 minutes on 2 cores).
"""
from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
from sqlalchemy import create_engine, select, text, update

from bench.bench_letters import percentile
from casework.adapters.db import make_engine, session_factory, transaction
from casework.models import Case, Deadline
from casework.road.lifecycle import run_id_for
from casework.road.stages import Stage
from devtools.airflow_local import LocalAirflow, airflow_env
from devtools.mailsink import free_port
from devtools.pgserver import start_server

WINDOW = 60
LOOP = re.compile(r"Ran scheduling loop in ([0-9.]+) ms")


def _prepare_netra(url: str, n: int) -> list[str]:
    """Demo offices and people, then N synthetic cases open at intake with nothing owed."""
    from bench.bench_desk import _prepare

    _prepare(url, n)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        # every synthetic case open at the first leg; the demo's own cases are left out of this measurement
        session.execute(update(Case).where(Case.number.like("SY-%")).values(stage=Stage.RECEIVED))
        session.execute(update(Case).where(~Case.number.like("SY-%")).values(stage=Stage.CLOSED))
        session.execute(update(Deadline).values(next_notice_at=None))
        numbers = list(session.scalars(select(Case.number).where(Case.number.like("SY-%"))))
    engine.dispose()
    return numbers


def _api(runner: LocalAirflow, token: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(f"{runner.url}/api/v2/{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def start_case_runs(runner: LocalAirflow, token: str, numbers: list[str], threads: int = 4) -> None:
    """What `reconcile` does, through the REST API as an operator's script would: one run per case, `threads` at
    once, each with the run id its case number gives."""
    def start(number: str) -> dict:
        return _api(runner, token, "POST", "dags/case_lifecycle/dagRuns",
                    {"dag_run_id": run_id_for(number), "logical_date": None, "conf": {"case_number": number}})

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(start, numbers))


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _usage(pids: dict[str, int]) -> dict[str, tuple[float, float]]:
    """(RSS MiB, CPU seconds) per component: the scheduler alone, its LocalExecutor worker pool apart (idle while
    everything waits; on Celery they are other machines), every other component with its whole process tree."""
    out = {}
    for name, pid in pids.items():
        rss = cpu = 0.0
        procs = [psutil.Process(pid)] if name == "scheduler" else _tree(pid)
        if name == "executor workers":
            procs = psutil.Process(pid).children(recursive=True)
        for proc in procs:
            try:
                rss += proc.memory_info().rss
                times = proc.cpu_times()  # with its finished children's (a task run forked by a worker)
                cpu += times.user + times.system + times.children_user + times.children_system
            except psutil.NoSuchProcess:
                continue
        out[name] = (rss / 2**20, cpu)
    return out


def _xacts(conn, database: str) -> int:
    return conn.execute(text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :d"),
                        {"d": database}).scalar()


def _measure(server, n: int, window: int) -> list[dict]:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    netra_db, airflow_db = f"bench_netra_{n}", f"bench_airflow_{n}"
    with admin.connect() as conn:
        for name in (netra_db, airflow_db):
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    numbers = _prepare_netra(server.url(netra_db), n)
    home = Path(tempfile.mkdtemp(prefix="netra-bench-airflow-"))
    port = free_port()
    env = airflow_env(home, port=port, metadata_url=server.url(airflow_db), extra={
        "NETRA_DATABASE_URL": server.url(netra_db), "NETRA_VAR_DIR": str(home / "var"),
        "NETRA_SMTP_PORT": str(free_port()),  # nobody listens: mail stays queued, which is not measured here
        "NETRA_RECONCILE_INTERVAL": "86400", "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__PARALLELISM": "6"})
    runner = LocalAirflow(home, port, env, component_env={"scheduler": {"AIRFLOW__LOGGING__LOGGING_LEVEL": "DEBUG"}})
    rows = []
    try:
        runner.start()
        token = runner.token()
        _until_dag(runner, token)
        _api(runner, token, "PATCH", "dags/case_lifecycle", {"is_paused": False})
        pids = {"scheduler": runner.processes["scheduler"].pid, "triggerer": runner.processes["triggerer"].pid,
                "executor workers": runner.processes["scheduler"].pid,
                "api-server": runner.processes["api-server"].pid,
                "dag-processor": runner.processes["dag-processor"].pid}
        metadata = create_engine(server.url(airflow_db))
        netra = create_engine(server.url(netra_db))
        count = "SELECT count(*) FROM task_instance WHERE dag_id = 'case_lifecycle' AND state = :s"
        start_usage = _usage(pids)
        started = time.monotonic()
        start_case_runs(runner, token, numbers)
        posted = time.monotonic() - started
        with metadata.connect() as conn, netra.connect() as netra_conn:
            while True:
                deferred = conn.execute(text(count), {"s": "deferred"}).scalar()
                looked = netra_conn.execute(text("SELECT count(*) FROM lifecycle_runs r JOIN cases c ON c.id = "
                                                 "r.case_id WHERE c.number LIKE 'SY-%'")).scalar()
                if deferred >= len(numbers) and looked >= len(numbers):
                    break
                if time.monotonic() - started > 3600:
                    raise RuntimeError(f"within an hour only {deferred} runs deferred, {looked} looked at")
                time.sleep(2)
                conn.rollback()
                netra_conn.rollback()
        to_wait = time.monotonic() - started
        up_usage = _usage(pids)
        with metadata.connect() as conn:
            worker_runs = conn.execute(text(
                "SELECT count(*) FROM task_instance WHERE dag_id = 'case_lifecycle' AND coalesce(hostname, '') <> ''"
            )).scalar()
        netra.dispose()
        time.sleep(10)  # the last loops settle
        log = home / "logs" / "scheduler.log"
        log_offset = log.stat().st_size
        with admin.connect() as conn:
            before_x = {db: _xacts(conn, db) for db in (airflow_db, netra_db)}
        before = _usage(pids)
        time.sleep(window)
        after = _usage(pids)
        with admin.connect() as conn:
            after_x = {db: _xacts(conn, db) for db in (airflow_db, netra_db)}
        with metadata.connect() as conn:
            running = conn.execute(text(count), {"s": "running"}).scalar()
            deferred = conn.execute(text(count), {"s": "deferred"}).scalar()
        metadata.dispose()
        with open(log, errors="replace") as fh:
            fh.seek(log_offset)
            loops = [float(m.group(1)) for m in LOOP.finditer(fh.read())]
        rss = {k: v[0] for k, v in after.items()}
        cpu = {k: (after[k][1] - before[k][1]) / window * 100 for k in after}
        total_rss = rss["scheduler"] + rss["triggerer"]
        label = f"{deferred:,} cases waiting"
        up_cpu = {k: up_usage[k][1] - start_usage[k][1] for k in up_usage}
        rows += [
            {"figure": f"bring {len(numbers):,} new cases to waiting (API calls {posted:.0f} s, 4 at a time)",
             "value": f"{to_wait:.0f} s ({len(numbers) / to_wait:.1f} runs/s)",
             "goal": "10k within 15 min", "met": to_wait <= 900 if len(numbers) >= 10_000 else None},
            {"figure": f"worker runs it took / CPU s of scheduler, triggerer, workers, api-server — {len(numbers):,}",
             "value": f"{worker_runs} / {up_cpu['scheduler']:.0f}, {up_cpu['triggerer']:.0f}, "
                      f"{up_cpu['executor workers']:.0f}, {up_cpu['api-server']:.0f}",
             "goal": "0 worker runs", "met": worker_runs == 0},
            {"figure": f"RSS scheduler + triggerer — {label}",
             "value": f"{rss['scheduler']:.0f} + {rss['triggerer']:.0f} = {total_rss:.0f} MiB",
             "goal": "<= 1 GB at 10k", "met": total_rss <= 1024},
            {"figure": f"RSS api-server / dag-processor / idle LocalExecutor workers ({env['AIRFLOW__CORE__PARALLELISM']})"
                       f" — {label}",
             "value": f"{rss['api-server']:.0f} / {rss['dag-processor']:.0f} / {rss['executor workers']:.0f} MiB",
             "goal": "", "met": None},
            {"figure": f"CPU scheduler / triggerer while waiting — {label}",
             "value": f"{cpu['scheduler']:.1f} % / {cpu['triggerer']:.1f} % of a core", "goal": "", "met": None},
            {"figure": f"scheduler loop p50 / p95 — {label}",
             "value": f"{statistics.median(loops):.1f} / {percentile(loops, 95):.1f} ms ({len(loops)} loops)"
             if loops else "no loops logged", "goal": "near-flat 1k → 10k", "met": None},
            {"figure": f"DB transactions/s while waiting: Airflow metadata / Netra — {label}",
             "value": f"{(after_x[airflow_db] - before_x[airflow_db]) / window:.1f} / "
                      f"{(after_x[netra_db] - before_x[netra_db]) / window:.2f}", "goal": "", "met": None},
            {"figure": f"task instances running (worker slots held) — {label}", "value": str(running),
             "goal": "0", "met": running == 0},
        ]
    finally:
        runner.stop()
        with admin.connect() as conn:
            for name in (netra_db, airflow_db):
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    return rows


def _until_dag(runner: LocalAirflow, token: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _api(runner, token, "GET", "dags/case_lifecycle")
            return
        except OSError:
            time.sleep(2)
    raise RuntimeError("the dag-processor did not load case_lifecycle")


def _shared_watch(server, n: int) -> list[dict]:
    """Netra's own share of the triggerer at N waiting cases, in one event loop as in the triggerer: memory per
    waiting CaseMovedTrigger and the time of one poll of all of them (one query per 500 cases)."""
    import asyncio
    import gc
    import tracemalloc

    from netra_airflow import database, triggers

    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    name = f"bench_watch_{n}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    numbers = _prepare_netra(server.url(name), n)
    os.environ["NETRA_DATABASE_URL"] = server.url(name)
    database._factory.cache_clear()

    async def first(trigger):
        async for event in trigger.run():
            return event

    async def main() -> tuple[float, float, int]:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        waiting = [asyncio.create_task(first(triggers.CaseMovedTrigger(number, 1, 3600))) for number in numbers]
        await asyncio.sleep(5)  # every trigger registered, the first poll done
        gc.collect()
        per_trigger = (tracemalloc.get_traced_memory()[0] - before) / len(numbers)
        tracemalloc.stop()
        started = time.perf_counter()
        for start in range(0, len(numbers), triggers.CHUNK):
            await asyncio.to_thread(triggers._read_versions, numbers[start:start + triggers.CHUNK])
        poll = time.perf_counter() - started
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        return per_trigger, poll, triggers.WATCH.polls

    try:
        per_trigger, poll, polls = asyncio.run(main())
    finally:
        database._factory.cache_clear()
        os.environ.pop("NETRA_DATABASE_URL", None)
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    return [{"figure": f"shared watch, {n:,} waiting triggers: memory each / one poll of all (PostgreSQL)",
             "value": f"{per_trigger / 1024:.1f} KiB / {poll * 1000:.0f} ms ({-(-n // triggers.CHUNK)} queries)",
             "goal": "", "met": None}]


def run(quick: bool = False) -> list[dict]:
    sizes = [100] if quick else [int(s) for s in os.environ.get("NETRA_BENCH_AIRFLOW_SIZES", "1000").split(",")]
    server = start_server()
    try:
        rows = []
        for n in ([1_000] if quick else [1_000, 10_000]):
            rows += _shared_watch(server, n)
        for n in sizes:
            rows += _measure(server, n, 20 if quick else WINDOW)
        return rows
    finally:
        server.stop()
