"""Fault 9: SIGTERM to a gunicorn app process holding a silent WebSocket client.

A silent client opened a Socket.IO connection over WebSocket and then stopped reading and
answering pings (a frozen tab, a dead NAT mapping). Shutdown aborts its Engine.IO session, but
the greenlet serving it sat in a socket read until its 45 s timeout, so gunicorn waited out the
whole graceful timeout. Shutdown must close that TCP connection itself.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.deploy.nginx_tools import free_port
from tests.deploy.processes import gunicorn_process
from tests.faults.raw_socketio import RawSocketIO, read_until_closed
from tests.support.server import base_env, seed_database

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

# gunicorn.conf.py: graceful_timeout = SHUTDOWN_GRACE_SECONDS + 5. Large, so that reaching it is
# unmistakable; the test gives up at half of it.
GRACE_SECONDS = 55
GRACEFUL_TIMEOUT = GRACE_SECONDS + 5


def test_sigterm_closes_a_silent_websocket_and_exits_before_the_graceful_timeout(tmp_path: Path) -> None:
    database, accounts = seed_database(tmp_path, "sqlite", {"exec": ("executive", "Acme")})
    port = free_port()
    env = base_env(database, SHUTDOWN_GRACE_SECONDS=str(GRACE_SECONDS), LOG_LEVEL="INFO")
    process = gunicorn_process("app:create_app()", port, tmp_path / "gunicorn.log", env=env)
    with process:
        process.wait_until_serving()
        silent = RawSocketIO(port).connect({"token": accounts["exec"].token})
        try:
            # A well-behaved client proves the connection works; from here on it says nothing.
            assert silent.call("watch", {"run_id": "no-such-run"})["error"]["code"] == "not_found"
            process.signal(signal.SIGTERM)
            # Read only now, long after the server gave up on the session: the server must have
            # closed the TCP connection (end-of-file or reset), not left it to time out.
            read_until_closed(silent.sock, timeout=GRACEFUL_TIMEOUT / 2)
            exit_code = process.wait(timeout=GRACEFUL_TIMEOUT / 2)
        finally:
            silent.close()
    output = process.output()
    assert exit_code == 0, output
    # The worker finished by itself; at the graceful timeout gunicorn logs this and kills it.
    assert "Worker graceful timeout" not in output, output
    assert "Worker exiting" in output, output
    assert "closed socket transports for shutdown" in output, output
