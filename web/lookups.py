"""`get_or_404`: a row of the caller's organisation by id, or the 404 the views have always answered.

Built on `OrgScoped.get_by_id_and_org`, so a view cannot forget the organisation: another
tenant's id, a guessed one and a malformed one all answer the same 404.
"""

from __future__ import annotations

from typing import NoReturn, TypeVar

from flask import abort
from flask_login import current_user

from services.models.mixins import OrgScoped
from web.errors import ApiError

Scoped = TypeVar("Scoped", bound=OrgScoped)


def not_found(message: str | None = None) -> NoReturn:
    """Answer 404: `message` in the API's error shape, or the error layer's answer when None
    (the JSON shape under /api/, the HTML error page elsewhere)."""
    if message is None:
        abort(404)
    raise ApiError(404, message)


def get_or_404(model: type[Scoped], object_id: object, *, message: str | None = None, **match: object) -> Scoped:
    """The `model` row with this id in the current user's organisation (narrowed by `match`), else 404."""
    found = model.get_by_id_and_org(object_id, current_user.org_id, **match)
    if found is None:
        not_found(message)
    return found
