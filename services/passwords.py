"""argon2id password hashing, with a constant-cost path for unknown accounts."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_STANDARD = PasswordHasher()  # argon2id with the library's current recommended parameters
# APP_ENV=test only: argon2id at its lowest cost. The suite creates and logs in thousands of users,
# and at the standard cost hashing was most of its time. Never chosen in production.
_TEST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

_hasher = _STANDARD
# Verified against when the account does not exist, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def configure(app_env: str) -> None:
    """Pick the hashing cost for the process: the standard one, or the test one under APP_ENV=test."""
    global _hasher, _DUMMY_HASH
    chosen = _TEST if app_env == "test" else _STANDARD
    if chosen is not _hasher:
        _hasher = chosen
        _DUMMY_HASH = chosen.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 12
# The login form reads at most this many characters; a longer password could never log in.
MAX_PASSWORD_LENGTH = 1024


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; costs the same when there is no hash to check."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is refused (a message safe to show), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"password must be at most {MAX_PASSWORD_LENGTH} characters"
    return None


def generate_password() -> str:
    return secrets.token_urlsafe(15)
