"""Shared test helpers."""
from __future__ import annotations

import hashlib

from sqlalchemy import Engine, select

from casework.models import Base


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table: equal fingerprints mean nothing was written."""
    out = {}
    with engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            out[name] = (len(rows), digest)
    return out
