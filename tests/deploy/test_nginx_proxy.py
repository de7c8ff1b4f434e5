"""The shipped nginx config in front of real upstream processes: headers, WebSocket, redirect,
stickiness, static files, body limit and rate limits, all over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import websocket

from tests.deploy.nginx_tools import NginxProcess, free_port, render_config
from tests.deploy.processes import ServerProcess, echo_upstream_process

pytestmark = pytest.mark.slow

SPOOFED = {
    "X-Forwarded-For": "6.6.6.6",
    "X-Real-IP": "6.6.6.6",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "1",
    "X-Request-ID": "spoofed-id",
    "Forwarded": "for=6.6.6.6;proto=http",
}


@dataclass
class Stack:
    proxy: NginxProcess
    upstreams: dict[str, ServerProcess]
    certificate: str
    static_root: Path

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.proxy.https_url(path), verify=self.certificate, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.proxy.https_url(path), verify=self.certificate, timeout=10, **kwargs)


def start_stack(prefix: Path, upstream_count: int = 2, **overrides: object) -> Iterator[Stack]:
    """nginx from the shipped template in front of `upstream_count` echo upstreams."""
    prefix.mkdir(parents=True, exist_ok=True)
    upstreams: dict[str, ServerProcess] = {}
    try:
        for index in range(upstream_count):
            name = f"app{index + 1}"
            upstreams[name] = echo_upstream_process(free_port(), name, prefix / f"{name}.log").start()
        layout = render_config(
            prefix / "nginx",
            upstreams=[f"127.0.0.1:{process.port}" for process in upstreams.values()],
            **overrides,
        )
        with NginxProcess(layout) as proxy:
            yield Stack(proxy, upstreams, str(layout.certificate), layout.static_root)
    finally:
        for process in upstreams.values():
            process.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Production settings (rates, body size) on loopback ports."""
    yield from start_stack(tmp_path_factory.mktemp("proxy"))


@pytest.fixture
def strict_stack(tmp_path: Path) -> Iterator[Stack]:
    """Tiny limits, so a handful of requests crosses each of them."""
    yield from start_stack(
        tmp_path,
        upstream_count=1,
        login_rate="1r/m",
        login_burst=1,
        socketio_handshake_rate="1r/m",
        socketio_handshake_burst=1,
        client_max_body_size="1k",
    )


def test_http_request_reaches_the_app_with_overwritten_forwarding_headers(stack: Stack) -> None:
    response = stack.get("/runs/42?tab=plan", headers=SPOOFED)
    assert response.status_code == 200
    seen = response.json()
    assert seen["path"] == "/runs/42" and seen["query"] == "tab=plan"
    headers = seen["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-real-ip"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-host"] == f"127.0.0.1:{stack.proxy.layout.https_port}"
    assert headers["x-forwarded-port"] == str(stack.proxy.layout.https_port)
    assert headers["host"] == "127.0.0.1"
    assert "forwarded" not in headers
    assert headers["x-request-id"] != "spoofed-id" and len(headers["x-request-id"]) == 32


def test_websocket_upgrade_is_proxied(stack: Stack) -> None:
    url = f"wss://127.0.0.1:{stack.proxy.layout.https_port}/socket.io/?EIO=4&transport=websocket"
    connection = websocket.create_connection(
        url,
        sslopt={"ca_certs": stack.certificate},
        header=[f"{name}: {value}" for name, value in SPOOFED.items()],
        timeout=10,
    )
    try:
        seen = json.loads(connection.recv())
        assert seen["path"] == "/socket.io/"
        assert seen["headers"]["upgrade"].lower() == "websocket"
        assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
        assert seen["headers"]["x-forwarded-proto"] == "https"
        for message in ("first", "second"):
            connection.send(message)
            assert connection.recv() == message
    finally:
        connection.close()


def test_plain_http_redirects_to_https_keeping_path_and_query(stack: Stack) -> None:
    response = requests.get(
        stack.proxy.http_url("/runs/7?after_seq=3"), allow_redirects=False, timeout=10
    )
    assert response.status_code == 308
    assert response.headers["Location"] == (
        f"https://127.0.0.1:{stack.proxy.layout.https_port}/runs/7?after_seq=3"
    )


def test_posts_redirect_without_becoming_gets(stack: Stack) -> None:
    response = requests.post(stack.proxy.http_url("/login"), allow_redirects=False, timeout=10)
    assert response.status_code == 308


def test_one_client_always_reaches_the_same_app_process(stack: Stack) -> None:
    served_by = {stack.get(f"/ping/{attempt}").json()["upstream"] for attempt in range(12)}
    assert len(served_by) == 1


def test_static_files_come_from_nginx_with_long_cache(stack: Stack) -> None:
    (stack.static_root / "css").mkdir(exist_ok=True)
    (stack.static_root / "css" / "app.css").write_text("body { color: #123456; }\n")
    response = stack.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.text == "body { color: #123456; }\n"
    assert response.headers["Content-Type"].startswith("text/css")
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert stack.get("/static/css/missing.css").status_code == 404


def test_nginx_health_answers_locally(stack: Stack) -> None:
    response = requests.get(stack.proxy.http_url("/nginx-health"), timeout=10)
    assert response.status_code == 200 and response.text == "ok\n"


def test_an_app_process_going_down_moves_its_clients_to_another(tmp_path: Path) -> None:
    for running in start_stack(tmp_path):
        first = running.get("/ping").json()["upstream"]
        running.upstreams[first].stop()
        response = running.get("/ping")
        assert response.status_code == 200
        assert response.json()["upstream"] != first


def test_oversized_bodies_are_refused(strict_stack: Stack) -> None:
    assert strict_stack.post("/api/runs", data=b"x" * 512).status_code == 200
    assert strict_stack.post("/api/runs", data=b"x" * 4096).status_code == 413


def test_login_posts_are_rate_limited_but_the_form_is_not(strict_stack: Stack) -> None:
    statuses = [strict_stack.post("/login", data={"email": "a@b.c"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert strict_stack.get("/login").status_code == 200


def test_socketio_handshakes_are_rate_limited_but_sessions_are_not(strict_stack: Stack) -> None:
    handshake = "/socket.io/?EIO=4&transport=polling"
    statuses = [strict_stack.get(handshake).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert strict_stack.get(handshake + "&sid=abc123").status_code == 200
