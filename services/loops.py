"""A background loop in a greenlet that stops when asked, even when the ask lands in a database call.

Killing a greenlet raises GreenletExit wherever it waits. Inside a psycopg call, SQLAlchemy can
lose that exit while it resets the connection and raise a ProgrammingError instead ("can't change
'autocommit' now: connection in transaction status ACTIVE"). A loop that catches Exception to ride
out a storage blip then goes on forever, with settings and a database nobody uses any more. So the
loop reads a flag: a stop sets it, wakes the loop, lets the pass in flight finish, and kills only a
pass that does not end in time. A kill that is swallowed still ends the loop at its next check.
"""

from __future__ import annotations

from collections.abc import Callable

import gevent
import gevent.event


class StoppableLoop:
    """`step()` now and then every `every` seconds (sooner when woken), until `stop()`.

    An exception from a step goes to `on_error` and the loop goes on, unless it is stopping.
    """

    def __init__(self, step: Callable[[], object], *, every: Callable[[], float],
                 on_error: Callable[[Exception], None]) -> None:  # fmt: skip
        self._step = step
        self._every = every
        self._on_error = on_error
        self._wake = gevent.event.Event()
        self._stopping = False
        self._greenlet: gevent.Greenlet | None = None

    @property
    def started(self) -> bool:
        return self._greenlet is not None

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def running(self) -> bool:
        """Whether its greenlet is alive (after a stop: one that would not end)."""
        return self._greenlet is not None and not self._greenlet.dead

    def start(self) -> bool:
        """Spawn the loop; False when it already runs."""
        if self.running:
            return False
        self._stopping = False
        self._wake.clear()
        self._greenlet = gevent.spawn(self._loop)
        return True

    def wake(self) -> None:
        """Run the next step now rather than at the end of the wait."""
        self._wake.set()

    def ask_to_stop(self) -> None:
        """Let the pass in flight be the last one (what `stop` begins with, for a caller that has more to end first)."""
        self._stopping = True
        self._wake.set()

    def stop(self, timeout: float) -> bool:
        """Ask the loop to end, wait up to `timeout` for its pass in flight, then kill it; True once it ended."""
        greenlet = self._greenlet
        if greenlet is None:
            return True
        self.ask_to_stop()
        greenlet.join(timeout=timeout)
        if not greenlet.dead:
            greenlet.kill(block=True, timeout=timeout)
        return greenlet.dead

    def _loop(self) -> None:
        while not self._stopping:
            try:
                self._step()
            except Exception as exc:  # noqa: BLE001 - a step's failure is the caller's to log; the loop goes on
                if self._stopping:
                    return
                self._on_error(exc)
            if self._stopping:
                return
            self._wake.wait(timeout=self._every())
            self._wake.clear()
