"""Intake throughput: cases opened per second through `casework.road.intake.open_case`, each in its own transaction as
the desk's intake form and the register import do — every field validated (NIP, dates, regions, election,
agency, lengths), case number reserved, case + reporter + reported ASN + witness + violations written, first
history step, the intake deadlines computed and started (with their first notice moment) and the hash-chained
audit event. Goal: >= 200/s, on PostgreSQL and SQLite.

One writer (one process, one core's worth of Python), then two writer processes (both cores), on the same
database holding the demo. Inputs: laporan and temuan spread over the demo's six Kalimantan regencies, each with
1–2 reported ASN (valid NIPs), a witness and 1–2 violations; built before the clock starts. Not in an intake
transaction, so not measured here: the receipt letter (rendered and emailed later by the case's Airflow run;
the letters bench measures rendering) — intake itself writes no outbox row.
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench.bench_desk import _prepare
from casework.access.principal import operator
from casework.adapters.db import make_engine, session_factory, transaction
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.models import Agency, Case, District, Office
from casework.rules import violation_catalogue


def inputs(url: str, n: int, seed: int) -> list[IntakeInput]:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        offices = [(o.code, o.regency_code) for o in session.scalars(
            select(Office).where(Office.kind == "bawaslu_kabkota").order_by(Office.code))]
        agencies = {a.regency_code: a.code for a in session.scalars(select(Agency))}
        districts = {code: session.scalar(select(District.code).where(District.regency_code == code)
                                          .order_by(District.code)) for _, code in offices}
    engine.dispose()
    rng = random.Random(seed)
    codes = sorted(violation_catalogue())
    out = []
    for i in range(n):
        office, regency = rng.choice(offices)
        received = date(2024, 1, 15) + timedelta(days=rng.randrange(270))  # inside Pemilu 2024's period
        people = []
        for k in range(rng.choice((1, 1, 2))):
            born = date(rng.randint(1966, 1994), rng.randint(1, 12), rng.randint(1, 28))
            nip = f"{born:%Y%m%d}{born.year + 25}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"
            people.append(ReportedInput(nip=nip, name=f"Terlapor Uji {seed}-{i}-{k}", position="Kepala Seksi",
                                        agency=agencies[regency], rank="Penata (III/c)", work_unit="Dinas Uji"))
        laporan = i % 3 != 0
        out.append(IntakeInput(
            source="laporan" if laporan else "temuan", election="pemilu-2024", office=office, regency=regency,
            district=districts[regency], place="Balai pertemuan desa", occurred_on=received - timedelta(days=3),
            known_on=received - timedelta(days=1), received_on=received,
            summary=f"ASN menghadiri kampanye (uji kinerja {seed}-{i})",
            chronology="Terlapor hadir dan memberi sambutan dalam kegiatan kampanye salah satu peserta pemilu.",
            violations=rng.sample(codes, rng.choice((1, 2))), reported=people,
            reporter=ReporterInput(name="Pelapor Uji", address="Jl. Uji No. 1", phone="081200000000",
                                   email="pelapor@example.org") if laporan else None,
            found_by="" if laporan else "Pengawas Kecamatan", witnesses=[WitnessInput(name="Saksi Uji")],
            external_ref=f"bench-intake-{seed}-{i}"))
    return out


def _open_many(args: tuple[str, int, int]) -> tuple[int, float]:
    """One writer: open `n` cases (inputs built first, untimed), one transaction each; (count, seconds)."""
    url, n, seed = args
    data = inputs(url, n, seed)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:  # warm: rules, catalogue, holiday index, statement caches
        open_case(session, inputs(url, 1, seed + 10_000)[0], principal=operator("bench"))
    start = time.perf_counter()
    for item in data:
        with transaction(sessions) as session:
            open_case(session, item, principal=operator("bench"))
    elapsed = time.perf_counter() - start
    engine.dispose()
    return n, elapsed


def _measure(url: str, label: str, n: int) -> list[dict]:
    _prepare(url)  # the demo only: intake makes the cases
    with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process, as a desk worker is
        count, seconds = pool.submit(_open_many, (url, n, 1)).result()
    one = count / seconds
    with ProcessPoolExecutor(max_workers=2) as pool:
        start = time.perf_counter()
        done = list(pool.map(_open_many, [(url, n, 2), (url, n, 3)]))
        # each writer's own clock (its inputs are built before it starts); the slower one bounds the pair
        two = sum(c for c, _ in done) / max(s for _, s in done)
    engine = make_engine(url)
    with engine.connect() as conn:
        opened = conn.execute(select(func.count()).select_from(Case).where(Case.external_ref.like("bench-intake-%"))
                              ).scalar()
    engine.dispose()
    return [
        {"figure": f"intake: cases opened per second, 1 writer — {label} ({count:,} cases)",
         "value": f"{one:,.0f}/s", "goal": ">= 200/s", "met": one >= 200},
        {"figure": f"intake: cases opened per second, 2 writer processes — {label} ({sum(c for c, _ in done):,} "
                   f"cases; {opened:,} in all, each present once)",
         "value": f"{two:,.0f}/s", "goal": "", "met": None},
    ]


def run(quick: bool = False) -> list[dict]:
    n = 100 if quick else 600
    workdir = Path(tempfile.mkdtemp(prefix="netra-bench-intake-"))
    rows = []
    try:
        from devtools.pgserver import start_server
        server = start_server()
        try:
            admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("CREATE DATABASE bench_intake"))
            admin.dispose()
            rows += _measure(server.url("bench_intake"), "PostgreSQL", n)
        finally:
            server.stop()
        rows += _measure(f"sqlite:///{workdir / 'intake.db'}", "SQLite", n)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows
