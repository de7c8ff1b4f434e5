"""Accounts: creating users, roles, deactivation, sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from services import audit
from services.db import db, utcnow
from services.models import ApiToken, Organisation, Role, User
from services.passwords import MIN_PASSWORD_LENGTH, generate_password, hash_password

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,63}$")
TOKEN_PREFIX = "cat_"
DEFAULT_ORG = "Default"


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


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
    if User.by_email(email) is not None:
        raise AccountError("a user with this email already exists", field="email")
    generated = None
    if password is None:
        password = generated = generate_password()
    elif len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password")
    org = get_or_create_org(org_name)
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
    db.session.flush()
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
    return user


def set_active(user: User, active: bool, *, actor: User | None = None) -> User:
    if user.active == active:
        return user
    if not active:
        _keep_one_admin(user, leaving=user.role == Role.admin)
        user.session_version += 1  # every session and remember cookie dies with it
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
    return user


def logout_everywhere(user: User, *, actor: User | None = None) -> User:
    user.session_version += 1
    audit.record(
        "user.sessions_revoked",
        actor=actor,
        target_type="user",
        target_id=user.id,
        org_id=user.org_id,
        after={"session_version": user.session_version},
    )
    db.session.commit()
    return user


def load_session_user(identity: str) -> User | None:
    """Flask-Login loader: the stored id carries the session version it was issued for."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


# --- API tokens ----------------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, *, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 80:
        raise AccountError("token name must be 1 to 80 characters", field="name")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_token_digest(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    audit.record(
        "token.created",
        actor=actor or user,
        target_type="api_token",
        target_id=token.id,
        org_id=user.org_id,
        after={"name": name, "user": user.email},
    )
    db.session.commit()
    return token, plain


def revoke_token(token: ApiToken, *, actor: User | None = None) -> None:
    if token.revoked:
        return
    token.revoked_at = utcnow()
    audit.record(
        "token.revoked",
        actor=actor,
        target_type="api_token",
        target_id=token.id,
        org_id=token.user.org_id,
        before={"revoked": False},
        after={"revoked": True},
    )
    db.session.commit()


def authenticate_token(plain: str) -> User | None:
    """The active user behind a bearer token, or None; records when it was last used."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(plain)))
    if token is None or token.revoked or not token.user.active:
        return None
    now = utcnow()
    # Write at most once a minute per token: a busy API client should not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        db.session.commit()
    return token.user


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
