"""Organisations and their user accounts: creating users, roles, deactivation, the first admin.

Signing in and what users sign in with (sessions, passwords, "remember me", API tokens) is
services/users.py; ending a user's sessions is here, as deactivating an account does it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from services import audit
from services.db import db
from services.models import Organisation, RememberToken, Role, User
from services.passwords import generate_password, hash_password, password_problem
from services.token_cache import TOKENS

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,63}$")
DEFAULT_ORG = "Default"
# The same words whether the email is taken in the admin's own organisation or in another one:
# emails are unique across tenants, and which tenant holds one is not the asking admin's business.
EMAIL_UNAVAILABLE = "an account with this email cannot be created in this organisation"


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class EmailUnavailable(AccountError):
    """The email belongs to an account of this organisation already (other organisations' do not count)."""

    def __init__(self) -> None:
        super().__init__(EMAIL_UNAVAILABLE, field="email")


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str | None  # the generated password, when one was generated


def get_or_create_org(name: str) -> Organisation:
    name = name.strip()
    if not name or len(name) > 120:
        raise AccountError("organisation name must be 1 to 120 characters", field="org")
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(
    *,
    email: str,
    role: str,
    org_name: str = DEFAULT_ORG,
    name: str = "",
    password: str | None = None,
    actor: User | None = None,
) -> NewUser:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AccountError("enter a valid email address", field="email")
    role_value = _parse_role(role)
    generated = None
    if password is None:
        password = generated = generate_password()
    elif problem := password_problem(password):
        raise AccountError(problem, field="password")
    # Emails are unique per organisation: whether another organisation has this address changes
    # nothing here (no refusal, no message, no extra work), so it cannot be learnt or squatted.
    org = get_or_create_org(org_name)
    if User.by_email(email, org_id=org.id) is not None:
        raise EmailUnavailable
    user = User(
        email=email,
        name=name.strip()[:120],
        role=role_value,
        org_id=org.id,
        password_hash=hash_password(password),
        active=True,
        session_version=1,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # created in this organisation between the lookup and the insert
        db.session.rollback()
        raise EmailUnavailable from None
    audit.record(
        "user.created",
        actor=actor,
        target_type="user",
        target_id=user.id,
        org_id=org.id,
        after={"email": email, "role": role_value.value, "org": org.name},
    )
    db.session.commit()
    return NewUser(user=user, password=generated)


def set_role(user: User, role: str, *, actor: User | None = None) -> User:
    new_role = _parse_role(role)
    before = user.role.value
    if before == new_role.value:
        return user
    _keep_one_admin(user, leaving=new_role != Role.admin)
    user.role = new_role
    audit.record(
        "user.role_changed",
        actor=actor,
        target_type="user",
        target_id=user.id,
        org_id=user.org_id,
        before={"role": before},
        after={"role": new_role.value},
    )
    db.session.commit()
    TOKENS.forget_all()  # after the commit: a token's cached user carried the old role
    return user


def set_active(user: User, active: bool, *, actor: User | None = None) -> User:
    if user.active == active:
        return user
    if not active:
        _keep_one_admin(user, leaving=user.role == Role.admin)
        end_sessions(user)
    user.active = active
    audit.record(
        "user.activated" if active else "user.deactivated",
        actor=actor,
        target_type="user",
        target_id=user.id,
        org_id=user.org_id,
        before={"active": not active},
        after={"active": active},
    )
    db.session.commit()
    TOKENS.forget_all()  # after the commit: a deactivated user's tokens stop at once here
    return user


def end_sessions(user: User) -> None:
    """Every session and remembered device of the user ends (in the caller's transaction): the
    session identity carries the version, and remember tokens are deleted (and carry it too)."""
    user.session_version += 1
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))


# --- helpers -------------------------------------------------------------------------------------


def _parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError("role must be admin, executive or member", field="role") from None


def _keep_one_admin(user: User, *, leaving: bool) -> None:
    """Refuse a change that would leave an organisation without an active admin."""
    if not leaving or user.role != Role.admin:
        return
    others = db.session.scalar(
        select(db.func.count(User.id)).where(
            User.org_id == user.org_id, User.role == Role.admin, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise AccountError("an organisation needs at least one active admin", field="role")


def ensure_first_admin() -> NewUser | None:
    """Create the first admin and default organisation when there is no user at all."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return None
    return create_user(email="admin@catalyst.local", role="admin", org_name=DEFAULT_ORG, name="Administrator")
