"""The admin budget operations in the OpenAPI document answer as documented, bodies included."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from services.db import db, utcnow
from services.models import Run
from tests.support.api import JsonClient

MINE = {
    ("/api/admin/budget", "get"),
    ("/api/admin/budget", "put"),
    ("/api/admin/spend", "get"),
    ("/api/admin/audit", "get"),
    ("/api/runs/{run_id}", "patch"),
}
# Bodies and queries that reach each documented answer.
CASES = [
    ("get", "/api/admin/budget", None, 200),
    ("put", "/api/admin/budget", {"thresholds": [40, 100]}, 200),
    ("put", "/api/admin/budget", {"thresholds": [100, 40]}, 422),
    ("get", "/api/admin/spend?group_by=agent", None, 200),
    ("get", "/api/admin/spend?group_by=nope", None, 422),
    ("get", "/api/admin/audit?per_page=2", None, 200),
    ("get", "/api/admin/audit?page=0", None, 422),
    ("patch", "/api/runs/{run_id}", {"ai_cap_usd": "3"}, 200),
    ("patch", "/api/runs/{run_id}", {"ai_cap_usd": "x"}, 422),
    ("patch", "/api/runs/{run_id}", {}, 422),
    ("patch", "/api/runs/ffffffffffffffffffffffffffffffff", {"ai_cap_usd": "3"}, 404),
]


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def check(document: dict, path: str, method: str, status: int, body: object) -> None:
    operation = document["paths"][path][method]
    assert str(status) in operation["responses"], (method, path, status)
    content = operation["responses"][str(status)].get("content", {})
    if "application/json" in content and body is not None:
        schema = {**content["application/json"]["schema"], "components": document["components"]}
        errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
        assert not errors, f"{method} {path} {status}: {errors[0].message}"


def test_admin_operations_are_documented(document):
    documented = {(path, method) for path, methods in document["paths"].items() for method in methods}
    assert documented >= MINE
    params = {p["name"] for p in document["paths"]["/api/admin/spend"]["get"]["parameters"]}
    assert {"from", "to", "group_by", "format"} <= params


def test_admin_operations_answer_as_documented(app, client, make_user, document):
    admin = make_user("admin")
    api = JsonClient(client).login(admin.email)
    with app.app_context():
        run = Run(org_id=admin.org_id, created_by_id=admin.id, brief={}, company_name="Acme",
                  budget_usd=5000, ai_cap_usd=1, created_at=utcnow())  # fmt: skip
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    for method, url, body, status in CASES:
        path = url.split("?")[0]
        documented_path = (
            path
            if path in ("/api/admin/budget", "/api/admin/spend", "/api/admin/audit")
            else "/api/runs/{run_id}"
        )
        response = client.open(
            url.replace("{run_id}", run_id),
            method=method.upper(),
            json=body,
            headers={"X-CSRFToken": api.csrf},
        )
        assert response.status_code == status, (method, url, response.get_json())
        check(document, documented_path, method, status, response.get_json())


@pytest.mark.parametrize(("path", "method"), sorted(MINE))
def test_anonymous_and_forbidden_answers_are_documented(app, client, make_user, document, path, method):
    url = re.sub(r"\{\w+\}", "1", path)
    anonymous = client.open(url, method=method.upper(), json={} if method != "get" else None)
    check(document, path, method, anonymous.status_code, anonymous.get_json())
    api = JsonClient(client).login(make_user("member").email)
    forbidden = client.open(url, method=method.upper(), json={}, headers={"X-CSRFToken": api.csrf})
    assert forbidden.status_code == 403
    check(document, path, method, 403, forbidden.get_json())
