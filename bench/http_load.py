"""The load generator of bench/http_api.py: N keep-alive HTTPS connections, one GET after another.

Kept apart from the scenarios so the measuring loop is short enough to read whole: what counts as
a measured request (one that ends in the window or is in flight at its end, however long it took)
and what counts as an error (any answer but 200, any connection failure, a 30 s client timeout)
is decided here and nowhere else. Errors are
counted by kind, never dropped: a fast 500 must not pass for a fast page.

Runs on gevent: the caller has called `gevent.monkey.patch_all()` before importing this module.
"""

from __future__ import annotations

import http.client
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import gevent


@dataclass
class Result:
    """What one scenario measured: latencies of the 200s, and every other outcome by kind."""

    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    completed: int = 0
    slowest_ms: float = 0.0
    answered: int = 0  # every 200, warm-up included: what the server's CPU time is divided by

    def percentile(self, q: float) -> float | None:
        """None when nothing succeeded (JSON has no NaN)."""
        ordered = sorted(self.latencies_ms)
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2) if ordered else None

    def summary(self) -> dict[str, Any]:
        return {
            "requests": len(self.latencies_ms),  # 200s measured (those that ended in the window: rps)
            "errors": sum(self.errors.values()),
            "error_kinds": dict(sorted(self.errors.items())),
            "rps": round(self.completed / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": self.percentile(0.50),
            "p99_ms": self.percentile(0.99),
            "max_ms": round(self.slowest_ms, 2),
        }


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the proxy's certificate is self-signed
    return context


def load(
    port: int, path: str, headers: dict[str, str], *, connections: int, seconds: float, warmup: float,
    name: str,
) -> Result:
    """Keep `connections` HTTPS keep-alive connections busy with GET `path`; record each request."""
    context = _context()
    result = Result(name)
    start = time.perf_counter()
    measure_from, until = start + warmup, start + warmup + seconds

    def connect() -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)

    def client() -> None:
        conn = connect()
        while True:
            began = time.perf_counter()
            if began >= until:
                break
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                outcome = "ok" if response.status == 200 else str(response.status)
            except (OSError, http.client.HTTPException) as exc:  # counted below, then a new connection
                conn.close()
                conn = connect()
                outcome = type(exc).__name__
            ended = time.perf_counter()
            result.answered += outcome == "ok"
            # Throughput: the 200s that end inside the window. Latency and errors: every request
            # that ends inside it or is still in flight at its end, begun in the warm-up or however
            # late it finishes: one that hangs until a timeout is the worst latency or an error.
            if ended >= measure_from:
                if outcome == "ok":
                    result.latencies_ms.append((ended - began) * 1000)
                    result.completed += ended <= until
                else:
                    result.errors[outcome] += 1
                result.slowest_ms = max(result.slowest_ms, (ended - began) * 1000)
        conn.close()

    gevent.joinall([gevent.spawn(client) for _ in range(connections)], raise_error=True)
    result.seconds = seconds  # the window: requests still in flight at its end are counted above
    return result
