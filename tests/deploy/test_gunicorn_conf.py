"""gunicorn.conf.py: its settings, and a real gunicorn serving Flask-SocketIO with it, directly
and behind the shipped nginx config."""

from __future__ import annotations

import json
import math
import runpy
import signal
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from geventwebsocket.gunicorn.workers import GeventWebSocketWorker
from gunicorn.config import Config

from config.settings import Settings
from tests.deploy.nginx_tools import NginxProcess, free_port, render_config, wait_for_port
from tests.deploy.processes import GUNICORN_CONF, probe_app_process

ENV_NAMES = (
    "HOST", "PORT", "GUNICORN_BIND", "GUNICORN_APP", "SHUTDOWN_GRACE_SECONDS", "LOG_LEVEL",
    "GUNICORN_CONTROL_SOCKET", "GUNICORN_TIMEOUT", "GUNICORN_WORKER_CONNECTIONS",
    "FORWARDED_ALLOW_IPS",
)


def load_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Evaluate gunicorn.conf.py in a given environment, as gunicorn does at start."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def gunicorn_settings(namespace: dict[str, Any]) -> dict[str, Any]:
    """The names in the file that gunicorn reads (it silently ignores unknown ones)."""
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name != "annotations"
        and not isinstance(value, types.ModuleType)
        and (not callable(value) or name.endswith("_class"))
    }


def test_every_name_is_a_gunicorn_setting_it_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = gunicorn_settings(load_conf(monkeypatch))
    config = Config()
    unknown = sorted(set(settings) - set(config.settings))
    assert not unknown, f"gunicorn would silently ignore {unknown}"
    for name, value in settings.items():
        config.set(name, value)
    assert issubclass(config.worker_class, GeventWebSocketWorker)
    assert config.logger_class.__name__ == "JsonAccessLogger"


def test_one_gevent_websocket_worker_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(monkeypatch)
    assert conf["workers"] == 1
    assert issubclass(conf["worker_class"], GeventWebSocketWorker)
    assert conf["preload_app"] is False
    assert conf["max_requests"] == 0
    assert conf["accesslog"] == "-"
    assert conf["control_socket_disable"] is True


def test_defaults_match_the_app_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(monkeypatch)
    fields = Settings.model_fields
    assert conf["bind"] == [f"{fields['host'].default}:{fields['port'].default}"]
    grace = fields["shutdown_grace_seconds"].default
    assert conf["graceful_timeout"] == math.ceil(grace) + 5
    assert conf["wsgi_app"] == "app:create_app()"


