"""docker-compose.yml and .env.example: valid against the Compose Specification, complete, wired
by health, pinned, secret-free; and its health checks work against real processes."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import redis
import yaml

from tests.deploy.nginx_tools import REPO_ROOT, free_port, load_renderer, wait_for_port
from tests.deploy.processes import ServerProcess, echo_upstream_process
from tests.support.isolation import redis_url

COMPOSE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
SCHEMA = Path(__file__).resolve().parents[2].parent / "shared/data/compose-spec.schema.json"
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:\d+(\.\d+)+[a-z0-9.-]*@sha256:[0-9a-f]{64}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|_KEY$|TOKEN")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def app_processes(services: dict[str, dict[str, Any]]) -> list[str]:
    """Services that run the web app (the image's default command)."""
    return sorted(
        name
        for name, service in services.items()
        if service.get("build", {}).get("target") == "app" and "command" not in service
    )


def one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def test_compose_file_follows_the_compose_specification(compose, validator) -> None:
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(compose)]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda doc: doc["services"]["app1"].__setitem__("helthcheck", {}),
        lambda doc: doc["services"]["nginx"]["depends_on"]["app1"].__setitem__("condition", "healthy"),
        lambda doc: doc["services"]["redis"].__setitem__("ports", "6379"),
    ],
)
def test_the_schema_check_catches_mistakes(compose, validator, breakage) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert list(validator.iter_errors(broken))


def test_every_service_the_app_needs_is_there(services) -> None:
    assert len(app_processes(services)) >= 2
    assert "nginx" in services
    assert any("worker" in service.get("command", []) for service in services.values())
    assert services["redis"]["image"].startswith("redis:")
    assert services["postgres"]["image"].startswith("postgres:")


def test_every_long_running_service_has_a_healthcheck(services) -> None:
    for name, service in services.items():
        if one_shot(service):
            continue
        check = service.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), name


def test_startup_waits_for_health(services) -> None:
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            expected = "service_completed_successfully" if one_shot(services[dependency]) else "service_healthy"
            assert rule.get("condition") == expected, f"{name} -> {dependency}"
    for name in [*app_processes(services), "worker"]:
        assert {"postgres", "redis", "migrate"} <= set(services[name]["depends_on"]), name
    assert set(app_processes(services)) <= set(services["nginx"]["depends_on"])


def test_nginx_upstreams_are_the_app_processes(services) -> None:
    upstreams = load_renderer().NginxSettings().upstreams
    assert sorted(upstreams) == [f"{name}:8000" for name in app_processes(services)]


def test_only_nginx_is_published(services) -> None:
    assert [name for name, service in services.items() if service.get("ports")] == ["nginx"]


def test_data_stores_are_off_the_public_network(services) -> None:
    for name in ("redis", "postgres", "worker"):
        assert services[name]["networks"] == ["backend"], name
    assert services["nginx"]["networks"] == ["edge"]


def test_images_are_pinned_by_version_and_digest(services) -> None:
    for name, service in services.items():
        if "build" in service:
            continue
        assert PINNED_IMAGE.match(service["image"]), f"{name}: {service['image']}"


def test_data_survives_restarts(services) -> None:
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])
    assert any(volume.endswith(":/data") for volume in services["redis"]["volumes"])
    assert "--appendonly yes" in " ".join(services["redis"]["command"])


def test_secrets_come_from_the_environment_never_the_file(services) -> None:
    for name, service in services.items():
        environment = service.get("environment", {})
        for key, value in environment.items():
            if SECRET_NAME.search(key):
                assert str(value).startswith("${") and str(value).endswith("}"), f"{name}.{key}"
        for key in ("DATABASE_URL", "REDIS_URL"):
            if key in environment:
                assert "${" in environment[key] and "PASSWORD" in environment[key]
    for name in [*app_processes(services), "worker", "migrate"]:
        assert services[name]["env_file"] == ".env"


def test_env_example_names_every_variable_the_compose_file_reads() -> None:
    text = COMPOSE.read_text(encoding="utf-8").replace("$$", "")
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), flags=re.M))
    assert used - documented == set()


def test_env_example_carries_no_secret_values() -> None:
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line)
        if match and SECRET_NAME.search(match.group(1)):
            assert match.group(2) == "", f"{match.group(1)} must stay empty in .env.example"


