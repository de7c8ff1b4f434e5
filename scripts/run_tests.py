"""Run the whole suite as N pytest processes at once (`make test`), each on its own part and resources.

Each part is `pytest --shard I/N` (tests/support/sharding.py) with its own PostgreSQL databases
and Redis indexes (`CATALYST_TEST_SUITE`, `CATALYST_TEST_REDIS_OFFSET`: tests/support/isolation.py),
so the parts never touch each other's data. Their output goes to files under `.test-logs/` (with a JUnit report each, from which
scripts/record_durations.py records what each test took, to split the next runs evenly); this
prints one line per part as it ends, then the full output of every part that failed (or the
summary of those that passed), and exits non-zero if any part did.

    .venv/bin/python scripts/run_tests.py [--parts 2] [pytest arguments...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / ".test-logs"
REDIS_OFFSET_PER_PART = 8  # two parts: indexes {0,13,14,15} and {8,5,6,7} (isolation.REDIS_STRIDE)
TAIL_LINES = 15


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2, choices=range(1, 3))
    args, pytest_args = parser.parse_known_args()
    LOGS.mkdir(exist_ok=True)
    started = time.monotonic()
    running = []
    for index in range(1, args.parts + 1):
        log = LOGS / f"part-{index}.log"
        env = {
            **os.environ,
            "CATALYST_TEST_SUITE": f"part{index}",
            "CATALYST_TEST_REDIS_OFFSET": str(REDIS_OFFSET_PER_PART * (index - 1)),
        }
        command = [sys.executable, "-m", "pytest", f"--shard={index}/{args.parts}", "-p", "no:cacheprovider",
                   f"--junitxml={LOGS / f'part-{index}.xml'}", *pytest_args]  # fmt: skip
        handle = log.open("w", encoding="utf-8")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        running.append((index, process, handle, log))
        sys.stdout.write(f"part {index}/{args.parts}: {' '.join(command[1:])} > {log.relative_to(ROOT)}\n")
    sys.stdout.flush()
    failed = []
    for index, process, handle, _log in running:
        code = process.wait()
        handle.close()
        sys.stdout.write(f"part {index} finished with exit code {code} after {time.monotonic() - started:.0f} s\n")
        if code != 0:
            failed.append(index)
    for index, _process, _handle, log in running:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        shown = lines if index in failed else lines[-TAIL_LINES:]
        sys.stdout.write(f"\n===== part {index} ({'FAILED' if index in failed else 'passed'}) =====\n")
        sys.stdout.write("\n".join(shown) + "\n")
    sys.stdout.write(f"\nall parts done in {time.monotonic() - started:.0f} s; failed parts: {failed or 'none'}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
