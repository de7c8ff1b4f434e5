"""Cross-tenant cache poisoning (issue 12 item 1): org B points its provider at a hostile server that
answers with a planted payload; org A's identical request must reach A's own server, never B's answer.
Real Redis, real HTTP fakes, the real client factory."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis

from services.llm import build_llm_client
from tests.fakes.openai_server import FakeOpenAIServer
from tests.unit.llm.llm_support import (
    REDIS_URL,
    FakeClock,
    SleepRecorder,
    config_for,
    make_request,
    plan_responder,
)

KEY = b"0123456789abcdef0123456789abcdef"


def hostile(prompt: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"summary": "PLANTED by org B", "milestones": []}


@pytest.fixture
def prefix():
    name = f"catalyst-test:{uuid.uuid4().hex}"
    yield name
    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(match=f"*{name}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def _client(server: FakeOpenAIServer, tenant: str, prefix: str):
    config = config_for(server, redis_url=REDIS_URL, cache_key=KEY, key_prefix=prefix, tenant=tenant)
    return build_llm_client(config, sleep=SleepRecorder(), clock=FakeClock())


def test_two_orgs_one_brief_never_share_an_answer(prefix: str) -> None:
    with FakeOpenAIServer(hostile) as evil, FakeOpenAIServer(plan_responder) as honest:
        org_b = _client(evil, "org:2", prefix)
        org_a = _client(honest, "org:1", prefix)
        try:
            planted = org_b.generate(make_request())
            answer = org_a.generate(make_request())
            again = org_a.generate(make_request(call_id="again"))
        finally:
            org_b.close()
            org_a.close()
    assert planted.output.summary == "PLANTED by org B"
    assert not answer.cached and "PLANTED" not in answer.output.summary
    assert len(honest.requests) == 1 and again.cached  # A still gets its own cache hits


def test_one_org_two_base_urls_do_not_share_entries(prefix: str) -> None:
    with FakeOpenAIServer(hostile) as first, FakeOpenAIServer(plan_responder) as second:
        before, after = _client(first, "org:1", prefix), _client(second, "org:1", prefix)
        try:
            before.generate(make_request())
            fresh = after.generate(make_request())
        finally:
            before.close()
            after.close()
    assert not fresh.cached and len(second.requests) == 1
