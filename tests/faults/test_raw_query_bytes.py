"""Raw non-UTF-8 bytes in a query string, over a real socket to `python app.py`: 400, never 500
(issue 11 item 13). The test client decodes queries itself; a real request line does not."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support.server import CatalystServer, seed_database

pytestmark = pytest.mark.slow


def _raw_get(port: int, target: bytes, headers: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + b"\r\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_raw_bytes_in_a_query_get_a_clear_400(tmp_path: Path) -> None:
    database, accounts = seed_database(tmp_path, "sqlite", {"exec": ("executive", "Acme")})
    auth = b"Authorization: Bearer " + accounts["exec"].token.encode() + b"\r\n"
    with CatalystServer(database, tmp_path) as server:
        for target, headers in [
            (b"/api/runs?status=\xff\xfe&page=\xc3", auth),
            (b"/login?next=\xff", b""),
            (b"/runs?q=%ff%fe\xff", auth),
        ]:
            response = _raw_get(server.port, target, headers)
            status_line = response.split(b"\r\n", 1)[0]
            assert b" 400 " in status_line, (target, response[:300])
        assert b" 200 " in _raw_get(server.port, b"/health").split(b"\r\n", 1)[0]  # still serving
