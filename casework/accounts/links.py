"""Links emailed to a user: single-use, short-lived, tied to one account and one purpose.

- `signin` ("tautan masuk", 30 minutes): the trusted way past a lock. The lockout (login.py) is against guessing
  from anywhere; whoever holds the account's mailbox *and* its password (and second factor) is the owner, so the
  link signs them in even while the account is locked, resets its failure count, and is then spent. Wrong passwords
  typed on the link count against the link (dead after MAX_TRIES), never against the account.
- `activate` ("tautan aktivasi", 72 hours): the account's owner sets their own password (accounts/users.py sends
  it when an account that sees cases is created or gains such a role), so the system administrator never knows it.

The token is 256 random bits, in the email only; the table keeps its sha256, so reading the database gives no
usable link. A request for a sign-in link answers the same whatever the account (the desk shows one text); at most
one live link per account and purpose, and one sign-in link per account per ONE_PER. Every request, use and
refusal is audited. Each function runs in one transaction that takes the audit chain's lock first (audit.lock_chain),
so on PostgreSQL two requests or two uses of one link queue behind each other instead of both passing the checks.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.accounts import sessions as desk_sessions
from casework.accounts.emails import render
from casework.accounts.passwords import MAX_LENGTH, MIN_LENGTH, hash_password, password_problems, verify_password
from casework.adapters.db import transaction
from casework.errors import CaseworkError, Problem, ValidationError
from casework.mail import outbox
from casework.models import AccountLink, User, utcnow

SIGNIN, ACTIVATE = "signin", "activate"
LIFETIME = {SIGNIN: timedelta(minutes=30), ACTIVATE: timedelta(hours=72)}
PATHS = {SIGNIN: "/login/tautan/", ACTIVATE: "/aktivasi/"}  # the desk's routes (admin/auth.py)
MAX_TRIES = 3  # wrong passwords (or codes) on one sign-in link before it dies
ONE_PER = timedelta(minutes=5)  # one sign-in link per account in this long, however often it is asked for
ANONYMOUS = "anonim"  # the audit actor of a request naming no real account
_PASSWORD_PARAMS = {"min": MIN_LENGTH, "max": MAX_LENGTH}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    link: AccountLink
    token: str
    url: str


def issue(session: Session, user: User, purpose: str, *, created_by: str, base_url: str,
          now: datetime | None = None) -> IssuedLink:
    """A new link for `user`, in the caller's transaction; any live link of the same purpose dies with it."""
    now = now or utcnow()
    session.execute(update(AccountLink)
                    .where(AccountLink.user_id == user.id, AccountLink.purpose == purpose,
                           AccountLink.used_at.is_(None), AccountLink.revoked_at.is_(None))
                    .values(revoked_at=now).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    link = AccountLink(token_sha256=token_digest(token), user_id=user.id, purpose=purpose, created_by=created_by,
                       created_at=now, expires_at=now + LIFETIME[purpose], failed_attempts=0)
    session.add(link)
    session.flush()
    return IssuedLink(link, token, f"{base_url.rstrip('/')}{PATHS[purpose]}{token}")


def _find(session: Session, token: str, purpose: str, *, lock: bool = False) -> AccountLink | None:
    stmt = select(AccountLink).where(AccountLink.token_sha256 == token_digest(token), AccountLink.purpose == purpose)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def _why_dead(link: AccountLink | None, now: datetime) -> str | None:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None or link.failed_attempts >= MAX_TRIES:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return None


def live_user(session: Session, token: str, purpose: str, *, now: datetime | None = None) -> User | None:
    """The account a link is for while it can still be used (for showing its form); nothing is written."""
    link = _find(session, token, purpose)
    if _why_dead(link, now or utcnow()) is not None:
        return None
    user = session.get(User, link.user_id)
    return user if user.is_active else None


def _refused(session: Session, user: User | None, now: datetime, reason: str, *, purpose: str,
             link: AccountLink | None = None, typed: str | None = None) -> None:
    after = {"purpose": purpose, "reason": reason, "link": link.id if link else None}
    if user is None and typed is not None:
        after["username"] = typed  # what was asked for, for the administrator reading the trail
    audit.record(session, actor=user.username if user else ANONYMOUS, action="auth.link_refused", entity="user",
                 entity_id=user.id if user else "-", after=after, at=now)


# --- sign-in links ----------------------------------------------------------------------------------------------------
class _AlreadyQueued(Exception):
    pass


def request_signin_link(factory: sessionmaker[Session], username: str, *, base_url: str,
                        now: datetime | None = None) -> None:
    """Email a sign-in link to the account named, if it exists, is active and has an email address, and had no link
    in the last ONE_PER. Returns nothing either way: the caller must answer the same whatever happened."""
    now = now or utcnow()
    try:
        with transaction(factory) as session:
            audit.lock_chain(session)
            _request(session, username.strip()[:64], base_url, now)
    except _AlreadyQueued:  # a request at the same instant won (the outbox's unique key): refuse this one
        with transaction(factory) as session:
            user = session.scalar(select(User).where(User.username == username.strip()[:64]))
            _refused(session, user, now, "recent", purpose=SIGNIN)


def _request(session: Session, typed: str, base_url: str, now: datetime) -> None:
    user = session.scalar(select(User).where(User.username == typed))
    reason = ("unknown" if user is None else "inactive" if not user.is_active or user.is_integration
              else "no_email" if not user.email.strip() else None)  # an integration never signs in (docs/api.md)
    if reason:
        _refused(session, user, now, reason, purpose=SIGNIN, typed=typed)
        return
    dedup_key = f"account-link:{SIGNIN}:{user.id}:{int(now.timestamp()) // int(ONE_PER.total_seconds())}"
    recent = session.scalar(select(AccountLink.id).where(AccountLink.user_id == user.id,
                                                         AccountLink.purpose == SIGNIN,
                                                         AccountLink.created_at > now - ONE_PER).limit(1))
    if recent is not None or outbox.already_queued(session, dedup_key):  # a double click, or someone insisting
        _refused(session, user, now, "recent", purpose=SIGNIN)
        return
    issued = issue(session, user, SIGNIN, created_by=user.username, base_url=base_url, now=now)
    subject, body = render("signin_link.txt", user=user, url=issued.url, totp=bool(user.totp_secret),
                           minutes=int(LIFETIME[SIGNIN].total_seconds() // 60), tries=MAX_TRIES)
    if outbox.queue(session, dedup_key=dedup_key, purpose="account.signin_link", recipients=[user.email],
                    subject=subject, body=body) is None:
        raise _AlreadyQueued
    audit.record(session, actor=user.username, action="auth.link_requested", entity="user", entity_id=user.id,
                 after={"purpose": SIGNIN, "link": issued.link.id, "expires_at": issued.link.expires_at}, at=now)


def use_signin_link(factory: sessionmaker[Session], token: str, password: str, code: str = "", *,
                    now: datetime | None = None) -> User:
    """The user, signed in by a live link with their password (and TOTP code): the link is spent, the account's
    failure count and lock cleared. A wrong password or code counts against the link only (committed before the
    error is raised)."""
    now = now or utcnow()
    with transaction(factory) as session:
        audit.lock_chain(session)
        outcome = _use_signin(session, token, password, code, now)
    if isinstance(outcome, CaseworkError):
        raise outcome
    return outcome


def _use_signin(session: Session, token: str, password: str, code: str, now: datetime) -> User | CaseworkError:
    link = _find(session, token, SIGNIN, lock=True)
    user = session.get(User, link.user_id) if link else None
    reason = _why_dead(link, now) or (None if user.is_active else "inactive")
    if reason:
        _refused(session, user, now, reason, purpose=SIGNIN, link=link)
        return CaseworkError("link.invalid")
    right = verify_password(user.password_hash, password)
    if user.totp_secret:  # both checked, so the answer does not say which one was wrong
        right = pyotp.TOTP(user.totp_secret).verify(code.strip(), for_time=now, valid_window=1) and right
    if not right:
        link.failed_attempts += 1
        dead = link.failed_attempts >= MAX_TRIES
        if dead:
            link.revoked_at = now
        audit.record(session, actor=user.username, action="auth.link_failed", entity="user", entity_id=user.id,
                     after={"purpose": SIGNIN, "link": link.id, "failed_attempts": link.failed_attempts,
                            "revoked": dead}, at=now)
        return CaseworkError("link.invalid") if dead else CaseworkError("link.wrong",
                                                                        left=MAX_TRIES - link.failed_attempts)
    link.used_at = now
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, actor=user.username, action="auth.login_link", entity="user", entity_id=user.id,
                 after={"link": link.id}, at=now)
    return user


# --- activation links ---------------------------------------------------------------------------------------------
def use_activation_link(factory: sessionmaker[Session], token: str, password: str, confirm: str, *,
                        now: datetime | None = None) -> User:
    """The owner sets their password with a live activation link: the link is spent, any other live activation link
    dies, the failure count and lock are cleared and every open desk session of the account ends."""
    now = now or utcnow()
    with transaction(factory) as session:
        audit.lock_chain(session)
        link = _find(session, token, ACTIVATE, lock=True)
        user = session.get(User, link.user_id) if link else None
        reason = _why_dead(link, now) or (None if user.is_active else "inactive")
        if reason:
            _refused(session, user, now, reason, purpose=ACTIVATE, link=link)
            outcome: User | CaseworkError = CaseworkError("link.invalid")
        else:
            problems = password_problems(password, confirm, user.username)
            if problems:  # the owner mistyped: nothing is spent, nothing to audit
                raise ValidationError([Problem("password", code, _PASSWORD_PARAMS) for code in problems])
            user.password_hash = hash_password(password)
            user.failed_logins, user.locked_until = 0, None
            link.used_at = now
            session.execute(update(AccountLink)
                            .where(AccountLink.user_id == user.id, AccountLink.purpose == ACTIVATE,
                                   AccountLink.used_at.is_(None), AccountLink.revoked_at.is_(None))
                            .values(revoked_at=now).execution_options(synchronize_session=False))
            ended = desk_sessions.end_all(session, user.id, "password", now=now)
            audit.record(session, actor=user.username, action="auth.activated", entity="user", entity_id=user.id,
                         after={"link": link.id, "sessions_ended": ended}, at=now)
            outcome = user
    if isinstance(outcome, CaseworkError):
        raise outcome
    return outcome
