"""Benchmark: the full SIGKILL sweep — every boundary of a run, both kill kinds, four setups.

For each of SQLite/PostgreSQL × inline/queue, one run is killed right after each agent and phase
boundary in turn (once right after the event is stored, once right after the node's checkpoint
writes: two sweeps), restarted each time, and compared with an uninterrupted run of the same
brief: completions, lost and duplicated events, calls repeated without a record, and the time
from a kill to the run's next stored event. The baseline is the start-up time of the process
that executes runs (what any restart costs); the ratio says how much a resume adds to it.

    .venv/bin/python bench/faults.py [--setups sqlite-inline,postgres-queue] [--kinds event,writes]
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # the seeding code builds the app in this process, which runs on gevent

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.headline import headline_line  # noqa: E402
from tests.faults.kill_sweep import sweep  # noqa: E402

SETUPS = ["sqlite-inline", "sqlite-queue", "postgres-inline", "postgres-queue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default=",".join(SETUPS))
    parser.add_argument("--kinds", default="event,writes")
    args = parser.parse_args()
    results = []
    for setup in args.setups.split(","):
        backend, executor = setup.split("-")
        for kind in args.kinds.split(","):
            with tempfile.TemporaryDirectory(prefix="catalyst-faults-") as tmp:
                result = sweep(Path(tmp), backend, executor, kinds=(kind,))
            results.append((setup, kind, result))
            print(f"{setup:16} {kind:7} trials={result.trials:2} completed={result.completed!s:5} "
                  f"lost={len(result.lost)} duplicated={len(result.duplicated)} "
                  f"unrecorded_repeats={sum(result.unrecorded_repeats().values())} "
                  f"recorded_repeats={sum(result.recorded_repeats.values())} "
                  f"resume_p50={statistics.median(result.resume_seconds or [0]):.2f}s "
                  f"start={result.start_seconds:.2f}s", flush=True)  # fmt: skip
    resumes = [s for _, _, r in results for s in r.resume_seconds]
    starts = [r.start_seconds for _, _, r in results]
    value = statistics.median(resumes) if resumes else 0.0
    baseline = statistics.median(starts)
    print(headline_line({
        "metric": "kill_to_resume_seconds_p50",
        "value": round(value, 2),
        "baseline": round(baseline, 2),
        "ratio": round(value / baseline, 2) if baseline else None,
        "unit": "s",
        "resume_p95": round(sorted(resumes)[int(0.95 * (len(resumes) - 1))], 2) if resumes else None,
        "sweeps": len(results),
        "trials": sum(r.trials for _, _, r in results),
        "completions": sum(r.completed for _, _, r in results),
        "lost_events": sum(len(r.lost) for _, _, r in results),
        "duplicated_events": sum(len(r.duplicated) for _, _, r in results),
        "finished_calls_repeated": sum(len(r.finished_repeated) for _, _, r in results),
        "unrecorded_repeats": sum(sum(r.unrecorded_repeats().values()) for _, _, r in results),
        "recorded_repeats": sum(sum(r.recorded_repeats.values()) for _, _, r in results),
        "unreached_points": sum(len(r.unreached) for _, _, r in results),
    }))


if __name__ == "__main__":
    main()
