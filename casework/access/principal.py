"""Who is acting: a principal is a desk user as the access rules see them — their roles, and the office, agency or
oversight body they act for. Built once per request (the desk), per command (the CLI, from a username) or as
Netra itself (Airflow and the notice sweep: SYSTEM; the command line without a user: OPERATOR)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework.errors import NotFound
from casework.models import Office, User


class Role(StrEnum):
    """The roles of casework/rules/roles.toml (assignable per user), and three that no user holds."""

    BAWASLU_HANDLER = "bawaslu_handler"
    BAWASLU_HEAD = "bawaslu_head"
    OVERSIGHT_OFFICER = "oversight_officer"
    BKPSDM_OFFICER = "bkpsdm_officer"
    AUDITOR = "auditor"
    SYSADMIN = "sysadmin"
    SYSTEM = "system"  # Netra itself: the notice sweep's escalation, Airflow's letters
    OPERATOR = "operator"  # the command line run on the server without --actor: reads everything, decides nothing
    ADDRESSEE = "addressee"  # an institution holding one letter's link (casework.letters.links): that letter only
    PUBLIC = "public"  # anyone on the public form (casework.public.online): files a laporan, nothing else


BAWASLU = frozenset({Role.BAWASLU_HANDLER, Role.BAWASLU_HEAD})
ASSIGNABLE = frozenset(Role) - {Role.SYSTEM, Role.OPERATOR, Role.ADDRESSEE, Role.PUBLIC}
# Roles that see a reported person's criminal part (casework.road.criminal): Bawaslu's, and whoever reads everything
CRIMINAL_READERS = BAWASLU | {Role.AUDITOR, Role.SYSTEM, Role.OPERATOR}
# Roles that see case content; the system administrator's role sees none (docs/security.md).
CASE_ROLES = frozenset({Role.BAWASLU_HANDLER, Role.BAWASLU_HEAD, Role.OVERSIGHT_OFFICER, Role.BKPSDM_OFFICER,
                        Role.AUDITOR})


@dataclass(frozen=True)
class OfficeRef:
    """The Bawaslu office a principal works for, as plain data (no session needed to ask about it)."""

    id: int
    code: str
    kind: str  # bawaslu_ri / bawaslu_provinsi / bawaslu_kabkota / panwaslu_kecamatan
    province_code: str
    regency_code: str | None

    @classmethod
    def of(cls, office: Office) -> OfficeRef:
        return cls(office.id, office.code, office.kind, office.province_code, office.regency_code)


@dataclass(frozen=True)
class LinkGrant:
    """What one letter's link lets its holder do: read and acknowledge that letter, and — a letter to a PPK about
    one person — record the steps the rules name (rules/acknowledgements.toml `follow_up`) on that person only."""
    letter_id: int
    case_id: int
    person_id: int | None = None
    steps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Principal:
    username: str
    roles: frozenset[Role]
    office: OfficeRef | None = None
    agency_id: int | None = None
    oversight_body_id: int | None = None
    user_id: int | None = None
    link: LinkGrant | None = None  # Role.ADDRESSEE: what its letter's link opens (casework.letters.links)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def office_id(self) -> int | None:
        return self.office.id if self.office else None

    @property
    def role_codes(self) -> set[str]:
        return {str(role) for role in self.roles}


SYSTEM = Principal("netra-system", frozenset({Role.SYSTEM}))
OPERATOR = Principal("netra-cli", frozenset({Role.OPERATOR}))
PUBLIC = Principal("publik (daring)", frozenset({Role.PUBLIC}))  # recorded as the actor of an online report


def addressee(label: str, grant: LinkGrant) -> Principal:
    """The addressee of one letter acting through its link: recorded under "tautan: <addressee>", may do what
    the grant says and nothing else (casework.access.policy)."""
    return Principal(f"tautan: {label}"[:100], frozenset({Role.ADDRESSEE}), link=grant)


def operator(name: str) -> Principal:
    """The server's operator at the command line, named as they say (`--actor`) in what they record."""
    return Principal(name, OPERATOR.roles)


def principal_for(user: User) -> Principal:
    """The principal of a loaded user (roles and office loaded or loadable). Roles the code does not know (a row
    added to the table by hand) grant nothing."""
    roles = frozenset(Role(r.code) for r in user.roles if r.code in Role.__members__.values()
                      and Role(r.code) in ASSIGNABLE)
    return Principal(user.username, roles, OfficeRef.of(user.office) if user.office else None, user.agency_id,
                     user.oversight_body_id, user.id)


def principal_named(session: Session, username: str) -> Principal:
    """The active user `username` as a principal (the CLI's --actor); NotFound for an unknown or inactive user."""
    user = session.scalar(select(User).where(User.username == username.strip())
                          .options(selectinload(User.roles), selectinload(User.office)))
    if user is None or not user.is_active:
        raise NotFound("access.unknown_user", username=username)
    return principal_for(user)
