"""An upstream error body never reaches a user-visible error (issue 12 item 2, second half): whatever
the server at a base URL answers, the message says the status and a request id; the body is logged."""

from __future__ import annotations

import logging

import pytest

from services.llm import build_llm_client
from services.llm.errors import LLMCallError
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import client_error
from tests.unit.llm.llm_support import FakeClock, SleepRecorder, config_for, make_request, plan_responder

SECRET = "db_password=hunter2-internal"


def test_the_upstream_body_is_logged_not_shown(caplog: pytest.LogCaptureFixture) -> None:
    with FakeOpenAIServer(plan_responder) as server:
        server.script(client_error(400, body=f"internal service says {SECRET}"))
        client = build_llm_client(config_for(server), sleep=SleepRecorder(), clock=FakeClock())
        try:
            with caplog.at_level(logging.WARNING), pytest.raises(LLMCallError) as raised:
                client.generate(make_request())
        finally:
            client.close()
    message = str(raised.value)
    assert SECRET not in message and "400" in message and "request " in message
    request_id = message.split("request ", 1)[1].split(";", 1)[0]
    assert any(SECRET in record.getMessage() and request_id in record.getMessage() for record in caplog.records)
