"""Netra's database as the Airflow processes see it: from the NETRA_* settings (one place; see dags/README.md)."""
from __future__ import annotations

from functools import cache

from sqlalchemy.orm import Session, sessionmaker

from casework.adapters.db import make_engine, session_factory
from casework.settings import Settings


def settings() -> Settings:
    return Settings.from_env()


@cache
def _factory(url: str) -> sessionmaker[Session]:
    return session_factory(make_engine(url, settings=settings()))


def sessions() -> sessionmaker[Session]:
    """One engine (and pool) per process and database URL."""
    return _factory(settings().database_url)
