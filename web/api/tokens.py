"""API tokens of the current user: list, create (shown once), revoke."""

from __future__ import annotations

from flask_login import current_user, login_required
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from services import users
from services.db import db
from services.models import ApiToken
from web.api import bp
from web.api.account_models import NewToken, TokenList
from web.api.spec import documented
from web.api.validation import json_body
from web.lookups import get_or_404


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=80)


def _serialise(token: ApiToken) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked,
    }


@documented("Your API tokens", tag="account", responses={200: TokenList})
@bp.get("/tokens")
@login_required
def list_tokens():  # noqa: ANN201
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    )
    return {"items": [_serialise(t) for t in tokens]}


@documented("Create an API token (shown once)", tag="account", responses={201: NewToken}, body=TokenIn)
@bp.post("/tokens")
@login_required
def create_token():  # noqa: ANN201
    body = json_body(TokenIn)
    user = current_user._get_current_object()
    token, plain = users.create_token(user, body.name, actor=user)
    return {**_serialise(token), "token": plain}, 201


@documented("Revoke an API token", tag="account", responses={204: None}, errors=(400, 404))
@bp.delete("/tokens/<int:token_id>")
@login_required
def revoke_token(token_id: int):  # noqa: ANN201
    token = get_or_404(ApiToken, token_id, user_id=current_user.id)  # only one's own tokens
    users.revoke_token(token, actor=current_user._get_current_object())
    return "", 204
