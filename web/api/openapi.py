"""GET /api/openapi.json: an OpenAPI 3.1 document generated from the routes themselves.

The paths come from the app's URL map (methods, and path converters as typed path parameters);
each operation from the `@documented(...)` declaration on its view (web/api/spec.py), whose
pydantic models are the ones the view parses and answers with. Nothing is kept in a table beside
the views, so the document cannot list a route that does not exist or miss one's models; a test
fails for any /api/ route without a declaration, and schemathesis checks the answers against it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from services.holdings import holdings
from web.api import bp
from web.api.decimal_schema import ApiJsonSchema
from web.api.spec import ERROR_DESCRIPTIONS, ErrorBody, OperationSpec, documented, spec_of
from web.metrics import scrape

IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
# Werkzeug's converters as JSON Schema: `int` is unsigned, `string` (the default) one segment.
_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "default": {"type": "string", "pattern": "^[^/]+$"},
    "string": {"type": "string", "pattern": "^[^/]+$"},
    "int": {"type": "integer", "minimum": 0},
    "float": {"type": "number", "minimum": 0},
    "uuid": {"type": "string", "format": "uuid"},
    "path": {"type": "string"},
}

# /metrics lives outside the API blueprint (web/metrics.py) but is documented with it.
documented(
    "Prometheus metrics (operators only: METRICS_TOKEN bearer)",
    tag="meta",
    responses={200: "text/plain"},
    errors=(401, 403),
    public=True,
    security=("metrics",),
)(scrape)


def documented_routes(app: Flask) -> list[tuple[Rule, str, OperationSpec | None]]:
    """Every (rule, method) the document covers: all of /api/ and any other declared view."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods or ()))):
        view = app.view_functions.get(rule.endpoint)
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            spec = spec_of(view, method)
            if spec is not None or rule.rule.startswith("/api/"):
                found.append((rule, method, spec))
    return found


def openapi_path(rule: Rule) -> str:
    """`/api/runs/<run_id>` as `/api/runs/{run_id}`."""
    return _CONVERTER.sub(lambda match: "{" + match.group("name") + "}", rule.rule)


def path_parameters(rule: Rule) -> list[dict[str, Any]]:
    parameters = []
    for match in _CONVERTER.finditer(rule.rule):
        converter = match.group("converter") or "default"
        schema = dict(_CONVERTER_SCHEMAS.get(converter, {"type": "string"}))
        parameters.append({"name": match.group("name"), "in": "path", "required": True, "schema": schema})
    return parameters


def _query_parameters(model: type[BaseModel], refs: dict[tuple[type[BaseModel], str], Any], defs: dict) -> list:
    schema = _resolve(refs[(model, "validation")], defs)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            param["description"] = prop["description"]
        params.append(param)
    return params


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return defs[ref.rsplit("/", 1)[-1]] if ref else schema


def _models(specs: list[OperationSpec]) -> list[tuple[type[BaseModel], str]]:
    wanted: list[tuple[type[BaseModel], str]] = [(ErrorBody, "serialization")]
    for spec in specs:
        candidates = [(spec.body, "validation"), (spec.query, "validation")]
        candidates += [(body, "serialization") for body in [*spec.responses.values(), *spec.alternatives.values()]]
        for model, mode in candidates:
            if isinstance(model, type) and (model, mode) not in wanted:
                wanted.append((model, mode))
    return wanted


def _content(
    body: type[BaseModel] | str, refs: dict[tuple[type[BaseModel], str], Any], media: str | None = None
) -> dict[str, Any]:
    if isinstance(body, str):
        schema: dict[str, Any] = {"type": "string"} if body.startswith("text/") else {"type": "object"}
        return {media or body: {"schema": schema}}
    return {media or "application/json": {"schema": refs[(body, "serialization")]}}


