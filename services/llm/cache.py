"""An optional Redis cache of validated answers, each entry signed with HMAC-SHA256.

There is no default key: without one the client runs uncached. A signature binds the entry to its
cache key, so an entry copied to another key, edited, or written by someone without the key is
ignored (and logged) rather than trusted. Redis trouble is logged and treated as a miss.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import redis
from pydantic import BaseModel

from agents.ports import LLMRequest
from services.llm.messages import canonical_json

logger = logging.getLogger(__name__)

_VERSION = "v1"


def schema_fingerprint(schema: type[BaseModel]) -> str:
    """Name plus a short hash of the JSON schema, so a changed schema never reads old answers."""
    digest = hashlib.sha256(canonical_json(schema.model_json_schema()).encode()).hexdigest()[:16]
    return f"{schema.__module__}.{schema.__qualname__}:{digest}"


class ResponseCache:
    """get/put of answer payloads under keys derived from the request."""

    def __init__(self, client: redis.Redis, *, secret: bytes, ttl_seconds: int, prefix: str):
        if not secret:
            raise ValueError("a response cache needs a signing key")
        self._redis = client
        self._secret = secret
        self._ttl = ttl_seconds
        self._prefix = f"{prefix}:cache:"

    def key_for(self, model: str, request: LLMRequest, scope: str = "") -> str:
        """The entry's key; `scope` names who asked and which server answers (see `cache_scope`)."""
        material = canonical_json(
            [
                scope,
                model,
                request.prompt,
                request.prompt_version,
                request.data,
                schema_fingerprint(request.output_schema),
            ]
        )
        return self._prefix + hashlib.sha256(material.encode()).hexdigest()

    def _sign(self, key: str, body: str) -> str:
        return hmac.new(self._secret, f"{key}\n{body}".encode(), hashlib.sha256).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = self._redis.get(key)
        except redis.RedisError as exc:
            logger.warning("llm cache read failed, treating as a miss: %s", exc)
            return None
        if raw is None:
            return None
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        version, _, rest = text.partition(".")
        signature, _, body = rest.partition(".")
        if version != _VERSION or not hmac.compare_digest(signature, self._sign(key, body)):
            logger.warning("llm cache entry %s has a bad signature; ignored", key)
            return None
        try:
            payload = json.loads(body)
        except json.JSONDecodeError:
            logger.warning("llm cache entry %s is not JSON; ignored", key)
            return None
        if not isinstance(payload, dict):
            logger.warning("llm cache entry %s is not an object; ignored", key)
            return None
        return payload

    def put(self, key: str, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        try:
            self._redis.set(key, f"{_VERSION}.{self._sign(key, body)}.{body}", ex=self._ttl)
        except redis.RedisError as exc:
            logger.warning("llm cache write failed: %s", exc)


def cache_scope(tenant: str, provider: str, base_url: str | None) -> str:
    """Organisation, provider and base URL: answers are shared only where all three agree."""
    return canonical_json([tenant, provider, (base_url or "").rstrip("/").lower()])


def build_cache(
    redis_url: str | None, secret: bytes | None, *, ttl_seconds: int, prefix: str
) -> ResponseCache | None:
    """A cache only when both Redis and a signing key are configured."""
    if not redis_url or not secret:
        return None
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1.0, socket_timeout=1.0)
    return ResponseCache(client, secret=secret, ttl_seconds=ttl_seconds, prefix=prefix)
