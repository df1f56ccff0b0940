"""The desk under load (issue 23 item 3): Locust, headless and bounded, on loopback, 50 concurrent handlers
(bench/locustfile.py) against the desk under gunicorn (4 workers, as docker/compose.yaml) and PostgreSQL holding
100,000 synthetic cases plus the demo and a pool of fresh reports to take up. Then a fresh worker's first
requests against the same requests warm.

Sizes: NETRA_LOAD_CASES (default 100000; --quick 5000), NETRA_LOAD_USERS (50), NETRA_LOAD_SECONDS (180). The desk
runs in development mode (no Secure cookies, which a client on plain http:// would not send back); everything
else is production's code path. Locust itself runs on the same 2 cores.
"""
from __future__ import annotations

import csv
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests
from sqlalchemy import create_engine, text

from bench.bench_desk import _prepare
from bench.drill_faults import _open
from bench.generate import generate
from casework.adapters.db import make_engine, session_factory
from devtools.mailsink import MailSink, free_port
from devtools.pgserver import start_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES_P95, ISSUE_P95 = 300, 800  # ms
CSRF = r'name="csrf_token"[^>]*value="([^"]+)"'


def _desk(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:admin.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "admin:create_app()"],
        env=env, cwd=ROOT, stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"gunicorn did not start; see {log}") from None
            time.sleep(0.5)
    _quiet(proc.pid)
    return proc


def _quiet(pid: int) -> None:
    """Until every worker has built its app (and warmed its letters): their CPU time stops growing."""
    last, still = -1.0, 0
    while still < 4:
        time.sleep(0.5)
        procs, total = psutil.Process(pid).children(recursive=True), 0.0
        for proc in procs:
            try:
                total += sum(proc.cpu_times()[:2])
            except psutil.NoSuchProcess:  # a helper a worker ran and reaped
                continue
        still = still + 1 if procs and total == last else 0
        last = total


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, 9)


def _signed_in(url: str, username: str) -> requests.Session:
    import re

    client = requests.Session()
    page = client.get(f"{url}/login")
    client.post(f"{url}/login", data={"csrf_token": re.search(CSRF, page.text).group(1), "username": username,
                                      "password": "netra-demo"}).raise_for_status()
    return client


def _timed(client: requests.Session, url: str) -> float:
    started = time.perf_counter()
    client.get(url).raise_for_status()
    return (time.perf_counter() - started) * 1000


def _first_requests(env: dict, number: str) -> list[dict]:
    """A fresh worker's first login page, case page and letter preview, against the same requests warm."""
    port = free_port()
    proc = _desk(env, port, 1, Path(env["NETRA_VAR_DIR"]) / "desk-fresh.log")
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        requests.get(f"{url}/login").raise_for_status()
        first = {"login page": (time.perf_counter() - started) * 1000}
        started = time.perf_counter()
        client = _signed_in(url, "penangan.kukar")
        sign_in = (time.perf_counter() - started) * 1000
        paths = {"case page": f"/kasus/{number}", "letter preview": f"/kasus/{number}/surat/draf/receipt"}
        first |= {name: _timed(client, url + path) for name, path in paths.items()}
        warm = {"login page": statistics.median(_timed(requests.Session(), f"{url}/login") for _ in range(20))}
        warm |= {name: statistics.median(_timed(client, url + path) for _ in range(20))
                 for name, path in paths.items()}
    finally:
        _stop(proc)
    rows = [{"figure": "sign-in of one user alone (form, argon2id check, redirect)", "value": f"{sign_in:.0f} ms",
             "goal": "", "met": None}]
    return rows + [{"figure": f"fresh worker's first {name} vs warm p50",
                    "value": f"{first[name]:.0f} vs {warm[name]:.0f} ms ({first[name] / warm[name]:.1f}×)",
                    "goal": "<= 2×", "met": first[name] <= 2 * warm[name]} for name in first]


def _locust(host: str, users: int, seconds: int, pool: Path, out: Path) -> list[dict]:
    prefix = out / "load"
    env = {**os.environ, "NETRA_LOAD_POOL": str(pool)}
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                    "-u", str(users), "-r", "5", "-t", f"{seconds + 40}s", "--stop-timeout", "10", "--host", host,
                    # the statistics restart once every user has signed in (locustfile.ALL_IN): `seconds` of work
                    "--csv", str(prefix), "--loglevel", "WARNING"], env=env, check=False, cwd=ROOT)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def measure(n: int, users: int, seconds: int) -> list[dict]:
    server = start_server()
    sink = MailSink().start()
    work = Path(tempfile.mkdtemp(prefix="netra-bench-load-"))
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE load_netra"))
    url = server.url("load_netra")
    started = time.monotonic()
    _prepare(url)
    engine = make_engine(url)
    generate(engine, n)
    made = time.monotonic() - started
    # the day's new reports to Bawaslu Kutai Kartanegara, each owed its receipt (more than the run can take)
    pool = _open(session_factory(engine), random.Random(23), 0, users * seconds // 20)
    engine.dispose()
    (work / "pool.json").write_text(json.dumps(pool))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")} | {
        "NETRA_DATABASE_URL": url, "NETRA_VAR_DIR": str(work), "NETRA_SMTP_PORT": str(sink.port),
        "NETRA_LOGIN_ATTEMPTS_PER_MINUTE": "100000", "WEB_CONCURRENCY": "4", "PYTHONUNBUFFERED": "1"}
    rows = []
    try:
        rows += _first_requests(env, pool[-1])
        port = free_port()
        desk = _desk(env, port, 4, work / "desk.log")
        load_before = os.getloadavg()
        try:
            stats = _locust(f"http://127.0.0.1:{port}", users, seconds, work / "pool.json", work)
        finally:
            load_after = os.getloadavg()
            _stop(desk)
        with session_factory(make_engine(url))() as session:
            issued = session.execute(text("SELECT count(*) FROM letters WHERE kind = 'receipt' AND status = 'issued'"
                                          )).scalar()
    finally:
        sink.stop()
        admin.dispose()
        server.stop()
    total = next(s for s in stats if s["Name"] == "Aggregated")
    for s in stats:
        if s["Name"] == "Aggregated" or int(s["Request Count"]) == 0:  # sign-ins: before the statistics restart
            continue
        p95 = float(s["95%"])
        goal = ISSUE_P95 if s["Name"].startswith("issue") else PAGES_P95
        rows.append({"figure": f"{s['Type']} {s['Name']}: requests / p50 / p95 / max",
                     "value": f"{s['Request Count']} / {float(s['50%']):.0f} / {p95:.0f} / "
                              f"{float(s['Max Response Time']):.0f} ms",
                     "goal": f"p95 <= {goal} ms", "met": p95 <= goal})
    failures = int(total["Failure Count"])
    rows += [
        {"figure": f"{users} users for {seconds} s: requests, throughput, errors",
         "value": f"{total['Request Count']} requests, {float(total['Requests/s']):.1f} req/s, {failures} errors; "
                  f"{issued} receipts issued",
         "goal": "0 errors", "met": failures == 0},
        {"figure": "load average (1 min) before / after the run; data made in",
         "value": f"{load_before[0]:.1f} / {load_after[0]:.1f}; {n:,} cases in {made:.0f} s", "goal": "",
         "met": None},
    ]
    return rows


def run(quick: bool = False) -> list[dict]:
    if quick:
        return measure(5_000, 10, 30)
    return measure(int(os.environ.get("NETRA_LOAD_CASES", "100000")), int(os.environ.get("NETRA_LOAD_USERS", "50")),
                   int(os.environ.get("NETRA_LOAD_SECONDS", "180")))
