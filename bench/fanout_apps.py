"""The two servers bench/fanout.py compares, as gunicorn app factories (served by gunicorn.conf.py).

    gunicorn -c gunicorn.conf.py "bench.fanout_apps:catalyst()"   # the real app, plus a replay route
    gunicorn -c gunicorn.conf.py "bench.fanout_apps:bare()"       # bare Flask-SocketIO, same settings

Both read REDIS_URL for Socket.IO's message queue (unset: one process, no queue; the bare server
publishes on the channel BENCH_CHANNEL, so the two can be up at once on one Redis) and BENCH_SCHEDULE,
the recorded events to replay (a JSON list of {offset, event}), read when a replay starts. Both
answer the same client messages: `watch {run_id, after_seq}` joins `run:<id>` and acks, and live
events arrive as `event`. `GET /bench/replay/<run_id>` emits the schedule on the run's room from
this process, keeping the recorded offsets:
- Catalyst stores each event through the app's `RunEventSink` (seq under the run's row lock,
  committed, `ts` stamped before storing) and publishes it with `web.sockets.publish_event`, as a
  run does, adding the moment it was stored (`STORED_AT`); the run must exist (bench/fanout.py
  inserts a paused one).
- the bare server stamps `ts` (and `STORED_AT`, the same instant) and emits the event with seq 1,
  2, 3... to the room, nothing else.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_socketio import SocketIO, join_room

from web.socket_rooms import run_room

# A replayed event's extra key: when it was stored (unix seconds), so bench/fanout.py can tell the
# delivery (stored -> client) from the store (`ts` is stamped before storing).
STORED_AT = "bench_stored_at"


def _schedule() -> list[dict[str, Any]]:
    with open(os.environ["BENCH_SCHEDULE"], encoding="utf-8") as handle:
        return json.load(handle)


def _paced(schedule: list[dict[str, Any]], sleep: Any) -> Any:
    """Each recorded event at its offset from the start (late ones at once, as a run would)."""
    start = time.time()
    for item in schedule:
        delay = start + item["offset"] - time.time()
        if delay > 0:
            sleep(delay)
        yield item["event"]


def catalyst() -> Flask:
    """The real application (create_app from the environment) with a replay route."""
    from app import create_app
    from services.db import db
    from services.events import RunEventSink
    from web.extensions import socketio
    from web.sockets import publish_event

    app = create_app()

    def stored_then_published(run_id: str, event: dict[str, Any]) -> None:
        # The sink publishes right after the commit: that instant is when the event was stored.
        publish_event(run_id, {**event, STORED_AT: time.time()})

    def replay(run_id: str, schedule: list[dict[str, Any]]) -> None:
        with app.app_context():
            sink = RunEventSink(db.engine, run_id, stored_then_published)
            for event in _paced(schedule, socketio.sleep):
                sink.emit(event["type"], event["data"], phase=event.get("phase"), agent=event.get("agent"))

    @app.get("/bench/replay/<run_id>")
    def start_replay(run_id: str) -> dict[str, Any]:
        socketio.start_background_task(replay, run_id, _schedule())
        return {"ok": True}

    return app


def bare() -> Flask:
    """A bare Flask-SocketIO app set up as Catalyst's: gevent, the same message queue, no sessions."""
    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode="gevent",
        message_queue=os.environ.get("REDIS_URL") or None,
        # Its own channel on the same Redis: both servers are up at once and must not hear each other.
        channel=os.environ.get("BENCH_CHANNEL", "flask-socketio"),
        manage_session=False,
        logger=False,
        engineio_logger=False,
    )

    @socketio.on("connect")
    def connect(auth: Any = None) -> None:
        return None

    @socketio.on("watch")
    def watch(data: dict[str, Any]) -> dict[str, Any]:
        join_room(run_room(str(data["run_id"])))
        return {"ok": True, "run_id": data["run_id"], "events": [], "last_seq": 0}

    def replay(run_id: str, schedule: list[dict[str, Any]]) -> None:
        for seq, event in enumerate(_paced(schedule, socketio.sleep), 1):
            now = datetime.now(UTC)  # stamped and "stored" at once: it stores nothing
            stamped = {**event, "run_id": run_id, "seq": seq, "ts": now.isoformat(), STORED_AT: now.timestamp()}
            socketio.emit("event", stamped, to=run_room(run_id))

    @app.get("/bench/replay/<run_id>")
    def start_replay(run_id: str) -> dict[str, Any]:
        socketio.start_background_task(replay, run_id, _schedule())
        return {"ok": True}

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok"}

    return app
