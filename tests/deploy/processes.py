"""Server processes for deploy tests: app processes under the shipped gunicorn.conf.py, stand-in
upstreams, each started as a child process and always stopped.

    with gunicorn_process("app:create_app()", port, env={...}) as app_process:
        ...
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import requests

from tests.deploy.nginx_tools import REPO_ROOT, wait_for_port

DEPLOY_TESTS = Path(__file__).resolve().parent
GUNICORN_CONF = REPO_ROOT / "gunicorn.conf.py"


class ServerProcess:
    """One child process, usually listening on a loopback port; output goes to a log file."""

    def __init__(
        self,
        command: Sequence[str],
        port: int | None,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.command = list(command)
        self.port = port
        self.log_path = log_path
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> ServerProcess:
        """Start and wait until the port (if any) accepts connections."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd
            )
        if self.port is None:
            return self
        try:
            wait_for_port(self.port, timeout=timeout)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"{self.command} did not listen:\n{self.output()}") from None
        return self

    def wait_until_serving(self, path: str = "/health", timeout: float = 60.0) -> None:
        """Block until the app answers HTTP (gunicorn listens before its worker has booted)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(f"http://127.0.0.1:{self.port}{path}", timeout=5, allow_redirects=False)
                return
            except requests.RequestException:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"{self.command} exited:\n{self.output()}") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no HTTP answer on port {self.port}:\n{self.output()}") from None
                time.sleep(0.1)

    def signal(self, signum: int) -> None:
        """Send a signal to the process (e.g. SIGTERM for a graceful stop)."""
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit and return its exit code."""
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        """Everything the process wrote so far."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def gunicorn_process(
    app_spec: str,
    port: int,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
) -> ServerProcess:
    """An app process as production runs it: gunicorn with the repository's gunicorn.conf.py."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app_spec]
    settings = {"HOST": "127.0.0.1", "PORT": str(port), **(env or {})}
    return ServerProcess(command, port, log_path, env=settings, cwd=cwd)


def probe_app_process(port: int, name: str, log_path: Path, **env: str) -> ServerProcess:
    """gunicorn serving the small Flask-SocketIO probe app (tests/deploy/socketio_probe_app.py)."""
    return gunicorn_process(
        "socketio_probe_app:app", port, log_path, env={"PROBE_NAME": name, **env}, cwd=DEPLOY_TESTS
    )


def echo_upstream_process(port: int, name: str, log_path: Path) -> ServerProcess:
    """The stand-in upstream that reports the request it received (tests/deploy/echo_upstream.py)."""
    command = [sys.executable, str(DEPLOY_TESTS / "echo_upstream.py"), str(port), name]
    return ServerProcess(command, port, log_path)
