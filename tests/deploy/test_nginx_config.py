"""The nginx template, its renderer, the shipped nginx.conf and the dev certificate script."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.deploy.nginx_tools import (
    REPO_ROOT,
    check_config,
    generate_self_signed_cert,
    load_renderer,
    render_config,
)

SHIPPED_CONF = REPO_ROOT / "nginx" / "nginx.conf"


@pytest.fixture(scope="module")
def renderer():  # a module object
    return load_renderer()


def test_shipped_nginx_conf_is_the_template_rendered_with_defaults(renderer) -> None:
    assert SHIPPED_CONF.read_text(encoding="utf-8") == renderer.render(), (
        "nginx/nginx.conf is stale: run `python nginx/render.py --output nginx/nginx.conf`"
    )


def test_every_placeholder_has_a_setting(renderer) -> None:
    rendered = renderer.render()
    assert "{{" not in rendered and "}}" not in rendered
    settings_names = {field.name for field in dataclasses.fields(renderer.NginxSettings)}
    derived = {"upstream_servers", "https_port_suffix"}
    assert renderer.placeholders() <= settings_names | derived


def test_unknown_placeholder_is_an_error(renderer, tmp_path: Path) -> None:
    template = tmp_path / "broken.template"
    template.write_text("worker_processes {{ no_such_setting }};\n", encoding="utf-8")
    with pytest.raises(KeyError, match="no_such_setting"):
        renderer.render(template=template)


@pytest.mark.parametrize(
    "override",
    [
        {"upstreams": ("127.0.0.1:8000; include /etc/passwd",)},
        {"server_name": "example.com; return 200"},
        {"static_root": "/srv/static }"},
        {"client_max_body_size": "1m\nuser root"},
    ],
)
def test_values_that_would_change_the_config_structure_are_refused(renderer, override) -> None:
    settings = dataclasses.replace(renderer.NginxSettings(), **override)
    with pytest.raises(ValueError, match="unsafe value"):
        renderer.render(settings)


def test_production_defaults(renderer) -> None:
    conf = renderer.render()
    assert re.search(r"upstream catalyst_app \{\s*ip_hash;", conf)
    assert "server app1:8000" in conf and "server app2:8000" in conf
    assert "listen 443 ssl default_server;" in conf
    assert "return 308 https://$host$request_uri;" in conf
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in conf


def test_forwarding_headers_are_overwritten_not_appended(renderer) -> None:
    conf = renderer.render()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "$proxy_add_x_forwarded_for" not in conf
    for header in ("X-Forwarded-Proto $scheme", "X-Forwarded-Host $http_host", "X-Forwarded-Port 443"):
        assert f"proxy_set_header {header};" in conf


def test_no_location_drops_the_shared_proxy_headers(renderer) -> None:
    # nginx inherits proxy_set_header only into blocks that set none of their own.
    conf = renderer.render()
    locations = re.findall(r"location [^{]+\{([^}]*)\}", conf)
    assert locations
    assert not any("proxy_set_header" in body for body in locations)


def test_security_headers_are_left_to_the_app(renderer) -> None:
    conf = renderer.render()
    for header in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options"):
        assert header not in conf


def test_redirect_names_a_non_default_public_port(renderer) -> None:
    settings = dataclasses.replace(renderer.NginxSettings(), public_https_port=8443)
    assert "return 308 https://$host:8443$request_uri;" in renderer.render(settings)


def test_cli_renders_overrides(tmp_path: Path) -> None:
    output = tmp_path / "nginx.conf"
    subprocess.run(
        [
            "python3", str(REPO_ROOT / "nginx" / "render.py"),
            "--upstream", "10.1.1.1:8000", "--upstream", "10.1.1.2:8000",
            "--server-name", "catalyst.example.com", "--output", str(output),
        ],
        check=True,
    )
    conf = output.read_text(encoding="utf-8")
    assert "server 10.1.1.1:8000 " in conf and "server 10.1.1.2:8000 " in conf
    assert "app1:8000" not in conf
    assert "server_name catalyst.example.com;" in conf


def test_default_config_passes_nginx_t(tmp_path: Path) -> None:
    # Production values except what is host-specific here: `app1` does not resolve outside
    # compose, and paths point into a temporary prefix.
    layout = render_config(tmp_path, upstreams=["127.0.0.1:18001", "127.0.0.1:18002"])
    result = check_config(layout.conf, layout.prefix)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_t_catches_a_broken_config(tmp_path: Path) -> None:
    layout = render_config(tmp_path, upstreams=["127.0.0.1:18001"])
    layout.conf.write_text(layout.conf.read_text().replace("ip_hash;", "ip_hash"), encoding="utf-8")
    assert check_config(layout.conf, layout.prefix).returncode != 0


def test_dev_certificate_covers_the_requested_names(tmp_path: Path) -> None:
    certificate, key = generate_self_signed_cert(tmp_path, ["catalyst.test", "127.0.0.1"])
    text = subprocess.run(
        ["openssl", "x509", "-in", str(certificate), "-noout", "-text"],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "DNS:catalyst.test" in text
    assert "IP Address:127.0.0.1" in text
    assert "TLS Web Server Authentication" in text
    assert os.stat(key).st_mode & 0o077 == 0, "the private key must be readable by its owner only"
    # The key belongs to the certificate.
    public_from_cert = subprocess.run(
        ["openssl", "x509", "-in", str(certificate), "-noout", "-pubkey"],
        check=True, capture_output=True,
    ).stdout
    public_from_key = subprocess.run(
        ["openssl", "pkey", "-in", str(key), "-pubout"], check=True, capture_output=True
    ).stdout
    assert public_from_cert == public_from_key


def test_dev_certificates_are_git_ignored() -> None:
    result = subprocess.run(
        ["git", "check-ignore", "-q", "nginx/certs/privkey.pem"], cwd=REPO_ROOT
    )
    assert result.returncode == 0
