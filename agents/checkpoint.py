"""Open the checkpointer a run thread is saved in: SQLite embedded, PostgreSQL in production.

Both use a strict serializer: graph state is plain JSON, so nothing but LangGraph's own safe
types is ever revived from a checkpoint.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

log = logging.getLogger(__name__)


def strict_serde() -> JsonPlusSerializer:
    return JsonPlusSerializer(allowed_msgpack_modules=None)


def _sqlite_path(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):] or ":memory:"
    if url.startswith("sqlite://"):
        return ":memory:"
    return url


@contextmanager
def open_checkpointer(url: str, *, pool_size: int = 4) -> Iterator[BaseCheckpointSaver]:
    """Yield a ready checkpointer for `sqlite:///path`, a plain path, or a PostgreSQL URL."""
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        with _postgres(url, pool_size) as saver:
            yield saver
        return
    if "://" in url and not url.startswith("sqlite:"):
        raise ValueError(f"unsupported checkpoint URL scheme: {url.split('://')[0]}")
    path = _sqlite_path(url)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode=WAL")
        from langgraph.checkpoint.sqlite import SqliteSaver

        saver = SqliteSaver(conn, serde=strict_serde())
        saver.setup()
        yield saver
    finally:
        conn.close()


@contextmanager
def _postgres(url: str, pool_size: int) -> Iterator[BaseCheckpointSaver]:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg import Connection
    from psycopg.rows import DictRow, dict_row
    from psycopg_pool import ConnectionPool

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    pool: ConnectionPool[Connection[DictRow]] = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=pool_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=False,
    )
    pool.open(wait=True, timeout=10)
    try:
        saver = PostgresSaver(pool, serde=strict_serde())
        with _one_setup_at_a_time(conninfo):
            saver.setup()
        yield saver
    finally:
        pool.close()


# Any fixed 64-bit number, the same in every process: the advisory lock's name.
SETUP_LOCK = 0x636B7074_73657475  # "ckptsetu"
SETUP_POLL_SECONDS = 0.05


def _locked(conn: Any) -> bool:
    """Try to take the set-up lock (a psycopg connection with tuple rows)."""
    row = conn.execute("select pg_try_advisory_lock(%s)", (SETUP_LOCK,)).fetchone()
    return bool(row and row[0])


@contextmanager
def _one_setup_at_a_time(conninfo: str) -> Iterator[None]:
    """Processes that set up the checkpoint tables at once (two workers on a fresh database) raced:
    concurrent `CREATE TABLE IF NOT EXISTS` fails with a duplicate type name, and the loser's run
    failed. A session advisory lock makes them take turns. It is polled, not waited for: the set-up
    builds an index CONCURRENTLY, which waits for every transaction in progress, and a statement
    blocked in `pg_advisory_lock` is one, held by the very process it waits for (a deadlock
    PostgreSQL does not detect).
    """
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        while not _locked(conn):
            time.sleep(SETUP_POLL_SECONDS)
        try:
            yield
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (SETUP_LOCK,))
