"""A few seconds' memory of who a bearer token stands for: the API's most frequent lookup.

Every API request authenticates its token (a query for the token, one for its user) before it does
anything else; at a few hundred requests a second from one client that is most of the database's
work. A hit here skips both and hands the request its user attached to the request's session
without a query (`Session.merge(load=False)`).

What stays true: revoking a token, deactivating a user or changing a role forgets every entry of
this process at once (`forget_all`, called by those commands). Other processes notice within
`TTL_SECONDS`, the price of the speed; a revoked token works there at most that long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import make_transient_to_detached

from services.models import User

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000  # a bound, not a tuning knob: entries are small and short-lived


@dataclass(frozen=True)
class Entry:
    user: User  # a detached copy: never attached to a session itself, only merged into one
    token_id: int
    last_used_at: datetime | None
    expires: float


def detached_copy(user: User) -> User:
    """A copy of the loaded user's columns, known to the ORM as that row but in no session."""
    copy = User(**{column.key: getattr(user, column.key) for column in User.__table__.columns})
    make_transient_to_detached(copy)
    return copy


class TokenCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[tuple[str, str], Entry] = {}
        self._lock = threading.Lock()

    def get(self, database: str, digest: str) -> Entry | None:
        key = (database, digest)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.expires <= self.clock():
                del self._entries[key]
                return None
            return entry

    def put(self, database: str, digest: str, user: User, token_id: int, last_used_at: datetime | None) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[(database, digest)] = Entry(
                detached_copy(user), token_id, last_used_at, self.clock() + self.ttl
            )

    def touched(self, database: str, digest: str, when: datetime) -> None:
        """The token's `last_used_at` was written: remember it, so the next write waits a minute."""
        with self._lock:
            entry = self._entries.get((database, digest))
            if entry is not None:
                self._entries[(database, digest)] = Entry(entry.user, entry.token_id, when, entry.expires)

    def forget_all(self) -> None:
        with self._lock:
            self._entries.clear()


TOKENS = TokenCache()
"""This process's cache (one per process: the entries are keyed by database as well)."""