def test_env_file_is_git_ignored_and_the_example_is_not() -> None:
    assert subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=REPO_ROOT).returncode == 0
    assert subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=REPO_ROOT).returncode == 1


def test_stop_grace_outlasts_gunicorn_graceful_timeout(services) -> None:
    grace = float(re.search(r"^SHUTDOWN_GRACE_SECONDS=(.+)$", ENV_EXAMPLE.read_text(), re.M).group(1))
    gunicorn_graceful = int(grace + 0.999) + 5
    for name in app_processes(services):
        assert int(services[name]["stop_grace_period"].rstrip("s")) > gunicorn_graceful


# --- the health checks themselves, run against real processes ------------------------------------


def run_check(test: list[str], env: dict[str, str]) -> int:
    """Run a compose healthcheck `test` the way Docker would, on this machine."""
    kind, *command = test
    full_env = {**os.environ, **env}
    if kind == "CMD-SHELL":
        return subprocess.run(["sh", "-c", command[0]], env=full_env, timeout=30).returncode
    assert kind == "CMD"
    if command[0] == "python":
        command[0] = sys.executable
    return subprocess.run(command, env=full_env, timeout=30, capture_output=True).returncode


def compose_value(value: str) -> str:
    """A compose string as the container sees it (`$$` is a literal `$`)."""
    return value.replace("$$", "$")


@pytest.mark.slow
def test_app_healthcheck_passes_on_a_live_process_and_fails_without(services, tmp_path: Path) -> None:
    test = services["app1"]["healthcheck"]["test"]
    port = free_port()
    with echo_upstream_process(port, "app", tmp_path / "app.log"):
        assert run_check(test, {"PORT": str(port)}) == 0
    assert run_check(test, {"PORT": str(port)}) != 0


@pytest.fixture
def rq_worker(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    """A real RQ worker on a scratch Redis database, as `flask --app app worker` runs one.

    The database starts empty: the healthcheck asks for any worker of this host, and a worker an
    earlier test killed leaves its record behind until its TTL runs out (CI once saw one). The
    index is this suite's own (tests/support/isolation.py), so the other part's tests keep theirs.
    """
    url = redis_url(13)
    redis.Redis.from_url(url).flushdb()
    rq = Path(sys.executable).with_name("rq")
    command = [str(rq), "worker", "--url", url, "--worker-ttl", "30", "catalyst-deploy-test"]
    with ServerProcess(command, port=None, log_path=tmp_path / "rq.log") as process:
        yield process, url


@pytest.mark.slow
@pytest.mark.redis
def test_worker_healthcheck_follows_the_worker(services, rq_worker) -> None:
    process, url = rq_worker
    test = [compose_value(part) for part in services["worker"]["healthcheck"]["test"]]
    deadline = time.monotonic() + 20
    while run_check(test, {"REDIS_URL": url}) != 0:
        assert time.monotonic() < deadline, f"worker never registered:\n{process.output()}"
        time.sleep(0.2)
    process.stop()  # a graceful stop removes the worker's record
    assert run_check(test, {"REDIS_URL": url}) != 0


@pytest.mark.slow
def test_redis_command_sets_the_password_and_the_healthcheck_uses_it(services, tmp_path: Path) -> None:
    service = services["redis"]
    script = compose_value(service["command"][-1])
    port = free_port()
    # Same command, kept off the shared server's port and data directory.
    script = script.replace("/tmp/redis.conf", str(tmp_path / "redis.conf"))
    script += f" --port {port} --bind 127.0.0.1 --dir {tmp_path}"
    password = "0123456789abcdef0123456789abcdef"
    server = ServerProcess(
        [service["command"][0], service["command"][1], script],
        port,
        tmp_path / "redis.log",
        env={"REDIS_PASSWORD": password},
    )
    check = compose_value(service["healthcheck"]["test"][1]).replace("redis-cli", f"redis-cli -p {port}")
    with server:
        wait_for_port(port)
        assert redis.Redis(port=port, password=password).ping()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port).ping()
        assert run_check(["CMD-SHELL", check], {"REDIS_PASSWORD": password}) == 0
        assert run_check(["CMD-SHELL", check], {"REDIS_PASSWORD": "wrong"}) != 0
        assert password not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
