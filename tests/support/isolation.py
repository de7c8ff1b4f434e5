"""Names of the shared servers' resources a test run uses, so that several runs share one host.

The suite talks to the machine's PostgreSQL and Redis. Two runs at once (two checkouts, or the
pytest-xdist workers of one run) must not reset each other's databases, so every database name
and Redis index goes through here:
- `CATALYST_TEST_SUITE` (any short word) names a whole run: its PostgreSQL databases get it as a
  suffix; `CATALYST_TEST_REDIS_OFFSET` moves its Redis indexes (0, 8: two suites side by side);
- each xdist worker (`PYTEST_XDIST_WORKER`, gw0, gw1, …) gets its own databases and indexes too.
"""

from __future__ import annotations

import os
import re

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST = "redis://127.0.0.1:6379"
REDIS_DATABASES = 16  # Redis's default
# The indexes one worker may use (the suite's tests use 0 and 13-15): four apart, so four workers'
# sets — or two suites of two workers — never meet.
REDIS_STRIDE = 4


def worker() -> str:
    """This process's xdist worker id, or "" outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_index() -> int:
    found = re.fullmatch(r"gw(\d+)", worker())
    return int(found.group(1)) if found else 0


def pg_database(base: str) -> str:
    """The PostgreSQL database name for `base` in this run and worker."""
    parts = [base, os.environ.get("CATALYST_TEST_SUITE", ""), worker()]
    name = "_".join(part for part in parts if part)
    if not re.fullmatch(r"[a-z0-9_]{1,63}", name):
        raise ValueError(f"unusable database name {name!r} (set CATALYST_TEST_SUITE to [a-z0-9_])")
    return name


def pg_url(base: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_database(base)}"


def redis_index(base: int) -> int:
    """The Redis database index standing for `base` in this run and worker."""
    offset = int(os.environ.get("CATALYST_TEST_REDIS_OFFSET", "0")) + REDIS_STRIDE * worker_index()
    return (base + offset) % REDIS_DATABASES


def redis_url(base: int) -> str:
    return f"{REDIS_HOST}/{redis_index(base)}"
