"""pytest fixtures for the fake providers. In a conftest.py:

from tests.fakes.fixtures import fake_anthropic, fake_openai  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A running fake OpenAI server; `.base_url` for the SDK, `.script(...)`, `.requests`, `.usages`."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropicServer]:
    """A running fake Anthropic server; `.base_url` for the SDK, `.script(...)`, `.requests`, `.usages`."""
    with FakeAnthropicServer() as server:
        yield server
