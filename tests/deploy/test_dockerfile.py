"""The Dockerfile, read as Docker reads it: pinned bases, a non-root final stage without
compilers, a working health check, no baked-in secret, vendor files from the lockfile."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.deploy.nginx_tools import REPO_ROOT, free_port
from tests.deploy.processes import echo_upstream_process

DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:\d+(\.\d+)+[a-z0-9.-]*@sha256:[0-9a-f]{64}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|KEY|TOKEN", re.I)
COMPILERS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|make|cmake|libc6-dev)\b")


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def logical_lines(text: str) -> list[str]:
    """Instructions with continuations joined and comment lines dropped, as Docker parses them."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return lines


def parse(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for line in logical_lines(text):
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = [word for word in args.split() if not word.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(image=words[0], name=name))
        elif stages:
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


def assignments(args: str) -> dict[str, str]:
    """KEY=value pairs of an ENV or ARG instruction (also the legacy `ENV KEY value`)."""
    words = shlex.split(args)
    if len(words) >= 2 and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.partition("=")[::2] for word in words)


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def final(stages: list[Stage]) -> Stage:
    return stages[-1]


def test_every_base_image_is_pinned_by_exact_version_and_digest(stages) -> None:
    names = {stage.name for stage in stages if stage.name}
    for stage in stages:
        if stage.image in names:
            continue
        assert "latest" not in stage.image
        assert PINNED_IMAGE.match(stage.image), stage.image


def test_final_stage_is_the_app_on_python_311_slim(final) -> None:
    assert final.name == "app"
    assert re.match(r"^python:3\.11\.\d+-slim", final.image)


def test_final_stage_runs_as_a_non_root_user(final) -> None:
    users = final.args("USER")
    assert users, "the final stage must switch to a non-root USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_final_stage_has_no_compilers(stages, final) -> None:
    for run in final.args("RUN"):
        assert not COMPILERS.search(run), run
    builder = next(stage for stage in stages if stage.name == "builder")
    assert any("build-essential" in run for run in builder.args("RUN")), "wheels are built in builder"
    assert any("--no-index" in run and "/wheels" in run for run in final.args("RUN"))


def test_no_secret_is_baked_in(stages) -> None:
    for stage in stages:
        for keyword in ("ENV", "ARG"):
            for args in stage.args(keyword):
                for name in assignments(args):
                    assert not SECRET_NAME.search(name), f"{keyword} {name} in stage {stage.name}"
        for copy in stage.args("COPY"):
            assert ".env" not in copy.split()


def test_healthcheck_probes_health_with_python(final) -> None:
    checks = final.args("HEALTHCHECK")
    assert len(checks) == 1
    assert "/health" in checks[0] and "python" in checks[0]
    assert "curl" not in checks[0] and "wget" not in checks[0]


def healthcheck_command(final: Stage) -> str:
    """The shell command of the final stage's HEALTHCHECK (options stripped)."""
    return final.args("HEALTHCHECK")[0].split(" CMD ", 1)[1]


@pytest.mark.slow
def test_healthcheck_passes_on_a_live_process_and_fails_without(final, tmp_path: Path) -> None:
    command = healthcheck_command(final)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    with echo_upstream_process(port, "app", tmp_path / "app.log"):
        assert subprocess.run(["sh", "-c", command], env=env, timeout=30).returncode == 0
    assert subprocess.run(["sh", "-c", command], env=env, timeout=30, capture_output=True).returncode != 0


def test_app_serves_with_gunicorn_conf_on_the_exposed_port(final) -> None:
    assert final.args("CMD") == ['["gunicorn", "-c", "gunicorn.conf.py"]']
    env: dict[str, str] = {}
    for args in final.args("ENV"):
        env.update(assignments(args))
    assert env["APP_ENV"] == "production"
    assert final.args("EXPOSE") == [env["PORT"]]
    assert env["HOST"] == "0.0.0.0"


def test_vendor_files_are_built_from_the_lockfile(stages, final) -> None:
    vendor = next(stage for stage in stages if stage.name == "vendor")
    assert vendor.image.startswith("node:")
    assert any("package-lock.json" in copy for copy in vendor.args("COPY"))
    assert any("vendor.sh" in run for run in vendor.args("RUN"))
    assert "npm ci" in (REPO_ROOT / "scripts" / "vendor.sh").read_text(encoding="utf-8")
    assert any(copy.startswith("--from=vendor") and "static/vendor" in copy for copy in final.args("COPY"))
    proxy = next(stage for stage in stages if stage.name == "proxy")
    assert any(copy.startswith("--from=vendor") for copy in proxy.args("COPY"))


def test_proxy_image_ships_the_rendered_config(stages) -> None:
    proxy = next(stage for stage in stages if stage.name == "proxy")
    assert "nginx/nginx.conf /etc/nginx/nginx.conf" in proxy.args("COPY")
    assert proxy.args("HEALTHCHECK")


def test_every_copied_source_exists_and_is_in_the_build_context(stages) -> None:
    ignored = {
        line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")
    }
    for stage in stages:
        for copy in stage.args("COPY"):
            words = [word for word in copy.split() if not word.startswith("--")]
            if copy.startswith("--from="):
                continue
            for source in words[:-1]:
                assert (REPO_ROOT / source).exists(), source
                assert source.rstrip("/") not in ignored, source


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    for entry in (".env", ".git", ".venv", "instance", "nginx/certs", "node_modules", "static/vendor"):
        assert entry in ignored, entry


def test_parser_sees_a_baked_secret() -> None:
    # Guard for the checks above: the parser must notice what they forbid.
    stages = parse("FROM python:3.11.15-slim AS app\nENV A=1 \\\n    SECRET_KEY=abc\nUSER root\n")
    assert "SECRET_KEY" in assignments(stages[0].args("ENV")[0])
    assert stages[0].args("USER") == ["root"]
