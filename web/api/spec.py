"""`@documented(...)`: each API view declares its OpenAPI operation where it is defined.

The declaration is metadata stored on the view function itself; `web/api/openapi.py` walks the
app's URL map and reads it back, so the document lists exactly the routes that exist, with the
pydantic models the views really parse and answer with. A route without a declaration is caught by
a test rather than silently left out.

Errors every operation of a kind can answer are added by the generator (401 and 429 for any
authenticated call, 400/413/415/422 for a JSON body, 400/422 for a query string); `errors=` names
the ones particular to a view (403 for a role, 404 for a lookup, 409 for a state).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

Body = type[BaseModel] | str | None
"""A response body: a model (JSON), a media type (text), or None (no body)."""

SPEC_ATTRIBUTE = "__openapi_operations__"
ALL_METHODS = "*"

View = TypeVar("View", bound=Callable[..., Any])


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    """Every error the API answers, whatever the status."""

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "Malformed JSON or query string, or a missing CSRF token (session callers)",
    401: "Not logged in and no valid bearer token",
    403: "Not allowed for your role",
    404: "No such resource in your organisation",
    409: "The resource is not in a state that allows this",
    413: "The body is larger than the server accepts",
    415: "The body is not JSON",
    422: "Some fields are not valid (see details)",
    429: "Rate limited (Retry-After says when to try again)",
    502: "The AI provider's server refused or failed the call (see details)",
}


@dataclass(frozen=True)
class OperationSpec:
    """What one method of a view accepts and answers, as the OpenAPI document shows it."""

    summary: str
    tag: str
    responses: Mapping[int, Body]
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    public: bool = False
    description: str = ""
    # More media types of the success answer, e.g. {"text/html": "text/html"} or {"application/json": Model}.
    alternatives: Mapping[str, Body] = field(default_factory=dict)
    # Response headers by status: {201: {"Location": "The new run's URL"}}.
    headers: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    # Security schemes other than the API's own (session or bearer token), e.g. /metrics' token.
    security: tuple[str, ...] = ()
    # Path parameters the success answer supplies, as JSON pointers into its body: {"run_id": "/id"}
    # links this answer to every operation whose path parameters it covers (OpenAPI `links`).
    links: Mapping[str, str] = field(default_factory=dict)

    def error_codes(self) -> tuple[int, ...]:
        """The view's own error statuses and those its kind of operation always can answer."""
        codes = set(self.errors)
        if not self.public:
            codes |= {401, 429}
        if self.body is not None:
            codes |= {400, 413, 415, 422}
        if self.query is not None:
            codes |= {400, 422}
        return tuple(sorted(codes - set(self.responses)))


def documented(
    summary: str,
    *,
    tag: str,
    responses: Mapping[int, Body],
    errors: tuple[int, ...] = (),
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    public: bool = False,
    description: str = "",
    alternatives: Mapping[str, Body] | None = None,
    headers: Mapping[int, Mapping[str, str]] | None = None,
    security: tuple[str, ...] = (),
    links: Mapping[str, str] | None = None,
    method: str = ALL_METHODS,
) -> Callable[[View], View]:
    """Declare the OpenAPI operation of a view; put it above the route decorator.

    `method` narrows the declaration to one HTTP method of a view routed for several.
    """
    spec = OperationSpec(
        summary=summary,
        tag=tag,
        responses=dict(responses),
        errors=tuple(errors),
        body=body,
        query=query,
        public=public,
        description=description,
        alternatives=dict(alternatives or {}),
        headers={status: dict(named) for status, named in (headers or {}).items()},
        security=tuple(security),
        links=dict(links or {}),
    )

    def mark(view: View) -> View:
        declared = dict(getattr(view, SPEC_ATTRIBUTE, {}))
        declared[method.upper()] = spec
        setattr(view, SPEC_ATTRIBUTE, declared)
        return view

    return mark


def spec_of(view: Callable[..., Any] | None, method: str) -> OperationSpec | None:
    """The declaration of `view` for `method`, if it has one."""
    declared: dict[str, OperationSpec] = getattr(view, SPEC_ATTRIBUTE, {})
    return declared.get(method.upper()) or declared.get(ALL_METHODS)