def test_environment_sets_bind_grace_and_level(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(
        monkeypatch, HOST="0.0.0.0", PORT="8000", SHUTDOWN_GRACE_SECONDS="12.5", LOG_LEVEL="WARNING"
    )
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert conf["graceful_timeout"] == 18
    assert conf["loglevel"] == "warning"
    assert load_conf(monkeypatch, GUNICORN_BIND="unix:/run/catalyst.sock")["bind"] == [
        "unix:/run/catalyst.sock"
    ]


@pytest.mark.parametrize("name", ["PORT", "SHUTDOWN_GRACE_SECONDS", "GUNICORN_TIMEOUT"])
def test_a_malformed_number_stops_the_start(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    with pytest.raises(SystemExit, match=name):
        load_conf(monkeypatch, **{name: "twenty"})


def access_records(output: str) -> list[dict[str, Any]]:
    """The JSON access-log lines among a process's output."""
    records = []
    for line in output.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("event") == "http.access":
                records.append(record)
    return records


@pytest.mark.slow
def test_websockets_and_json_access_log(tmp_path: Path) -> None:
    port = free_port()
    process = probe_app_process(port, "solo", tmp_path / "gunicorn.log")
    with process:
        base = f"http://127.0.0.1:{port}"
        assert requests.get(base + "/health", timeout=10).json()["process"] == "solo"

        direct = socketio.Client()
        direct.connect(base, transports=["websocket"], wait_timeout=10)
        try:
            assert direct.transport() == "websocket"
            assert direct.call("echo", {"n": 1}, timeout=10)["data"] == {"n": 1}
        finally:
            direct.disconnect()

        upgraded = socketio.Client()
        upgraded.connect(base, wait_timeout=10)
        try:
            # Starts on long-polling, then upgrades: the worker must accept the WebSocket.
            wait_until(lambda: upgraded.transport() == "websocket")
            assert upgraded.call("echo", "after upgrade", timeout=10)["data"] == "after upgrade"
        finally:
            upgraded.disconnect()
    records = access_records(process.output())
    health = [r for r in records if r["path"] == "/health"]
    assert health and health[0]["status"] == 200 and health[0]["method"] == "GET"
    assert {"time", "duration_ms", "remote_addr", "request_id", "pid"} <= set(health[0])
    assert any(r["status"] == 101 and r["websocket"] for r in records)
    assert "Worker graceful timeout" not in process.output()


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    """Poll a condition that an event loop makes true soon."""
    ready = threading.Event()
    deadline = 0.0
    while not ready.wait(0.05):
        if condition():
            return
        deadline += 0.05
        if deadline > timeout:
            raise AssertionError("condition not met in time")


@pytest.mark.slow
def test_sigterm_lets_requests_in_flight_finish_and_closes_idle_connections(tmp_path: Path) -> None:
    port = free_port()
    marker = tmp_path / "slow-started"
    process = probe_app_process(
        port, "draining", tmp_path / "gunicorn.log", SHUTDOWN_GRACE_SECONDS="30"
    )
    result: dict[str, Any] = {}

    def slow_request() -> None:
        url = f"http://127.0.0.1:{port}/slow?seconds=1&marker={marker}"
        result["response"] = requests.get(url, timeout=60)

    with process:
        idle = requests.Session()  # an idle keep-alive connection, as nginx keeps a pool of them
        assert idle.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        client = threading.Thread(target=slow_request)
        client.start()
        wait_until(marker.exists)
        process.signal(signal.SIGTERM)
        client.join(timeout=60)
        assert process.wait(timeout=60) == 0
    assert result["response"].status_code == 200
    assert result["response"].json() == {"status": "done"}
    # The worker exited by itself; the master kills it only when the graceful timeout (35 s) ends.
    assert "Worker exiting" in process.output()
    # Nothing failed on the way out: a failing shutdown hook made the worker wait out its grace.
    assert "Traceback" not in process.output()


@pytest.fixture
def proxied_probes(tmp_path: Path) -> Iterator[tuple[NginxProcess, str]]:
    """Two probe app processes under gunicorn behind the shipped nginx config."""
    ports = [free_port(), free_port()]
    processes = [
        probe_app_process(port, f"app{index + 1}", tmp_path / f"app{index + 1}.log", PROBE_BEHIND_PROXY="1")
        for index, port in enumerate(ports)
    ]
    try:
        for process in processes:
            process.start().wait_until_serving()
        layout = render_config(tmp_path / "nginx", upstreams=[f"127.0.0.1:{port}" for port in ports])
        with NginxProcess(layout) as proxy:
            wait_for_port(layout.https_port)
            yield proxy, str(layout.certificate)
    finally:
        for process in processes:
            process.stop()


@pytest.mark.slow
def test_socketio_through_nginx_and_gunicorn(proxied_probes: tuple[NginxProcess, str]) -> None:
    proxy, certificate = proxied_probes
    session = requests.Session()
    session.verify = certificate
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace `verify`

    whoami = session.get(proxy.https_url("/whoami"), headers={"X-Forwarded-For": "6.6.6.6"}, timeout=10)
    assert whoami.json()["remote_addr"] == "127.0.0.1"
    assert whoami.json()["scheme"] == "https"
    assert whoami.json()["host"] == f"127.0.0.1:{proxy.layout.https_port}"

    for transports in (None, ["websocket"]):
        client = socketio.Client(http_session=session)
        client.connect(proxy.https_url("/"), transports=transports, wait_timeout=10)
        try:
            wait_until(lambda: client.transport() == "websocket")  # noqa: B023 - called in this iteration
            processes = {client.call("echo", n, timeout=10)["process"] for n in range(5)}
            assert len(processes) == 1
        finally:
            client.disconnect()
