"""Letter numbers under 50 concurrent writers, on PostgreSQL (SQLite beside it): numbers issued per second and
duplicates (goal: >= 200/s, 0 duplicates).

Every writer asks for numbers of the *same* series (one office, one classification, one year: the worst case,
every writer waits for the same counter row). Two measurements:

- reservation only: `casework.numbering.next_value` in its own transaction (`casework.adapters.db.transaction`), exactly
  issue_letter's step 1 without the letter row and the audit event — the cost of the counter itself;
- the whole `casework.letters.issue.issue_letter` with a trivial render function (a fixed 1 KiB "PDF" instead of
  WeasyPrint, whose cost is measured by the letters bench): its letter request claimed, context built from the
  case, number reserved, letter row and audit event, file written and fsynced, marked issued with a second audit
  event (each writer answers requests of its own: one per letter, written beforehand).

Writers are 50 threads, each with its own database connection, started together on a barrier (psycopg and
sqlite3 release the GIL while they wait on the database). Duplicates are counted from what the writers got back
and, for issue_letter, from the letters table; the reserved numbers must also be exactly 1..N (no gaps).
PostgreSQL runs twice: as the tests run it (fsync off) and durable (fsync and synchronous_commit on, every commit
flushed to disk as in production) — on one counter row, the flush is what bounds the rate.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, event, func, select, text

from casework.adapters import migrate
from casework.adapters.db import _sqlite_begin, _sqlite_pragmas, session_factory, transaction
from demo.loader import load_demo
from casework.access.principal import SYSTEM
from casework.letters.issue import issue_letter
from casework.letters.requests import request_letters
from casework.models import Case, Letter
from casework.numbering import next_value
from casework.reference.sync import sync_reference_data
from casework.reference.regions import load_regions
from casework.settings import Settings

WRITERS = 50
KIND = "recommendation_to_oversight"
FAKE_PDF = b"%PDF-1.7\n" + b"%" * 1000 + b"\n%%EOF\n"


def _engine(url: str):
    """One connection per writer (the application's engine keeps a smaller pool)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False},
                               pool_size=WRITERS, max_overflow=0)
        event.listen(engine, "connect", lambda conn, record: _sqlite_pragmas(conn, record))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=WRITERS, max_overflow=0, pool_pre_ping=True)


def _together(work, per_writer: int) -> tuple[float, list]:
    """Run work(writer, i) per_writer times in each of WRITERS threads started at once; (seconds, results)."""
    barrier = threading.Barrier(WRITERS + 1)
    results: list[list] = [[] for _ in range(WRITERS)]
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        barrier.wait()
        try:
            for i in range(per_writer):
                results[w].append(work(w, i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed, [value for chunk in results for value in chunk]


def _measure(url: str, label: str, per_writer: int, letters_per_writer: int, workdir: Path) -> list[dict]:
    engine = _engine(url)
    postgres = engine.dialect.name == "postgresql"
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        sync_reference_data(session)
        load_regions(session)
        load_demo(session, settings=Settings.from_env())
    # warm every connection of the pool once (connecting is not what is measured)
    _together(lambda w, i: sessions().connection().close(), 1)

    series = f"letter:bench:{label}:{date.today().year}"

    def reserve(w: int, i: int) -> int:
        with transaction(sessions) as session:
            return next_value(session, series)

    seconds, got = _together(reserve, per_writer)
    total = len(got)
    duplicates = total - len(set(got))
    gapless = sorted(got) == list(range(1, total + 1))
    rows = [{"figure": f"letter numbers reserved per second, {WRITERS} writers, one series — {label} "
                       f"({total:,} numbers; duplicates {duplicates}; 1..N without gaps: {'yes' if gapless else 'NO'})",
             "value": f"{total / seconds:,.0f}/s",
             "goal": ">= 200/s, 0 duplicates" if postgres else "0 duplicates",
             # the rate goal is PostgreSQL's (many offices, many writers); SQLite serves one office
             "met": (total / seconds >= 200 or not postgres) and duplicates == 0 and gapless}]

    with transaction(sessions) as session:
        case = session.scalars(select(Case).where(Case.stage == "forwarded").order_by(Case.id)).first()
        before = session.scalar(select(func.count()).select_from(Letter))
        # one letter request per letter to issue (as that many decisions would have asked): each writer claims
        # its own, so what is measured is the numbering, not losing claims
        requests = [r.id for _ in range(WRITERS * letters_per_writer)
                    for r in request_letters(session, case, [KIND], actor="bench", cause="bench")]
    settings = replace(Settings.from_env(), database_url=url, var_dir=workdir, letters_dir=workdir / "letters",
                       secret_key="bench")

    def issue(w: int, i: int) -> str:
        return issue_letter(sessions, requests[w * letters_per_writer + i], SYSTEM, settings=settings,
                            render=lambda context: FAKE_PDF).number

    seconds, numbers = _together(issue, letters_per_writer)
    with sessions() as session:
        issued = session.scalar(select(func.count()).select_from(Letter).where(Letter.status == "issued"))
        distinct = session.scalar(select(func.count(func.distinct(Letter.number))))
        letters = session.scalar(select(func.count()).select_from(Letter))
    duplicates = sum(n - 1 for n in Counter(numbers).values()) + (letters - distinct)
    rows.append({"figure": f"letters issued per second (issue_letter, trivial render), {WRITERS} writers — {label} "
                           f"({len(numbers):,} letters, {letters - before:,} rows; duplicates {duplicates})",
                 "value": f"{len(numbers) / seconds:,.0f}/s", "goal": "0 duplicates",
                 "met": duplicates == 0 and issued >= len(numbers)})
    engine.dispose()
    return rows


def run(quick: bool = False) -> list[dict]:
    per_writer = 10 if quick else 40
    letters_per_writer = 2 if quick else 4
    workdir = Path(tempfile.mkdtemp(prefix="netra-bench-numbers-"))
    rows = []
    try:
        from devtools.pgserver import start_server
        for durable, label in ((False, "PostgreSQL, fsync off"), (True, "PostgreSQL, durable")):
            server = start_server(durable=durable)
            try:
                admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text("CREATE DATABASE bench_numbers"))
                admin.dispose()
                rows += _measure(server.url("bench_numbers"), label, per_writer, letters_per_writer,
                                 workdir / f"pg{int(durable)}")
            finally:
                server.stop()
        rows += _measure(f"sqlite:///{workdir / 'numbers.db'}", "SQLite", per_writer, letters_per_writer,
                         workdir / "sqlite")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows
