"""Kill points for crash tests: SIGKILL this process right after a chosen moment of a run.

Loaded by Python at start-up (`sitecustomize`) when this folder is on PYTHONPATH; it does nothing
unless CATALYST_KILL_POINTS names a file of kill points, one per line, each used once:

    event agent.completed:legal     right after the event with this key is stored in the run log
    writes agent.completed:legal    right after the checkpoint writes of the node that emitted it

A point is crossed out of the file (and the file synced) before the kill, so the next process goes
on to the others. Nothing of this is in the application: the tests put it in a child's path.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

POINTS = os.environ.get("CATALYST_KILL_POINTS")
_lock = threading.Lock()


def _points() -> list[str]:
    return [line.strip() for line in Path(POINTS or "").read_text().splitlines() if line.strip()]


def _reached(kind: str, key: str | None) -> None:
    """Die if `kind key` is a kill point, crossing it out first (parallel nodes finish in any order)."""
    point = f"{kind} {key}"
    with _lock:
        points = _points()
        if point not in points:
            return
        rest = [p for p in points if p != point]
        with Path(POINTS or "").open("w") as handle:
            handle.write("".join(f"{p}\n" for p in rest))
            handle.flush()
            os.fsync(handle.fileno())
        os.kill(os.getpid(), signal.SIGKILL)


def _patch_sink(module: Any) -> None:
    original = module.RunEventSink.emit

    def emit(self: Any, type: str, data: dict[str, Any], **kwargs: Any) -> Any:
        event = original(self, type, data, **kwargs)
        if event is not None:
            _reached("event", kwargs.get("key"))
        return event

    module.RunEventSink.emit = emit


def _patch_saver(cls: Any) -> None:
    original = cls.put_writes

    def put_writes(self: Any, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        original(self, config, writes, task_id, task_path)
        for channel, value in writes:
            if channel == "journal":
                for event in value or []:
                    _reached("writes", event.get("key"))

    cls.put_writes = put_writes


PATCHES = {
    "services.events": _patch_sink,
    "langgraph.checkpoint.sqlite": lambda module: _patch_saver(module.SqliteSaver),
    "langgraph.checkpoint.postgres": lambda module: _patch_saver(module.PostgresSaver),
}


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Lets a module load as usual, then applies its patch (no import is moved earlier)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in PATCHES:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            PATCHES[name](module)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


if POINTS:
    sys.meta_path.insert(0, _PatchAfterImport())
