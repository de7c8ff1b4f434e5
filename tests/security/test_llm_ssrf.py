"""SSRF through the provider base URL (issue 12 item 2), reproduced end to end on SQLite.

An internal service on loopback holds a secret and answers 500 with it. An org admin points the
provider base URL at it and a run starts. Unless the operator allow-lists loopback, the server never
connects there (not at save time, not at connect time, not after DNS rebinding); when it is
allowed, the call goes through but the body still never reaches the run's error, events or API.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from services import accounts
from services.db import db
from services.holdings import holdings
from services.llm import egress
from services.llm.environment import environment_llm_config
from services.models import User
from services.provider_settings import ProviderChange, update_provider_settings
from tests.conftest import PASSWORD, build_app, csrf_from
from tests.support.api import JsonClient, brief, execute_queued
from tests.unit.llm.raw_server import RawServer

SECRET = "db_password=hunter2"
REFUSED = "the provider address is not allowed: private network (loopback)"
PROVIDERS = {
    "openai": {"model": "gpt-4o-mini", "url_field": "openai_base_url", "key_field": "openai_api_key",
               "path": "/v1"},
    "anthropic": {"model": "claude-haiku-4-5", "url_field": "anthropic_base_url",
                  "key_field": "anthropic_api_key", "path": ""},
}  # fmt: skip


@pytest.fixture
def internal() -> Iterator[RawServer]:
    """The internal service: answers every request 500 with its secret in the body."""
    with RawServer(500, f"internal config dump\n{SECRET}\nredis_password=hunter2\n") as server:
        yield server


def make_app(tmp_path: Path, allowed: str) -> Flask:
    return build_app(tmp_path, "sqlite", llm_allowed_hosts=allowed, llm_max_retries=0, llm_timeout_seconds=5)


@pytest.fixture
def strict_app(tmp_path: Path) -> Iterator[Flask]:
    """Loopback not allow-listed (as in production by default)."""
    app = make_app(tmp_path, "")
    yield app
    holdings(app).runs.stop()


@pytest.fixture
def lenient_app(tmp_path: Path) -> Iterator[Flask]:
    """The operator allow-listed 127.0.0.1 (a local model server)."""
    app = make_app(tmp_path, "127.0.0.1")
    yield app
    holdings(app).runs.stop()


def login(app: Flask, role: str) -> tuple[JsonClient, int]:
    with app.app_context():
        user = accounts.create_user(
            email=f"{role}-{uuid.uuid4().hex[:8]}@example.com", role=role, org_name="Acme", password=PASSWORD
        ).user
        email, user_id = user.email, user.id
    return JsonClient(app.test_client()).login(email), user_id


def provider_form(provider: str, url: str) -> dict[str, str]:
    spec = PROVIDERS[provider]
    key = "sk-test-0123456789"
    return {"provider": provider, "model": spec["model"], spec["url_field"]: url, spec["key_field"]: key}


def save_form(admin: JsonClient, data: dict[str, str]):
    token = csrf_from(admin.get("/admin/provider").get_data(as_text=True))
    return admin.client.post("/admin/provider", data={**data, "csrf_token": token})


def run_to_the_end(app: Flask, executive: JsonClient) -> tuple[dict, list[dict], str]:
    response = executive.post("/api/runs", brief())
    assert response.status_code == 201, response.get_json()
    run_id = response.get_json()["id"]
    execute_queued(app)
    run_response = executive.get(f"/api/runs/{run_id}")
    events = executive.get(f"/api/runs/{run_id}/events?limit=1000").get_json()["events"]
    return run_response.get_json(), events, run_response.get_data(as_text=True)


def failure_messages(events: list[dict]) -> list[str]:
    messages = []
    for event in events:
        error = event.get("data", {}).get("error")
        if isinstance(error, dict):
            messages.append(str(error.get("message", "")))
    return messages


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert "hunter2" not in text and "db_password" not in text and "internal config dump" not in text


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_admin_form_refuses_a_loopback_base_url(strict_app, internal, provider) -> None:
    admin, _ = login(strict_app, "admin")
    url = f"{internal.url}{PROVIDERS[provider]['path']}"
    response = save_form(admin, provider_form(provider, url))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The provider address is not allowed: private network (loopback)" in html
    assert "LLM_ALLOWED_HOSTS" in html
    page = admin.get("/admin/provider").get_data(as_text=True)
    assert 'id="effective-provider">offline' in page  # nothing was saved
    assert internal.requests == 0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_stored_loopback_url_is_refused_when_connecting(
    strict_app, internal, provider
) -> None:
    """The URL was saved while the operator allowed loopback (or before this check): runs still refuse."""
    admin, admin_id = login(strict_app, "admin")
    executive, _ = login(strict_app, "executive")
    url = f"{internal.url}{PROVIDERS[provider]['path']}"
    with strict_app.app_context():
        actor = db.session.get(User, admin_id)
        settings = holdings(strict_app).settings
        then = dataclasses.replace(environment_llm_config(settings), allowed_hosts=("127.0.0.1",))
        update_provider_settings(
            actor.org_id,
            ProviderChange(**provider_form(provider, url)),
            actor=actor,
            secret_key=settings.secret_key,
            base=then,
        )

    run, events, raw = run_to_the_end(strict_app, executive)

    assert internal.requests == 0
    assert run["status"] == "failed"
    failed = [e for e in events if e["type"] == "run.failed"]
    assert len(failed) == 1
    assert REFUSED in failed[0]["data"]["error"]["message"]
    assert failed[0]["data"]["error"]["code"] == "provider_address_not_allowed"
    assert_no_secret(raw, json.dumps(events))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_allowed_internal_host_is_called_but_its_body_stays_in_the_log(
    lenient_app, internal, provider
) -> None:
    admin, _ = login(lenient_app, "admin")
    executive, _ = login(lenient_app, "executive")
    response = save_form(admin, provider_form(provider, f"{internal.url}{PROVIDERS[provider]['path']}"))
    assert response.status_code == 303

    run, events, raw = run_to_the_end(lenient_app, executive)

    assert internal.requests >= 1
    assert run["status"] == "failed"
    messages = failure_messages(events)
    assert messages and all("answered 500" in m and "request " in m for m in messages)
    assert_no_secret(raw, json.dumps(events))


def test_dns_rebinding_after_saving_is_refused(strict_app, internal, monkeypatch) -> None:
    """The name resolves public when saved and to loopback when the run connects (the resolver is
    simulated: real rebinding cannot run here)."""
    answers = {"count": 0}

    def rebinding(host: str, port: int) -> list[str]:
        answers["count"] += 1
        return ["93.184.216.34"] if answers["count"] == 1 else ["127.0.0.1"]

    monkeypatch.setattr(egress, "resolve", rebinding)
    admin, _ = login(strict_app, "admin")
    executive, _ = login(strict_app, "executive")
    url = f"http://rebind.invalid:{internal.port}/v1"
    assert save_form(admin, provider_form("openai", url)).status_code == 303

    run, events, raw = run_to_the_end(strict_app, executive)

    assert answers["count"] >= 2  # looked up again when connecting
    assert internal.requests == 0
    assert run["status"] == "failed"
    assert any(REFUSED in m for m in failure_messages(events))
    assert_no_secret(raw, json.dumps(events))
