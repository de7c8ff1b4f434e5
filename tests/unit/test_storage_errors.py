"""`services.storage_errors`: outages (retry later) told apart from bugs (a real 500)."""

from __future__ import annotations

import errno
import sqlite3

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from services.storage_errors import reason, storage_unavailable


def wrapped(orig: BaseException, cls: type[sa_exc.DBAPIError] = sa_exc.OperationalError) -> sa_exc.DBAPIError:
    return cls("UPDATE runs SET x=?", {"x": 1}, orig)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (wrapped(sqlite3.OperationalError("database or disk is full")), "disk_full"),
        (wrapped(sqlite3.OperationalError("disk I/O error")), "io_error"),
        (wrapped(sqlite3.OperationalError("attempt to write a readonly database")), "read_only"),
        (wrapped(sqlite3.OperationalError("database is locked")), "connection"),
        (wrapped(psycopg.errors.DiskFull("no space left on device")), "disk_full"),
        (wrapped(psycopg.errors.ReadOnlySqlTransaction("read-only"), sa_exc.InternalError), "read_only"),
        (wrapped(psycopg.errors.AdminShutdown("terminating connection")), "connection"),
        (wrapped(psycopg.errors.CannotConnectNow("starting up")), "connection"),
        (wrapped(psycopg.errors.TooManyConnections("too many")), "connection"),
        (wrapped(psycopg.OperationalError("connection refused")), "connection"),
        (wrapped(psycopg.InterfaceError("the connection is closed"), sa_exc.InterfaceError), "connection"),
        (sa_exc.TimeoutError("QueuePool limit reached"), "connection"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk_full"),
        (OSError(errno.EROFS, "Read-only file system"), "read_only"),
        (sqlite3.OperationalError("database or disk is full"), "disk_full"),
    ],
)
def test_outages_are_recognised(error: BaseException, expected: str) -> None:
    assert reason(error) == expected
    assert storage_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(sqlite3.OperationalError("no such table: runs")),
        wrapped(sqlite3.OperationalError('near "SELEC": syntax error')),
        wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), sa_exc.IntegrityError),
        wrapped(psycopg.errors.UniqueViolation("duplicate key"), sa_exc.IntegrityError),
        wrapped(psycopg.errors.DeadlockDetected("deadlock")),
        wrapped(psycopg.errors.UndefinedTable("relation does not exist"), sa_exc.ProgrammingError),
        ValueError("bad"),
        OSError(errno.ENOENT, "missing"),
        None,
    ],
)
def test_bugs_are_not_outages(error: BaseException | None) -> None:
    assert not storage_unavailable(error)


def test_a_wrapped_cause_is_followed() -> None:
    try:
        try:
            raise wrapped(psycopg.errors.DiskFull("full"))
        except sa_exc.OperationalError as inner:
            raise RuntimeError("checkpoint write failed") from inner
    except RuntimeError as outer:
        assert reason(outer) == "disk_full"


def test_a_real_refused_connection_and_a_real_missing_table() -> None:
    with pytest.raises(sa_exc.OperationalError) as refused:
        create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none").connect()
    assert reason(refused.value) == "connection"
    with create_engine("sqlite://").connect() as conn, pytest.raises(sa_exc.OperationalError) as missing:
        conn.execute(text("select * from nowhere"))
    assert not storage_unavailable(missing.value)
