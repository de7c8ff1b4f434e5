"""Is this exception "the database (or its disk) is unavailable right now"?

One classifier for every layer that must turn an outage into "try again later" instead of a bug:
the web error handlers answer 503 + Retry-After, the run executor pauses or retries rather than
failing a run. It answers True only for conditions a retry can cure without a code change:

- the connection is lost or cannot be made (SQLAlchemy `OperationalError`/`InterfaceError` from
  PostgreSQL, a pool timeout, an invalidated connection);
- PostgreSQL SQLSTATEs for outages: class 08 (connection), 53 (insufficient resources: 53100 disk
  full, 53200 out of memory, 53300 too many connections), 57P01-57P05 (shutdown, cannot connect
  now, idle timeouts), 58030 (I/O error), 25006 (read-only transaction: hot standby or
  `default_transaction_read_only`);
- SQLite "database or disk is full", "disk I/O error", "attempt to write a readonly database",
  "database is locked", "unable to open database file";
- an `OSError` for a full, read-only or failing disk (ENOSPC, EDQUOT, EROFS, EIO).

It is deliberately narrow: SQLite reports a missing table or a syntax error as `OperationalError`
too, and those are bugs that must stay 500s. Causes (`__cause__`/`__context__`) are followed, so a
library wrapping the driver error is still recognised.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy import exc as sa_exc

try:  # psycopg is a runtime dependency, but SQLite-only tools should not need it to import this.
    import psycopg
except ImportError:  # pragma: no cover - psycopg is pinned in requirements.txt
    psycopg = None  # type: ignore[assignment]

__all__ = ["storage_unavailable", "reason"]

_PG_STATES = frozenset({"25006", "53100", "53200", "53300", "53400", "57P01", "57P02", "57P03", "57P04", "57P05", "58030"})
_PG_CLASSES = ("08",)
_SQLITE_MESSAGES = (
    "database or disk is full",
    "disk i/o error",
    "readonly database",
    "database is locked",
    "unable to open database file",
)
_OS_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
_MAX_DEPTH = 8


def storage_unavailable(exc: BaseException | None) -> bool:
    """True when `exc` (or an exception it was raised from) means storage is down, full or read-only."""
    return reason(exc) is not None


def reason(exc: BaseException | None) -> str | None:
    """A short, log-safe reason ("disk_full", "read_only", "connection") or None when not an outage."""
    seen: set[int] = set()
    depth = 0
    while exc is not None and id(exc) not in seen and depth < _MAX_DEPTH:
        seen.add(id(exc))
        found = _classify(exc)
        if found is not None:
            return found
        exc = exc.__cause__ or exc.__context__
        depth += 1
    return None


def _classify(exc: BaseException) -> str | None:
    if isinstance(exc, sa_exc.TimeoutError):  # the pool had no connection to give within its timeout
        return "connection"
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return "connection"
        orig = exc.orig
        if isinstance(orig, (sqlite3.Error, OSError)) or (psycopg is not None and isinstance(orig, psycopg.Error)):
            return _classify_driver(orig)
        # Another driver: an OperationalError or InterfaceError means the connection failed.
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return "connection"
        return None
    return _classify_driver(exc)


def _classify_driver(exc: BaseException) -> str | None:
    if isinstance(exc, sqlite3.Error):
        return _classify_sqlite(exc)
    if psycopg is not None and isinstance(exc, psycopg.Error):
        return _classify_postgres(exc)
    if isinstance(exc, OSError) and exc.errno in _OS_ERRNOS:
        return {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EROFS: "read_only"}.get(
            exc.errno, "io_error"
        )
    return None


def _classify_sqlite(exc: sqlite3.Error) -> str | None:
    message = str(exc).lower()
    if "database or disk is full" in message:
        return "disk_full"
    if "readonly database" in message:
        return "read_only"
    if "disk i/o error" in message:
        return "io_error"
    if any(text in message for text in _SQLITE_MESSAGES):
        return "connection"
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+: the numeric result code
    if code is not None:
        primary = code & 0xFF
        return {13: "disk_full", 8: "read_only", 10: "io_error", 5: "connection", 14: "connection"}.get(primary)
    return None


def _classify_postgres(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None) or ""
    if state == "53100":
        return "disk_full"
    if state == "25006":
        return "read_only"
    if state == "58030":
        return "io_error"
    if state in _PG_STATES or state.startswith(_PG_CLASSES):
        return "connection"
    # No SQLSTATE: the client library itself failed (refused, reset, closed by the server). With
    # one, anything else (a deadlock, a unique violation, a statement timeout) is not an outage.
    if not state and isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return "connection"
    return None
