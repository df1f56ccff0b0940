"""Engine and sessions. Every write goes through `transaction()`: all or nothing."""
from __future__ import annotations

from dataclasses import dataclass

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from casework.settings import Settings

WRITE_OPTION = "netra_write"



@dataclass(frozen=True)
class _Pool:
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_recycle: int = 1800
    db_pool_timeout: float = 30


POOL_DEFAULTS = _Pool()  # the Settings fields' defaults: an engine made without settings reads no environment


def make_engine(url: str, *, sqlite_foreign_keys: bool = True, settings: Settings | None = None) -> Engine:
    """`sqlite_foreign_keys=False` only for schema migrations (SQLite rebuilds tables by copy-and-drop).
    PostgreSQL: a pool per process sized by the settings (NETRA_DB_POOL_SIZE / _MAX_OVERFLOW / _RECYCLE / _TIMEOUT;
    their defaults when none are given), each connection checked before use (a restarted server or a dropped idle
    connection costs a retry, not an error)."""
    pool = settings or POOL_DEFAULTS
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect",
                     lambda conn, record: _sqlite_pragmas(conn, record, foreign_keys=sqlite_foreign_keys))
        # Take BEGIN away from pysqlite: reads use a deferred BEGIN (WAL lets them run beside a writer); a unit
        # of work from `transaction()` takes the write lock up front (BEGIN IMMEDIATE), so two writers queue on
        # busy_timeout instead of failing half-way when one upgrades a stale read snapshot.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool.db_pool_size, max_overflow=pool.db_max_overflow,
                         pool_recycle=pool.db_pool_recycle, pool_timeout=pool.db_pool_timeout, pool_use_lifo=True)


def _sqlite_pragmas(dbapi_conn, _record, *, foreign_keys: bool = True) -> None:
    dbapi_conn.isolation_level = None  # BEGIN is issued by the "begin" listener
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any exception."""
    with factory() as session:
        with session.begin():
            session.connection(execution_options={WRITE_OPTION: True})
            yield session


def when_settled(session: Session, *, committed: Callable[[], None] | None = None,
                 rolled_back: Callable[[], None] | None = None) -> None:
    """Run `committed` when the session's transaction commits, or `rolled_back` when it rolls back — once, for
    whichever comes first: files written or removed beside rows that may not stay (no file without its row)."""
    settled = False

    def settle(then: Callable[[], None] | None):
        def listener(_session) -> None:
            nonlocal settled
            if not settled:
                settled = True
                if then is not None:
                    then()
        return listener

    event.listen(session, "after_commit", settle(committed))
    event.listen(session, "after_rollback", settle(rolled_back))
