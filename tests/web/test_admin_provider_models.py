"""The admin provider page with any model of one's own server: price, context window, timeout and
structured-output mode per organisation, the server's model list, and Test connection (page and
API), against the fake OpenAI server over real HTTP. SQLite only."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from html import unescape

import pytest
import requests
from jsonschema import Draft202012Validator

from services.holdings import holdings
from services.llm.environment import environment_llm_config
from services.provider_settings import get_provider_settings
from tests.conftest import csrf_from
from tests.fakes.fixtures import fake_openai  # noqa: F401
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import client_error
from tests.support.api import JsonClient
from web.pages import admin_provider

SAVED_KEY = "sk-saved-key-0123456789abcdef"
TYPED_KEY = "sk-typed-key-9876543210fedcba"
PAGE = "/admin/provider"


@pytest.fixture
def backend() -> str:
    """SQLite only (overrides the conftest's SQLite + PostgreSQL parameter)."""
    return "sqlite"


@pytest.fixture(autouse=True)
def _release_run_resources(app) -> Iterator[None]:
    yield
    holdings(app).runs.stop()


@pytest.fixture
def pong(fake_openai: FakeOpenAIServer) -> FakeOpenAIServer:  # noqa: F811
    """The fake answering the connection test's schema."""
    fake_openai.responder = lambda prompt, data: {"reply": data.get("word", "pong")}
    return fake_openai


def login(app, make_user, role: str = "admin") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user(role).email)


def submit(api: JsonClient, data: dict[str, object], path: str = PAGE):
    token = csrf_from(api.get(PAGE).get_data(as_text=True))
    return api.client.post(path, data={**data, "csrf_token": token})


def form(fake: FakeOpenAIServer | None = None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "provider": "openai",
        "model": "my-local-model",
        "openai_base_url": fake.base_url if fake else "",
        "anthropic_base_url": "",
        "structured_output": "",
        "input_usd_per_mtok": "",
        "output_usd_per_mtok": "",
        "context_window": "",
        "timeout_seconds": "",
    }
    data.update(changes)
    return data


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    return unescape(match.group(1)) if match else ""


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def org_settings(app, api: JsonClient):
    org_id = api.get("/api/me").get_json()["organisation"]["id"]
    with app.app_context():
        return get_provider_settings(org_id, environment_llm_config(holdings(app).settings))


def audit_page(api: JsonClient) -> str:
    return api.get("/admin/audit?action=provider.settings_changed").get_data(as_text=True)


# --- saving -----------------------------------------------------------------------------------


def test_a_model_outside_the_registry_is_saved_with_a_base_url_and_shown(app, make_user, pong) -> None:
    api = login(app, make_user)
    response = submit(api, form(pong))
    assert response.status_code == 303, field_error(response.get_data(as_text=True), "model")
    page = api.get(PAGE).get_data(as_text=True)
    assert 'value="my-local-model"' in page
    assert text_of(page, "effective-model") == "my-local-model"
    assert 'id="model" name="model" list="model-options"' in page  # free text, not a select
    # No price anywhere: said so, never shown as free.
    assert 'id="price-not-set" role="status">' in page
    assert "AI spend of runs will read $0 and be marked price not set" in page
    assert text_of(page, "effective-price") == "price not set"
    assert text_of(page, "effective-mode") == "auto"  # the default at a server of one's own
    assert text_of(page, "effective-limits") == "8,192 tokens · 300 s"
    assert 'id="timeout_seconds" name="timeout_seconds" value="" inputmode="decimal" placeholder="300"' in page


def test_a_model_outside_the_registry_without_a_base_url_is_refused(app, make_user) -> None:
    api = login(app, make_user)
    response = submit(api, form(openai_api_key=SAVED_KEY))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "base URL" in field_error(html, "model"), field_error(html, "model")
    assert "Nothing was saved" in html and SAVED_KEY not in html
    assert org_settings(app, api).provider is None
    assert "provider.settings_changed" not in audit_page(api)


