"""Desk users and their roles (roles are data: casework/rules/roles.toml)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.organisations import Agency, Office, OversightBody

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("role_code", ForeignKey("roles.code"), primary_key=True),
)


class Role(Base):
    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))

    def __str__(self) -> str:  # how lists and choice fields show it (the user admin): its Indonesian name
        return self.name_id


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    # Scope: the office (Bawaslu), the oversight body, or the agency (BKPSDM) the user works for.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    oversight_body_id: Mapped[int | None] = mapped_column(ForeignKey("oversight_bodies.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # an account made for another system (the API's tokens, docs/api.md): never signs in at the desk, has no email
    is_integration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str] = mapped_column(String(5), default="id")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    roles: Mapped[list[Role]] = relationship(secondary=user_roles)
    office: Mapped[Office | None] = relationship()
    oversight_body: Mapped[OversightBody | None] = relationship()
    agency: Mapped[Agency | None] = relationship()

    def has_role(self, code: str) -> bool:
        return any(role.code == code for role in self.roles)
