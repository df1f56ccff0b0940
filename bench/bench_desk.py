"""The desk at scale: the case list (first page, a deep page, a stage filter, a NIP search), 'Tugas saya', the map,
the PPK league table and the dashboard,
p50/p95 over repeated requests through the real app (Flask test client, no network), at 100k cases, on SQLite
and on PostgreSQL (a throw-away server started like the tests' one). Goal: p95 <= 100 ms."""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench.bench_letters import percentile
from bench.generate import generate
from casework.adapters import migrate
from casework.adapters.db import make_engine, session_factory, transaction
from demo.loader import load_demo
from casework.models import Case, ReportedASN
from casework.reference.sync import sync_reference_data
from casework.reference.regions import load_regions
from casework.settings import Settings


def _prepare(url: str, n: int = 0) -> None:
    """Migrate, load reference data, regions and the demo, then `n` synthetic cases (none by default)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        sync_reference_data(session)
        load_regions(session)
        load_demo(session, settings=Settings.from_env())
    if n:
        generate(engine, n)
    engine.dispose()


def _client(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": username, "password": "netra-demo", "csrf_token": token})
    return client


def _time(client, path: str, repeat: int) -> tuple[float, float]:
    client.get(path)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return percentile(times, 50), percentile(times, 95)


def _measure(url: str, label: str, n: int, repeat: int, workdir: Path) -> list[dict]:
    from admin import create_app
    _prepare(url, n)
    settings = replace(Settings.from_env(), database_url=url, var_dir=workdir, secret_key="bench")
    app = create_app(settings)
    engine = make_engine(url)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Case)).scalar()
        nip = conn.execute(select(ReportedASN.nip).order_by(ReportedASN.id.desc()).limit(1)).scalar()
    engine.dispose()
    ri, kukar = _client(app, "penangan.ri"), _client(app, "penangan.kukar")
    rows = []
    for row in [
        ("case list, first page (RI: all cases)", ri, "/kasus-daftar/"),
        ("case list, page 200 (RI)", ri, "/kasus-daftar/?page=200"),
        ("case list, stage filter (RI)", ri, "/kasus-daftar/?flt0_0=forwarded"),
        ("case list, search by NIP (RI)", ri, f"/kasus-daftar/?search={nip}"),
        ("case list, first page (kab/kota)", kukar, "/kasus-daftar/"),
        ("Tugas saya (kab/kota)", kukar, "/"),
        # issue 21: the map (its layer is the dashboard's scoped region report), the PPK league table (one row
        # per reported ASN in scope, summed in Python) and the dashboard with its early-warning flags
        ("map, provinces (RI)", ri, "/dasbor/peta?provinsi=", 10),
        ("map, Kalimantan Timur's regencies (RI)", ri, "/dasbor/peta?provinsi=64", 10),
        ("PPK league table (RI)", ri, "/liga-ppk/", 10),
        ("dashboard with early warning (RI)", ri, "/dasbor/", 5),  # seconds each at 100k: fewer repeats
    ]:
        name, client, path, times = (*row, repeat)[:4]
        p50, p95 = _time(client, path, times)
        rows.append({"figure": f"{name} p50 / p95 — {label}, {total:,} cases",
                     "value": f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms", "goal": "p95 <= 100 ms", "met": p95 <= 0.1})
    return rows


def run(quick: bool = False) -> list[dict]:
    n = 10_000 if quick else 100_000
    repeat = 20 if quick else 50
    workdir = Path(tempfile.mkdtemp(prefix="netra-bench-desk-"))
    rows = []
    try:
        rows += _measure(f"sqlite:///{workdir / 'desk.db'}", "SQLite", n, repeat, workdir)
        from devtools.pgserver import start_server
        server = start_server()
        try:
            admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("CREATE DATABASE bench_desk"))
            admin.dispose()
            rows += _measure(server.url("bench_desk"), "PostgreSQL", n, repeat, workdir)
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows
