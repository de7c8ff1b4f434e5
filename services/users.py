"""Signing in and what users sign in with: sessions, passwords, "remember me" and API tokens.

The accounts themselves (organisations, creating users, roles, deactivation) are services/accounts.py,
whose `AccountError` these raise too.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from services import audit
from services.accounts import AccountError, end_sessions
from services.db import changed_rows, db, utcnow
from services.models import ApiToken, RememberToken, User
from services.passwords import generate_password, hash_password, password_problem, verify_password
from services.token_cache import TOKENS

TOKEN_PREFIX = "cat_"  # noqa: S105 - marks an API token; not a secret
REMEMBER_PREFIX = "r:"  # Flask-Login identities of remember cookies; session identities are "<id>:<version>"

log = logging.getLogger(__name__)


# --- sessions ------------------------------------------------------------------------------------


def logout_everywhere(user: User, *, actor: User | None = None) -> User:
    end_sessions(user)
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


# With its organisation, in the same statement: pages show its name (the dashboard's lazy load was
# a statement of its own). Built once: every page view loads its user.
_WITH_ORGANISATION = (joinedload(User.organisation),)


def load_session_user(identity: str) -> User | None:
    """Flask-Login loader: the stored id carries the session version it was issued for."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id), options=_WITH_ORGANISATION)
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


# --- passwords -----------------------------------------------------------------------------------


