"""Security headers as web/security_headers.py sends them: a nonce only where a template asked for
one, HTTPS insisted on (probes excepted) and HSTS over HTTPS only, whatever a client claims."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import build_app, release_app


def policy_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_an_answer_without_a_page_allows_nothing_inline(client):
    policy = policy_of(client.get("/health"))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["connect-src"] == "connect-src 'self' ws://localhost"


def test_a_page_names_the_nonce_its_scripts_carry(client):
    response = client.get("/login")
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]{32})'", policy_of(response)["script-src"]).group(1)
    assert f"'nonce-{nonce}'" in policy_of(response)["style-src"]
    assert response.get_data(as_text=True).count(f'nonce="{nonce}"') >= 1
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


@pytest.fixture
def https_app(tmp_path: Path) -> Iterator[Flask]:
    application = build_app(tmp_path, "sqlite", force_https=True)
    yield application
    release_app(application)


def test_plain_http_is_sent_to_https_with_its_path_and_query(https_app):
    response = https_app.test_client().get("/login?next=/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://localhost/login?next=/dashboard"


def test_a_client_cannot_claim_https_itself(https_app):
    """Without PROXY_FIX_X_PROTO nobody vouches for X-Forwarded-Proto: the redirect stands."""
    response = https_app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302 and response.headers["Location"].startswith("https://")


def test_probes_answer_plain_http(https_app):
    client = https_app.test_client()
    for path in ("/health", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Strict-Transport-Security" not in response.headers


def test_https_answers_carry_hsts_and_a_secure_socket_origin(https_app):
    response = https_app.test_client().get("/login", base_url="https://localhost")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31556926; includeSubDomains"
    assert "wss://localhost" in policy_of(response)["connect-src"]
