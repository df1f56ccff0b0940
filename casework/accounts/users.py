"""Accounts as the system administrator (the desk's user form) and the operator (`netra user create`) make and
change them. The system administrator runs accounts but must not be able to read cases (docs/security.md, "The
system administrator cannot read cases"), so, whoever calls:

1. `sysadmin` is never held together with a role that sees case content (CASE_ROLES);
2. the administrator sets the password only of an account without such a role. An account that sees cases gets an
   activation link by email (links.py, 72 hours, single use) and its owner sets the password; a password typed for
   it is ignored. An existing account that *gains* such a role loses whatever password (and second factor) it had
   and every open session, so a password the administrator set beforehand opens nothing;
3. every creation or change of an account that sees (or saw) cases is told — a notice, no link — to the inbox of
   the institution it works for (the Bawaslu office, the agency's personnel unit, the oversight body; Bawaslu RI for
   an account with none, or whose institution has no address), so a rogue grant is seen by people who know who
   works there;
4. all of it is audited in the same transaction.

What this cannot stop: an administrator who puts a mailbox they control on an account receives its activation
link. The institution's notice names that address; that is the control, and why it is sent.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.accounts import sessions as desk_sessions
from casework.accounts.emails import render
from casework.accounts.links import ACTIVATE, LIFETIME, IssuedLink, issue
from casework.accounts.passwords import MAX_LENGTH, MIN_LENGTH, hash_password, password_problems
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.dates import local_moment
from casework.mail import outbox
from casework.models import Agency, Office, OversightBody, Role, User, utcnow

SYSADMIN = "sysadmin"
# Roles whose holder reads case content (casework.access.scope); every role in rules/roles.toml is one of these or
# SYSADMIN (tests/test_user_admin.py keeps it so).
CASE_ROLES = frozenset({"bawaslu_handler", "bawaslu_head", "oversight_officer", "bkpsdm_officer", "auditor"})
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def sees_cases(roles: Iterable[str]) -> bool:
    return bool(CASE_ROLES & set(roles))


def check_roles(roles: Iterable[str]) -> None:
    """Refuse sysadmin together with any role that sees cases."""
    roles = set(roles)
    if SYSADMIN in roles and sees_cases(roles):
        raise CaseworkError("user.sysadmin_with_case_role", roles=", ".join(sorted(roles & CASE_ROLES)))


@dataclass(frozen=True)
class AccountState:
    """What an account was before a change: to tell what changed, and whether it gains a role that sees cases."""

    username: str
    full_name: str
    email: str
    roles: frozenset[str]
    office_id: int | None
    agency_id: int | None
    oversight_body_id: int | None
    is_active: bool

    @classmethod
    def of(cls, user: User) -> AccountState:
        return cls(user.username, user.full_name, user.email or "", frozenset(r.code for r in user.roles),
                   user.office_id, user.agency_id, user.oversight_body_id, bool(user.is_active))


@dataclass
class Outcome:
    password_set: bool = False
    password_refused: bool = False  # typed for an account that sees cases: not stored
    activation: IssuedLink | None = None
    notice_to: list[str] = field(default_factory=list)
    sessions_ended: int = 0


def save_account(session: Session, user: User, *, before: AccountState | None, actor: str, base_url: str,
                 new_password: str | None = None, send_activation: bool = False,
                 now: datetime | None = None) -> Outcome:
    """Apply the rules to `user`, just created (`before` None) or changed from `before`, in the caller's
    transaction; raises CaseworkError / ValidationError (and the caller rolls back) when a rule refuses it."""
    now = now or utcnow()
    if before is None and not user.password_hash:  # before any query autoflushes the new row
        user.password_hash = _unknown_password()
    audit.lock_chain(session)  # first, as links.py does: one lock order for every writer of links and the trail
    roles = {r.code for r in user.roles}
    check_roles(roles)
    user.email = (user.email or "").strip()
    _check_fields(user, roles, before)
    session.flush()  # the user's id and the ids of the organisations chosen
    sees, saw = sees_cases(roles), before is not None and sees_cases(before.roles)
    gains = sees and not saw
    outcome = Outcome()

    if new_password:
        if sees:
            outcome.password_refused = True  # its owner sets it, from the activation link
        else:
            problems = password_problems(new_password, new_password, user.username)
            if problems:
                raise ValidationError([Problem("password", code, {"min": MIN_LENGTH, "max": MAX_LENGTH})
                                       for code in problems])
            user.password_hash = hash_password(new_password)
            user.failed_logins, user.locked_until = 0, None
            outcome.password_set = True
    new_without_password = before is None and not outcome.password_set  # its password is one nobody knows
    if gains and before is not None:
        # whatever password it had was not set by its owner: replaced by one nobody knows until they activate it,
        # and a second factor enrolled by whoever held the account before goes too
        user.password_hash, user.totp_secret = _unknown_password(), None
    if before is not None and (outcome.password_set or gains):
        outcome.sessions_ended = desk_sessions.end_all(
            session, user.id, "password" if outcome.password_set else "account", now=now)
    if (new_without_password or gains or send_activation) and not user.is_integration:  # it never signs in
        # emailed when there is an address (always, for an account that sees cases); `netra user create` prints it
        # for an account that does not
        outcome.activation = _issue_activation(session, user, roles, actor=actor, base_url=base_url, now=now)

    changes = _changes(before, user, roles, outcome)
    if (sees or saw) and (before is None or changes):
        outcome.notice_to = institution_inboxes(session, user, before)
    event = audit.record(
        session, actor=actor, action="user.created" if before is None else "user.changed", entity="user",
        entity_id=user.id, at=now,
        before=None if before is None else {"roles": sorted(before.roles), "email": before.email,
                                            "office_id": before.office_id, "agency_id": before.agency_id,
                                            "oversight_body_id": before.oversight_body_id,
                                            "is_active": before.is_active},
        after={"username": user.username, "roles": sorted(roles), "email": user.email,
               "office": user.office.code if user.office else None,
               "agency": user.agency.code if user.agency else None,
               "oversight_body": user.oversight_body.code if user.oversight_body else None,
               "is_active": bool(user.is_active), "password_changed": outcome.password_set,
               "password_refused": outcome.password_refused,
               "activation_link": outcome.activation.link.id if outcome.activation else None,
               "sessions_ended": outcome.sessions_ended, "changes": changes, "notice_to": outcome.notice_to})
    if outcome.notice_to:
        subject, body = render("account_notice.txt", user=user, created=before is None, actor=actor,
                               roles=_role_names(session, roles), scope=_scope(user), changes=changes,
                               when=local_moment(now, "WIB"))
        outbox.queue(session, dedup_key=f"account-notice:{event.id}", purpose="account.notice",
                     recipients=outcome.notice_to, subject=subject, body=body)
    return outcome


def _check_fields(user: User, roles: set[str], before: AccountState | None) -> None:
    if (before is None or before.username != user.username) and not USERNAME.match(user.username or ""):
        raise CaseworkError("user.bad_username")
    if user.email and not EMAIL.match(user.email):
        raise CaseworkError("user.bad_email", email=user.email)
    if user.is_integration and SYSADMIN in roles:
        raise CaseworkError("user.integration_roles")
    if sees_cases(roles) and not user.email and not user.is_integration:  # an integration is reached by its owner
        raise CaseworkError("user.case_role_needs_email")


def _unknown_password() -> str:
    return hash_password(secrets.token_urlsafe(32))


def _issue_activation(session: Session, user: User, roles: set[str], *, actor: str, base_url: str,
                      now: datetime) -> IssuedLink:
    issued = issue(session, user, ACTIVATE, created_by=actor, base_url=base_url, now=now)
    if user.email:
        subject, body = render("activation.txt", user=user, url=issued.url, roles=_role_names(session, roles),
                               hours=int(LIFETIME[ACTIVATE].total_seconds() // 3600),
                               login_url=f"{base_url.rstrip('/')}/login")
        outbox.queue(session, dedup_key=f"account-link:{ACTIVATE}:{issued.link.id}", purpose="account.activation",
                     recipients=[user.email], subject=subject, body=body)
    return issued


def institution_inboxes(session: Session, user: User, before: AccountState | None = None) -> list[str]:
    """Where a notice about the account goes: its institution now (and before, if it moved); Bawaslu RI when it
    has none, or none with an address."""
    out: list[str] = []
    for office_id, agency_id, body_id in {(user.office_id, user.agency_id, user.oversight_body_id),
                                          *([(before.office_id, before.agency_id, before.oversight_body_id)]
                                            if before else [])}:
        if office_id:
            out.append(session.get(Office, office_id).email)
        if agency_id:
            out.append(session.get(Agency, agency_id).personnel_unit_email)
        if body_id:
            out.append(session.get(OversightBody, body_id).email)
    out = [a.strip() for a in dict.fromkeys(out) if a and a.strip()]
    if not out:
        out = [e for e in session.scalars(select(Office.email).where(Office.kind == "bawaslu_ri")
                                          .order_by(Office.id)) if e]
    return sorted(out)


def _changes(before: AccountState | None, user: User, roles: set[str], outcome: Outcome) -> list[str]:
    if before is None:
        return []
    changes = [name for name, old, new in (
        ("nama pengguna", before.username, user.username), ("nama", before.full_name, user.full_name),
        ("email", before.email, user.email), ("peran", before.roles, frozenset(roles)),
        ("kantor", before.office_id, user.office_id), ("instansi", before.agency_id, user.agency_id),
        ("badan pengawas", before.oversight_body_id, user.oversight_body_id),
        ("aktif", before.is_active, bool(user.is_active))) if old != new]
    if outcome.activation:
        changes.append("tautan aktivasi dikirim")
    if outcome.password_set:
        changes.append("kata sandi diganti")
    if outcome.password_refused:  # the form offers no such field: someone tried anyway
        changes.append("kata sandi yang diketik administrator ditolak")
    return changes


def _role_names(session: Session, roles: set[str]) -> str:
    names = [str(session.get(Role, code)) for code in sorted(roles)]
    return ", ".join(names) or "(tanpa peran)"


def _scope(user: User) -> str:
    org = user.office or user.agency or user.oversight_body
    return str(org) if org else "seluruh Indonesia (tanpa kantor/instansi)"


# --- `netra user create` ----------------------------------------------------------------------------------------------
def create_account(session: Session, *, username: str, full_name: str, email: str, roles: list[str], actor: str,
                   base_url: str, office: str | None = None, agency: str | None = None,
                   oversight_body: str | None = None, integration: bool = False,
                   now: datetime | None = None) -> tuple[User, Outcome]:
    """A new account from the command line, through the same rules as the desk's form. `integration`: an account
    for another system, which acts only through API tokens (docs/api.md): no email needed, no activation link, no
    desk sign-in."""
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise CaseworkError("user.exists", username=username)
    known = {r.code: r for r in session.scalars(select(Role))}
    for code in roles:
        if code not in known:
            raise CaseworkError("user.unknown_role", role=code, choices=", ".join(sorted(known)))
    user = User(username=username, full_name=full_name, email=email, password_hash="", is_active=True,
                locale="id", failed_logins=0, roles=[known[c] for c in dict.fromkeys(roles)],
                is_integration=integration)
    for code, model, kind, attr in ((office, Office, "kantor / office", "office"),
                                    (agency, Agency, "instansi / agency", "agency"),
                                    (oversight_body, OversightBody, "badan pengawas / oversight body",
                                     "oversight_body")):
        if code:
            found = session.scalar(select(model).where(model.code == code))
            if found is None:
                raise CaseworkError("user.unknown_org", kind=kind, code=code)
            setattr(user, attr, found)
    session.add(user)
    return user, save_account(session, user, before=None, actor=actor, base_url=base_url, now=now)
