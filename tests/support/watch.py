"""A python-socketio client that follows runs with Catalyst's watch protocol.

It keeps what a browser keeps: the last delivered seq per run, events delivered strictly in seq
order (duplicates dropped, an early event held until the gap before it fills) and, on reconnect,
`watch` again with the last seq. It never fills gaps over HTTP, so a test sees exactly what the
socket delivered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import socketio

TERMINAL = {"run.completed", "run.failed", "run.cancelled"}


class WatchRefused(Exception):
    def __init__(self, ack: dict[str, Any]):
        super().__init__(ack.get("error", {}).get("message", "refused"))
        self.ack = ack
        self.code = ack.get("error", {}).get("code")


class RunWatcher:
    def __init__(
        self,
        base_url: str,
        *,
        cookie: str | None = None,
        token: str | None = None,
        origin: str | None = None,
        transports: tuple[str, ...] = ("websocket",),
    ) -> None:
        self.base_url = base_url
        self.cookie = cookie
        self.token = token
        self.origin = origin
        self.transports = transports
        self.delivered: dict[str, list[dict[str, Any]]] = {}
        self.last_seq: dict[str, int] = {}
        self.held: dict[str, dict[int, dict[str, Any]]] = {}
        self.duplicates = 0
        self.watcher_counts: dict[str, list[int]] = {}
        self.arrival_times: dict[tuple[str, int], float] = {}
        self.on_deliver: Callable[[dict[str, Any]], None] | None = None
        self._lock = threading.RLock()
        self.client: socketio.Client | None = None
        self.disconnected = threading.Event()

    # --- connection ----------------------------------------------------------------------------

    def connect(self, timeout: float = 10.0) -> RunWatcher:
        # websocket-client always sends an Origin (its own URL's); a different one goes in its options,
        # as a header would be sent twice. Long-polling (requests) sends none unless told.
        ws_options = {"origin": self.origin} if self.origin else {}
        client = socketio.Client(reconnection=False, websocket_extra_options=ws_options)
        client.on("event", self._on_event)
        client.on("watchers", self._on_watchers)
        client.on("disconnect", lambda *args: self.disconnected.set())
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.origin and "websocket" not in self.transports:
            headers["Origin"] = self.origin
        self.disconnected.clear()
        client.connect(
            self.base_url,
            headers=headers,
            auth={"token": self.token} if self.token else None,
            transports=list(self.transports),
            wait_timeout=timeout,
        )
        self.client = client
        return self

    def disconnect(self) -> None:
        if self.client is not None:
            self.client.disconnect()
            self.client = None

    def reconnect(self, run_ids: list[str] | None = None) -> None:
        """Connect again and re-watch each run from its last delivered seq."""
        self.disconnect()
        self.connect()
        for run_id in run_ids if run_ids is not None else list(self.last_seq):
            self.watch(run_id)

    def call(self, event: str, data: Any, timeout: float = 10.0) -> dict[str, Any]:
        assert self.client is not None, "not connected"
        return self.client.call(event, data, timeout=timeout)

    # --- the protocol --------------------------------------------------------------------------

    def watch(self, run_id: str) -> dict[str, Any]:
        """Watch a run from the last seen seq; replays until the server says there is no more."""
        with self._lock:
            self.last_seq.setdefault(run_id, 0)
            self.delivered.setdefault(run_id, [])
            self.held.setdefault(run_id, {})
        while True:
            ack = self.call("watch", {"run_id": run_id, "after_seq": self.last_seq[run_id]})
            if not ack.get("ok"):
                raise WatchRefused(ack)
            for event in ack["events"]:
                self._accept(event)
            if not ack.get("more"):
                return ack

    def _on_event(self, event: dict[str, Any]) -> None:
        self.arrival_times.setdefault((event.get("run_id"), event.get("seq")), time.perf_counter())
        self._accept(event)

    def _on_watchers(self, info: dict[str, Any]) -> None:
        with self._lock:
            self.watcher_counts.setdefault(info["run_id"], []).append(info["count"])

    def _accept(self, event: dict[str, Any]) -> None:
        run_id, seq = event["run_id"], event["seq"]
        with self._lock:
            if run_id not in self.last_seq:
                return  # not watched (any more)
            if seq <= self.last_seq[run_id] or seq in self.held[run_id]:
                self.duplicates += 1
                return
            if seq > self.last_seq[run_id] + 1:
                self.held[run_id][seq] = event
                return
            self._deliver(event)
            while self.last_seq[run_id] + 1 in self.held[run_id]:
                self._deliver(self.held[run_id].pop(self.last_seq[run_id] + 1))

    def _deliver(self, event: dict[str, Any]) -> None:
        self.delivered[event["run_id"]].append(event)
        self.last_seq[event["run_id"]] = event["seq"]
        if self.on_deliver is not None:
            self.on_deliver(event)

    # --- waiting -------------------------------------------------------------------------------

    def finished(self, run_id: str) -> bool:
        with self._lock:
            return any(e["type"] in TERMINAL for e in self.delivered.get(run_id, []))

    def types(self, run_id: str) -> list[str]:
        with self._lock:
            return [e["type"] for e in self.delivered.get(run_id, [])]

    def seqs(self, run_id: str) -> list[int]:
        with self._lock:
            return [e["seq"] for e in self.delivered.get(run_id, [])]

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        raise TimeoutError(f"timed out waiting for {what}")

    def wait_finished(self, run_id: str, timeout: float = 60.0) -> None:
        self.wait_until(lambda: self.finished(run_id), timeout, f"run {run_id} to finish")
