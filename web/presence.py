"""Who watches a run: how many sockets have joined each run's room, shown to everyone watching it."""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)

WATCHERS_PREFIX = "catalyst:watchers:"
WATCHERS_TTL_SECONDS = 24 * 3600


class Watchers:
    """How many sockets watch each run: a Redis set per run across processes, else this process."""

    def __init__(self, redis_client: redis.Redis | None) -> None:
        self.redis = redis_client
        self._local: dict[str, set[str]] = {}

    def join(self, run_id: str, sid: str) -> int:
        self._local.setdefault(run_id, set()).add(sid)
        return self._shared("sadd", run_id, sid)

    def leave(self, run_id: str, sid: str) -> int:
        local = self._local.get(run_id, set())
        local.discard(sid)
        if not local:
            self._local.pop(run_id, None)
        return self._shared("srem", run_id, sid)

    def count(self, run_id: str) -> int:
        local = len(self._local.get(run_id, ()))
        if self.redis is None:
            return local
        try:
            return int(self.redis.scard(WATCHERS_PREFIX + run_id))
        except redis.RedisError:
            return local

    def _shared(self, op: str, run_id: str, sid: str) -> int:
        local = len(self._local.get(run_id, ()))
        if self.redis is None:
            return local
        key = WATCHERS_PREFIX + run_id
        try:
            pipe = self.redis.pipeline()
            getattr(pipe, op)(key, sid)
            pipe.expire(key, WATCHERS_TTL_SECONDS)
            pipe.scard(key)
            return int(pipe.execute()[-1])
        except redis.RedisError as exc:
            log.warning("watcher count unavailable, counting this process only", extra={"error": str(exc)})
            return local

