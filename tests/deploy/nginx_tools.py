"""Run the shipped nginx config for real in tests: install, render, certify, start, stop.

Reusable by any test that needs the proxy in front of app processes (the end-to-end suite):

    ensure_nginx()
    layout = render_config(tmp_path, upstreams=["127.0.0.1:8001", "127.0.0.1:8002"])
    with NginxProcess(layout) as proxy:
        requests.get(proxy.https_url("/health"), verify=str(layout.certificate))
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import pwd
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
NGINX_BIN = Path("/usr/sbin/nginx")
CERT_SCRIPT = REPO_ROOT / "scripts" / "gen-dev-cert.sh"
RENDER_SCRIPT = REPO_ROOT / "nginx" / "render.py"
FALLBACK_MIME_TYPES = """types {
    text/html html;
    text/css css;
    application/javascript js;
    application/json json;
    image/svg+xml svg;
    image/png png;
}
"""


def ensure_nginx() -> Path:
    """Return the nginx binary, installing Debian's package when it is missing (needs root)."""
    if NGINX_BIN.exists():
        return NGINX_BIN
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "nginx"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)
    if not NGINX_BIN.exists():
        raise RuntimeError(f"apt-get installed nginx but {NGINX_BIN} is missing")
    return NGINX_BIN


def load_renderer() -> ModuleType:
    """Import nginx/render.py by path: it is a standalone script, not part of a package."""
    name = "catalyst_nginx_render"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, RENDER_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def generate_self_signed_cert(
    directory: Path, names: Iterable[str] = ("localhost", "127.0.0.1")
) -> tuple[Path, Path]:
    """Create (certificate, key) with scripts/gen-dev-cert.sh; the certificate is its own CA."""
    subprocess.run(
        ["bash", str(CERT_SCRIPT), str(directory), *names], check=True, capture_output=True
    )
    return directory / "fullchain.pem", directory / "privkey.pem"


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class NginxLayout:
    """Where one rendered config and its files live."""

    prefix: Path
    conf: Path
    certificate: Path
    key: Path
    static_root: Path
    access_log: Path
    error_log: Path
    http_port: int
    https_port: int


def render_config(
    prefix: Path,
    *,
    upstreams: Iterable[str],
    http_port: int | None = None,
    https_port: int | None = None,
    static_root: Path | None = None,
    **overrides: Any,
) -> NginxLayout:
    """Render the shipped template into `prefix` for loopback ports and the given upstreams.

    Only host-specific values (ports, paths, upstream addresses, worker user) differ from the
    production defaults; `overrides` may change any other NginxSettings field (e.g. rates).
    """
    renderer = load_renderer()
    ensure_nginx()
    prefix.mkdir(parents=True, exist_ok=True)
    http_port = http_port or free_port()
    https_port = https_port or free_port()
    certificate, key = generate_self_signed_cert(prefix / "certs")
    static_root = static_root or prefix / "static"
    static_root.mkdir(parents=True, exist_ok=True)
    for name in ("temp", "logs", "acme"):
        (prefix / name).mkdir(exist_ok=True)
    mime_types = Path("/etc/nginx/mime.types")
    if not mime_types.exists():
        mime_types = prefix / "mime.types"
        mime_types.write_text(FALLBACK_MIME_TYPES, encoding="utf-8")
    settings = renderer.NginxSettings(
        http_listen=f"127.0.0.1:{http_port}",
        https_listen=f"127.0.0.1:{https_port}",
        public_https_port=https_port,
        upstreams=tuple(upstreams),
        tls_certificate=str(certificate),
        tls_certificate_key=str(key),
        static_root=str(static_root),
        acme_root=str(prefix / "acme"),
        access_log=str(prefix / "logs" / "access.log"),
        error_log=str(prefix / "logs" / "error.log"),
        pid_path=str(prefix / "nginx.pid"),
        temp_dir=str(prefix / "temp"),
        mime_types=str(mime_types),
        worker_user=pwd.getpwuid(os.getuid()).pw_name,
        worker_processes="1",
    )
    settings = dataclasses.replace(settings, **overrides)
    conf = prefix / "nginx.conf"
    conf.write_text(renderer.render(settings), encoding="utf-8")
    return NginxLayout(
        prefix=prefix,
        conf=conf,
        certificate=certificate,
        key=key,
        static_root=static_root,
        access_log=prefix / "logs" / "access.log",
        error_log=prefix / "logs" / "error.log",
        http_port=http_port,
        https_port=https_port,
    )


def check_config(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    """Run `nginx -t` on a config; the caller asserts on returncode and stderr."""
    return subprocess.run(
        [str(ensure_nginx()), "-t", "-p", str(prefix), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )


def wait_for_port(port: int, timeout: float = 10.0, host: str = "127.0.0.1") -> None:
    """Block until something accepts TCP connections on host:port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s") from None
            time.sleep(0.05)


class NginxProcess:
    """nginx in the foreground (`daemon off`) as a child process, stopped on exit."""

    def __init__(self, layout: NginxLayout) -> None:
        self.layout = layout
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> NginxProcess:
        """Start nginx and wait until both listeners accept connections."""
        command = [
            str(ensure_nginx()),
            "-p", str(self.layout.prefix),
            "-c", str(self.layout.conf),
            "-g", "daemon off;",
        ]
        stderr_path = self.layout.prefix / "logs" / "stderr.log"
        with stderr_path.open("ab") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            wait_for_port(self.layout.https_port)
            wait_for_port(self.layout.http_port)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"nginx did not start: {self.error_output()}") from None
        return self

    def stop(self) -> None:
        """Ask nginx to quit (SIGTERM is its fast shutdown), then reap it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def error_output(self) -> str:
        """nginx's own error log plus its stderr, for assertion messages."""
        logs = (self.layout.error_log, self.layout.prefix / "logs" / "stderr.log")
        return "\n".join(
            log.read_text(encoding="utf-8", errors="replace") for log in logs if log.exists()
        )

    def https_url(self, path: str = "/") -> str:
        """https URL of the proxy for a path."""
        return f"https://127.0.0.1:{self.layout.https_port}{path}"

    def http_url(self, path: str = "/") -> str:
        """Plain http URL of the proxy (the redirecting listener)."""
        return f"http://127.0.0.1:{self.layout.http_port}{path}"

    def __enter__(self) -> NginxProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


__all__ = [
    "NginxLayout",
    "NginxProcess",
    "check_config",
    "ensure_nginx",
    "free_port",
    "generate_self_signed_cert",
    "load_renderer",
    "render_config",
    "wait_for_port",
]
