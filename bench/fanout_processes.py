"""The processes bench/fanout.py starts: web processes under gunicorn.conf.py, and client processes.

`Deployment` starts `count` gunicorn processes of one app spec, each on its own loopback port,
with exactly the environment given (plus HOST and PORT). `Clients` splits the watcher sockets over
bench/fanout_clients.py processes and sends each command to all of them at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from tests.deploy.processes import GUNICORN_CONF, ServerProcess
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ROOT / "bench" / "fanout_clients.py"


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's worker is a child of its arbiter)."""
    found = [pid]
    for each in found:  # grows while walked: children's children come next
        for children in Path(f"/proc/{each}/task").glob("*/children"):
            try:
                found += [int(child) for child in children.read_text().split()]
            except OSError:
                continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time these processes and their descendants have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in {each for root in pids for each in _tree(root)}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


class _StartedTogether:
    """Processes started as one context: when one fails to start, those already started are stopped
    (`__exit__`) before the error goes on. Subclasses define `_start` and `__exit__`."""

    def _start(self) -> None:
        raise NotImplementedError

    def __exit__(self, *exc: object) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self


class Deployment(_StartedTogether):
    """`count` gunicorn processes serving `app_spec`; `urls` lists them, the emitter first."""

    def __init__(self, app_spec: str, count: int, env: dict[str, str], log_prefix: Path, clean: bool = False) -> None:
        self.processes: list[ServerProcess] = []
        self.urls: list[str] = []
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL", "REDIS_URL"))}
        for n in range(count):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app_spec]
            process = ServerProcess(command, port, Path(f"{log_prefix}-{n}.log"), cwd=ROOT)
            process.env = {**(base if clean else {}), **env, "HOST": "127.0.0.1", "PORT": str(port),
                           "GUNICORN_PROC_NAME": f"catalyst-bench-fanout-{n}"}  # fmt: skip
            self.processes.append(process)
            self.urls.append(f"http://127.0.0.1:{port}")

    def _start(self) -> None:
        for process in self.processes:
            process.start(timeout=60)
        for process in self.processes:
            process.wait_until_serving(timeout=90)

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.stop()

    def pids(self) -> list[int]:
        return [process.process.pid for process in self.processes if process.process is not None]

    def log_problems(self) -> list[str]:
        """Error lines the processes logged (JSON records of level error, tracebacks)."""
        found = []
        for process in self.processes:
            for text in process.output().splitlines():
                try:
                    record = json.loads(text)
                    bad = str(record.get("level", "")).lower() in ("error", "critical")
                except (ValueError, AttributeError):
                    bad = "Traceback" in text or "[ERROR]" in text
                if bad:
                    found.append(f"{process.log_path.name}: {text[:300]}")
        return found


class Clients(_StartedTogether):
    """`total` watcher sockets in `groups` processes, socket i on `urls[i % len(urls)]`."""

    def __init__(self, urls: list[str], total: int, groups: int, token: str | None, log_prefix: Path) -> None:
        self.urls, self.total, self.groups, self.token = urls, total, groups, token
        self.log_prefix = log_prefix
        self.processes: list[subprocess.Popen[str]] = []

    def _start(self) -> None:
        share, extra = divmod(self.total, self.groups)
        first = 0
        for n in range(self.groups):
            count = share + (1 if n < extra else 0)
            command = [sys.executable, str(CLIENTS), "--count", str(count), "--first", str(first)]
            command += [arg for url in self.urls for arg in ("--url", url)]
            command += ["--token", self.token] if self.token else []
            with Path(f"{self.log_prefix}-{n}.log").open("ab") as log:
                self.processes.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                       stderr=log, text=True, cwd=ROOT))  # fmt: skip
            first += count
        self._replies()  # every socket connected

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    self._send(process, {"cmd": "quit"})
                    process.wait(timeout=20)
                except (OSError, subprocess.TimeoutExpired):
                    process.kill()
                    process.wait(timeout=10)

    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def _send(self, process: subprocess.Popen[str], command: dict[str, Any]) -> None:
        assert process.stdin is not None
        process.stdin.write(json.dumps(command) + "\n")
        process.stdin.flush()

    def _replies(self) -> list[dict[str, Any]]:
        replies = []
        for n, process in enumerate(self.processes):
            assert process.stdout is not None
            text = process.stdout.readline()
            if not text:
                log = Path(f"{self.log_prefix}-{n}.log").read_text(errors="replace")
                raise RuntimeError(f"client process {n} exited:\n{log[-3000:]}")
            replies.append(json.loads(text))
        return replies

    def ask(self, cmd: str, **params: Any) -> list[dict[str, Any]]:
        """Send one command to every client process at once; their replies."""
        for process in self.processes:
            self._send(process, {"cmd": cmd, **params})
        return self._replies()

    def quiet(self, seconds: float, timeout: float, after: float = 0.0) -> bool:
        """Whether every client process went `seconds` without a frame (after `after`) in time."""
        return all(reply["quiet"] for reply in self.ask("quiet", seconds=seconds, after=after, timeout=timeout))

    def dump(self, path: Path) -> list[dict[str, Any]]:
        """Every socket's figures (bench/fanout_clients.py `Watcher.figures`), all processes."""
        paths = [path.with_suffix(f".{n}.json") for n in range(self.groups)]
        for process, part in zip(self.processes, paths, strict=True):
            self._send(process, {"cmd": "dump", "path": str(part)})
        self._replies()
        return [socket for part in paths for socket in json.loads(part.read_text())]


def _engine(database_url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))


def org_of(database_url: str, user_id: int) -> int:
    from sqlalchemy import text

    engine = _engine(database_url)
    with engine.connect() as conn:
        org_id = conn.execute(text("select org_id from users where id = :id"), {"id": user_id}).scalar_one()
    engine.dispose()
    return int(org_id)


def new_paused_run(database_url: str, org_id: int) -> str:
    """A run row to replay events on (paused, so no scheduler picks it up)."""
    from sqlalchemy import insert

    from services.models import Run, RunStatus

    engine = _engine(database_url)
    run_id = uuid.uuid4().hex
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(Run.__table__).values(
            id=run_id, org_id=org_id, status=RunStatus.paused, brief={}, company_name="Replay",
            budget_usd=Decimal("5000"), ai_cap_usd=Decimal("5"), policy="approve", provider="offline",
            model="offline", cancel_requested=False, last_seq=0, recoveries=0, created_at=now, updated_at=now,
        ))  # fmt: skip
    engine.dispose()
    return run_id
