"""Run benchmarks one after another and end with their headlines: what `make bench` calls.

Each benchmark in bench/ ends its output with one JSON object carrying its headline (`metric`,
`value`, `baseline`, `ratio`, `unit`). Read one by one, those lines are lost among the progress
output of a long run, so this runner streams each benchmark's output as it comes, keeps its last
line, and prints at the end one table of every headline and then one JSON line per benchmark.
Each benchmark runs in its own process, as it would by hand: a crash in one cannot skew another.
A benchmark that exits non-zero, or whose last line is not such an object, counts as failed; the
rest still run, everything measured is printed, and the runner exits 1.

    .venv/bin/python bench/run_all.py report_quality workflow ledger fanout http_api faults
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
HEADLINE = ("metric", "value", "baseline", "ratio", "unit")


@dataclass
class Outcome:
    """One benchmark's run: its headline object, or why there is none."""

    name: str
    seconds: float
    result: dict[str, Any] | None
    problem: str | None


def _not_json(constant: str) -> Any:
    """NaN and Infinity, which Python's json reads and writes but no other reader takes."""
    raise ValueError(f"{constant} is not JSON (bench/headline.py writes null)")


def headline_of(line: str) -> tuple[dict[str, Any] | None, str | None]:
    """The headline object of a benchmark's last line, or why that line is not one."""
    try:
        found = json.loads(line, parse_constant=_not_json)
    except ValueError:
        return None, f"last line is not strict JSON: {line[:80]!r}"
    if not isinstance(found, dict):
        return None, "last line is not a JSON object"
    missing = [key for key in HEADLINE if key not in found]
    return (found, None) if not missing else (None, f"last line lacks {', '.join(missing)}")


def run(name: str) -> Outcome:
    """Run bench/NAME.py with this interpreter, echoing its output, and read its last line."""
    script = BENCH / f"{name}.py"
    print(f"== bench/{name}.py", flush=True)
    if not script.exists():
        return Outcome(name, 0.0, None, f"{script} does not exist")
    began = time.monotonic()
    last = ""
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, bufsize=1) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.strip():
                last = line.strip()
        code = process.wait()
    seconds = time.monotonic() - began
    result, problem = headline_of(last) if last else (None, "printed nothing")
    if code != 0:
        result, problem = None, f"exited with {code}"
    return Outcome(name, seconds, result, problem)


def cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def table(outcomes: list[Outcome]) -> str:
    """The headlines, one row each; `errors` is shown for a benchmark that reports it."""
    head = ("benchmark", *HEADLINE, "errors", "seconds", "status")
    lines = [head]
    for outcome in outcomes:
        found = outcome.result or {}
        lines.append((outcome.name, *(cell(found.get(key)) for key in (*HEADLINE, "errors")),
                      f"{outcome.seconds:.0f}", "ok" if outcome.problem is None else f"FAILED: {outcome.problem}"))  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="benchmarks, as bench/NAME.py")
    names = parser.parse_args().names
    began = time.monotonic()
    outcomes = [run(name) for name in names]
    print(f"\n== {len(outcomes)} benchmarks in {time.monotonic() - began:.0f} s")
    print(table(outcomes))
    for outcome in outcomes:
        body = outcome.result if outcome.problem is None else {"failed": outcome.problem}
        print(json.dumps({"benchmark": outcome.name, **(body or {}), "wall_seconds": round(outcome.seconds, 1)}))
    return 1 if any(outcome.problem for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