def test_price_context_timeout_and_mode_are_saved_and_audited(app, make_user, pong) -> None:
    api = login(app, make_user)
    changes = {
        "input_usd_per_mtok": "0.5",
        "output_usd_per_mtok": "$1.25",
        "context_window": "32768",
        "timeout_seconds": "120",
        "structured_output": "json_object_schema",
    }
    response = submit(api, form(pong, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    saved = org_settings(app, api)
    assert (str(saved.input_usd_per_mtok.normalize()), str(saved.output_usd_per_mtok.normalize())) == ("0.5", "1.25")
    assert (saved.context_window, saved.timeout_seconds, saved.structured_output) == (32768, 120.0, "json_object_schema")
    page = api.get(PAGE).get_data(as_text=True)
    for name, shown in (("input_usd_per_mtok", "0.5"), ("output_usd_per_mtok", "1.25"), ("context_window", "32768"),
                        ("timeout_seconds", "120")):  # fmt: skip
        assert f'id="{name}" name="{name}" value="{shown}"' in page, name
    assert '<option value="json_object_schema" selected>' in page
    assert 'id="price-not-set" role="status" hidden>' in page
    assert text_of(page, "effective-price") == "$0.5 in / $1.25 out per M"
    assert text_of(page, "effective-limits") == "32,768 tokens · 120 s"
    audit = unescape(audit_page(api))
    assert "provider.settings_changed" in audit
    for value in ("32768", "json_object_schema", "0.5", "1.25", "120"):
        assert value in audit, value


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"structured_output": "tool"}, "structured_output", "not a mode of openai"),
        ({"input_usd_per_mtok": "-1"}, "input_usd_per_mtok", "greater than or equal to 0"),
        ({"output_usd_per_mtok": "lots"}, "output_usd_per_mtok", "decimal"),
        ({"context_window": "100"}, "context_window", "256"),
        ({"timeout_seconds": "0"}, "timeout_seconds", "greater than 0"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(app, make_user, pong, changes, field, words) -> None:
    api = login(app, make_user)
    response = submit(api, form(pong, **changes))
    assert response.status_code == 422
    assert words in field_error(response.get_data(as_text=True), field).lower()


@pytest.mark.parametrize("role", ["executive", "member"])
def test_only_admins_see_the_page_or_test_a_connection(app, make_user, role) -> None:
    api = login(app, make_user, role)
    assert api.get(PAGE).status_code == 403
    token = csrf_from(api.get("/dashboard").get_data(as_text=True))
    assert api.client.post(f"{PAGE}/test", data={**form(), "csrf_token": token}).status_code == 403
    refused = api.post("/api/admin/provider/test", {})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"


def test_the_test_connection_form_needs_its_csrf_token(app, make_user, pong) -> None:
    api = login(app, make_user)
    response = api.client.post(f"{PAGE}/test", data=form(pong))
    assert response.status_code == 400
    assert pong.requests == []


# --- the server's models ----------------------------------------------------------------------


def test_the_models_datalist_has_what_the_server_reports(app, make_user, pong) -> None:
    reported = [item["id"] for item in requests.get(f"{pong.base_url}/models", timeout=5).json()["data"]]
    assert reported  # the fake serves a list
    api = login(app, make_user)
    assert submit(api, form(pong)).status_code == 303
    page = api.get(PAGE).get_data(as_text=True)
    datalist = re.search(r'<datalist id="model-options">(.*?)</datalist>', page, re.S).group(1)
    for name in reported:
        assert f'<option value="{name}">reported by your server</option>' in datalist, name
    assert '<option value="gpt-4o-mini">' in datalist  # and the registry's models
    assert f"Your server reports {len(reported)} models" in text_of(page, "server-models-hint")


def test_a_server_that_cannot_list_is_a_hint_not_a_failure(app, make_user) -> None:
    api = login(app, make_user)
    assert submit(api, form(openai_base_url="http://127.0.0.1:1/v1")).status_code == 303
    response = api.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = text_of(page, "server-models-error")
    assert error and len(error) <= 300
    assert "Could not list your server's models" in page


def test_a_server_that_does_not_answer_delays_the_page_only_briefly(app, make_user, monkeypatch) -> None:
    monkeypatch.setattr(admin_provider, "LISTING_TIMEOUT_SECONDS", 0.5)
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        api = login(app, make_user)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        assert submit(api, form(openai_base_url=url)).status_code == 303
        started = time.monotonic()
        page = api.get(PAGE).get_data(as_text=True)
        elapsed = time.monotonic() - started
    assert elapsed < 3, elapsed
    assert text_of(page, "server-models-error")


# --- Test connection on the page --------------------------------------------------------------


def test_test_connection_shows_the_mode_latency_and_tokens_without_saving(app, make_user, pong) -> None:
    api = login(app, make_user)
    response = submit(api, form(pong, openai_api_key=TYPED_KEY), path=f"{PAGE}/test")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert text_of(page, "connection-title") == "Connection works"
    assert text_of(page, "result-model") == "my-local-model"
    assert text_of(page, "result-mode") == "json_schema"
    assert re.fullmatch(r"\d+ ms|\d+\.\d s", text_of(page, "result-latency"))
    input_tokens, output_tokens = pong.usages[0]
    assert text_of(page, "result-tokens") == f"{input_tokens} / {output_tokens}"
    assert 'id="result-estimated"' not in page
    # The typed key went to the server for this call only: never into the page, never stored.
    assert pong.requests[0].headers["authorization"] == f"Bearer {TYPED_KEY}"
    assert TYPED_KEY not in page
    assert 'value="my-local-model"' in page  # the form keeps what was tested
    assert org_settings(app, api).provider is None
    assert "provider.settings_changed" not in audit_page(api)


def test_test_connection_reports_the_mode_that_worked(app, make_user) -> None:
    with FakeOpenAIServer(lambda prompt, data: {"reply": "pong"}, refused_formats=("json_schema",)) as fake:
        api = login(app, make_user)
        page = submit(api, form(fake), path=f"{PAGE}/test").get_data(as_text=True)
    assert text_of(page, "result-mode") == "json_object_schema"


def test_test_connection_shows_the_servers_error_trimmed_and_without_keys(app, make_user, pong) -> None:
    api = login(app, make_user)
    assert submit(api, form(pong, openai_api_key=SAVED_KEY)).status_code == 303
    said = f"The model 'my-local-model' does not exist (you sent {SAVED_KEY}) " + "because " * 80
    pong.script(client_error(400, said))
    response = submit(api, form(pong), path=f"{PAGE}/test")  # blank key field: the saved key
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert pong.requests[-1].headers["authorization"] == f"Bearer {SAVED_KEY}"
    assert text_of(page, "connection-title") == "Connection failed"
    assert "400" in text_of(page, "result-error")
    detail = text_of(page, "result-detail")
    assert "does not exist" in detail and len(detail) <= 300 and detail.endswith("…")
    assert SAVED_KEY not in page and "saved-key" not in page


def test_test_connection_validates_like_a_save(app, make_user) -> None:
    api = login(app, make_user)
    response = submit(api, form(openai_api_key=TYPED_KEY), path=f"{PAGE}/test")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "base URL" in field_error(html, "model") and "Nothing was tested" in html
    assert TYPED_KEY not in html


# --- Test connection over the API -------------------------------------------------------------


@pytest.fixture
def admin_token(app, make_user) -> str:
    api = login(app, make_user)
    return api.post("/api/tokens", {"name": "provider-test"}).get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def document_check(client, status: int, body: object) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/admin/provider/test"]["post"]
    assert str(status) in operation["responses"], status
    schema = {**operation["responses"][str(status)]["content"]["application/json"]["schema"],
              "components": document["components"]}  # fmt: skip
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, errors[0].message


def test_the_api_tests_the_given_values_with_an_admin_token(app, admin_token, pong) -> None:
    client = app.test_client()
    body = {k: v for k, v in form(pong, openai_api_key=TYPED_KEY).items() if v != ""}
    response = client.post("/api/admin/provider/test", json=body, headers=bearer(admin_token))
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["ok"] is True and answer["tested"] == "unsaved" and answer["provider"] == "openai"
    assert answer["model"] == "my-local-model" and answer["structured_output"] == "json_schema"
    assert (answer["input_tokens"], answer["output_tokens"]) == pong.usages[0]
    assert answer["latency_ms"] > 0 and answer["usage_estimated"] is False
    assert TYPED_KEY not in response.get_data(as_text=True)
    document_check(client, 200, answer)


def test_the_api_answers_the_error_shape_when_the_call_fails(app, admin_token, pong) -> None:
    client = app.test_client()
    pong.script(client_error(400, f"unknown model; key {TYPED_KEY}"))
    body = {k: v for k, v in form(pong, openai_api_key=TYPED_KEY).items() if v != ""}
    response = client.post("/api/admin/provider/test", json=body, headers=bearer(admin_token))
    assert response.status_code == 502
    error = response.get_json()["error"]
    assert error["code"] == "connection_failed" and "400" in error["message"]
    assert "unknown model" in error["details"]["detail"]
    assert TYPED_KEY not in response.get_data(as_text=True)
    document_check(client, 502, response.get_json())


def test_the_api_refuses_invalid_values_with_field_details(app, admin_token) -> None:
    client = app.test_client()
    response = client.post(
        "/api/admin/provider/test", json={"provider": "openai", "model": "my-local-model"}, headers=bearer(admin_token)
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert {item["field"] for item in error["details"]} >= {"model"}
    document_check(client, 422, response.get_json())


def test_the_api_tests_the_saved_settings_given_an_empty_body(app, admin_token) -> None:
    client = app.test_client()
    response = client.post("/api/admin/provider/test", json={}, headers=bearer(admin_token))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["tested"] == "saved" and answer["provider"] == "offline" and answer["structured_output"] == "offline"
    document_check(client, 200, answer)


def test_connection_tests_are_rate_limited_per_organisation(app, make_user, admin_token, pong) -> None:
    client = app.test_client()
    body = {k: v for k, v in form(pong).items() if v != ""}
    answers = [client.post("/api/admin/provider/test", json=body, headers=bearer(admin_token)) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 6
    refused = client.post("/api/admin/provider/test", json=body, headers=bearer(admin_token))
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    document_check(client, 429, refused.get_json())
    assert len(pong.requests) == 6  # the refused test made no call
    page = submit(login(app, make_user), form(pong), path=f"{PAGE}/test")  # another admin, same organisation
    assert page.status_code == 429 and "Too many connection tests" in text_of(page.get_data(as_text=True),
                                                                            "connection-refused")  # fmt: skip