def _responses(spec: OperationSpec, refs: dict[tuple[type[BaseModel], str], Any]) -> dict[str, Any]:
    answers: dict[int, dict[str, Any]] = {}
    for status, body in spec.responses.items():
        if body is None:
            answers[status] = {"description": "No content" if status == 204 else "Success"}
            continue
        content = _content(body, refs)
        if status < 300:
            for media, alternative in spec.alternatives.items():
                if alternative is not None:
                    content.update(_content(alternative, refs, media))
        description = ERROR_DESCRIPTIONS.get(status, "Success") if status >= 400 else "Success"
        answers[status] = {"description": description, "content": content}
    for status in spec.error_codes():
        answers[status] = {"description": ERROR_DESCRIPTIONS.get(status, "Error"), "content": _content(ErrorBody, refs)}
    for status, named in spec.headers.items():
        answers[status]["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in named.items()
        }
    return {str(status): answers[status] for status in sorted(answers)}


def _operation_id(method: str, path: str) -> str:
    return f"{method.lower()}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}"


def _links(spec: OperationSpec, targets: list[tuple[str, list[str]]]) -> dict[str, Any]:
    """OpenAPI links from a success answer to each operation whose path parameters it supplies."""
    found = {}
    for operation_id, names in targets:
        if names and set(names) <= set(spec.links):
            found[operation_id] = {
                "operationId": operation_id,
                "parameters": {f"path.{name}": f"$response.body#{spec.links[name]}" for name in names},
            }
    return found


def _operation(rule: Rule, method: str, spec: OperationSpec, refs: dict, defs: dict) -> dict[str, Any]:
    path = openapi_path(rule)
    entry: dict[str, Any] = {
        "summary": spec.summary,
        "tags": [spec.tag],
        "operationId": _operation_id(method, path),
        "responses": _responses(spec, refs),
    }
    if spec.description:
        entry["description"] = spec.description
    parameters = path_parameters(rule) + (_query_parameters(spec.query, refs, defs) if spec.query else [])
    if parameters:
        entry["parameters"] = parameters
    if spec.body is not None:
        entry["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
        }
    if spec.security:
        entry["security"] = [{name: []} for name in spec.security]
    elif spec.public:
        entry["security"] = []
    return entry


def document(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API as this process serves it."""
    app = app or current_app
    routes = [(rule, method, spec) for rule, method, spec in documented_routes(app) if spec is not None]
    refs, defs = models_json_schema(
        _models([spec for _, _, spec in routes]),
        ref_template="#/components/schemas/{model}",
        schema_generator=ApiJsonSchema,
    )
    schemas = defs.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    targets = [
        (_operation_id(method, openapi_path(rule)), [param["name"] for param in path_parameters(rule)])
        for rule, method, _ in routes
    ]
    for rule, method, spec in routes:
        entry = _operation(rule, method, spec, refs, schemas)
        for status, answer in entry["responses"].items():
            if spec.links and int(status) < 300:
                answer["links"] = _links(spec, targets)
        paths.setdefault(openapi_path(rule), {})[method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Catalyst API",
            "version": "1",
            "description": (
                "JSON API of the Catalyst executive agent console. Authenticate with the session "
                "cookie (state-changing requests then need the X-CSRFToken header from the page's "
                "csrf-token meta tag) or with `Authorization: Bearer <api token>` (no CSRF). Errors "
                "always have the shape {\"error\": {\"code\", \"message\", \"details\"}}. Money is a "
                "decimal string in answers; requests may send it as a number or a decimal string. "
                "Live events stream over Socket.IO (see docs)."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "catalyst_session"},
                "bearer": {"type": "http", "scheme": "bearer"},
                "metrics": {"type": "http", "scheme": "bearer", "description": "The METRICS_TOKEN setting"},
            },
        },
        "security": [{"session": []}, {"bearer": []}],
        "x-rate-limit": holdings(app).settings.api_rate_limit,
    }


@documented("This document", tag="meta", responses={200: "application/json"}, public=True)
@bp.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    return document()
