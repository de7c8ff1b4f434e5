"""A background loop ends when stopped, whatever its step was doing: on PostgreSQL at random instants,
and when the step turns the stop's exit into another exception, as SQLAlchemy can inside psycopg."""

from __future__ import annotations

import random
import time

import gevent
import pytest
from sqlalchemy import create_engine, make_url, text

from services.loops import StoppableLoop
from tests.support.isolation import PG_ADMIN_URL

POSTGRES = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg")  # the server's own database: no tables needed


def _ends(loop: StoppableLoop, within: float = 10.0) -> bool:
    """Whether the loop's greenlet ends by itself (nothing kills it again) within `within` seconds."""
    deadline = time.monotonic() + within
    while loop.running and time.monotonic() < deadline:
        gevent.sleep(0.01)
    return not loop.running


def _errors() -> tuple[list[Exception], object]:
    seen: list[Exception] = []
    return seen, seen.append


def test_a_loop_on_postgresql_ends_whenever_it_is_stopped():
    """Stopped at random instants and killed at once (no time given to its pass): every loop ends.

    A bare kill left about one loop in seven running here (the exit raised during a query came
    back as a ProgrammingError, which a loop must survive); the flag ends those too."""
    engine = create_engine(POSTGRES, pool_size=2, pool_pre_ping=True)

    def step() -> None:
        with engine.begin() as conn:
            conn.execute(text("select 1"))
            conn.execute(text("select pg_sleep(0.001)"))

    rng = random.Random(15)
    try:
        for _ in range(120):
            seen, on_error = _errors()
            loop = StoppableLoop(step, every=lambda: 0.0, on_error=on_error)
            loop.start()
            gevent.sleep(rng.uniform(0.0, 0.01))
            loop.stop(timeout=0.0)
            assert _ends(loop), "the loop went on after its stop"
    finally:
        engine.dispose()


def test_a_stop_that_comes_back_as_another_exception_still_ends_the_loop():
    seen, on_error = _errors()

    def step() -> None:
        try:
            gevent.sleep(30)
        except gevent.GreenletExit as exit_:  # what a driver resetting its connection can do
            raise RuntimeError("connection in a wrong state") from exit_

    loop = StoppableLoop(step, every=lambda: 0.0, on_error=on_error)
    loop.start()
    gevent.sleep(0.01)
    assert loop.stop(timeout=0.05)
    assert not loop.running and seen == []


def test_a_stop_lets_the_pass_in_flight_finish():
    engine = create_engine(POSTGRES, pool_size=1)
    finished: list[int] = []

    def step() -> None:
        with engine.begin() as conn:
            finished.append(conn.execute(text("select 1 from pg_sleep(0.2)")).scalar_one())

    try:
        loop = StoppableLoop(step, every=lambda: 60.0, on_error=pytest.fail)
        loop.start()
        gevent.sleep(0.05)  # inside the query
        assert loop.stop(timeout=30.0)
        assert finished == [1]
    finally:
        engine.dispose()


def test_a_failing_step_is_reported_and_the_loop_goes_on():
    seen, on_error = _errors()
    calls: list[int] = []

    def step() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("storage away")

    loop = StoppableLoop(step, every=lambda: 0.0, on_error=on_error)
    loop.start()
    while len(calls) < 3:
        gevent.sleep(0.001)
    assert loop.stop(timeout=5.0)
    assert [type(exc) for exc in seen] == [ConnectionError, ConnectionError]


def test_a_wake_runs_the_next_step_before_the_wait_is_over():
    calls: list[int] = []
    loop = StoppableLoop(lambda: calls.append(1), every=lambda: 3600.0, on_error=pytest.fail)
    loop.start()
    while not calls:
        gevent.sleep(0.001)
    loop.wake()
    while len(calls) < 2:
        gevent.sleep(0.001)
    assert loop.stop(timeout=5.0)
    assert loop.start(), "a stopped loop starts again"
    assert loop.stop(timeout=5.0)
