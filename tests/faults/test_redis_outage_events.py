"""Events published while the message queue (Redis) is down still reach the watchers, in order.

Real processes: `python app.py` (RUN_EXECUTOR=queue), `flask --app app worker`, a private
redis-server the test stops while the run goes on and ends, and a Socket.IO watcher (RunWatcher:
it never fills gaps over HTTP, so it sees only what the live stream delivered). Every event is
stored before it is published; the watcher must end with the complete log without watching again.
"""

from __future__ import annotations

import time

import gevent
import pytest
import redis

from tests.faults.conftest import QueueStack
from tests.support.polling import wait_for
from tests.support.watch import RunWatcher
from web.outbox import EventOutbox

OUTAGE_SECONDS = 20
PACE = "1.0"  # the offline provider's delay per call: the run lasts several seconds, Redis goes mid-run


@pytest.mark.redis
@pytest.mark.slow
def test_events_published_during_an_outage_reach_the_watcher(queue_stack) -> None:
    stack: QueueStack = queue_stack(OFFLINE_PACE_SECONDS=PACE)
    watcher = RunWatcher(stack.web.base_url, token=stack.account.token).connect()
    try:
        run_id = stack.start_run("Outage")
        watcher.watch(run_id)
        watcher.wait_until(lambda: len(watcher.seqs(run_id)) >= 3, 60, "the first live events")

        stack.redis.stop()
        down_since = time.monotonic()
        assert stack.run_row(run_id)["status"] == "running", "the run ended before Redis went away"
        wait_for(lambda: stack.run_row(run_id)["status"] == "completed", 90, "the run to end in the outage")
        published_while_down = stack.run_row(run_id)["last_seq"] - len(watcher.seqs(run_id))
        time.sleep(max(2.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
        stack.assert_workers_alive()
        stack.redis.start()

        # Generous: the web process resubscribes to Redis with its own backoff (up to a minute).
        watcher.wait_finished(run_id, timeout=120)
        last = stack.run_row(run_id)["last_seq"]
        watcher.wait_until(lambda: watcher.seqs(run_id)[-1:] == [last], 30, "every stored event")
        assert published_while_down > 0
        assert watcher.seqs(run_id) == list(range(1, last + 1))
        assert watcher.types(run_id)[-1] == "run.completed"
        assert not watcher.held[run_id]
        assert not watcher.disconnected.is_set(), "the watcher had to reconnect"
    finally:
        watcher.disconnect()


class FakeManager:
    """Stands in for Flask-SocketIO's Redis manager: `_publish` returns receivers, None when down."""

    redis_url = "redis://127.0.0.1:1/0"
    channel = "flask-socketio"

    def __init__(self) -> None:
        self.up = True
        self.listening = 1
        self.sent: list[dict] = []

    def _publish(self, message: dict) -> int | None:
        if not self.up:
            return None
        self.sent.append(message)
        return self.listening


class FakeProbe:
    def __init__(self, manager: FakeManager) -> None:
        self.manager = manager

    def ping(self) -> bool:
        if not self.manager.up:
            raise redis.ConnectionError("down")
        return True

    def pubsub_numsub(self, channel: str) -> list[tuple[bytes, int]]:
        return [(channel.encode(), self.manager.listening)]


def run_event(seq: int) -> dict:
    return {"method": "emit", "event": "event", "data": [{"run_id": "r", "seq": seq}], "room": "run:r"}


def seqs(messages: list[dict]) -> list[int]:
    return [m["data"][0]["seq"] for m in messages]


def test_outbox_resends_in_order_once_the_listeners_are_back() -> None:
    """Bounded, in order, behind what waits, and only once the web processes listen again."""
    manager = FakeManager()
    outbox = EventOutbox(manager, limit=3, listener_grace_seconds=60).install()
    outbox._probe = FakeProbe(manager)
    manager._publish(run_event(1))
    manager.up = False
    for seq in range(2, 6):  # 2 falls out of the bounded outbox
        manager._publish(run_event(seq))
    manager._publish({"method": "emit", "event": "watchers", "data": [{}]})  # not kept
    assert seqs(list(outbox.pending)) == [3, 4, 5] and outbox.dropped == 1
    manager.up, manager.listening = True, 0  # Redis is back, the web process not subscribed yet
    manager._publish(run_event(6))  # queues behind the others (3 falls out)
    gevent.sleep(1.0)
    assert seqs(manager.sent) == [1]
    manager.listening = 1
    wait_for(lambda: not outbox.pending, 10, "the outbox to empty")
    assert seqs(manager.sent) == [1, 4, 5, 6] and outbox.dropped == 0  # reset once resent
    manager._publish(run_event(7))
    assert seqs(manager.sent)[-1] == 7 and not outbox.pending
