"""Schema migrations (Alembic, sql/migrations): the only way Netra's schema changes."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from casework.adapters.db import make_engine
from casework.settings import PROJECT_ROOT

ALEMBIC_INI = PROJECT_ROOT / "sql" / "alembic.ini"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["configure_logger"] = False
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step, revision: str) -> None:
    """Run an Alembic command in one transaction. SQLite alters tables by rebuilding them (copy, drop, rename),
    which foreign-key enforcement would refuse once rows reference them: migrate on a connection with foreign
    keys off (it can only be switched outside a transaction), then check that every reference still holds."""
    sqlite = engine.dialect.name == "sqlite"
    target = make_engine(engine.url.render_as_string(hide_password=False), sqlite_foreign_keys=False) \
        if sqlite else engine
    try:
        with target.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            step(cfg, revision)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
    finally:
        if sqlite:
            target.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
