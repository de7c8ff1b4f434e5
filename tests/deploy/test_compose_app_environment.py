"""The real app, configured as docker-compose.yml configures it, under gunicorn.conf.py and behind
the shipped nginx config: the health check passes and proxied requests are taken as https.

Not the full end-to-end suite (that drives runs); this guards the seams between the deployment
files and the app: force_https, ProxyFix and the probe's headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
import requests
import yaml

from tests.deploy.nginx_tools import REPO_ROOT, NginxProcess, free_port, render_config
from tests.deploy.processes import ServerProcess, gunicorn_process
from tests.support.isolation import pg_database, redis_url

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = pg_database("catalyst_deploy_test")
REDIS_URL = redis_url(13)


@pytest.fixture(scope="module")
def compose_app() -> dict[str, Any]:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]["app1"]


@pytest.fixture(scope="module")
def database_url() -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (PG_DB,)).fetchone():
            conn.execute(f"create database {PG_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"


@pytest.fixture(scope="module")
def app_process(
    compose_app: dict[str, Any], database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The app with the compose file's environment; only addresses and secrets are local."""
    port = free_port()
    env = {key: str(value) for key, value in compose_app["environment"].items()}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_hex(32),
        LLM_PROVIDER="offline",
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    log = tmp_path_factory.mktemp("app") / "app.log"
    with gunicorn_process("app:create_app()", port, log, env=env) as process:
        process.wait_until_serving()
        yield process


def test_compose_healthcheck_passes_against_the_real_app(compose_app, app_process) -> None:
    kind, *command = compose_app["healthcheck"]["test"]
    assert kind == "CMD" and command[0] == "python"
    env = {**os.environ, "PORT": str(app_process.port)}
    result = subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode() + app_process.output()


@pytest.fixture(scope="module")
def proxy(app_process: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxProcess]:
    layout = render_config(tmp_path_factory.mktemp("nginx"), upstreams=[f"127.0.0.1:{app_process.port}"])
    with NginxProcess(layout) as running:
        yield running


def get(proxy: NginxProcess, path: str, **kwargs: Any) -> requests.Response:
    return requests.get(
        proxy.https_url(path),
        verify=str(proxy.layout.certificate),
        allow_redirects=False,
        timeout=10,
        **kwargs,
    )


def test_proxied_requests_are_https_to_the_app(proxy: NginxProcess) -> None:
    response = get(proxy, "/health")
    # A redirect here would mean the app did not believe nginx's X-Forwarded-Proto.
    assert response.status_code == 200, response.headers
    assert response.json()["status"] == "ok"
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")


HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def test_socketio_accepts_the_page_origin_through_the_proxy(proxy: NginxProcess) -> None:
    own = f"https://127.0.0.1:{proxy.layout.https_port}"
    response = get(proxy, HANDSHAKE, headers={"Origin": own})
    assert response.status_code == 200, response.text
    assert response.text.startswith("0{")  # Engine.IO "open" packet


def test_socketio_accepts_the_origin_on_the_standard_port(proxy: NginxProcess) -> None:
    # On port 443 browsers send Host and Origin without a port; the app must still match them.
    headers = {"Host": "catalyst.example.com", "Origin": "https://catalyst.example.com"}
    response = get(proxy, HANDSHAKE, headers=headers)
    assert response.status_code == 200, response.text


def test_socketio_refuses_a_foreign_origin_through_the_proxy(proxy: NginxProcess) -> None:
    response = get(proxy, HANDSHAKE, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400


def test_a_stopped_app_signs_its_notification_worker_off(
    compose_app: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    """SIGTERM stops the web process's webhook and email consumer too: before, every exit left the
    consumer's RQ worker registered for its TTL, which a worker healthcheck on the same host counted
    as alive (tests/deploy/test_compose_file.py saw one), and cut a delivery off mid-send."""
    connection = redis.Redis.from_url(REDIS_URL)
    port = free_port()
    env = {key: str(value) for key, value in compose_app["environment"].items()}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, SECRET_KEY=secrets.token_hex(32),
               LLM_PROVIDER="offline", LOG_LEVEL="WARNING", HOST="127.0.0.1", PORT=str(port))  # fmt: skip
    with gunicorn_process("app:create_app()", port, tmp_path / "app.log", env=env) as process:
        process.wait_until_serving()
        # Background work starts on a first request; the compose file's app trusts the proxy's scheme.
        requests.get(f"http://127.0.0.1:{port}/login", headers={"X-Forwarded-Proto": "https"}, timeout=10)
        pids = {process.process.pid, *_children(process.process.pid)}
        deadline = time.monotonic() + 20
        while not (mine := _workers_of(connection, pids)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert mine, process.output()
        process.stop()
        assert process.process.returncode == 0, process.output()
    assert not mine & connection.smembers("rq:workers"), process.output()


def _workers_of(connection: redis.Redis, pids: set[int]) -> set[bytes]:
    """The notification consumers' RQ worker records of these processes (named queue.host.pid.id)."""
    return {key for key in connection.smembers("rq:workers")
            if key.startswith(b"rq:worker:notifications.") and int(key.rsplit(b".", 2)[-2]) in pids}


def _children(pid: int) -> set[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in found.read_text().split()} if found.exists() else set()
