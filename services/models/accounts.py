"""Organisations, users, API tokens and "remember me" tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, Select, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Model, UTCDateTime, db, utcnow
from services.models.mixins import OrgScoped
from services.permissions import ADMINISTER, START_RUNS, has_permission


class Role(str, enum.Enum):
    admin = "admin"
    executive = "executive"
    member = "member"


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(OrgScoped, Model):
    __tablename__ = "users"
    # An email is unique within its organisation, not across them: no organisation can learn (or
    # squat) which addresses another one has. The password tells the accounts apart at login.
    __table_args__ = (UniqueConstraint("org_id", "email", name="uq_users_org_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, validate_strings=True), default=Role.member
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped to invalidate every session and remember cookie of the user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    # Flask-Login protocol -----------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Session identity carries the version, so bumping it logs out every session."""
        return f"{self.id}:{self.session_version}"

    # Capabilities (services/permissions.py decides; templates read these two) --------------------
    @property
    def is_admin(self) -> bool:
        return has_permission(self, ADMINISTER)

    @property
    def can_run(self) -> bool:
        """Executives and admins create, approve and cancel runs; members only watch."""
        return has_permission(self, START_RUNS)

    @classmethod
    def all_by_email(cls, email: str) -> list[User]:
        """Every account with this email, one per organisation at most."""
        query = select(cls).where(func.lower(cls.email) == email.strip().lower()).order_by(cls.id)
        return list(db.session.scalars(query))

    @classmethod
    def by_email(cls, email: str, org_id: int | None = None) -> User | None:
        """The account with this email (in `org_id`, if given); None when none or not one."""
        accounts = [u for u in cls.all_by_email(email) if org_id is None or u.org_id == org_id]
        return accounts[0] if len(accounts) == 1 else None


class ApiToken(OrgScoped, Model):
    """A user's API token; it belongs to the organisation of its user."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the token: tokens are long random strings, so a fast hash is enough and lookups
    # stay O(1); the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def _in_org(cls, query: Select[Any], org_id: int) -> Select[Any]:
        return query.join(User, User.id == cls.user_id).where(User.org_id == org_id)


class RememberToken(Model):
    """One device's "remember me" login. The cookie carries the selector and a verifier; only the
    verifier's digest is stored, and it is replaced each time the cookie restores a session, so a
    copy of an older cookie is worth nothing once the device has used it."""

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    selector: Mapped[str] = mapped_column(String(32), unique=True)
    verifier_hash: Mapped[str] = mapped_column(String(64))
    # The user's session version at issue: bumping it (logout everywhere, password change) ends it.
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Fixed at login: rotation never extends it past the session lifetime.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
