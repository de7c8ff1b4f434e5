"""Render nginx/nginx.conf.template into a complete nginx.conf.

One template serves production (the defaults below, rendered into nginx/nginx.conf and baked into
the proxy image) and tests (loopback ports, temporary paths). Standard library only, so it runs
anywhere Python does. Usage:

    python nginx/render.py --output nginx/nginx.conf
    python nginx/render.py --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \
        --https-listen 127.0.0.1:8443 --public-https-port 8443 --output /tmp/nginx.conf
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
# Values land inside nginx directives: refuse anything that could end or open one.
UNSAFE = re.compile(r"[;{}\"'#\\\s]")


@dataclass(frozen=True)
class NginxSettings:
    """Everything that differs between deployments; defaults are the docker-compose production."""

    http_listen: str = "80"
    https_listen: str = "443"
    public_https_port: int = 443
    server_name: str = "_"
    upstreams: tuple[str, ...] = ("app1:8000", "app2:8000")
    upstream_max_fails: int = 3
    upstream_fail_timeout: int = 10
    tls_certificate: str = "/etc/nginx/certs/fullchain.pem"
    tls_certificate_key: str = "/etc/nginx/certs/privkey.pem"
    static_root: str = "/srv/catalyst/static"
    static_max_age: int = 31536000
    acme_root: str = "/var/www/acme"
    access_log: str = "/var/log/nginx/access.log"
    error_log: str = "/var/log/nginx/error.log"
    pid_path: str = "/var/run/nginx.pid"
    temp_dir: str = "/var/cache/nginx"
    mime_types: str = "/etc/nginx/mime.types"
    worker_user: str = "nginx"
    worker_processes: str = "auto"
    worker_connections: int = 4096
    client_max_body_size: str = "1m"
    socketio_handshake_rate: str = "10r/s"
    socketio_handshake_burst: int = 20
    login_rate: str = "10r/m"
    login_burst: int = 5
    proxy_read_timeout: int = 120
    websocket_timeout: int = 3600

    def validate(self) -> None:
        """Raise ValueError on a value that would change the config's structure."""
        for item in fields(self):
            value = getattr(self, item.name)
            values = value if isinstance(value, tuple) else (value,)
            if not values:
                raise ValueError(f"{item.name} must not be empty")
            for one in values:
                text = str(one)
                allowed_space = item.name == "server_name"
                checked = text.replace(" ", "") if allowed_space else text
                if not text or UNSAFE.search(checked):
                    raise ValueError(f"unsafe value for {item.name}: {text!r}")


def _variables(settings: NginxSettings) -> dict[str, str]:
    """Template variables: every setting as text plus the few derived ones."""
    variables = {
        item.name: str(getattr(settings, item.name))
        for item in fields(settings)
        if item.name != "upstreams"
    }
    variables["upstream_servers"] = "\n".join(
        f"        server {address} max_fails={settings.upstream_max_fails}"
        f" fail_timeout={settings.upstream_fail_timeout}s;"
        for address in settings.upstreams
    )
    port = settings.public_https_port
    variables["https_port_suffix"] = "" if port == 443 else f":{port}"
    return variables


def render(settings: NginxSettings | None = None, template: Path = TEMPLATE) -> str:
    """Return the nginx.conf text; fail on unknown placeholders instead of leaving them in."""
    settings = settings or NginxSettings()
    settings.validate()
    variables = _variables(settings)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"template placeholder {{{{ {name} }}}} has no setting")
        return variables[name]

    return PLACEHOLDER.sub(substitute, template.read_text(encoding="utf-8"))


def placeholders(template: Path = TEMPLATE) -> set[str]:
    """Names the template refers to (for consistency checks)."""
    return set(PLACEHOLDER.findall(template.read_text(encoding="utf-8")))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = NginxSettings()
    for item in fields(NginxSettings):
        if item.name == "upstreams":
            continue
        default = getattr(defaults, item.name)
        parser.add_argument(
            "--" + item.name.replace("_", "-"),
            dest=item.name,
            type=type(default),
            default=default,
            help=f"default: {default}",
        )
    parser.add_argument(
        "--upstream",
        dest="upstreams",
        action="append",
        help=f"host:port of one app process, repeatable (default: {' '.join(defaults.upstreams)})",
    )
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry: render with the given overrides."""
    args = vars(_parser().parse_args(argv))
    output = args.pop("output")
    upstreams = args.pop("upstreams")
    settings = NginxSettings(**args)
    if upstreams:
        settings = dataclasses.replace(settings, upstreams=tuple(upstreams))
    text = render(settings)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
