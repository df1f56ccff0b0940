"""Desk accounts: login with lockout and back-off (the access rules are tests/test_access.py's)."""
from datetime import timedelta

import pytest

from casework.accounts.login import lock_duration, login
from casework.errors import CaseworkError
from casework.models import utcnow


def test_login_with_lockout_and_backoff(demo_sessions):
    now = utcnow()
    with pytest.raises(CaseworkError) as raised:
        login(demo_sessions, "nobody", "x", now=now)
    assert raised.value.code == "auth.failed"
    assert login(demo_sessions, "penangan.kukar", "netra-demo", now=now).username == "penangan.kukar"
    for _ in range(5):
        with pytest.raises(CaseworkError) as raised:
            login(demo_sessions, "penangan.kukar", "wrong", now=now)
        assert raised.value.code == "auth.failed"
    # locked now, even with the right password — with the one generic answer, which never says so of this
    # account (it only says an account can be locked); the lock lifts after its time
    with pytest.raises(CaseworkError) as raised:
        login(demo_sessions, "penangan.kukar", "netra-demo", now=now + timedelta(seconds=30))
    assert raised.value.code == "auth.failed" and "dikunci sementara" in raised.value.render("id")
    assert login(demo_sessions, "penangan.kukar", "netra-demo", now=now + timedelta(minutes=2))
    assert [lock_duration(n).total_seconds() for n in (4, 5, 6, 7, 20)] == [0, 60, 120, 240, 3600]
