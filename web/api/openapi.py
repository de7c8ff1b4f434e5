"""GET /api/openapi.json: an OpenAPI 3.1 document generated from the API's own pydantic models.

Operations are declared here next to the models the views really use, so the schemas cannot drift
from the behaviour; a test walks every documented operation against the app. Other API modules
add theirs with `add_operations(...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import models_json_schema

from agents.report_model import StructuredReport
from agents.state import Brief
from services.holdings import holdings
from web.api import bp
from web.api.agents import AgentList
from web.api.runs import DecisionIn, EventPage, EventsQuery, ReportQuery, RunList, RunListQuery, RunOut
from web.api.tokens import TokenIn

Body = type[BaseModel] | str | None
"""A response body: a model (JSON), a media type (text), or None (no body)."""


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    error: ErrorDetail


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


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    responses: dict[int, Body]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    public: bool = False
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


ERRORS = {
    400: "Malformed JSON or missing CSRF token",
    401: "Not logged in and no valid bearer token",
    403: "Not allowed for your role",
    404: "No such resource in your organisation",
    409: "The run is not in a state that allows this",
    415: "The body is not JSON",
    422: "Some fields are not valid (see details)",
    429: "Rate limited (Retry-After says when to try again)",
    502: "The AI provider's server refused or failed the call (see details)",
}
_COMMON = {401: ErrorBody, 429: ErrorBody}
_WRITE = {400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody}

OPERATIONS: list[Operation] = [
    Operation("post", "/api/runs", "Start a run from a brief", "runs",
              {201: RunOut, 400: ErrorBody, 403: ErrorBody, 415: ErrorBody, 422: ErrorBody, **_COMMON},
              body=Brief, description="Queued at once; `queue_position` says how many runs are ahead."),
    Operation("get", "/api/runs", "List your organisation's runs", "runs",
              {200: RunList, 422: ErrorBody, **_COMMON}, query=RunListQuery),
    Operation("get", "/api/runs/{run_id}", "One run", "runs", {200: RunOut, 404: ErrorBody, **_COMMON}),
    Operation("get", "/api/runs/{run_id}/events", "Stored events after a seq", "runs",
              {200: EventPage, 404: ErrorBody, 422: ErrorBody, **_COMMON}, query=EventsQuery),
    Operation("post", "/api/runs/{run_id}/approve", "Approve or reject a budget overrun", "runs",
              {200: RunOut, 415: ErrorBody, 422: ErrorBody, **_WRITE}, body=DecisionIn),
    Operation("post", "/api/runs/{run_id}/cancel", "Cancel a run", "runs", {200: RunOut, **_WRITE},
              description="Queued and paused runs end at once; a running run stops at its next step."),
    Operation("post", "/api/runs/{run_id}/resume", "Resume a run paused at its AI-spend cap (admin)", "runs",
              {200: RunOut, **_WRITE}),
    Operation("get", "/api/runs/{run_id}/report", "The executive report", "runs",
              {200: "text/markdown", 404: ErrorBody, 422: ErrorBody, **_COMMON}, query=ReportQuery,
              description="Markdown; `format=html` gives sanitised HTML; `format=json` gives the structured "
                          "report every rendering is made from (money as decimal strings, 404 "
                          "`report_not_ready` for runs finished before it existed).",
              extra={"html": True, "json": StructuredReport}),
    Operation("get", "/api/agents", "The agent catalogue with default share caps", "agents",
              {200: AgentList, **_COMMON}),
    Operation("get", "/api/me", "The current user", "account", {200: Me, **_COMMON}),
    Operation("get", "/api/tokens", "Your API tokens", "account", {200: TokenList, **_COMMON}),
    Operation("post", "/api/tokens", "Create an API token (shown once)", "account",
              {201: NewToken, 400: ErrorBody, 415: ErrorBody, 422: ErrorBody, **_COMMON}, body=TokenIn),
    Operation("delete", "/api/tokens/{token_id}", "Revoke an API token", "account",
              {204: None, 400: ErrorBody, 404: ErrorBody, **_COMMON}),
    Operation("get", "/api/openapi.json", "This document", "meta", {200: "application/json"}, public=True),
    Operation("get", "/metrics", "Prometheus metrics (operators only: METRICS_TOKEN bearer)", "meta",
              {200: "text/plain", 401: ErrorBody, 403: ErrorBody}, public=True),
]  # fmt: skip

_added: list[Operation] = []


def add_operations(*operations: Operation) -> None:
    """Document more operations (other API modules call this at import)."""
    _added.extend(op for op in operations if op not in _added)


def operations() -> list[Operation]:
    return [*OPERATIONS, *_added]


def _models(ops: list[Operation]) -> list[tuple[type[BaseModel], str]]:
    models: list[tuple[type[BaseModel], str]] = []
    for op in ops:
        wanted = [(op.body, "validation")] + [(b, "serialization") for b in op.responses.values()]
        wanted.append((op.extra.get("json"), "serialization"))  # a JSON alternative to a text body
        for model, mode in wanted:
            if isinstance(model, type) and (model, mode) not in models:
                models.append((model, mode))
    return models


def _path_parameters(path: str) -> list[dict[str, Any]]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]
    # Run ids are hex strings; every other id in a path is an integer.
    kinds = {name: "string" if name == "run_id" else "integer" for name in names}
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": kind}}
        for name, kind in kinds.items()
    ]


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            param["description"] = prop["description"]
        params.append(param)
    return params


def _response(
    status: int, body: Body, refs: dict[tuple[type[BaseModel], str], Any], op: Operation
) -> dict[str, Any]:
    description = ERRORS.get(status, "Success") if status >= 400 else "Success"
    if body is None:
        return {"description": "No content" if status == 204 else description}
    if isinstance(body, str):
        schema = {"type": "string"} if body.startswith("text/") else {"type": "object"}
        content: dict[str, Any] = {body: {"schema": schema}}
        if op.extra.get("html"):
            content["text/html"] = {"schema": {"type": "string"}}
        if op.extra.get("json") and status < 300:
            content["application/json"] = {"schema": refs[(op.extra["json"], "serialization")]}
        return {"description": description, "content": content}
    schema = refs[(body, "serialization")]
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API as this process serves it."""
    ops = operations()
    refs, defs = models_json_schema(_models(ops), ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        entry: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": f"{op.method}_{re.sub(r'[^A-Za-z0-9]+', '_', op.path).strip('_')}",
            "responses": {
                str(code): _response(code, body, refs, op) for code, body in sorted(op.responses.items())
            },
        }
        if op.description:
            entry["description"] = op.description
        parameters = _path_parameters(op.path) + (_query_parameters(op.query) if op.query else [])
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        if op.public:
            entry["security"] = []
        paths.setdefault(op.path, {})[op.method] = entry
    settings = holdings().settings
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Catalyst API",
            "version": "1",
            "description": (
                "JSON API of the Catalyst executive agent console. Authenticate with the session "
                "cookie (state-changing requests then need the X-CSRFToken header from the page's "
                "csrf-token meta tag) or with `Authorization: Bearer <api token>` (no CSRF). Errors "
                "always have the shape {\"error\": {\"code\", \"message\", \"details\"}}. Live events "
                "stream over Socket.IO (see docs)."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "catalyst_session"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"bearer": []}],
        "x-rate-limit": settings.api_rate_limit,
    }


@bp.get("/openapi.json")
def openapi_document():  # noqa: ANN201
    return document()
