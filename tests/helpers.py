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


def csrf(html: str) -> str:
    """The CSRF token of a desk form."""
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def client_as(app, username: str):
    """A Flask test client logged in as a demo user (password netra-demo)."""
    client = app.test_client()
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": "netra-demo", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def wait_until(check, what: str, timeout: float):
    """Poll `check` once a second until it returns something truthy; fail naming `what` after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"did not {what} within {timeout:.0f}s")


def decide(sessions, name: str, number: str, actor, **fields) -> None:
    """Take a workflow step as the desk does (no version check), in its own transaction."""
    from casework.adapters.db import transaction
    from casework.road.workflow import execute

    with transaction(sessions) as session:
        execute(session, name, case_number=number, actor=actor, expected_version=None, **fields)
