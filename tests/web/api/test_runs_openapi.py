"""The OpenAPI document matches the API: every documented operation exists and answers as documented."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from services.holdings import holdings
from tests.support.api import JsonClient, brief


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def check_against_schema(document: dict, operation: dict, status: int, body: object) -> None:
    content = operation["responses"][str(status)].get("content", {})
    if "application/json" not in content:
        return
    schema = {**content["application/json"]["schema"], "components": document["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, f"{status} body does not match its schema: {errors[0].message}"


def test_document_is_openapi_31_with_resolvable_refs(document):
    assert document["openapi"].startswith("3.1")
    text = repr(document)
    for ref in set(re.findall(r"#/components/schemas/([A-Za-z0-9_.-]+)", text)):
        assert ref in document["components"]["schemas"], ref
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    assert {"/api/runs", "/api/runs/{run_id}/events", "/api/agents", "/metrics"} <= set(document["paths"])


def test_every_documented_operation_answers_a_documented_status(app, client, make_user, document):
    admin = make_user("admin")
    api = JsonClient(client).login(admin.email)
    run = api.post("/api/runs", brief()).get_json()
    token_id = api.post("/api/tokens", {"name": "walk"}).get_json()["id"]
    hook = api.post("/api/admin/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["run.failed"]})
    assert hook.status_code == 201, hook.get_json()
    params = {"run_id": run["id"], "token_id": str(token_id), "hook_id": str(hook.get_json()["id"])}
    seen = 0
    for path, method, operation in operations(document):
        url = re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)
        if method == "get":
            response = api.get(url)
        elif method in ("post", "put", "patch"):
            response = api.client.open(url, method=method.upper(), json={}, headers={"X-CSRFToken": api.csrf})
        elif method == "delete":
            response = api.client.delete(url, headers={"X-CSRFToken": api.csrf})
        else:
            pytest.fail(f"untested method {method}")
        assert response.status_code != 405, f"{method.upper()} {path} is not routed"
        assert str(response.status_code) in operation["responses"], (
            f"{method.upper()} {path} answered {response.status_code}, documented {sorted(operation['responses'])}"
        )
        if response.is_json:
            check_against_schema(document, operation, response.status_code, response.get_json())
        seen += 1
    assert seen >= 14


def test_success_bodies_match_their_schemas(app, client, make_user, document):
    api = JsonClient(client).login(make_user("executive").email)
    created = api.post("/api/runs", brief())
    by_path = {(p, m): op for p, m, op in operations(document)}
    check_against_schema(document, by_path[("/api/runs", "post")], 201, created.get_json())
    run_id = created.get_json()["id"]
    api.post(f"/api/runs/{run_id}/cancel")
    for path, url in (
        ("/api/runs", "/api/runs?per_page=5"),
        ("/api/runs/{run_id}", f"/api/runs/{run_id}"),
        ("/api/runs/{run_id}/events", f"/api/runs/{run_id}/events"),
        ("/api/agents", "/api/agents"),
        ("/api/me", "/api/me"),
    ):
        response = api.get(url)
        assert response.status_code == 200
        check_against_schema(document, by_path[(path, "get")], 200, response.get_json())


def test_anonymous_answers_are_documented_too(client, document):
    for path, method, operation in operations(document):
        url = re.sub(r"\{(\w+)\}", "1", path)
        response = client.open(url, method=method.upper(), json={} if method in ("post", "put", "patch") else None)
        assert str(response.status_code) in operation["responses"], (method, path, response.status_code)
