"""Fake LLM provider servers speaking real HTTP, for tests that go through the real SDKs."""