def change_password(user: User, *, current: str, new: str, confirm: str) -> User:
    """The user's own change: needs the current password; ends every session of theirs (the web
    layer starts a fresh one for the device that made the change)."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.", field="current_password")
    if problem := password_problem(new):
        raise AccountError(f"The new {problem}.", field="new_password")
    if new != confirm:
        raise AccountError("The two new passwords do not match.", field="confirm_password")
    if verify_password(user.password_hash, new):
        raise AccountError("The new password must differ from the current one.", field="new_password")
    _set_password(user, new, "user.password_changed", actor=user)
    return user


def reset_password(user: User, *, actor: User) -> str:
    """An admin's reset: a generated password, returned once and never stored in the clear; every
    session, remembered device and API token of the user ends.

    A reset is what an admin does when an account may be in someone else's hands, and a token
    works without the password: leaving them would leave the door open. (A user's own change
    keeps their tokens: their scripts are theirs to revoke, on the same page.)"""
    if actor.id == user.id:
        raise AccountError("use Change password for your own account", field="password")
    password = generate_password()
    revoked = _revoke_live_tokens(user, actor=actor)
    _set_password(user, password, "user.password_reset", actor=actor)
    if revoked:
        TOKENS.forget_all()  # after the commit, so no request caches a token again as it was
    return password


def _set_password(user: User, password: str, action: str, *, actor: User) -> None:
    """Store the new hash, end every session and remembered device of the user, audit, commit."""
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit.record(
        action,
        actor=actor,
        target_type="user",
        target_id=user.id,
        org_id=user.org_id,
        after={"session_version": user.session_version},
    )
    db.session.commit()


# --- "remember me" --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remembered:
    user: User
    identity: str  # what the device's cookie carries from now on (selector and a new verifier)
    expires_at: datetime


@dataclass(frozen=True)
class RememberRefused:
    forget: bool  # the token is gone for good: the browser may drop the cookie


def is_remember_identity(identity: str) -> bool:
    return identity.startswith(REMEMBER_PREFIX)


def remember_device(user: User, lifetime: timedelta) -> Remembered:
    """A new remember token for one device; the plain verifier is returned once, never stored."""
    now = utcnow()
    db.session.execute(
        delete(RememberToken).where(RememberToken.user_id == user.id, RememberToken.expires_at <= now)
    )
    selector, verifier = secrets.token_urlsafe(18), secrets.token_urlsafe(32)
    row = RememberToken(
        user_id=user.id,
        selector=selector,
        verifier_hash=_token_digest(verifier),
        session_version=user.session_version,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(row)
    db.session.commit()
    return Remembered(user, f"{REMEMBER_PREFIX}{selector}:{verifier}", row.expires_at)


def restore_remembered(identity: str) -> Remembered | RememberRefused:
    """Use a remember token: on success its verifier is replaced, so this identity never works again.

    The replacement is a compare-and-swap on the verifier, committed at once (as a bearer token's
    last use is): two requests racing with one cookie cannot both win. It runs on the request's own
    connection, before the view has done anything, so no second pooled connection is needed.
    """
    selector, _, verifier = identity.removeprefix(REMEMBER_PREFIX).partition(":")
    well_formed = is_remember_identity(identity) and 0 < len(selector) <= 32 and 0 < len(verifier) <= 64
    if not well_formed:
        return RememberRefused(forget=True)
    table = RememberToken
    row = db.session.execute(
        select(table.id, table.user_id, table.verifier_hash, table.session_version, table.expires_at)
        .where(table.selector == selector)
    ).first()
    if row is None:
        return RememberRefused(forget=True)
    now = utcnow()
    user = db.session.get(User, row.user_id)
    expired = _aware(row.expires_at) <= now
    if expired or user is None or not user.active or user.session_version != row.session_version:
        db.session.execute(delete(table).where(table.id == row.id))
        db.session.commit()
        return RememberRefused(forget=True)
    if not hmac.compare_digest(row.verifier_hash, _token_digest(verifier)):
        # An older verifier of a live token: a copy replayed after the device moved on (or a
        # second tab racing the first). Refused; the device's current cookie stays valid.
        log.warning("stale remember token refused", extra={"user_id": row.user_id})
        return RememberRefused(forget=False)
    fresh = secrets.token_urlsafe(32)
    swapped = changed_rows(db.session.execute(
        update(table)
        .where(table.id == row.id, table.verifier_hash == row.verifier_hash)
        .values(verifier_hash=_token_digest(fresh), last_used_at=now)
        .execution_options(synchronize_session=False)
    ))
    db.session.commit()
    if swapped != 1:
        log.warning("remember token raced and refused", extra={"user_id": row.user_id})
        return RememberRefused(forget=False)
    return Remembered(user, f"{REMEMBER_PREFIX}{selector}:{fresh}", _aware(row.expires_at))


def forget_remembered(user: User) -> None:
    """Every remembered device of the user ends (logout asks for all of them)."""
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))
    db.session.commit()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


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
    _mark_revoked(token, actor=actor)
    db.session.commit()
    TOKENS.forget_all()  # after the commit, so no request caches the token again as it was


def _mark_revoked(token: ApiToken, *, actor: User | None, reason: str | None = None) -> None:
    """Revoke and audit in the caller's transaction."""
    token.revoked_at = utcnow()
    audit.record(
        "token.revoked",
        actor=actor,
        target_type="api_token",
        target_id=token.id,
        org_id=token.user.org_id,
        before={"revoked": False},
        after={"revoked": True, **({"reason": reason} if reason else {})},
    )


def _revoke_live_tokens(user: User, *, actor: User) -> int:
    """Every API token of the user still in force, revoked in the caller's transaction."""
    live = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        _mark_revoked(token, actor=actor, reason="password reset")
    return len(live)


def authenticate_token(plain: str) -> User | None:
    """The active user behind a bearer token, or None; records when it was last used.

    Remembered for a few seconds (services/token_cache.py): a hit costs no query.
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    digest = _token_digest(plain)
    database = str(db.engine.url)
    now = utcnow()
    cached = TOKENS.get(database, digest)
    if cached is not None:
        if _due(cached.last_used_at, now):
            db.session.execute(update(ApiToken).where(ApiToken.id == cached.token_id).values(last_used_at=now))
            db.session.commit()
            TOKENS.touched(database, digest, now)
        return db.session.merge(cached.user, load=False)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked or not token.user.active:
        return None
    if _due(token.last_used_at, now):
        token.last_used_at = now
        db.session.commit()
    TOKENS.put(database, digest, token.user, token.id, token.last_used_at)
    return token.user


def _due(last_used_at: datetime | None, now: datetime) -> bool:
    """Write `last_used_at` at most once a minute: a busy API client must not turn reads into writes."""
    return last_used_at is None or (now - last_used_at).total_seconds() > 60
