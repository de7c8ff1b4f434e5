"""Response models of the account operations (/api/me, /api/tokens), for the OpenAPI document.

The views build these answers as plain dicts; the models say what the dicts hold, and the
schemathesis test holds the views to them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Organisation(BaseModel):
    id: int
    name: str


class Me(BaseModel):
    id: int
    email: str
    name: str
    role: str
    organisation: Organisation


class TokenOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class NewToken(TokenOut):
    token: str


class TokenList(BaseModel):
    items: list[TokenOut]
