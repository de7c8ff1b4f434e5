"""Watchers for bench/fanout.py: many Socket.IO clients in one gevent process, as cheap as can be.

    .venv/bin/python bench/fanout_clients.py --url http://127.0.0.1:P1 --url http://127.0.0.1:P2 \
        --count 250 --first 0 [--token T]

Why raw WebSockets: python-socketio's client spends a thread-like worker, queues and a JSON parse
per message on each socket, and with 500 sockets on a 2-core machine the clients, not the server,
set the latency. Each socket here speaks Engine.IO 4 / Socket.IO 5 over websocket-client itself:
one greenlet reads frames and keeps each run event as (arrival time, raw text); nothing is parsed
until the figures are asked for, after the measurement. Socket i (counting from `--first`) connects
to `--url` number i modulo their count, so the watchers split evenly across the web processes.

The parent drives it with one JSON command per line on stdin and reads one JSON reply per line:
`watch {run_id}` (every socket sends `watch` and waits for its ack), `quiet {seconds, after,
timeout}` (wait until no frame has arrived for `seconds`), `reset` (forget what arrived), `dump
{path}` (write every socket's events), `quit`.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import websocket  # noqa: E402
from gevent.event import AsyncResult  # noqa: E402
from gevent.fileobject import FileObjectPosix  # noqa: E402
from gevent.pool import Pool  # noqa: E402

EVENT_PREFIX = '42["event",'
PARALLEL = 50  # handshakes and watch calls in flight at once per process


class Activity:
    """When this process last received a frame on any socket."""

    last_frame = 0.0


class Watcher:
    """One Socket.IO connection: its event frames with their arrival times, and its acks."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.token = token
        self.ws: websocket.WebSocket | None = None
        self.live: list[tuple[float, str]] = []
        self.acks: dict[int, AsyncResult] = {}
        self.replayed: dict[str, list[int]] = {}
        self.next_ack = 0
        self.closed_because: str | None = None

    def connect(self) -> None:
        ws = websocket.create_connection(self.url, timeout=60, skip_utf8_validation=True)
        opened = ws.recv()
        if not opened.startswith("0"):
            raise RuntimeError(f"unexpected Engine.IO open packet {opened[:80]!r}")
        ws.send("40" + (json.dumps({"token": self.token}) if self.token else ""))
        connected = ws.recv()
        # A ping can come first on a loaded server, and a room's event once a namespace has joined us.
        while not connected.startswith(("40", "44")):
            if connected == "2":
                ws.send("3")
            connected = ws.recv()
        if not connected.startswith("40"):
            raise RuntimeError(f"connection refused: {connected[:200]!r}")
        ws.settimeout(None)
        self.ws = ws
        gevent.spawn(self._read)

    def _read(self) -> None:
        assert self.ws is not None
        live, acks = self.live, self.acks
        try:
            while True:
                text = self.ws.recv()
                now = time.time()
                Activity.last_frame = now
                if text.startswith(EVENT_PREFIX):
                    live.append((now, text))
                elif text == "2":
                    self.ws.send("3")
                elif text.startswith("43"):
                    ack_id, _, body = text[2:].partition("[")
                    waiting = acks.pop(int(ack_id), None)
                    if waiting is not None:
                        waiting.set(json.loads("[" + body)[0])
        except (websocket.WebSocketException, OSError) as exc:
            self.closed_because = type(exc).__name__

    def call(self, event: str, data: dict[str, Any], timeout: float = 120.0) -> Any:
        assert self.ws is not None
        self.next_ack += 1
        waiting = self.acks[self.next_ack] = AsyncResult()
        self.ws.send(f"42{self.next_ack}" + json.dumps([event, data]))
        return waiting.get(timeout=timeout)

    def watch(self, run_id: str) -> None:
        ack = self.call("watch", {"run_id": run_id, "after_seq": 0})
        if not ack.get("ok"):
            raise RuntimeError(f"watch refused: {ack}")
        self.replayed[run_id] = [event["seq"] for event in ack.get("events", [])]

    def figures(self) -> dict[str, Any]:
        """What arrived: each live run event as [arrival, run_id, seq, ts, stored at or None], and the
        replayed seqs."""
        live = []
        for arrived, text in self.live:
            event = json.loads(text[2:])[1]
            live.append([arrived, event["run_id"], event["seq"], event["ts"], event.get("bench_stored_at")])
        return {"live": live, "replayed": self.replayed, "closed": self.closed_because}

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()


def quiet(seconds: float, after: float, timeout: float) -> bool:
    """Wait until `after` has passed and no frame has arrived for `seconds`; False on timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = time.time()
        if now >= after and now - Activity.last_frame >= seconds:
            return True
        gevent.sleep(0.05)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--first", type=int, default=0, help="index of this process's first socket")
    parser.add_argument("--token")
    args = parser.parse_args()
    watchers = [Watcher(args.url[(args.first + n) % len(args.url)], args.token) for n in range(args.count)]
    pool = Pool(PARALLEL)
    pool.map(lambda watcher: watcher.connect(), watchers)
    reply({"ready": len(watchers)})
    for line in FileObjectPosix(sys.stdin.fileno(), "r"):
        command = json.loads(line)
        name = command.pop("cmd")
        if name == "watch":
            began, run_id = time.time(), command["run_id"]
            pool.map(lambda watcher, run_id=run_id: watcher.watch(run_id), watchers)
            reply({"watched": len(watchers), "seconds": round(time.time() - began, 3)})
        elif name == "quiet":
            reply({"quiet": quiet(command["seconds"], command.get("after", 0.0), command["timeout"])})
        elif name == "reset":
            for watcher in watchers:
                watcher.live.clear()
                watcher.replayed.clear()
            reply({"reset": True})
        elif name == "dump":
            with open(command["path"], "w", encoding="utf-8") as handle:
                json.dump([watcher.figures() for watcher in watchers], handle)
            reply({"dumped": command["path"]})
        elif name == "quit":
            break
    for watcher in watchers:
        watcher.close()
    reply({"bye": True})


def reply(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
