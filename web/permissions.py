"""The Flask side of services/permissions.py: view decorators (object rules are the services' own).

A refusal answers as the views always have: with a message, the API's JSON error shape
(`ApiError`, code `forbidden`); without one, `abort(403)`, which the error layer answers with the
JSON shape under /api/ and the HTML error page elsewhere. The rules themselves are not here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from services.permissions import ADMINISTER, PERMISSIONS, has_permission
from web.errors import ApiError

View = TypeVar("View", bound=Callable[..., Any])


def forbid(message: str | None = None) -> NoReturn:
    """Answer 403: `message` in the API's error shape, or the error layer's page when None."""
    if message is None:
        abort(403)
    raise ApiError(403, message)


def require_permission(permission: str, *, message: str | None = None) -> Callable[[View], View]:
    """View decorator: log in first (401 or the login page), then 403 unless the role grants it."""
    if permission not in PERMISSIONS:  # a misspelt name fails when the module loads, not on a request
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not has_permission(current_user, permission):
                forbid(message)
            return view(*args, **kwargs)

        return cast(View, wrapper)

    return decorator


def require_admin(view: View) -> View:
    """View decorator: admins only (the admin pages and the admin API)."""
    return require_permission(ADMINISTER)(view)
