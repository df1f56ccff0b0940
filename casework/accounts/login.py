"""Desk accounts: login with argon2 hashes and a lockout that backs off after repeated failures; the TOTP second
factor. The trusted way past a lock — an emailed sign-in link — is in casework.accounts.links."""
from __future__ import annotations

from datetime import datetime, timedelta

import pyotp

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.models import User, utcnow
from casework.accounts.passwords import hash_password, verify_password

# After FREE_ATTEMPTS failures in a row the account locks for BASE_LOCK, doubling with each further failure up
# to MAX_LOCK (OWASP: throttle, don't lock forever, so an attacker cannot keep a user out for good).
FREE_ATTEMPTS = 5
BASE_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)
_DUMMY_HASH = hash_password("timing-equaliser")  # so an unknown username costs as much as a wrong password


def lock_duration(failures: int) -> timedelta:
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return min(BASE_LOCK * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK)


def login(factory: sessionmaker[Session], username: str, password: str, *, now: datetime | None = None) -> User:
    """The user if the password is right and the account is open; otherwise one generic error. Every failure —
    unknown or inactive username, wrong password, locked account — costs exactly one argon2 verification and gives
    the same message, so neither the answer nor its time says whether the account exists or is locked. The failure
    count is committed before the error is raised — a rollback must not erase it, or the lockout would never
    trigger."""
    with transaction(factory) as session:
        outcome = _check(session, username, password, now or utcnow())
    if isinstance(outcome, CaseworkError):
        raise outcome
    return outcome


def _check(session: Session, username: str, password: str, now: datetime) -> User | CaseworkError:
    user = session.scalar(select(User).where(User.username == username.strip()))
    usable = user is not None and user.is_active and not user.is_integration  # an integration only has API tokens
    right = verify_password(user.password_hash if usable else _DUMMY_HASH, password)  # always, and only, once
    if not usable:
        return CaseworkError("auth.failed")
    if user.locked_until and user.locked_until > now:
        # Refused even with the right password: the lock is against guessing. Not counted, so hammering a locked
        # account does not lengthen its lock; its owner gets in with an emailed sign-in link (links.py).
        audit.record(session, actor=user.username, action="auth.refused_locked", entity="user", entity_id=user.id,
                     after={"failed_logins": user.failed_logins}, at=now)
        return CaseworkError("auth.failed")
    if not right:
        return _record_failure(session, user, now, action="auth.failed", error="auth.failed")
    return _record_success(session, user, now, action="auth.login")


def _lock_error(user: User, now: datetime) -> CaseworkError | None:
    if user.locked_until and user.locked_until > now:
        return CaseworkError("auth.locked", minutes=max(1, round((user.locked_until - now).total_seconds() / 60)))
    return None


def _record_failure(session: Session, user: User, now: datetime, *, action: str, error: str) -> CaseworkError:
    """A wrong password or code: count it, lock with back-off once past the free attempts, audit it."""
    user.failed_logins += 1
    lock = lock_duration(user.failed_logins)
    user.locked_until = now + lock if lock else None
    audit.record(session, actor=user.username, action=action, entity="user", entity_id=user.id,
                 after={"failed_logins": user.failed_logins}, at=now)
    return CaseworkError(error)


def _record_success(session: Session, user: User, now: datetime, *, action: str) -> User:
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, actor=user.username, action=action, entity="user", entity_id=user.id, at=now)
    return user


# --- TOTP second factor (RFC 6238, via pyotp) -------------------------------------------------------------------
TOTP_ISSUER = "Netra"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def enable_totp(factory: sessionmaker[Session], user_id: int, secret: str, code: str, *,
                now: datetime | None = None) -> None:
    """Turn the second factor on once the user proves their authenticator shows the right code."""
    now = now or utcnow()
    if not pyotp.TOTP(secret).verify(code.strip(), for_time=now, valid_window=1):
        raise CaseworkError("auth.totp_wrong")
    with transaction(factory) as session:
        user = session.get(User, user_id)
        user.totp_secret = secret
        audit.record(session, actor=user.username, action="auth.totp_enabled", entity="user", entity_id=user.id,
                     at=now)


def verify_second_factor(factory: sessionmaker[Session], user_id: int, code: str, *,
                         now: datetime | None = None) -> User:
    """The second step of login. Wrong codes count toward the same lockout as wrong passwords."""
    now = now or utcnow()
    with transaction(factory) as session:
        user = session.get(User, user_id)
        outcome: User | CaseworkError | None = _lock_error(user, now)
        if outcome is None:
            if pyotp.TOTP(user.totp_secret).verify(code.strip(), for_time=now, valid_window=1):
                outcome = _record_success(session, user, now, action="auth.login_2fa")
            else:
                outcome = _record_failure(session, user, now, action="auth.totp_failed", error="auth.totp_wrong")
    if isinstance(outcome, CaseworkError):
        raise outcome
    return outcome
