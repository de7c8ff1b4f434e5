"""Publishing a run event gives the process's other greenlets their turn before the publisher goes
on. The emit only queues each watcher's packet for its socket's writer greenlet; on SQLite the
next event's store then blocks the process, so without a yield the deliveries of a burst waited
for every store of it (bench/fanout.py, 50 watchers: real-run p99 19 ms before, 6-10 ms after)."""

from __future__ import annotations

import gevent

from web.sockets import publish_event


def test_a_published_event_lets_waiting_writers_run_before_the_publisher_goes_on(app):
    sent: list[str] = []
    gevent.spawn(sent.append, "delivered")  # stands for a socket writer the emit woke
    with app.app_context():
        publish_event("run-without-watchers", {"type": "agent.output", "seq": 1, "data": {}})
        assert sent == ["delivered"]
