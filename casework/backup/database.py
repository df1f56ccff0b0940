"""Netra's database out and in, byte for byte, with the database's own tools: SQLite's online backup API, and
PostgreSQL's pg_dump / pg_restore (custom format). Each copy is consistent: SQLite's backup is one read
transaction; pg_dump runs in a snapshot exported by the transaction that counted the rows, so the counts the
manifest keeps are the counts of the dump."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from casework.adapters.db import make_engine
from casework.errors import CaseworkError

SQLITE_FILE, PG_FILE = "netra.sqlite", "netra.pgdump"
VERSION_TABLE = "alembic_version"


def dump(engine: Engine, dest_dir: Path) -> tuple[str, dict[str, int]]:
    """Write the database into `dest_dir`; (file name, rows per table at the moment of the copy)."""
    if engine.dialect.name == "sqlite":
        target = dest_dir / SQLITE_FILE
        source = sqlite3.connect(engine.url.database)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)  # one consistent snapshot, also while the desk writes (WAL)
            copy.close()
        finally:
            source.close()
        copied = make_engine(f"sqlite:///{target}")
        try:  # counted in the copy: the rows it holds, whatever was written since
            return SQLITE_FILE, counts(copied)
        finally:
            copied.dispose()
    # one REPEATABLE READ transaction: its first statement takes the snapshot that the counts and pg_dump share
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        rows = _counts(conn, inspect(conn).get_table_names())
        _pg(engine, "pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dest_dir / PG_FILE}")
        conn.rollback()
    return PG_FILE, rows


def load(engine: Engine, source: Path) -> None:
    """Load a dump into an empty database (checked by the caller) of the same kind."""
    if engine.dialect.name == "sqlite":
        target = Path(engine.url.database)
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return
    _pg(engine, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
        str(source))


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return _counts(conn, inspect(conn).get_table_names())


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def _counts(conn, tables: list[str]) -> dict[str, int]:
    return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in sorted(tables)
            if t != VERSION_TABLE}


def _pg(engine: Engine, tool: str, *args: str) -> None:
    """Run a PostgreSQL client tool against the engine's database; the password goes by environment, never on
    the command line (where `ps` shows it)."""
    url = engine.url
    binary = shutil.which(tool)
    if binary is None:
        raise CaseworkError("backup.tool_missing", tool=tool)
    # only what the tool needs (the binary's path is absolute): the domain hands on no environment of its own
    env = {"PGDATABASE": url.database or "", "PGUSER": url.username or "", "PGPASSWORD": url.password or "",
           "PGPORT": str(url.port or 5432), "PGHOST": str(url.query.get("host") or url.host or "localhost")}
    done = subprocess.run([binary, *args, *(["--dbname", url.database] if tool == "pg_restore" else [])],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise CaseworkError("backup.tool_failed", tool=tool, detail=(done.stderr or done.stdout).strip()[-500:])
