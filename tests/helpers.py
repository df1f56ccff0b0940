"""Shared test helpers."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, select

from casework.models import Base


@pytest.fixture(name="backend")
def sqlite_only() -> str:
    """Imported by a test module whose subject is the road's rules, pages and forms rather than SQL: its tests run
    on SQLite only (README: Tests). PostgreSQL runs where the database is the subject — the access module's SQL,
    races and claims, faults, migrations, backups, reports, bad input — and the whole road runs on it in
    test_production_topology."""
    return "sqlite"


# what a page that shows personal data writes by design (casework.privacy.reads): not a change of the record
READS_LOG = "personal_data_reads"


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table but the access log: equal fingerprints mean nothing was written
    (a refused form's page that shows the reporter again notes that read; tests/test_privacy.py checks the log)."""
    out = {}
    with engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            if name == READS_LOG:
                continue
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


def principal_of(session, who):
    """A principal for a test: a demo username (their access rules apply), "netra-system", "pengawas.kasn" (KASN's
    officer, for cases forwarded before 4 Sept 2024: not a demo login), or a Principal as it is."""
    from casework.access.principal import SYSTEM, Principal, Role, principal_named
    from casework.models import OversightBody

    if not isinstance(who, str):
        return who
    if who == SYSTEM.username:
        return SYSTEM
    if who == "pengawas.kasn":
        kasn = session.scalar(select(OversightBody.id).where(OversightBody.code == "KASN"))
        return Principal(who, frozenset({Role.OVERSIGHT_OFFICER}), oversight_body_id=kasn)
    return principal_named(session, who)


def decide(sessions, name: str, number: str, who, *, track: str | None = None, settings=None, at=None,
           version: int | None = None, **fields) -> None:
    """Take a workflow step in its own transaction as `who` (see principal_of); `version`: the one the user saw
    (None: no check, as the system)."""
    from casework.adapters.db import transaction
    from casework.road.workflow import execute

    with transaction(sessions) as session:
        execute(session, name, case_number=number, principal=principal_of(session, who), expected_version=version,
                track=track, at=at, settings=settings, fields=fields)


def owe_a_reminder_now(deadline, now) -> None:
    """Move a deadline's due date so that a reminder (not yet an overdue notice) is owed at `now`, whatever the
    hour: reminders fall at 08:00 local time, so 'due tomorrow' owes nothing between midnight and 08:00 local."""
    from datetime import timedelta

    from casework.deadlines.engine import get_rule
    from casework.deadlines.schedule import owed
    from casework.reference.timezones import local_today

    rule = get_rule(deadline.rule_id)
    today = local_today(deadline.timezone, now)
    for ahead in range(0, 8):
        notice, _ = owed(rule, today + timedelta(days=ahead), deadline.timezone, now)
        if notice is not None and notice.kind == "reminder":
            deadline.due_date = today + timedelta(days=ahead)
            deadline.due_at = now + timedelta(days=ahead)
            deadline.next_notice_at = now - timedelta(minutes=1)
            return
    raise AssertionError(f"{rule.id} owes no reminder at {now}: it has no reminders")


def owed_request(sessions, number: str, kind: str, index: int = 0) -> int:
    """The id of the `index`-th open letter request of `kind` on a case (what a decision asked for)."""
    from casework.models import Case, LetterRequest

    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        ids = list(session.scalars(select(LetterRequest.id).where(
            LetterRequest.case_id == case_id, LetterRequest.kind == kind, LetterRequest.status == "open")
            .order_by(LetterRequest.id)))
    assert len(ids) > index, f"case {number} owes no {kind} #{index}"
    return ids[index]


def invitation(on=None, nips=(), **fields) -> dict:
    """invite_clarification's fields: a hearing on `on` (a date or "YYYY-MM-DD"; default today in WITA) at 09:00 at
    Kukar's office, inviting the reported ASN with these NIPs (none: one other person, a witness by name)."""
    from datetime import date

    from casework.models import utcnow
    from casework.reference.timezones import local_today

    on = on or local_today("WITA", utcnow())
    out = {"hearing_date": on.isoformat() if isinstance(on, date) else on, "hearing_time": "09:00",
           "hearing_place": "Kantor Bawaslu Kabupaten Kutai Kartanegara"}
    out |= {"invitees": [f"reported:{n}" for n in nips]} if nips else {"others": "Saksi Uji; saksi"}
    return out | fields
