"""Log lines: JSON, request id, control characters neutralised, secrets masked."""

from __future__ import annotations

import json
import logging

from config.logging import configure_logging, neutralise


def test_neutralise_escapes_newlines_and_controls():
    assert neutralise("a\nb\r\x1b[31m") == "a\\x0ab\\x0d\\x1b[31m"


def test_log_lines_are_sanitised_json(capsys):
    configure_logging("INFO", "json")
    logging.getLogger("catalyst.test").info(
        "login failed\nfake line", extra={"email": "x@y.z\n{\"level\": \"critical\"}", "password": "hunter2", "api_key": "sk-1"}
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    line = json.loads(err[0])
    assert line["event"] == "login failed\\x0afake line"
    assert "\n" not in line["email"]
    assert line["password"] == "[redacted]" and line["api_key"] == "[redacted]"
    assert "hunter2" not in err[0]
